import { ApiError } from '../api/client';

export type FieldPath = (string | number)[];

/**
 * The server's field issues (`details.issues[].field`, dotted like `template.bands.1.minScore`) as antd
 * form name paths (`['template', 'bands', 1, 'minScore']`), for forms whose values mirror the request body.
 * Only issues under one of `roots` are returned; the caller shows the rest (and the summary) as a message.
 * `N` is the form's name type (the paths are not checked against it).
 */
export function nestedFieldErrors<N = FieldPath>(err: unknown, roots: readonly string[]): { name: N; errors: string[] }[] {
  if (!(err instanceof ApiError) || !err.details || typeof err.details !== 'object') return [];
  const issues = (err.details as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return [];
  const byField = new Map<string, { name: N; errors: string[] }>();
  for (const issue of issues) {
    const { field, message } = (issue ?? {}) as { field?: unknown; message?: unknown };
    if (typeof field !== 'string' || !roots.includes(field.split('.')[0]!)) continue;
    const entry = byField.get(field) ?? { name: field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)) as N, errors: [] };
    entry.errors.push(typeof message === 'string' && message ? message : err.message);
    byField.set(field, entry);
  }
  return [...byField.values()];
}
