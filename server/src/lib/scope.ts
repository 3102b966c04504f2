import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * What a caller may see: the subtree under one org node. Division codes are hierarchical
 * (2/4/6/9/12 digits), so a subtree is the range of codes that start with the node's code.
 * `level` 0 is the nation: everything. `workerId` narrows a worker's scope to their own record.
 */
export interface Scope {
  orgCode: string;
  level: number;
  workerId?: number | null;
}

export const NATION_CODE = 'CN';

/** The smallest code greater than every code with this prefix. */
export function prefixUpperBound(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** SQL condition: `column` lies in the subtree rooted at `code` (level 0 = everything). */
export function codeInSubtree(column: string, code: string, level: number): Expression<SqlBool> {
  if (level === 0 || code === NATION_CODE) return sql<SqlBool>`1 = 1`;
  const ref = sql.ref(column);
  return sql<SqlBool>`(${ref} >= ${code} and ${ref} < ${prefixUpperBound(code)})`;
}

/** SQL condition: `column` lies in the caller's scope. */
export function inScope(column: string, scope: Scope): Expression<SqlBool> {
  return codeInSubtree(column, scope.orgCode, scope.level);
}

/** Whether an org code lies in the subtree of `ancestor` (itself included). */
export function isCodeUnder(code: string, ancestor: string): boolean {
  return ancestor === NATION_CODE || code.startsWith(ancestor);
}

export function isCodeInScope(code: string, scope: Scope): boolean {
  return scope.level === 0 || isCodeUnder(code, scope.orgCode);
}

/** Level of a division code by its length; `CN` is the nation. */
export function levelOfCode(code: string): number | null {
  if (code === NATION_CODE) return 0;
  const byLength: Record<number, number> = { 2: 1, 4: 2, 6: 3, 9: 4, 12: 5 };
  return /^\d+$/.test(code) ? (byLength[code.length] ?? null) : null;
}

/** Ancestor codes of a division code, from the province down, excluding itself. */
export function ancestorCodes(code: string): string[] {
  const level = levelOfCode(code);
  if (!level) return [];
  const lengths = [2, 4, 6, 9, 12].slice(0, level - 1);
  return lengths.map((n) => code.slice(0, n));
}
