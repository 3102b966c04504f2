import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, buildUrl, fieldErrorsFromDetails, setApiEventHandlers } from './client';

function mockFetch(status: number, body?: unknown) {
  const fn = vi.fn<(url: string, init?: RequestInit) => Promise<Response>>(async () => {
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('buildUrl', () => {
  it('drops empty parameters', () => {
    expect(buildUrl('/workers', { page: 2, q: '', status: undefined, orgCode: '3301' })).toBe('/api/v1/workers?page=2&orgCode=3301');
  });
});

describe('apiRequest', () => {
  it('sends JSON with same-origin credentials and Accept-Language', async () => {
    const fetchFn = mockFetch(200, { ok: true });
    await apiRequest('/orgs/33', { method: 'PATCH', body: { population: 1 } });
    const [url, init] = fetchFn.mock.calls[0];
    expect(url).toBe('/api/v1/orgs/33');
    expect(init?.credentials).toBe('same-origin');
    const headers = init?.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['Accept-Language']).toBe('zh-CN');
    expect(init?.body).toBe('{"population":1}');
  });

  it('returns undefined for 204', async () => {
    mockFetch(204);
    await expect(apiRequest('/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('throws ApiError parsed from the error body', async () => {
    mockFetch(400, { error: { code: 'WEAK_PASSWORD', message: '密码强度不足', details: { field: 'newPassword' } } });
    const err = await apiRequest('/auth/password', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'WEAK_PASSWORD', message: '密码强度不足' });
  });

  it('reports 401 and PASSWORD_CHANGE_REQUIRED to the installed handlers', async () => {
    const onUnauthorized = vi.fn();
    const onPasswordChangeRequired = vi.fn();
    const remove = setApiEventHandlers({ onUnauthorized, onPasswordChangeRequired });
    mockFetch(401, { error: { code: 'UNAUTHENTICATED', message: '请先登录' } });
    await expect(apiRequest('/workers')).rejects.toBeInstanceOf(ApiError);
    await expect(apiRequest('/auth/me', { skipAuthRedirect: true })).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    mockFetch(403, { error: { code: 'PASSWORD_CHANGE_REQUIRED', message: '请先修改密码' } });
    await expect(apiRequest('/workers')).rejects.toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1);
    remove();
  });
});

describe('fieldErrorsFromDetails', () => {
  const fields = ['idNumber', 'name'] as const;
  const err = (details: unknown) => new ApiError(400, 'VALIDATION', '身份证号无效', details);

  it('reads {field}', () => {
    expect(fieldErrorsFromDetails(err({ field: 'idNumber' }), fields)).toEqual([{ name: 'idNumber', errors: ['身份证号无效'] }]);
  });

  it('reads zod-style issues', () => {
    expect(fieldErrorsFromDetails(err({ issues: [{ path: ['name'], message: '必填' }] }), fields)).toEqual([
      { name: 'name', errors: ['必填'] },
    ]);
  });

  it('reads {fields: {...}} and ignores unknown names', () => {
    expect(fieldErrorsFromDetails(err({ fields: { idNumber: '重复', other: 'x' } }), fields)).toEqual([
      { name: 'idNumber', errors: ['重复'] },
    ]);
  });

  it('returns nothing for other errors', () => {
    expect(fieldErrorsFromDetails(new Error('x'), fields)).toEqual([]);
    expect(fieldErrorsFromDetails(err(undefined), fields)).toEqual([]);
  });
});
