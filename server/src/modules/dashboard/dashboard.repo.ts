import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';
import { ON_ROLL_STATUSES } from '../meta/enums.ts';

function onRoll(db: Kysely<Database>, scope: Scope, code: string, level: number) {
  return db
    .selectFrom('workers')
    .where(inScope('workers.org_code', scope))
    .where(codeInSubtree('workers.org_code', code, level))
    .where('workers.status', 'in', ON_ROLL_STATUSES);
}

/** Counts of on-roll workers in a subtree grouped by one column. */
export async function countWorkersBy(
  db: Kysely<Database>,
  scope: Scope,
  code: string,
  level: number,
  column: 'status' | 'post' | 'education' | 'political_status' | 'qualification_level',
  nullCode = 'unknown',
) {
  const rows = await onRoll(db, scope, code, level)
    .select([`workers.${column} as code`, (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(`workers.${column}`)
    .execute();
  return rows.map((r) => ({ code: (r.code as string | null) ?? nullCode, count: Number(r.n) }));
}

/**
 * On-roll workers per age band, by exact age today: `bandStarts` are the bands' lower ages in
 * ascending order with their labels; age ≥ n ⇔ born on or before today − n years (the same rule
 * the worker list's ageMin/ageMax filters use, so a band's count and its list agree).
 */
export async function countWorkersByAgeBand(
  db: Kysely<Database>,
  scope: Scope,
  code: string,
  level: number,
  bands: { label: string; bornOnOrBefore: string | null }[],
) {
  // Highest lower age first: the first band whose cut-off the birth date meets.
  const ordered = [...bands].reverse();
  const cases = ordered
    .filter((b) => b.bornOnOrBefore !== null)
    .map((b) => sql`when workers.birth_date <= ${b.bornOnOrBefore} then ${b.label}`);
  const youngest = ordered.find((b) => b.bornOnOrBefore === null)!.label;
  const band = sql<string>`case ${sql.join(cases, sql` `)} else ${youngest} end`;
  const rows = await onRoll(db, scope, code, level)
    .select([band.as('band'), (eb) => eb.fn.countAll<number>().as('n')])
    // By position: the expression's bound dates would not compare equal to a repeated copy.
    .groupBy(sql`1`)
    .execute();
  return new Map(rows.map((r) => [r.band, Number(r.n)]));
}

/** On-roll headcount per child node: workers grouped by the code prefix of the child level. */
export async function countWorkersPerChild(db: Kysely<Database>, scope: Scope, code: string, level: number, childCodeLength: number) {
  const prefix = sql<string>`substr(workers.org_code, 1, ${sql.lit(childCodeLength)})`;
  const rows = await onRoll(db, scope, code, level)
    .select([prefix.as('c'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(prefix)
    .execute();
  return new Map(rows.map((r) => [r.c, Number(r.n)]));
}

/** Community population and households per child node. */
export async function sumPopulationPerChild(db: Kysely<Database>, code: string, level: number, childCodeLength: number) {
  const prefix = sql<string>`substr(orgs.code, 1, ${sql.lit(childCodeLength)})`;
  const rows = await db
    .selectFrom('orgs')
    .where(codeInSubtree('orgs.code', code, level))
    .where('orgs.level', '=', 5)
    .select([prefix.as('c'), (eb) => eb.fn.sum<number>('orgs.population').as('p'), (eb) => eb.fn.sum<number>('orgs.households').as('h')])
    .groupBy(prefix)
    .execute();
  return new Map(rows.map((r) => [r.c, { population: Number(r.p ?? 0), households: Number(r.h ?? 0) }]));
}
