import { currentLang, translate } from '../i18n/core';

/** Base path of the foundation API. */
export const API_BASE = '/api/v1';

/** An error answered by the API (`{error:{code,message,details}}`) or a transport failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

/** Hooks the app installs so the client can send the user to /login or /change-password. */
export interface ApiEventHandlers {
  onUnauthorized?: () => void;
  onPasswordChangeRequired?: () => void;
}

let handlers: ApiEventHandlers = {};

export function setApiEventHandlers(next: ApiEventHandlers): () => void {
  handlers = next;
  return () => {
    if (handlers === next) handlers = {};
  };
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** A file sent as the body itself (application/octet-stream), for the import routes. */
  file?: Blob;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** Do not redirect to /login on 401 (used by /auth/me and /auth/login). */
  skipAuthRedirect?: boolean;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  let url = API_BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue;
      params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

function parseError(status: number, data: unknown): ApiError {
  if (data && typeof data === 'object' && 'error' in data) {
    const e = (data as { error: unknown }).error;
    if (e && typeof e === 'object') {
      const { code, message, details } = e as { code?: unknown; message?: unknown; details?: unknown };
      return new ApiError(
        status,
        typeof code === 'string' ? code : `HTTP_${status}`,
        typeof message === 'string' && message ? message : translate(currentLang(), 'error.http', { status }),
        details,
      );
    }
  }
  return new ApiError(status, `HTTP_${status}`, translate(currentLang(), 'error.http', { status }));
}

function defaultUnauthorized(): void {
  if (window.location.pathname !== '/login') window.location.assign('/login');
}

function defaultPasswordChangeRequired(): void {
  if (window.location.pathname !== '/change-password') window.location.assign('/change-password');
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError on failure. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, file, query, signal, skipAuthRedirect = false } = options;
  const lang = currentLang();
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': lang === 'en' ? 'en' : 'zh-CN',
  };
  let payload: string | Blob | undefined;
  if (file !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    payload = file;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', translate(lang, 'error.network'));
  }

  const text = res.status === 204 ? '' : await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const error = parseError(res.status, data);
    if (res.status === 401 && !skipAuthRedirect) {
      (handlers.onUnauthorized ?? defaultUnauthorized)();
    } else if (res.status === 403 && error.code === 'PASSWORD_CHANGE_REQUIRED') {
      (handlers.onPasswordChangeRequired ?? defaultPasswordChangeRequired)();
    }
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, opts?: Omit<RequestOptions, 'method' | 'query'>) =>
    apiRequest<T>(path, { ...opts, method: 'GET', query }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...opts, method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...opts, method: 'PATCH', body }),
};

/**
 * Extracts per-field messages from an error's `details`. The API document does not fix the shape, so
 * several common ones are accepted:
 *   {field: 'idNumber'}                              → the error message on that field
 *   {field: 'idNumber', message: '...'}
 *   {fields: {idNumber: '...'}} / {fields: ['idNumber']}
 *   [{path: ['idNumber'], message: '...'}] / {issues: [...]} / {errors: [...]}   (zod style)
 *   {idNumber: '...'}                                 (only keys that are known field names)
 */
export function fieldErrorsFromDetails<F extends string>(err: unknown, knownFields: readonly F[]): { name: F; errors: string[] }[] {
  if (!(err instanceof ApiError)) return [];
  const details = err.details;
  const known = new Set<string>(knownFields);
  const out = new Map<F, string[]>();
  const add = (name: unknown, message: unknown) => {
    if (typeof name !== 'string' || !known.has(name)) return;
    const field = name as F;
    const msg = typeof message === 'string' && message ? message : err.message;
    out.set(field, [...(out.get(field) ?? []), msg]);
  };
  const fromIssues = (issues: unknown[]) => {
    for (const issue of issues) {
      if (!issue || typeof issue !== 'object') continue;
      const { path, field, message, messageEn } = issue as { path?: unknown; field?: unknown; message?: unknown; messageEn?: unknown };
      const name = Array.isArray(path) ? path[0] : typeof path === 'string' ? path.split('.')[0] : field;
      add(name, currentLang() === 'en' && typeof messageEn === 'string' ? messageEn : message);
    }
  };
  if (Array.isArray(details)) {
    fromIssues(details);
  } else if (details && typeof details === 'object') {
    const d = details as Record<string, unknown>;
    if (typeof d.field === 'string') add(d.field, d.message ?? err.message);
    if (Array.isArray(d.fields)) for (const f of d.fields) add(f, err.message);
    else if (d.fields && typeof d.fields === 'object') {
      for (const [k, v] of Object.entries(d.fields as Record<string, unknown>)) add(k, Array.isArray(v) ? v[0] : v);
    }
    if (Array.isArray(d.issues)) fromIssues(d.issues);
    if (Array.isArray(d.errors)) fromIssues(d.errors);
    for (const [k, v] of Object.entries(d)) if (known.has(k) && typeof v === 'string') add(k, v);
  }
  return [...out.entries()].map(([name, errors]) => ({ name, errors: [...new Set(errors)] }));
}

/**
 * Shows a server error on a form: on the fields it names (see fieldErrorsFromDetails), or, when
 * it names none, through `fallback` (a form-level alert or a toast).
 */
export function showServerError<F extends string>(
  form: { setFields(fields: { name: NoInfer<F>; errors: string[] }[]): void },
  err: Error,
  knownFields: readonly F[],
  fallback: (message: string) => void,
): void {
  const fields = fieldErrorsFromDetails(err, knownFields);
  if (fields.length) form.setFields(fields);
  else fallback(err.message);
}
