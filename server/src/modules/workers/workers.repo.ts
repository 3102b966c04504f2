import { sql, type Kysely } from 'kysely';
import type { Database, NewWorker, NewWorkerAssignment, NewWorkerHistory, WorkerUpdate } from '../../db/schema.ts';
import { codeInSubtree, inScope, isCodeInScope, type Scope } from '../../lib/scope.ts';
import { ON_ROLL_STATUSES } from '../meta/enums.ts';

export interface WorkerFilters {
  /** Sort column and direction (default org_code, id ascending). */
  sort?: { column: 'org_code' | 'name' | 'birth_date' | 'work_start_date' | 'join_community_date'; order: 'asc' | 'desc' } | undefined;
  /** Keyset paging: only rows after this one in (org_code, id) order; no count is taken. */
  after?: { orgCode: string; id: number } | undefined;
  orgCode?: string | undefined;
  orgLevel?: number | undefined;
  name?: string | undefined;
  idNumberHash?: string | undefined;
  status?: string | undefined;
  post?: string | undefined;
  initials?: string | undefined;
  education?: string | undefined;
  politicalStatus?: string | undefined;
  qualificationLevel?: string | undefined;
  bornOnOrBefore?: string | undefined;
  bornAfter?: string | undefined;
  contractEndBefore?: string | undefined;
  onRollOnly?: boolean;
  /** Add index-friendly byte ranges for the name/initials prefixes (SQLite). */
  prefixRanges?: boolean;
}

/** List columns of the workers table alone (the org name is added per page). */
const LIST_COLUMNS = [
  'workers.id',
  'workers.name',
  'workers.id_number_masked',
  'workers.gender',
  'workers.birth_date',
  'workers.org_code',
  'workers.post',
  'workers.posts',
  'workers.status',
  'workers.education',
  'workers.phone_masked',
] as const;

const SUMMARY_COLUMNS = [...LIST_COLUMNS, 'orgs.name as org_name'] as const;

/** Columns safe to read for the full record (no ciphertext). */
const DETAIL_COLUMNS = [
  ...SUMMARY_COLUMNS,
  'workers.political_status',
  'workers.work_start_date',
  'workers.created_at',
  'workers.updated_at',
  'workers.former_name',
  'workers.ethnicity',
  'workers.party_join_date',
  'workers.education_mode',
  'workers.school',
  'workers.major',
  'workers.address',
  'workers.hukou',
  'workers.emergency_contact_name',
  'workers.emergency_contact_phone_masked',
  'workers.join_community_date',
  'workers.qualification_level',
  'workers.certificate_no',
  'workers.certificate_date',
  'workers.probation_end_date',
  'workers.status_date',
  'workers.status_reason',
  'workers.leave_type',
  'workers.leave_end_date',
  'workers.exit_reason',
  'workers.exit_date',
] as const;

function scoped(db: Kysely<Database>, scope: Scope) {
  let q = db.selectFrom('workers').where(inScope('workers.org_code', scope));
  if (scope.workerId !== undefined && scope.workerId !== null) q = q.where('workers.id', '=', scope.workerId);
  return q;
}

/**
 * Lists do not count past this many rows: an exact count over a province's million rows costs a
 * full index scan per page. Beyond it the total is reported as a lower bound (`totalCapped`).
 */
export const LIST_COUNT_CAP = 10_000;

export async function findWorkers(
  db: Kysely<Database>,
  scope: Scope,
  f: WorkerFilters,
  limit: number,
  offset: number,
  countCap: number | null = LIST_COUNT_CAP,
) {
  // An org filter inside the scope replaces the scope's range rather than adding a second one:
  // given two ranges on org_code, the planner seeks by the wider and tests every row for the other.
  const narrowed = f.orgCode && f.orgLevel !== undefined && isCodeInScope(f.orgCode, scope);
  let q = scoped(db, narrowed ? { ...scope, orgCode: f.orgCode!, level: f.orgLevel! } : scope);
  if (f.orgCode && f.orgLevel !== undefined && !narrowed) q = q.where(codeInSubtree('workers.org_code', f.orgCode, f.orgLevel));
  if (f.status) q = q.where('workers.status', '=', f.status);
  if (f.onRollOnly) q = q.where('workers.status', 'in', ON_ROLL_STATUSES);
  if (f.post) q = q.where('workers.post', '=', f.post);
  if (f.idNumberHash) q = q.where('workers.id_number_hash', '=', f.idNumberHash);
  if (f.name) q = q.where('workers.name', 'like', `${f.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.initials) q = q.where('workers.name_initials', 'like', `${f.initials}%`);
  if (f.prefixRanges) {
    // SQLite cannot use an index for LIKE (case-insensitive by default); a byte range can. The
    // LIKE above stays as the exact test. (PostgreSQL keeps LIKE: its collation may not be bytewise.)
    if (f.name) q = q.where('workers.name', '>=', f.name).where('workers.name', '<', `${f.name}\uffff`);
    if (f.initials) q = q.where('workers.name_initials', '>=', f.initials).where('workers.name_initials', '<', `${f.initials}\uffff`);
  }
  if (f.education) q = q.where('workers.education', '=', f.education);
  if (f.politicalStatus) q = q.where('workers.political_status', '=', f.politicalStatus);
  if (f.qualificationLevel) q = q.where('workers.qualification_level', '=', f.qualificationLevel);
  if (f.bornOnOrBefore) q = q.where('workers.birth_date', '<=', f.bornOnOrBefore);
  if (f.bornAfter) q = q.where('workers.birth_date', '>', f.bornAfter);
  if (f.contractEndBefore) {
    // Read-only look at the contracts domain's table: an active contract ending by the date.
    const before = f.contractEndBefore;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('labour_contracts')
          .select('labour_contracts.id')
          .whereRef('labour_contracts.worker_id', '=', 'workers.id')
          .where('labour_contracts.status', '=', 'active')
          .where('labour_contracts.end_date', '<=', before),
      ),
    );
  }
  if (f.after) {
    // Keyset paging (exports): rows after the last one read, in (org_code, id) order, so a worker
    // moved or added mid-export is neither read twice nor skipped because of shifting offsets.
    const { orgCode, id } = f.after;
    q = q.where((eb) =>
      eb.or([eb('workers.org_code', '>', orgCode), eb.and([eb('workers.org_code', '=', orgCode), eb('workers.id', '>', id)])]),
    );
  }
  const order = f.sort?.order ?? 'asc';
  const byOrg = !f.sort || f.sort.column === 'org_code';
  const countRows = () =>
    countCap === null
      ? q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      : db
          .selectFrom(
            q
              .select(sql<number>`1`.as('one'))
              .limit(countCap + 1)
              .as('capped'),
          )
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
  // The page comes from workers alone, walking (org_code, id): joining orgs here lets the
  // planner sort every match of a province before taking twenty.
  const walkPage = () =>
    (byOrg
      ? q.select(LIST_COLUMNS).orderBy('workers.org_code', order).orderBy('workers.id', order)
      : q.select(LIST_COLUMNS).orderBy(`workers.${f.sort!.column}`, f.sort!.order).orderBy('workers.id', f.sort!.order)
    )
      .limit(limit)
      .offset(offset)
      .execute();

  let rows: Awaited<ReturnType<typeof walkPage>>;
  let count: { n: number | string | bigint };
  if (f.after) {
    rows = await walkPage();
    count = { n: -1 };
  } else if ((f.name || f.initials) && byOrg && countCap !== null) {
    // A name or pinyin search matches few rows spread over the whole scope: walking (org_code, id)
    // for twenty of them reads most of a city's or province's rows (50–60 ms on PostgreSQL with a
    // million workers). The count comes first, from the (name | initials, org_code, id) index
    // alone; when it is within the cap, the matches' ids are taken from that index, sorted, and
    // only the page's rows are read. Beyond the cap, matches are dense and the walk is short.
    count = await countRows();
    if (Number(count.n) <= countCap) {
      const matches = q.select(['workers.id as id', 'workers.org_code as org_code']);
      rows = await db
        .with(
          (cte) => cte('matches').materialized(),
          () => matches,
        )
        .selectFrom('workers')
        .select(LIST_COLUMNS)
        .where('workers.id', 'in', (eb) =>
          eb
            .selectFrom('matches')
            .select('matches.id')
            .orderBy('matches.org_code', order)
            .orderBy('matches.id', order)
            .limit(limit)
            .offset(offset),
        )
        .orderBy('workers.org_code', order)
        .orderBy('workers.id', order)
        .execute();
    } else rows = await walkPage();
  } else {
    [rows, count] = await Promise.all([walkPage(), countRows()]);
  }
  const n = Number(count.n);
  const totalCapped = countCap !== null && n > countCap;
  const codes = [...new Set(rows.map((r) => r.org_code))];
  const names = new Map(
    codes.length === 0
      ? []
      : (await db.selectFrom('orgs').select(['code', 'name']).where('code', 'in', codes).execute()).map((o) => [o.code, o.name] as const),
  );
  const items = rows.map((r) => ({ ...r, org_name: names.get(r.org_code) ?? r.org_code }));
  return { items, total: totalCapped ? countCap : n, totalCapped };
}

export function getWorkerInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return scoped(db, scope)
    .innerJoin('orgs', 'orgs.code', 'workers.org_code')
    .select(DETAIL_COLUMNS)
    .where('workers.id', '=', id)
    .executeTakeFirst();
}

/** The ciphertexts of one worker in scope, for a reveal. */
export function getWorkerSecretsInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return scoped(db, scope)
    .select(['workers.id', 'workers.org_code', 'workers.id_number_enc', 'workers.phone_enc', 'workers.emergency_contact_phone_enc'])
    .where('workers.id', '=', id)
    .executeTakeFirst();
}

/** Whether an ID number is on anyone's roll, anywhere (uniqueness is national). */
export async function isIdNumberTakenUnscoped(db: Kysely<Database>, hash: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('workers').select('id').where('id_number_hash', '=', hash);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertWorker(db: Kysely<Database>, row: NewWorker): Promise<number> {
  const r = await db.insertInto('workers').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Updates a worker the caller has already read in scope. */
export async function updateWorker(db: Kysely<Database>, id: number, patch: WorkerUpdate) {
  await db.updateTable('workers').set(patch).where('id', '=', id).execute();
}

/** Updates a worker only while its status is still `expected`; returns whether it did (guards concurrent status changes). */
export async function updateWorkerIfStatus(db: Kysely<Database>, id: number, expected: string, patch: WorkerUpdate): Promise<boolean> {
  const r = await db.updateTable('workers').set(patch).where('id', '=', id).where('status', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Placements of one worker in scope, oldest first. */
export function findAssignmentsInScope(db: Kysely<Database>, scope: Scope, workerId: number) {
  return scoped(db, scope)
    .innerJoin('worker_assignments as a', 'a.worker_id', 'workers.id')
    .innerJoin('orgs', 'orgs.code', 'a.org_code')
    .select(['a.org_code', 'orgs.name as org_name', 'a.from_date', 'a.to_date', 'a.reason'])
    .where('workers.id', '=', workerId)
    .orderBy('a.from_date')
    .orderBy('a.id')
    .execute();
}

/** The start of a worker's current placement (none for rows inserted in bulk before history was kept). */
export async function getOpenAssignmentStart(db: Kysely<Database>, workerId: number): Promise<string | null> {
  const r = await db
    .selectFrom('worker_assignments')
    .select('from_date')
    .where('worker_id', '=', workerId)
    .where('to_date', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.from_date ?? null;
}

/** Closes the current placement of a worker the caller has already read in scope. */
export async function closeOpenAssignment(db: Kysely<Database>, workerId: number, toDate: string) {
  await db
    .updateTable('worker_assignments')
    .set({ to_date: toDate })
    .where('worker_id', '=', workerId)
    .where('to_date', 'is', null)
    .execute();
}

export async function insertAssignment(db: Kysely<Database>, row: NewWorkerAssignment) {
  await db.insertInto('worker_assignments').values(row).execute();
}

export async function insertHistory(db: Kysely<Database>, rows: NewWorkerHistory[]) {
  if (rows.length > 0) await db.insertInto('worker_history').values(rows).execute();
}

/** Change history of one worker in scope, newest first. */
export async function findHistoryInScope(db: Kysely<Database>, scope: Scope, workerId: number, limit: number, offset: number) {
  const q = scoped(db, scope).innerJoin('worker_history as h', 'h.worker_id', 'workers.id').where('workers.id', '=', workerId);
  const [items, count] = await Promise.all([
    q
      .select(['h.id', 'h.ts', 'h.actor_id', 'h.actor_name', 'h.action', 'h.field', 'h.old_value', 'h.new_value', 'h.org_code'])
      .orderBy('h.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Roster columns beyond the list row for one page of ids in scope; ciphertexts only when revealing. */
export async function findExportExtrasInScope(db: Kysely<Database>, scope: Scope, ids: number[], withSecrets: boolean) {
  if (ids.length === 0) return new Map<number, ExportExtras>();
  const q = scoped(db, scope)
    .where('workers.id', 'in', ids)
    .select(['workers.id', 'workers.ethnicity', 'workers.political_status', 'workers.work_start_date', 'workers.qualification_level']);
  const rows: ExportExtras[] = withSecrets ? await q.select(['workers.id_number_enc', 'workers.phone_enc']).execute() : await q.execute();
  return new Map(rows.map((r) => [Number(r.id), r]));
}

export interface ExportExtras {
  id: number;
  ethnicity: string | null;
  political_status: string | null;
  work_start_date: string | null;
  qualification_level: string | null;
  id_number_enc?: string;
  phone_enc?: string | null;
}
