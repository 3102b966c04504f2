import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './databases.ts';
import { createTestEnv, createTestUser, loginCookie, seedOrgs, SMALL_TREE, testIdNumber, type TestEnv } from './factories.ts';

describeEachDatabase('HTTP security', (kind) => {
  let env: TestEnv;
  let cookie: string;
  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    cookie = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
  });
  afterAll(async () => env?.close());

  const worker = () => ({ name: '测试', idNumber: testIdNumber(), orgCode: '330106001001', post: 'grid_worker' });

  it('health and OpenAPI answer without a session', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toEqual({ status: 'ok' });
    const doc = (await env.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/workers/{id}/reveal');
  });

  it('sends CSP with frame-ancestors none and other security headers', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('refuses cross-site writes made with the cookie (CSRF)', async () => {
    const cross = await env.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: { cookie, origin: 'https://evil.example', host: 'localhost:3000' },
      payload: worker(),
    });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.code).toBe('CSRF_REJECTED');
    const fetchSite = await env.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
      payload: worker(),
    });
    expect(fetchSite.statusCode).toBe(403);
    const same = await env.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: { cookie, origin: 'http://localhost:3000', host: 'localhost:3000', 'sec-fetch-site': 'same-origin' },
      payload: worker(),
    });
    expect(same.statusCode).toBe(201);
  });

  it('accepts only JSON bodies (no form or text/plain posts)', async () => {
    const form = await env.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x',
    });
    expect(form.statusCode).toBe(415);
    expect(form.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const text = await env.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: { cookie, 'content-type': 'text/plain' },
      payload: '{}',
    });
    expect(text.statusCode).toBe(415);
  });

  it('limits request size and rejects broken JSON clearly', async () => {
    const big = await env.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const broken = await env.app.inject({
      method: 'POST',
      url: '/api/v1/workers',
      headers: { cookie, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('BAD_REQUEST');
  });

  it('rate-limits the public sign-in endpoint per address', async () => {
    let last = 0;
    for (let i = 0; i < 32; i++) {
      last = (
        await env.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `rl${i}`, password: 'x' },
          remoteAddress: '10.7.7.7',
        })
      ).statusCode;
    }
    expect(last).toBe(429);
  });

  it('answers unknown API paths with the JSON error shape', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
