import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { PostgresAdapter, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Db, Dialect } from '../../db/database.ts';
import type { Database, OrgRow } from '../../db/schema.ts';
import { codeInSubtree, inScope, NATION_CODE, prefixUpperBound, type Scope } from '../../lib/scope.ts';

export type OrgWithChildFlag = OrgRow & { has_children: number | boolean };

const hasChildren = sql<number>`exists(select 1 from orgs c where c.parent_code = orgs.code)`;

/** The columns of an org row (PostgreSQL also stores the search terms, which stay in the database). */
const ORG_COLUMNS = [
  'orgs.code',
  'orgs.parent_code',
  'orgs.level',
  'orgs.name',
  'orgs.population',
  'orgs.households',
  'orgs.created_at',
  'orgs.updated_at',
] as const;

/** Code length per level (0 nation … 5 community). */
const CODE_LENGTH = [0, 2, 4, 6, 9, 12] as const;
const DEEPEST_LEVEL = 5;

function dialectOf(db: Kysely<Database>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** The levels a scope spans, from its own down to communities. */
function levelsOf(scope: Scope, from = 0): number[] {
  const out: number[] = [];
  for (let level = Math.max(scope.level, from); level <= DEEPEST_LEVEL; level++) out.push(level);
  return out;
}

/** Most index terms used for one search; longer texts are checked against the name anyway. */
const MAX_QUERY_TERMS = 12;

const isTermChars = (s: string) => /^[\p{L}\p{N}]+$/u.test(s);

/**
 * The terms a name is indexed by (PostgreSQL computes the same in `org_name_grams(name)`): its
 * distinct bigrams (two adjacent characters, by code point) and `^` + its first character.
 */
export function nameGrams(name: string): string[] {
  const chars = Array.from(name);
  const grams = new Set<string>();
  if (chars.length > 0) grams.add('^' + chars[0]!);
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

/**
 * The index terms every name matching `q` carries, or null when `q` has none the index can answer
 * (a single character for "contains"; punctuation, which the SQLite tokenizer drops).
 */
export function queryGrams(q: string, match: NameMatch): string[] | null {
  const chars = Array.from(q);
  const grams: string[] = [];
  if (match === 'prefix' && chars.length > 0 && isTermChars(chars[0]!)) grams.push('^' + chars[0]!);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    if (isTermChars(g) && !grams.includes(g)) grams.push(g);
  }
  return grams.length > 0 ? grams.slice(0, MAX_QUERY_TERMS) : null;
}

/** One node, if it lies in the scope. */
export function getOrgInScope(db: Kysely<Database>, scope: Scope, code: string) {
  return db
    .selectFrom('orgs')
    .select(ORG_COLUMNS)
    .select(hasChildren.as('has_children'))
    .where('code', '=', code)
    .where(inScope('orgs.code', scope))
    .executeTakeFirst();
}

/** Direct children of a node in scope, by code. */
export async function findChildren(db: Kysely<Database>, scope: Scope, parentCode: string, limit: number, offset: number) {
  const base = db.selectFrom('orgs').where('parent_code', '=', parentCode).where(inScope('orgs.code', scope));
  const [items, count] = await Promise.all([
    base.select(ORG_COLUMNS).select(hasChildren.as('has_children')).orderBy('code').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Names of org codes (for breadcrumbs); no scope: division names are public facts. */
export async function getNamesByCodeUnscoped(db: Kysely<Database>, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('orgs')
    .select(['code', 'name'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Nodes in scope whose code starts with `prefix`, in code order (primary key range). */
export function searchByCodePrefix(db: Kysely<Database>, scope: Scope, prefix: string, limit: number) {
  return db
    .selectFrom('orgs')
    .select(ORG_COLUMNS)
    .select(hasChildren.as('has_children'))
    .where(inScope('orgs.code', scope))
    .where('code', '>=', prefix)
    .where('code', '<', prefixUpperBound(prefix))
    .orderBy('code')
    .limit(limit)
    .execute();
}

/** Numeric code range of a scope's nodes at one level: rowids of the SQLite name index. */
function rowidRange(scope: Scope, level: number): [number, number] {
  const length = CODE_LENGTH[level]!;
  if (scope.level === 0 || scope.orgCode === NATION_CODE) return [10 ** (length - 1), 10 ** length - 1];
  const factor = 10 ** (length - scope.orgCode.length);
  const base = Number(scope.orgCode);
  return [base * factor, (base + 1) * factor - 1];
}

/** FTS5 query: every term quoted, all required. */
function ftsQuery(grams: string[]): string {
  return grams.map((g) => `"${g.replaceAll('"', '""')}"`).join(' ');
}

type NameMatch = 'prefix' | 'contains';

function nameMatches(dialect: Dialect, q: string, match: NameMatch): Expression<SqlBool> {
  if (match === 'prefix') return sql<SqlBool>`substr(orgs.name, 1, ${Array.from(q).length}) = ${q}`;
  return dialect === 'postgres' ? sql<SqlBool>`strpos(orgs.name, ${q}) > 0` : sql<SqlBool>`instr(orgs.name, ${q}) > 0`;
}

/**
 * One level of a name search: the first `limit` matches in code order. SQLite reads the terms'
 * FTS5 rows in rowid (= code) order within the level's rowid range; PostgreSQL filters on the
 * GIN-indexed terms and lets the planner choose (GIN for rare terms, walking `(level, code)` for
 * common ones). The name itself is checked unless the terms already say it exactly (PostgreSQL:
 * a one-character prefix, a two-character substring), which also keeps the planner's row
 * estimate honest for the commonest searches.
 */
function nameSearchLevel(db: Kysely<Database>, scope: Scope, level: number, q: string, match: NameMatch, grams: string[], limit: number) {
  const dialect = dialectOf(db);
  if (dialect === 'sqlite' && level > 0) {
    const [lo, hi] = rowidRange(scope, level);
    return (
      db
        .selectFrom(sql<{ rowid: number }>`org_name_grams`.as('g'))
        .innerJoin('orgs', (join) => join.on(sql<SqlBool>`orgs.code = cast(g.rowid as text)`))
        .select(ORG_COLUMNS)
        .select(hasChildren.as('has_children'))
        .where(sql<SqlBool>`org_name_grams match ${ftsQuery(grams)}`)
        // As integers: FTS5 seeks to integer bounds but merely filters by the REAL a JS number binds as.
        .where(sql<SqlBool>`g.rowid between cast(${lo} as integer) and cast(${hi} as integer)`)
        .where(nameMatches(dialect, q, match))
        .orderBy(sql`g.rowid`)
        .limit(limit)
    );
  }
  let query = db
    .selectFrom('orgs')
    .select(ORG_COLUMNS)
    .select(hasChildren.as('has_children'))
    // The nation root is not in the SQLite index; its own primary key finds it.
    .where(level === 0 ? sql<SqlBool>`orgs.code = ${NATION_CODE}` : sql<SqlBool>`orgs.level = ${level}`)
    .where(inScope('orgs.code', scope));
  if (dialect === 'postgres') query = query.where(sql<SqlBool>`orgs.name_grams @> ${grams}::text[]`);
  const isExact = dialect === 'postgres' && Array.from(q).length === (match === 'prefix' ? 1 : 2);
  if (!isExact) query = query.where(nameMatches(dialect, q, match));
  return query.orderBy('orgs.code').limit(limit);
}

/**
 * Nodes in scope whose name starts with or contains `q`: upper levels first, in code order within
 * a level, the first `limit`. One statement, a branch per level (see `nameSearchLevel`), each
 * stopping at `limit` rows. Text without index terms (punctuation) is matched by walking the
 * subtree instead: quick when the text is common, a scan when it is rare.
 */
async function searchByName(db: Kysely<Database>, scope: Scope, q: string, match: NameMatch, limit: number): Promise<OrgWithChildFlag[]> {
  // The nation root ("全国") is found by a prefix only: it contains no division's name.
  const top = match === 'prefix' ? 0 : 1;
  const grams = queryGrams(q, match);
  if (!grams) {
    return db
      .selectFrom('orgs')
      .select(ORG_COLUMNS)
      .select(hasChildren.as('has_children'))
      .where(inScope('orgs.code', scope))
      .where('orgs.level', '>=', top)
      .where(nameMatches(dialectOf(db), q, match))
      .orderBy('orgs.level')
      .orderBy('orgs.code')
      .limit(limit)
      .execute();
  }
  const branches = levelsOf(scope, top).map((level) =>
    db.selectFrom(nameSearchLevel(db, scope, level, q, match, grams, limit).as(`l${level}`)).selectAll(),
  );
  const [first, ...rest] = branches;
  if (!first) return [];
  let query = first;
  for (const branch of rest) query = query.unionAll(branch);
  return query.orderBy('level').orderBy('code').limit(limit).execute();
}

/** Nodes in scope whose name starts with `q`, upper levels first, by code within a level. */
export function searchByNamePrefix(db: Kysely<Database>, scope: Scope, q: string, limit: number): Promise<OrgWithChildFlag[]> {
  return searchByName(db, scope, q, 'prefix', limit);
}

/** Nodes in scope (below the nation root) whose name contains `q`, upper levels first, by code within a level. */
export function searchByNameContains(db: Kysely<Database>, scope: Scope, q: string, limit: number): Promise<OrgWithChildFlag[]> {
  return searchByName(db, scope, q, 'contains', limit);
}

/** Replaces a node's entry in the SQLite name index (PostgreSQL maintains its GIN index itself). */
async function reindexNames(db: Kysely<Database>, rows: { code: string; name: string }[]) {
  if (dialectOf(db) !== 'sqlite') return;
  for (const r of rows) {
    if (r.code === NATION_CODE) continue;
    await sql`delete from org_name_grams where rowid = cast(${r.code} as integer)`.execute(db);
    await sql`insert into org_name_grams (rowid, grams) values (cast(${r.code} as integer), ${nameGrams(r.name).join(' ')})`.execute(db);
  }
}

/** Updates a node; keeps the name index in step on a rename (call inside the caller's transaction). */
export async function updateOrg(
  db: Kysely<Database>,
  code: string,
  patch: Partial<Pick<OrgRow, 'name' | 'population' | 'households' | 'updated_at'>>,
) {
  await db.updateTable('orgs').set(patch).where('code', '=', code).execute();
  if (patch.name !== undefined) await reindexNames(db, [{ code, name: patch.name }]);
}

/** Sum of community population and households in a subtree. */
export async function sumPopulation(db: Kysely<Database>, code: string, level: number) {
  const row = await db
    .selectFrom('orgs')
    .select((eb) => [eb.fn.sum<number>('population').as('population'), eb.fn.sum<number>('households').as('households')])
    .where(codeInSubtree('orgs.code', code, level))
    .where('level', '=', 5)
    .executeTakeFirst();
  return { population: Number(row?.population ?? 0), households: Number(row?.households ?? 0) };
}

/** Inserts nodes or updates name, parent and level of existing ones (population and households untouched). */
export async function upsertOrgs(db: Kysely<Database>, rows: Omit<OrgRow, 'population' | 'households'>[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('orgs')
    .values(rows)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        parent_code: eb.ref('excluded.parent_code'),
        level: eb.ref('excluded.level'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  await reindexNames(db, rows);
}

/** Inserts the nation root `CN` (全国) unless it exists. */
export async function ensureNationRoot(db: Kysely<Database>, now: string): Promise<void> {
  await db
    .insertInto('orgs')
    .values({
      code: NATION_CODE,
      parent_code: null,
      level: 0,
      name: '全国',
      population: null,
      households: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** A node of an imported division tree. */
export interface DivisionOrg {
  code: string;
  parentCode: string;
  level: number;
  name: string;
}

export interface BulkUpsertResult {
  inserted: number;
  updated: number;
}

/** Rows between progress reports (and, on SQLite, between yields to the event loop). */
const BULK_STEP = 10_000;

/**
 * Bulk form of `upsertOrgs` for imports, in ONE transaction: new nodes are inserted; existing
 * nodes get name, parent and level (and `updated_at`) only where one of them differs, so the
 * counts say what really changed and a re-import writes almost nothing. Population and
 * households are never touched. `onRows` is called after every ~10k rows.
 */
export async function bulkUpsertDivisionOrgs(
  db: Db,
  rows: DivisionOrg[],
  now: string,
  onRows?: (n: number) => void,
): Promise<BulkUpsertResult> {
  return db.dialect === 'sqlite' ? bulkUpsertSqlite(db, rows, now, onRows) : bulkUpsertPostgres(db, rows, now, onRows);
}

/**
 * SQLite: prepared statements on the raw handle (a few µs a row), the name index written
 * alongside. Holds Kysely's single connection throughout, so nothing else interleaves with the
 * transaction, yet yields to the event loop between steps so a running server stays responsive.
 */
async function bulkUpsertSqlite(db: Db, rows: DivisionOrg[], now: string, onRows?: (n: number) => void): Promise<BulkUpsertResult> {
  const raw = db.sqlite;
  if (!raw) throw new Error('bulkUpsertDivisionOrgs: the SQLite handle is missing');
  const insertOrg = raw.prepare(
    `insert into orgs (code, parent_code, level, name, population, households, created_at, updated_at)
     values (?, ?, ?, ?, null, null, ?, ?) on conflict (code) do nothing`,
  );
  const updateOrgIfChanged = raw.prepare(
    `update orgs set name = ?, parent_code = ?, level = ?, updated_at = ?
     where code = ? and (name is not ? or parent_code is not ? or level is not ?)`,
  );
  const deleteGrams = raw.prepare('delete from org_name_grams where rowid = cast(? as integer)');
  const insertGrams = raw.prepare('insert into org_name_grams (rowid, grams) values (cast(? as integer), ?)');
  const writeStep = (step: DivisionOrg[]): BulkUpsertResult => {
    let inserted = 0;
    let updated = 0;
    for (const r of step) {
      if (insertOrg.run(r.code, r.parentCode, r.level, r.name, now, now).changes > 0) {
        inserted++;
      } else if (updateOrgIfChanged.run(r.name, r.parentCode, r.level, now, r.code, r.name, r.parentCode, r.level).changes > 0) {
        updated++;
        deleteGrams.run(r.code);
      } else {
        continue;
      }
      insertGrams.run(r.code, nameGrams(r.name).join(' '));
    }
    return { inserted, updated };
  };
  return db.kysely.connection().execute(async () => {
    const total: BulkUpsertResult = { inserted: 0, updated: 0 };
    raw.prepare('begin').run();
    try {
      for (let i = 0; i < rows.length; i += BULK_STEP) {
        const step = rows.slice(i, i + BULK_STEP);
        const r = writeStep(step);
        total.inserted += r.inserted;
        total.updated += r.updated;
        onRows?.(step.length);
        if (i + BULK_STEP < rows.length) await yieldToEventLoop();
      }
      raw.prepare('commit').run();
    } catch (err) {
      if (raw.inTransaction) raw.prepare('rollback').run();
      throw err;
    }
    return total;
  });
}

/** PostgreSQL: one `insert … select from unnest(…) on conflict do update … where changed` per step. */
async function bulkUpsertPostgres(db: Db, rows: DivisionOrg[], now: string, onRows?: (n: number) => void): Promise<BulkUpsertResult> {
  return db.kysely.transaction().execute(async (trx) => {
    const total: BulkUpsertResult = { inserted: 0, updated: 0 };
    for (let i = 0; i < rows.length; i += BULK_STEP) {
      const step = rows.slice(i, i + BULK_STEP);
      // xmax = 0 on the returned row version means it was inserted, not updated.
      const result = await sql<{ inserted: boolean }>`
        insert into orgs (code, parent_code, level, name, population, households, created_at, updated_at)
        select t.code, t.parent_code, t.level, t.name, null, null, ${now}, ${now}
        from unnest(${step.map((r) => r.code)}::text[], ${step.map((r) => r.parentCode)}::text[],
                    ${step.map((r) => r.level)}::int[], ${step.map((r) => r.name)}::text[]) as t(code, parent_code, level, name)
        on conflict (code) do update
          set name = excluded.name, parent_code = excluded.parent_code, level = excluded.level, updated_at = excluded.updated_at
          where (orgs.name, orgs.parent_code, orgs.level) is distinct from (excluded.name, excluded.parent_code, excluded.level)
        returning (xmax = 0) as inserted`.execute(trx);
      const inserted = result.rows.filter((r) => r.inserted).length;
      total.inserted += inserted;
      total.updated += result.rows.length - inserted;
      onRows?.(step.length);
    }
    return total;
  });
}

/**
 * After a bulk load. PostgreSQL, when rows changed: folds the GIN pending list (rows inserted with
 * `fastupdate`, which every search would otherwise scan) into the index and refreshes the planner
 * statistics that choose between the GIN index and walking `(level, code)`. SQLite: indexes the
 * names of nodes that other writers inserted straight into `orgs` (a bulk load leaves unchanged
 * rows alone), found by comparing counts, so the check costs two counts when all is well.
 */
export async function finishOrgBulkLoad(db: Db, hasChanges: boolean): Promise<void> {
  if (db.dialect === 'postgres') {
    if (!hasChanges) return;
    await sql`select gin_clean_pending_list('orgs_name_grams_idx'::regclass)`.execute(db.kysely);
    await sql`analyze orgs`.execute(db.kysely);
    return;
  }
  const raw = db.sqlite;
  if (!raw) throw new Error('finishOrgBulkLoad: the SQLite handle is missing');
  await db.kysely.connection().execute(async () => {
    const count = (text: string, ...params: string[]) => (raw.prepare(text).get(...params) as { n: number }).n;
    // The FTS5 shadow table `_docsize` holds one row per indexed document.
    if (count('select count(*) as n from orgs where code <> ?', NATION_CODE) === count('select count(*) as n from org_name_grams_docsize'))
      return;
    const missing = raw
      .prepare(
        `select code, name from orgs o where code <> ?
         and not exists (select 1 from org_name_grams_docsize d where d.id = cast(o.code as integer))`,
      )
      .all(NATION_CODE) as { code: string; name: string }[];
    const insertGrams = raw.prepare('insert into org_name_grams (rowid, grams) values (cast(? as integer), ?)');
    raw.transaction(() => {
      for (const r of missing) insertGrams.run(r.code, nameGrams(r.name).join(' '));
    })();
  });
}
