import type { OpContext } from '../../context.ts';
import type { OrgRow } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import { ancestorCodes, NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import * as repo from './orgs.repo.ts';
import type { TOrg, TOrgUpdate } from './orgs.schema.ts';

type Row = OrgRow & { has_children: number | boolean };

function pathCodes(code: string): string[] {
  return code === NATION_CODE ? [] : [NATION_CODE, ...ancestorCodes(code)];
}

/** Maps rows to the API shape, fetching every ancestor name in one query. */
export async function presentOrgs(ctx: OpContext, rows: Row[]): Promise<TOrg[]> {
  const names = await repo.getNamesByCodeUnscoped(
    ctx.deps.db.kysely,
    rows.flatMap((r) => pathCodes(r.code)),
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
    population: r.population === null ? null : Number(r.population),
    households: r.households === null ? null : Number(r.households),
    hasChildren: Boolean(Number(r.has_children)),
    path: pathCodes(r.code)
      .filter((c) => names.has(c))
      .map((c) => ({ code: c, name: names.get(c)! })),
  }));
}

/** One node in the caller's scope, or NOT_FOUND. */
export async function getOrg(ctx: OpContext, code: string): Promise<TOrg> {
  const row = await repo.getOrgInScope(ctx.deps.db.kysely, ctx.scope, code);
  if (!row) throw AppError.notFound();
  return (await presentOrgs(ctx, [row]))[0]!;
}

export async function findOrgChildren(ctx: OpContext, code: string, page: number, pageSize: number) {
  const parent = await repo.getOrgInScope(ctx.deps.db.kysely, ctx.scope, code);
  if (!parent) throw AppError.notFound();
  const { items, total } = await repo.findChildren(ctx.deps.db.kysely, ctx.scope, code, pageSize, (page - 1) * pageSize);
  return { items: await presentOrgs(ctx, items), total };
}

/**
 * Searches the caller's subtree: digits match code prefixes; text matches names, those that
 * start with the text first, then those that contain it (from two characters on: a single
 * character matches name beginnings only). Upper levels first, code order within a level.
 */
export async function searchOrgs(ctx: OpContext, q: string, limit: number) {
  const db = ctx.deps.db.kysely;
  let rows: Row[];
  if (/^\d+$/.test(q)) {
    rows = await repo.searchByCodePrefix(db, ctx.scope, q, limit);
  } else {
    rows = await repo.searchByNamePrefix(db, ctx.scope, q, limit);
    if (rows.length < limit && Array.from(q).length > 1) {
      const seen = new Set(rows.map((r) => r.code));
      // Prefix matches contain the text too: ask for enough to fill the page without them.
      const more = await repo.searchByNameContains(db, ctx.scope, q, limit + rows.length);
      rows = rows.concat(more.filter((r) => !seen.has(r.code)).slice(0, limit - rows.length));
    }
  }
  const items = await presentOrgs(ctx, rows);
  return { items, total: items.length };
}

/** Edits a node's name, population or households; audited with before and after. */
export async function updateOrg(ctx: OpContext, code: string, patch: TOrgUpdate): Promise<TOrg> {
  const db = ctx.deps.db.kysely;
  const before = await repo.getOrgInScope(db, ctx.scope, code);
  if (!before) throw AppError.notFound();
  const changes: Partial<Pick<OrgRow, 'name' | 'population' | 'households' | 'updated_at'>> = { updated_at: nowIso() };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of ['name', 'population', 'households'] as const) {
    if (patch[key] !== undefined && patch[key] !== before[key]) {
      (changes as Record<string, unknown>)[key] = patch[key];
      b[key] = before[key];
      a[key] = patch[key];
    }
  }
  if (Object.keys(a).length > 0) {
    await db.transaction().execute(async (trx) => {
      await repo.updateOrg(trx, code, changes);
      await appendAudit(trx, ctx, { action: 'org.update', entityType: 'org', entityId: code, orgCode: code, before: b, after: a });
    });
  }
  return getOrg(ctx, code);
}

/** The node's row if it lies in the caller's scope (for other domains validating an org code). */
export async function findOrgInScope(ctx: OpContext, code: string): Promise<OrgRow | undefined> {
  return repo.getOrgInScope(ctx.deps.db.kysely, ctx.scope, code);
}

/** Names of org codes, for presenting records of other domains. */
export async function getOrgNames(ctx: OpContext, codes: string[]): Promise<Map<string, string>> {
  return repo.getNamesByCodeUnscoped(ctx.deps.db.kysely, codes);
}

/** Makes sure the nation root `CN` (全国) exists; run at every start. */
export async function ensureNationRootOrg(deps: {
  db: { kysely: import('kysely').Kysely<import('../../db/schema.ts').Database> };
}): Promise<void> {
  await repo.ensureNationRoot(deps.db.kysely, nowIso());
}
