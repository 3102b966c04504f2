import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

const COLUMNS = ['id', 'org_code', 'per_10k', 'community_cap', 'effective_from', 'note', 'created_at'] as const;

/**
 * Rules set on any of `codes` taking effect on or before `on` (callers pass codes they may see:
 * the node's ancestors, which are general rules, and nodes of their own subtree).
 */
export function findRulesForCodesUnscoped(db: Kysely<Database>, codes: string[], on: string) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('staffing_standards')
    .select(COLUMNS)
    .where('org_code', 'in', [...new Set(codes)])
    .where('effective_from', '<=', on)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Every version set on one node, newest first (the node is checked for scope by the caller). */
export function findVersionsOfNodeUnscoped(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('staffing_standards')
    .select(COLUMNS)
    .where('org_code', '=', code)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertRule(
  db: Kysely<Database>,
  row: {
    org_code: string;
    per_10k: number;
    community_cap: number | null;
    effective_from: string;
    note: string | null;
    created_at: string;
    created_by: number | null;
  },
): Promise<number> {
  const r = await db.insertInto('staffing_standards').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}
