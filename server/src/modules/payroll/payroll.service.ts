/**
 * Monthly payroll (薪酬发放): runs per org node and month, draft → computing → computed → approved
 * → paid. Computing is a background job over the run's workers in keyset chunks: a few set-based
 * reads per chunk, the pure rules (`rules/slip.ts`) per distinct outcome, and one transaction per
 * chunk that writes its slips, its per-worker errors and the run's cursor. A run that was killed
 * resumes from the cursor; `UNIQUE(worker_id, month, run_id)` with `on conflict do nothing` makes a
 * replayed chunk harmless. Approval marks the slips final: immutable (trigger) and unique per
 * worker and month across runs (partial unique index).
 */
import { createHash } from 'node:crypto';
import type { OpContext } from '../../context.ts';
import type { NewPayslipClass, NewPayslipError } from '../../db/schema.ts';
import { AppError, isUniqueViolation } from '../../lib/errors.ts';
import { getJobProgress, isJobRunning, runJob, setJobProgress } from '../../lib/jobs.ts';
import { pageOffset, type Page, type TPaging } from '../../lib/paging.ts';
import { ancestorCodes, isCodeUnder, NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import type { AssessmentResult } from '../grades/rules/assessment-results.ts';
import type { QualificationLevel } from '../meta/enums.ts';
import { findOrgInScope } from '../orgs/orgs.service.ts';
import { getWorkerRowOrThrow } from '../workers/workers.service.ts';
import { RESIDENT_WAGE_TAX_RULE } from './rules/income-tax.ts';
import { ZInsuranceRule, type InsuranceRule } from './rules/insurance.ts';
import { mulRatio } from './rules/money.ts';
import { ZPayTable, type PayTable } from './rules/pay-table.ts';
import {
  annualFloorCheck,
  computeSlip,
  standardPay,
  type SlipAllowance,
  type SlipDeduction,
  type SlipInput,
  type SlipLine,
} from './rules/slip.ts';
import { readTaxOpeningsUnscoped } from './payroll-openings.repo.ts';
import * as repo from './payroll.repo.ts';
import type { RunStatus, TPayInputCreate, TPayInputQuery, TRun, TRunCreate, TRunListQuery, TSlip, TSlipSummary } from './payroll.schema.ts';

/** Workers per chunk: one transaction and one read per table each. */
export const PAYROLL_CHUNK_SIZE = 5000;

const jobKey = (runId: number) => `payroll:${runId}`;

// ---------------------------------------------------------------- presenting

const KIND_CODES = { earning: 'e', preTaxDeduction: 'p', insurance: 'i', tax: 't', postTaxDeduction: 'd' } as const;
const KINDS_BY_CODE = Object.fromEntries(Object.entries(KIND_CODES).map(([k, v]) => [v, k])) as Record<string, SlipLine['kind']>;

/** Slip lines as stored: compact `[code, nameZh, kind letter, amountFen, ruleRef]` tuples (a run writes a million of them). */
export function encodeLines(lines: readonly SlipLine[]): string {
  return JSON.stringify(lines.map((l) => [l.code, l.nameZh, KIND_CODES[l.kind], l.amountFen, l.ruleRef]));
}

/** The content address of a line list: base64url SHA-256 of its stored JSON, 128 bits. */
function linesHashOf(json: string): string {
  return createHash('sha256').update(json).digest('base64url').slice(0, 22);
}

export function decodeLines(json: string): SlipLine[] {
  return (JSON.parse(json) as [string, string, string, number, string][]).map(([code, nameZh, kind, amountFen, ruleRef]) => ({
    code,
    nameZh,
    kind: KINDS_BY_CODE[kind]!,
    amountFen,
    ruleRef,
  }));
}

function presentRun(r: NonNullable<Awaited<ReturnType<typeof repo.getRunUnscoped>>>): TRun {
  const id = Number(r.id);
  const live = getJobProgress(jobKey(id));
  return {
    id,
    orgCode: r.org_code,
    orgName: r.org_name,
    month: r.month,
    status: r.status as RunStatus,
    phase: live?.phase ?? r.phase,
    isRunning: isJobRunning(jobKey(id)),
    progress: {
      done: live?.done ?? Number(r.progress_done),
      total: live?.total ?? (r.progress_total === null ? null : Number(r.progress_total)),
    },
    slipCount: Number(r.slip_count),
    errorCount: Number(r.error_count),
    totals: {
      grossFen: Number(r.gross_fen),
      employeeInsuranceFen: Number(r.employee_insurance_fen),
      employerInsuranceFen: Number(r.employer_insurance_fen),
      taxFen: Number(r.tax_fen),
      netFen: Number(r.net_fen),
    },
    rulesUsed: r.rules_used ? (JSON.parse(r.rules_used) as unknown) : null,
    isDemo: Number(r.is_demo) === 1,
    error: r.error,
    createdByName: r.created_by_name,
    approvedByName: r.approved_by_name,
    createdAt: r.created_at,
    computedAt: r.computed_at,
    approvedAt: r.approved_at,
    paidAt: r.paid_at,
  };
}

type SlipRow = Awaited<ReturnType<typeof repo.findRunSlipsInScope>>['items'][number];

function presentSlipSummary(r: SlipRow): TSlipSummary {
  return {
    id: Number(r.id),
    runId: Number(r.run_id),
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    idNumberMasked: r.id_number_masked,
    orgCode: r.org_code,
    orgName: r.org_name,
    month: r.month,
    isFinal: Number(r.is_final) === 1,
    band: r.band,
    level: Number(r.level),
    grossFen: Number(r.gross_fen),
    employeeInsuranceFen: Number(r.employee_insurance_fen),
    employerInsuranceFen: Number(r.employer_insurance_fen),
    taxFen: Number(r.tax_fen),
    netFen: Number(r.net_fen),
  };
}

function presentSlip(r: SlipRow & { lines: string }): TSlip {
  return {
    ...presentSlipSummary(r),
    lines: decodeLines(r.lines),
    rules: { payTable: r.pay_table_ref, insuranceRule: r.insurance_rule_ref, taxRule: r.tax_rule_ref },
    taxMonths: Number(r.tax_months),
    cumulativeGrossFen: Number(r.cum_gross_fen),
    cumulativeTaxFen: Number(r.cum_tax_fen),
  };
}

// ---------------------------------------------------------------- runs

async function getRunRowOrThrow(ctx: OpContext, id: number) {
  const run = await repo.getRunInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!run) throw AppError.notFound();
  return run;
}

/** Creates a draft run for an org node in the caller's scope and a month. */
export async function createPayrollRun(ctx: OpContext, input: TRunCreate): Promise<TRun> {
  const org = input.orgCode === NATION_CODE ? undefined : await findOrgInScope(ctx, input.orgCode);
  if (!org) throw AppError.field('orgCode', '组织不存在或不在您的管辖范围内', 'Org not found in your scope');
  if (org.level > 4) throw AppError.field('orgCode', '工资批次须按街道或更高层级创建', 'A payroll run is for a street or above');
  const db = ctx.deps.db.kysely;
  const now = nowIso();
  const id = await db.transaction().execute(async (trx) => {
    const runId = await repo.insertRun(trx, {
      org_code: org.code,
      month: input.month,
      created_by: ctx.actor?.id ?? null,
      created_by_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
      now,
    });
    await appendAudit(trx, ctx, {
      action: 'payroll.run.create',
      entityType: 'payroll_run',
      entityId: runId,
      orgCode: org.code,
      after: input,
    });
    return runId;
  });
  return getPayrollRun(ctx, id);
}

export async function getPayrollRun(ctx: OpContext, id: number): Promise<TRun> {
  return presentRun(await getRunRowOrThrow(ctx, id));
}

export async function findPayrollRuns(ctx: OpContext, query: TRunListQuery): Promise<Page<TRun>> {
  const { items, total } = await repo.findRunsInScope(ctx.deps.db.kysely, ctx.scope, query, {
    limit: query.pageSize,
    offset: pageOffset(query),
  });
  return { items: items.map(presentRun), total };
}

export interface ComputeOptions {
  /** Wait for the job to finish (CLI, tests); the API returns at once. */
  wait?: boolean;
  chunkSize?: number;
  /** Called after each committed chunk, with the slips its keyed insert stored; tests throw here to simulate a crash. */
  afterChunk?: (chunkIndex: number, chunk: { keyedSlips: number }) => void | Promise<void>;
  /** Progress callback (CLI progress bar). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Store the slips of workers whose inputs match an outcome already computed in this run with one
   * INSERT … SELECT per chunk. Default: on SQLite only. On PostgreSQL it was no faster at a million
   * workers (38.2 s), where storing the rows dominates (the set-based insert alone took 25.9 s).
   * Off: every worker is read and computed one by one (tests compare the two on both databases).
   */
  keyedInsert?: boolean;
}

/**
 * Starts (or resumes) computing a run as a background job. A draft, failed or interrupted run
 * continues from its last committed chunk; a computed run is computed afresh; approved and paid
 * runs are refused.
 */
export async function computePayrollRun(ctx: OpContext, id: number, options: ComputeOptions = {}): Promise<TRun> {
  const run = await getRunRowOrThrow(ctx, id);
  const db = ctx.deps.db.kysely;
  if (run.status === 'approved' || run.status === 'paid') {
    throw new AppError('CONFLICT', {
      message: '已审批的工资批次不能重新计算；更正请在以后月份录入调整项',
      messageEn: 'An approved run cannot be recomputed',
    });
  }
  if (isJobRunning(jobKey(id))) {
    if (options.wait) await runJob(jobKey(id), async () => undefined);
    return getPayrollRun(ctx, id);
  }
  const now = nowIso();
  // A resume by the system (start-up recovery) keeps who computed the run, for the approval check.
  const computedBy = ctx.actor?.id ?? (run.computed_by === null ? null : Number(run.computed_by));
  const computing = { status: 'computing', phase: 'computing', error: null, computed_by: computedBy, updated_at: now };
  // Leave `computed` and clear its results in one transaction, so a concurrent approval either
  // wins first (and this refuses) or finds the run `computing` (and refuses), never empty slips.
  const moved =
    run.status === 'computed'
      ? await db.transaction().execute(async (trx) => {
          const isMoved = await repo.transitionRun(trx, id, ['computed'], {
            ...computing,
            cursor_worker_id: 0,
            progress_done: 0,
            slip_count: 0,
            error_count: 0,
            rules_used: null,
          });
          if (isMoved) await repo.clearRunResults(trx, id);
          return isMoved;
        })
      : await repo.transitionRun(db, id, ['draft', 'failed', 'computing'], computing);
  if (!moved) throw new AppError('CONFLICT', { message: '工资批次状态已变化，请刷新', messageEn: 'The run changed; reload' });
  await recordAudit(ctx, {
    action: 'payroll.run.compute',
    entityType: 'payroll_run',
    entityId: id,
    orgCode: run.org_code,
    after: { month: run.month, resumeFromWorkerId: run.status === 'computed' ? 0 : Number(run.cursor_worker_id) },
  });
  const job = runJob(jobKey(id), async () => {
    try {
      await processRun(ctx, id, options);
    } catch (err) {
      await repo.updateRun(db, id, {
        status: 'failed',
        phase: null,
        error: err instanceof Error ? err.message : String(err),
        updated_at: nowIso(),
      });
      throw err;
    }
  });
  if (options.wait) await job;
  return getPayrollRun(ctx, id);
}

/** Restarts runs left `computing` by a stopped process (called at start-up); each resumes from its cursor. */
export async function recoverPayrollRuns(ctx: OpContext): Promise<number[]> {
  const stale = (await repo.findComputingRunsUnscoped(ctx.deps.db.kysely)).filter((r) => !isJobRunning(jobKey(Number(r.id))));
  for (const r of stale) await computePayrollRun(ctx, Number(r.id));
  return stale.map((r) => Number(r.id));
}

// ---------------------------------------------------------------- rules in force

interface RulesInForce {
  payTableFor(orgCode: string, schemeKey: string): { table: PayTable; ref: string } | null;
  insuranceFor(orgCode: string): { rule: InsuranceRule; ref: string } | null;
  /** Every region code with a pay table or an insurance rule in force. */
  regions: Set<string>;
  used: Set<string>;
}

/** Region codes from the most specific (the org itself) to the nation. */
export function regionPath(orgCode: string): string[] {
  return orgCode === NATION_CODE ? [NATION_CODE] : [orgCode, ...ancestorCodes(orgCode).reverse(), NATION_CODE];
}

async function loadRulesInForce(ctx: OpContext, month: string): Promise<RulesInForce> {
  const db = ctx.deps.db.kysely;
  const monthStart = `${month}-01`;
  const [payRows, insuranceRows] = await Promise.all([
    repo.findPayTablesFromUnscoped(db, monthStart),
    repo.findInsuranceRulesFromUnscoped(db, monthStart),
  ]);
  // Rows are in effective_from order: the last one per key is the version in force.
  const tables = new Map<string, { table: PayTable; ref: string }>();
  for (const r of payRows) {
    tables.set(`${r.region_code}|${r.scheme_key}`, {
      table: ZPayTable.parse(JSON.parse(r.rules)),
      ref: `${r.region_code}/${r.scheme_key}@${r.effective_from}`,
    });
  }
  const insurance = new Map<string, { rule: InsuranceRule; ref: string }>();
  for (const r of insuranceRows) {
    insurance.set(r.region_code, { rule: ZInsuranceRule.parse(JSON.parse(r.rules)), ref: `${r.region_code}@${r.effective_from}` });
  }
  const tableCache = new Map<string, { table: PayTable; ref: string } | null>();
  const insuranceCache = new Map<string, { rule: InsuranceRule; ref: string } | null>();
  return {
    used: new Set(),
    regions: new Set([...payRows.map((r) => r.region_code), ...insuranceRows.map((r) => r.region_code)]),
    payTableFor(orgCode, schemeKey) {
      const key = `${orgCode}|${schemeKey}`;
      let hit = tableCache.get(key);
      if (hit === undefined) {
        hit = null;
        for (const region of regionPath(orgCode)) {
          const t = tables.get(`${region}|${schemeKey}`);
          if (t) {
            hit = t;
            break;
          }
        }
        tableCache.set(key, hit);
      }
      return hit;
    },
    insuranceFor(orgCode) {
      let hit = insuranceCache.get(orgCode);
      if (hit === undefined) {
        hit = null;
        for (const region of regionPath(orgCode)) {
          const r = insurance.get(region);
          if (r) {
            hit = r;
            break;
          }
        }
        insuranceCache.set(orgCode, hit);
      }
      return hit;
    },
  };
}

// ---------------------------------------------------------------- computing

function monthIndex(month: string): number {
  return Number(month.slice(5, 7));
}

function lastDayOfMonth(month: string): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), monthIndex(month), 0));
  return d.toISOString().slice(0, 10);
}

/** Regions with rules of their own inside a run's org beyond which the keyed insert is not used (its SQL tells them apart). */
const KEYED_OVERRIDES_LIMIT = 32;

/**
 * The keyed insert's view of the rules: a number per grade scheme and region whose rules an org
 * follows (the run's org, or the deepest region inside it with rules of its own). Every org under
 * the same such region resolves the same pay table and insurance rule versions. Null when the run's
 * org holds more regions with rules of their own than the SQL is built to tell apart.
 */
function keyedRulesOf(
  orgCode: string,
  rules: RulesInForce,
  schemeIds: number[],
): { plan: repo.KeyedRules[]; rulesIdOf: (orgCode: string, schemeId: number) => number | undefined } | null {
  const overrides = [...rules.regions]
    .filter((r) => r !== orgCode && isCodeUnder(r, orgCode))
    .sort((a, b) => b.length - a.length || a.localeCompare(b));
  if (overrides.length > KEYED_OVERRIDES_LIMIT) return null;
  const ids = new Map<string, number>();
  const plan = schemeIds.map((schemeId) => {
    const idOf = (region: string) => {
      const id = ids.size;
      ids.set(`${schemeId}|${region}`, id);
      return id;
    };
    return { schemeId, defaultRulesId: idOf(orgCode), overrides: overrides.map((code) => ({ code, rulesId: idOf(code) })) };
  });
  return {
    plan,
    rulesIdOf: (org, schemeId) => ids.get(`${schemeId}|${overrides.find((r) => isCodeUnder(org, r)) ?? orgCode}`),
  };
}

/** Computed slips kept per pair of rule versions before the memo is cleared. */
const SLIP_MEMO_LIMIT = 20_000;

/** The rules a worker's slip is computed with, resolved once per org and scheme in a run. */
interface SlipRules {
  found: { table: PayTable; ref: string } | null;
  insurance: { rule: InsuranceRule; ref: string } | null;
  /** Slips computed under these rule versions (shared by every org and scheme resolving to them). */
  memo: Map<string, SlipMemo>;
  /** Whether a slip under these rules was produced (their versions go into the run's `rules_used`). */
  isUsed: boolean;
}

/**
 * The memo key of a slip without monthly inputs, within its rule versions: every other value
 * `computeSlip` reads. The prior tax state of a final slip is its outcome (class) and month.
 */
function slipMemoKey(w: repo.ChunkWorker, declaredBaseFen: number | null, prior: PriorTaxState | undefined): string {
  const priorKey =
    prior === undefined
      ? ''
      : prior.class_id !== undefined
        ? `c${prior.class_id}@${prior.month}`
        : `o${prior.month}|${prior.tax_months}|${prior.cum_gross_fen}|${prior.cum_tax_free_fen}|${prior.cum_insurance_fen}|${prior.cum_special_fen}|${prior.cum_other_fen}|${prior.cum_tax_fen}`;
  return `${w.is_on_probation ? 'P' : ''}${w.band}|${w.level}|${w.qualification_level}|${w.last_result}|${declaredBaseFen}|${priorKey}`;
}

/** The cumulative tax state after `month`: a final slip of the year or an opening balance. */
type PriorTaxState = Pick<
  Awaited<ReturnType<typeof repo.readFinalSlipsOfYearUnscoped>>[number],
  'month' | 'tax_months' | 'cum_gross_fen' | 'cum_tax_free_fen' | 'cum_insurance_fen' | 'cum_special_fen' | 'cum_other_fen' | 'cum_tax_fen'
> & { class_id?: number };
type InputRow = Awaited<ReturnType<typeof repo.readMonthInputsUnscoped>>[number];

/** A computed slip with its serialised line list and its stored outcome (null when the compute failed). */
interface SlipMemo {
  result: ReturnType<typeof computeSlip>;
  linesJson: string;
  linesHash: string;
  outcome: NewPayslipClass | null;
}

/**
 * The stored outcome of a computed slip: every figure a slip shows, content-addressed by a hash of
 * them, so the workers with the same outcome share one `payslip_classes` row.
 */
function memoOf(
  computed: ReturnType<typeof computeSlip>,
  w: { band: string | null; level: number | null },
  tableRef: string,
  insuranceRef: string,
): SlipMemo {
  if (!computed.ok) return { result: computed, linesJson: '', linesHash: '', outcome: null };
  const s = computed.value;
  const linesJson = encodeLines(s.lines);
  const linesHash = linesHashOf(linesJson);
  const after = s.taxStateAfter;
  const fields: Omit<NewPayslipClass, 'hash'> = {
    band: w.band!,
    level: w.level!,
    lines_hash: linesHash,
    gross_fen: s.grossFen,
    employee_insurance_fen: s.employeeInsuranceFen,
    employer_insurance_fen: s.employerInsuranceFen,
    tax_fen: s.taxFen,
    net_fen: s.netFen,
    pay_table_ref: tableRef,
    insurance_rule_ref: insuranceRef,
    tax_rule_ref: s.rules.taxRule,
    tax_months: after.monthsEmployed,
    cum_gross_fen: after.priorGrossFen,
    cum_tax_free_fen: after.priorTaxFreeIncomeFen,
    cum_insurance_fen: after.priorEmployeeInsuranceFen,
    cum_special_fen: after.priorSpecialDeductionsFen,
    cum_other_fen: after.priorOtherDeductionsFen,
    cum_tax_fen: after.taxWithheldSoFarFen,
  };
  const hash = createHash('sha256')
    .update(JSON.stringify(repo.CLASS_COLUMNS.map((c) => fields[c])))
    .digest('base64url');
  return { result: computed, linesJson, linesHash, outcome: { hash, ...fields } };
}

/** A run's totals from its slip count per outcome (the same figures as `repo.sumRunUnscoped`). */
function totalsOf(tally: Map<string, number>, outcomes: Map<string, NewPayslipClass>, errors: number) {
  const t = { slips: 0, errors, gross: 0, employeeInsurance: 0, employerInsurance: 0, tax: 0, net: 0 };
  for (const [hash, n] of tally) {
    const c = outcomes.get(hash)!;
    t.slips += n;
    t.gross += c.gross_fen * n;
    t.employeeInsurance += c.employee_insurance_fen * n;
    t.employerInsurance += c.employer_insurance_fen * n;
    t.tax += c.tax_fen * n;
    t.net += c.net_fen * n;
  }
  return t;
}

async function processRun(ctx: OpContext, runId: number, options: ComputeOptions): Promise<void> {
  const db = ctx.deps.db.kysely;
  const run = await repo.getRunUnscoped(db, runId);
  if (!run) return;
  const key = jobKey(runId);
  const month = run.month;
  const monthStart = `${month}-01`;
  const monthEnd = lastDayOfMonth(month);
  const year = Number(month.slice(0, 4));
  const chunkSize = options.chunkSize ?? PAYROLL_CHUNK_SIZE;
  let done = Number(run.progress_done);
  let slipTotal = Number(run.slip_count);
  let errorTotal = Number(run.error_count);

  setJobProgress(key, { phase: 'reading', done, total: null });
  if (done === 0) {
    // A fresh computation: remember the inputs it reads; a resumed one keeps the first fingerprint.
    await repo.updateRun(db, runId, { inputs_fingerprint: await repo.payInputsFingerprintUnscoped(db, run.org_code, month) });
  }
  const ids = await repo.findRunWorkerIdsUnscoped(ctx.deps.db, run.org_code, Number(run.cursor_worker_id));
  const total = done + ids.length;
  await repo.updateRun(db, runId, { progress_total: total, updated_at: nowIso() });
  const rules = await loadRulesInForce(ctx, month);
  setJobProgress(key, { phase: 'computing', done, total });
  options.onProgress?.(done, total);

  const schemeKeys = await repo.findGradeSchemeKeysUnscoped(db);
  // The keyed insert's keys are this computation's: a resumed run may find other rule versions in force.
  await repo.clearRunKeys(db, runId);
  const keyed =
    (options.keyedInsert ?? ctx.deps.db.dialect === 'sqlite') ? keyedRulesOf(run.org_code, rules, [...schemeKeys.keys()]) : null;
  const keyedInsert: repo.KeyedInsert | null = keyed && { runId, orgCode: run.org_code, month, monthStart, monthEnd, rules: keyed.plan };
  /** Keys this computation has passed to `commitChunk`. */
  const writtenKeys = new Set<string>();
  /**
   * A fresh computation counts its slips per outcome as it stores them and totals the run from
   * that (counting a million entries in the database again cost more than a second); a resumed one,
   * whose earlier chunks another process stored, counts in the database.
   */
  let tally: Map<string, number> | null = done === 0 ? new Map() : null;
  /** Every outcome this computation produced, by hash. */
  const outcomes = new Map<string, NewPayslipClass>();
  /** Outcome hashes by stored id (the inverse of `classIds`, filled as needed). */
  const hashById = new Map<number, string>();
  /** Slip rules by org code, then by scheme key: resolved once per org and scheme in this run. */
  const rulesByOrg = new Map<string, Map<string, SlipRules>>();
  /** Slip rules by their pair of versions, so orgs under the same versions share one memo. */
  const rulesByVersions = new Map<string, SlipRules>();
  const slipRulesFor = (orgCode: string, schemeKey: string): SlipRules => {
    let byScheme = rulesByOrg.get(orgCode);
    if (!byScheme) rulesByOrg.set(orgCode, (byScheme = new Map()));
    let found = byScheme.get(schemeKey);
    if (!found) {
      const table = rules.payTableFor(orgCode, schemeKey);
      const insurance = rules.insuranceFor(orgCode);
      const versions = `${table?.ref ?? ''}|${insurance?.ref ?? ''}`;
      found = rulesByVersions.get(versions);
      if (!found) rulesByVersions.set(versions, (found = { found: table, insurance, memo: new Map(), isUsed: false }));
      byScheme.set(schemeKey, found);
    }
    return found;
  };
  /** Outcome ids by hash, filled by `commitChunk` as outcomes are stored. */
  const classIds = new Map<string, number>();
  /** Outcomes this job has passed to `commitChunk` (stored or found there). */
  const writtenClasses = new Set<string>();
  /** A grade's standard monthly pay by pay table version, band and level (the base without an enrolment). */
  const standardBases = new Map<string, number>();
  /** Line sets this job has written (the table is content-addressed; this only saves statements). */
  const writtenLineSets = new Set<string>();
  for (let i = 0, chunkIndex = 0; i < ids.length; i += chunkSize, chunkIndex++) {
    const chunkIds = ids.slice(i, i + chunkSize);
    const fromId = chunkIds[0]!;
    const toId = chunkIds[chunkIds.length - 1]!;
    // Workers whose inputs match an outcome computed in an earlier chunk: one INSERT … SELECT.
    let keyedCount = 0;
    if (keyedInsert && writtenKeys.size > 0) {
      const keyedDone = done + chunkIds.length;
      const r = await repo.insertKeyedSlipsUnscoped(ctx.deps.db, keyedInsert, fromId, toId, {
        workers: chunkIds.length,
        cursor: toId,
        processed: keyedDone,
        slipTotal,
        errorTotal,
        now: nowIso(),
      });
      keyedCount = r.stored;
      for (const [classId, n] of r.counts) {
        if (!tally) break;
        let hash = hashById.get(classId);
        if (hash === undefined) {
          for (const [h, id] of classIds) hashById.set(id, h);
          hash = hashById.get(classId);
        }
        if (hash === undefined)
          tally = null; // not this computation's outcome: count in the database instead
        else tally.set(hash, (tally.get(hash) ?? 0) + n);
      }
      if (r.isChunkDone) {
        // Every worker of the chunk matched; the cursor moved with the slips.
        done = keyedDone;
        slipTotal += keyedCount;
        setJobProgress(key, { phase: 'computing', done, total });
        options.onProgress?.(done, total);
        await options.afterChunk?.(chunkIndex, { keyedSlips: keyedCount });
        continue;
      }
    }
    // The rest are read and computed one by one.
    const [workers, inputs, bases, finals, openings] = await Promise.all([
      repo.readChunkWorkersUnscoped(ctx.deps.db, run.org_code, fromId, toId, year, keyedInsert ? runId : undefined),
      repo.readMonthInputsUnscoped(db, fromId, toId, month),
      repo.readDeclaredBasesUnscoped(db, fromId, toId, monthStart, monthEnd),
      repo.readFinalSlipsOfYearUnscoped(db, fromId, toId, month),
      readTaxOpeningsUnscoped(db, fromId, toId, year),
    ]);
    const inputsByWorker = new Map<number, InputRow[]>();
    for (const r of inputs) {
      const w = Number(r.worker_id);
      const list = inputsByWorker.get(w);
      if (list) list.push(r);
      else inputsByWorker.set(w, [r]);
    }
    const priorByWorker = new Map<number, PriorTaxState>();
    const approvedThisMonth = new Map<number, number>();
    const laterApproved = new Map<number, string>();
    for (const f of finals) {
      const workerId = Number(f.worker_id);
      if (f.month === month) approvedThisMonth.set(workerId, Number(f.run_id));
      else if (f.month < month) priorByWorker.set(workerId, f);
      else if (!laterApproved.has(workerId)) laterApproved.set(workerId, f.month);
    }
    // An opening balance (months paid by the previous system) is the prior state when it is newer
    // than the worker's last final slip of the year; a month it already covers is not paid again.
    const coveredByOpening = new Map<number, string>();
    for (const [workerId, o] of openings) {
      if (o.through_month >= month) coveredByOpening.set(workerId, o.through_month);
      else {
        const slip = priorByWorker.get(workerId);
        if (!slip || slip.month < o.through_month) priorByWorker.set(workerId, { ...o, month: o.through_month });
      }
    }

    const now = nowIso();
    const entries: repo.NewSlipEntry[] = [];
    const keys: repo.NewRunKey[] = [];
    const classes: NewPayslipClass[] = [];
    const lineSets: { hash: string; lines: string }[] = [];
    const errors: NewPayslipError[] = [];
    const fail = (w: repo.ChunkWorker, code: string, message: string, details?: Record<string, unknown>) =>
      errors.push({
        run_id: runId,
        worker_id: w.id,
        org_code: w.org_code,
        code,
        message,
        details: details ? JSON.stringify(details) : null,
      });
    const hasChecks = approvedThisMonth.size > 0 || laterApproved.size > 0 || coveredByOpening.size > 0;

    for (const w of workers) {
      if (hasChecks) {
        const approvedRun = approvedThisMonth.get(w.id);
        if (approvedRun !== undefined) {
          fail(
            w,
            'month_already_approved',
            `${month} 的工资已在第 ${approvedRun} 号批次审批，不再重复发放；如需更正请在以后月份录入调整项`,
            {
              runId: approvedRun,
            },
          );
          continue;
        }
        const later = laterApproved.get(w.id);
        if (later !== undefined) {
          // Its cumulative tax state would skip this month: the later slip was withheld without it.
          fail(w, 'later_month_approved', `${later} 的工资已审批，不能再补算更早的 ${month}；请在以后月份录入调整项`, { month: later });
          continue;
        }
        const coveredThrough = coveredByOpening.get(w.id);
        if (coveredThrough !== undefined) {
          fail(w, 'covered_by_opening', `已录入期初累计数截至 ${coveredThrough}，${month} 的工资视为已由原系统发放，本批次不再计算`, {
            throughMonth: coveredThrough,
          });
          continue;
        }
      }
      const schemeKey = w.scheme_id === null ? undefined : schemeKeys.get(w.scheme_id);
      if (w.band === null || w.level === null || schemeKey === undefined) {
        fail(w, 'no_grade', '该人员尚未定级，无法计算工资');
        continue;
      }
      const slipRules = slipRulesFor(w.org_code, schemeKey);
      const { found, insurance } = slipRules;
      const own = inputsByWorker.get(w.id);
      const prior = priorByWorker.get(w.id);
      // Without an enrolment the grade's standard monthly pay is the contribution base (a new hire's first wage).
      let declaredBaseFen: number | null = bases.get(w.id) ?? null;
      if (declaredBaseFen === null && found) {
        const baseKey = `${found.ref}|${w.band}|${w.level}`;
        declaredBaseFen = standardBases.get(baseKey) ?? null;
        if (declaredBaseFen === null) {
          const std = standardPay(found.table, w.band, w.level);
          declaredBaseFen = std.ok
            ? std.value.standardMonthlyFen + (found.table.performance.basis === 'addOn' ? std.value.performanceStandardFen : 0)
            : 0;
          standardBases.set(baseKey, declaredBaseFen);
        }
      }
      // computeSlip is pure: workers with the same rules, grade, result, base and tax state and no
      // monthly inputs share one computation (and one serialised line list).
      const memoKey = own === undefined ? slipMemoKey(w, declaredBaseFen, prior) : null;
      let memo = memoKey === null ? undefined : slipRules.memo.get(memoKey);
      if (!memo) {
        const allowances: SlipAllowance[] = [];
        const deductions: SlipDeduction[] = [];
        let special = 0;
        let other = 0;
        for (const x of own ?? []) {
          const amountFen = Number(x.amount_fen);
          if (x.kind === 'allowance' || x.kind === 'tax_free_allowance') {
            allowances.push({ code: x.code, nameZh: x.name, amountFen, isTaxFree: x.kind === 'tax_free_allowance' });
          } else if (x.kind === 'pre_tax_deduction' || x.kind === 'post_tax_deduction') {
            deductions.push({ code: x.code, nameZh: x.name, amountFen, stage: x.kind === 'pre_tax_deduction' ? 'preTax' : 'postTax' });
          } else if (x.kind === 'special_deduction') special += amountFen;
          else if (x.kind === 'other_tax_deduction') other += amountFen;
        }
        const slipInput: SlipInput = {
          payTable: found?.table ?? null,
          gradeBand: w.band,
          gradeLevel: w.level,
          qualificationLevel: (w.qualification_level as QualificationLevel | null) ?? null,
          lastAssessmentResult: (w.last_result as AssessmentResult | null) ?? null,
          allowances,
          deductions,
          insuranceRule: insurance?.rule ?? null,
          declaredBaseFen,
          isOnProbation: w.is_on_probation,
          taxState: {
            monthsEmployed: prior ? Math.min(12, Number(prior.tax_months) + monthIndex(month) - monthIndex(prior.month)) : 1,
            priorGrossFen: prior ? Number(prior.cum_gross_fen) : 0,
            priorTaxFreeIncomeFen: prior ? Number(prior.cum_tax_free_fen) : 0,
            priorEmployeeInsuranceFen: prior ? Number(prior.cum_insurance_fen) : 0,
            priorSpecialDeductionsFen: prior ? Number(prior.cum_special_fen) : 0,
            priorOtherDeductionsFen: prior ? Number(prior.cum_other_fen) : 0,
            taxWithheldSoFarFen: prior ? Number(prior.cum_tax_fen) : 0,
            specialDeductionsThisMonthFen: special,
            otherDeductionsThisMonthFen: other,
          },
        };
        memo = memoOf(computeSlip(slipInput), w, found?.ref ?? '', insurance?.ref ?? '');
        if (memoKey !== null) {
          if (slipRules.memo.size >= SLIP_MEMO_LIMIT) slipRules.memo.clear();
          slipRules.memo.set(memoKey, memo);
        }
      }
      const result = memo.result;
      if (!result.ok) {
        fail(w, result.reason.code, result.reason.messageZh, result.reason.details);
        continue;
      }
      if (!writtenLineSets.has(memo.linesHash)) {
        writtenLineSets.add(memo.linesHash);
        lineSets.push({ hash: memo.linesHash, lines: memo.linesJson });
      }
      const outcome = memo.outcome!;
      if (!writtenClasses.has(outcome.hash)) {
        writtenClasses.add(outcome.hash);
        classes.push(outcome);
        outcomes.set(outcome.hash, outcome);
      }
      if (tally) tally.set(outcome.hash, (tally.get(outcome.hash) ?? 0) + 1);
      if (!slipRules.isUsed) {
        slipRules.isUsed = true;
        rules.used.add(`payTable:${found!.ref}`);
        rules.used.add(`insurance:${insurance!.ref}`);
        if (result.value.rules.isDemo) rules.used.add('demo');
      }
      entries.push({ worker_id: w.id, org_code: w.org_code, class_hash: outcome.hash });
      // The same inputs as the keyed insert reads them, for the chunks after this one. Not for a
      // worker with monthly inputs or an opening balance (the keyed insert leaves those out).
      if (keyed && own === undefined && (prior === undefined || prior.class_id !== undefined) && !openings.has(w.id)) {
        const rulesId = keyed.rulesIdOf(w.org_code, w.scheme_id!);
        const gradeKey = repo.gradeKeyOf(w.level, w.qualification_level, w.last_result, w.is_on_probation);
        if (rulesId !== undefined && gradeKey !== null) {
          const k: repo.NewRunKey = {
            rules_id: rulesId,
            band: w.band,
            grade_key: gradeKey,
            base_fen: bases.get(w.id) ?? -1,
            prior: prior === undefined ? 0 : repo.priorKeyOf(prior.class_id!, prior.month),
            class_hash: outcome.hash,
          };
          const id = `${k.rules_id}|${k.band}|${k.grade_key}|${k.base_fen}|${k.prior}`;
          if (!writtenKeys.has(id)) {
            writtenKeys.add(id);
            keys.push(k);
          }
        }
      }
    }
    done += chunkIds.length;
    slipTotal += keyedCount + entries.length;
    errorTotal += errors.length;
    await repo.commitChunk(
      ctx.deps.db,
      { id: runId, month },
      { lineSets, classes, entries, errors, keys, cursor: toId, processed: done, slipTotal, errorTotal },
      classIds,
      now,
    );
    setJobProgress(key, { phase: 'computing', done, total });
    options.onProgress?.(done, total);
    await options.afterChunk?.(chunkIndex, { keyedSlips: keyedCount });
  }

  setJobProgress(key, { phase: 'totalling', done, total });
  await repo.clearRunKeys(db, runId);
  const sums = tally ? totalsOf(tally, outcomes, errorTotal) : await repo.sumRunUnscoped(db, runId);
  const previous = run.rules_used ? ((JSON.parse(run.rules_used) as { versions?: string[] }).versions ?? []) : [];
  const versions = [...new Set([...previous, ...[...rules.used].filter((u) => u !== 'demo')])].sort();
  const isDemo = rules.used.has('demo') || Number(run.is_demo) === 1;
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await repo.updateRun(trx, runId, {
      status: 'computed',
      phase: null,
      slip_count: sums.slips,
      error_count: sums.errors,
      gross_fen: sums.gross,
      employee_insurance_fen: sums.employeeInsurance,
      employer_insurance_fen: sums.employerInsurance,
      tax_fen: sums.tax,
      net_fen: sums.net,
      rules_used: JSON.stringify({ versions, taxRule: RESIDENT_WAGE_TAX_RULE.key }),
      is_demo: isDemo ? 1 : 0,
      computed_at: now,
      updated_at: now,
    });
    await appendAudit(trx, ctx, {
      action: 'payroll.run.computed',
      entityType: 'payroll_run',
      entityId: runId,
      orgCode: run.org_code,
      after: { month, slips: sums.slips, errors: sums.errors, grossFen: sums.gross, netFen: sums.net },
    });
  });
}

// ---------------------------------------------------------------- approval and payment

/**
 * Approves a computed run: its slips become final and immutable. Separation of duties: the user
 * who last computed the run may not approve it (a region admin or another street HR does).
 */
export async function approvePayrollRun(ctx: OpContext, id: number): Promise<TRun> {
  const run = await getRunRowOrThrow(ctx, id);
  if (run.status !== 'computed') {
    throw new AppError('CONFLICT', { message: '只有已计算的工资批次可以审批', messageEn: 'Only a computed run can be approved' });
  }
  if (ctx.actor && run.computed_by !== null && Number(run.computed_by) === ctx.actor.id) {
    throw new AppError('FORBIDDEN', {
      message: '计算工资的人员不能审批同一批次（职责分离），请由其他有审批权限的人员审批',
      messageEn: 'Whoever computed a run may not approve it',
    });
  }
  if (Number(run.slip_count) === 0)
    throw new AppError('CONFLICT', { message: '本批次没有工资条，无法审批', messageEn: 'The run has no slips' });
  const db = ctx.deps.db.kysely;
  if (
    run.inputs_fingerprint !== null &&
    run.inputs_fingerprint !== (await repo.payInputsFingerprintUnscoped(db, run.org_code, run.month))
  ) {
    throw new AppError('CONFLICT', {
      message: `${run.month} 的月度录入（津贴、扣款、专项附加扣除）在本批次计算后有变更，请重新计算后再审批`,
      messageEn: 'Pay inputs changed after the run was computed; recompute before approving',
    });
  }
  const now = nowIso();
  try {
    await db.transaction().execute(async (trx) => {
      const clash = await repo.findAlreadyApprovedInRun(trx, id, run.month);
      if (clash.length > 0) {
        throw new AppError('CONFLICT', {
          message: `有 ${clash.length} 人 ${run.month} 的工资已在其他批次审批，请重新计算本批次`,
          messageEn: 'Some workers are already paid for this month in another run; recompute',
          details: { workers: clash.map((c) => ({ workerId: Number(c.worker_id), runId: Number(c.run_id) })) },
        });
      }
      if (
        !(await repo.transitionRun(trx, id, ['computed'], {
          status: 'approved',
          approved_by: ctx.actor?.id ?? null,
          approved_by_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
          approved_at: now,
          updated_at: now,
        }))
      ) {
        throw new AppError('CONFLICT', { message: '工资批次状态已变化，请刷新', messageEn: 'The run changed; reload' });
      }
      await repo.finaliseRunSlips(trx, id);
      await appendAudit(trx, ctx, {
        action: 'payroll.run.approve',
        entityType: 'payroll_run',
        entityId: id,
        orgCode: run.org_code,
        before: { status: 'computed' },
        after: { status: 'approved', month: run.month, slips: Number(run.slip_count), netFen: Number(run.net_fen) },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('CONFLICT', {
        message: `有人员 ${run.month} 的工资已在其他批次审批，请重新计算本批次`,
        messageEn: 'Already approved elsewhere; recompute',
      });
    }
    throw err;
  }
  return getPayrollRun(ctx, id);
}

/** Records that an approved run has been paid out (bank transfer done). */
export async function markPayrollRunPaid(ctx: OpContext, id: number): Promise<TRun> {
  const run = await getRunRowOrThrow(ctx, id);
  if (run.status !== 'approved')
    throw new AppError('CONFLICT', {
      message: '只有已审批的工资批次可以标记为已发放',
      messageEn: 'Only an approved run can be marked paid',
    });
  const now = nowIso();
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    if (
      !(await repo.transitionRun(trx, id, ['approved'], { status: 'paid', paid_by: ctx.actor?.id ?? null, paid_at: now, updated_at: now }))
    ) {
      throw new AppError('CONFLICT', { message: '工资批次状态已变化，请刷新', messageEn: 'The run changed; reload' });
    }
    await appendAudit(trx, ctx, {
      action: 'payroll.run.pay',
      entityType: 'payroll_run',
      entityId: id,
      orgCode: run.org_code,
      before: { status: 'approved' },
      after: { status: 'paid', month: run.month, netFen: Number(run.net_fen) },
    });
  });
  return getPayrollRun(ctx, id);
}

// ---------------------------------------------------------------- slips and errors

export async function findRunSlips(
  ctx: OpContext,
  runId: number,
  query: TPaging & { q?: string | undefined },
): Promise<Page<TSlipSummary>> {
  await getRunRowOrThrow(ctx, runId);
  const { items, total } = await repo.findRunSlipsInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    runId,
    { limit: query.pageSize, offset: pageOffset(query) },
    query.q,
  );
  return { items: items.map(presentSlipSummary), total };
}

export async function findRunErrors(ctx: OpContext, runId: number, query: TPaging) {
  await getRunRowOrThrow(ctx, runId);
  const { items, total } = await repo.findRunErrorsInScope(ctx.deps.db.kysely, ctx.scope, runId, {
    limit: query.pageSize,
    offset: pageOffset(query),
  });
  return {
    items: items.map((e) => ({
      workerId: Number(e.worker_id),
      workerName: e.worker_name,
      orgCode: e.org_code,
      orgName: e.org_name,
      code: e.code,
      message: e.message,
    })),
    total,
  };
}

/** One slip with every line; a worker opens only their own final slips. */
export async function getPayslip(ctx: OpContext, id: number): Promise<TSlip> {
  const row = await repo.getSlipInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  if (ctx.scope.workerId !== undefined && ctx.scope.workerId !== null && Number(row.is_final) !== 1) throw AppError.notFound();
  return presentSlip(row);
}

/** The caller's own final slips (self-service 我的工资条). */
export async function findMyPayslips(ctx: OpContext, query: TPaging): Promise<Page<TSlipSummary>> {
  const workerId = ctx.actor?.workerId ?? null;
  if (workerId === null) return { items: [], total: 0 };
  const { items, total } = await repo.findWorkerFinalSlipsInScope(ctx.deps.db.kysely, ctx.scope, workerId, {
    limit: query.pageSize,
    offset: pageOffset(query),
  });
  return { items: items.map(presentSlipSummary), total };
}

// ---------------------------------------------------------------- monthly inputs

/** Enters (or replaces) one monthly input of a worker; refused for a month already approved for the worker. */
export async function savePayInput(ctx: OpContext, input: TPayInputCreate) {
  const worker = await getWorkerRowOrThrow(ctx, input.workerId);
  const db = ctx.deps.db.kysely;
  const approved = await repo.readFinalSlipsOfYearUnscoped(db, input.workerId, input.workerId, input.month);
  if (approved.some((s) => s.month === input.month)) {
    throw new AppError('CONFLICT', {
      message: `${input.month} 的工资已审批，不能再修改；请在以后月份录入调整项`,
      messageEn: 'That month is approved; enter an adjustment in a later month',
    });
  }
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('pay_inputs')
      .values({
        worker_id: input.workerId,
        org_code: worker.org_code,
        month: input.month,
        kind: input.kind,
        code: input.code,
        name: input.name,
        amount_fen: input.amountFen,
        note: input.note ?? null,
        created_by: ctx.actor?.id ?? null,
        created_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['worker_id', 'month', 'kind', 'code'])
          .doUpdateSet({ name: input.name, amount_fen: input.amountFen, note: input.note ?? null }),
      )
      .execute();
    await appendAudit(trx, ctx, {
      action: 'payroll.input.save',
      entityType: 'worker',
      entityId: input.workerId,
      orgCode: worker.org_code,
      after: input,
    });
  });
  // A worker has a handful of inputs a month; one page holds them all.
  const { items } = await repo.findPayInputsInScope(
    db,
    ctx.scope,
    { month: input.month, workerId: input.workerId },
    { limit: 1000, offset: 0 },
  );
  return presentInput(items.find((r) => r.kind === input.kind && r.code === input.code)!);
}

function presentInput(r: Awaited<ReturnType<typeof repo.findPayInputsInScope>>['items'][number]) {
  return {
    id: Number(r.id),
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    orgCode: r.org_code,
    month: r.month,
    kind: r.kind as TPayInputCreate['kind'],
    code: r.code,
    name: r.name,
    amountFen: Number(r.amount_fen),
    note: r.note,
  };
}

export async function findPayInputs(ctx: OpContext, query: TPayInputQuery): Promise<Page<ReturnType<typeof presentInput>>> {
  const { items, total } = await repo.findPayInputsInScope(ctx.deps.db.kysely, ctx.scope, query, {
    limit: query.pageSize,
    offset: pageOffset(query),
  });
  return { items: items.map(presentInput), total };
}

// ---------------------------------------------------------------- pay-floor report

/**
 * Workers whose annual gross pay (final slips of the year; annualised ×12/months when they were
 * paid fewer than 12 months) falls below the previous year's local average wage of urban
 * employees (the `wage_floors` row of year − 1 of the most specific region).
 */
export async function getFloorReport(ctx: OpContext, query: { orgCode: string; year: number }) {
  const org = query.orgCode === NATION_CODE && ctx.scope.level === 0 ? { code: NATION_CODE } : await findOrgInScope(ctx, query.orgCode);
  if (!org) throw AppError.notFound();
  const db = ctx.deps.db.kysely;
  const floorYear = query.year - 1;
  const floors = await repo.findWageFloorsUnscoped(db, floorYear);
  const floorFor = (orgCode: string) => {
    for (const region of regionPath(orgCode)) {
      const f = floors.find((x) => x.region_code === region);
      if (f) return f;
    }
    return undefined;
  };
  const ownFloor = floorFor(org.code);
  const rows = await repo.sumAnnualGrossInScope(db, ctx.scope, org.code, query.year);
  const items = [];
  for (const r of rows) {
    const floor = floorFor(r.org_code);
    if (!floor) continue;
    const months = Number(r.months);
    const gross = Number(r.gross);
    const annualised = months >= 12 ? gross : mulRatio(gross, 12, months);
    const check = annualFloorCheck(annualised, Number(floor.average_annual_wage_fen));
    if (!check.isBelowFloor) continue;
    items.push({
      workerId: Number(r.worker_id),
      workerName: r.worker_name,
      orgCode: r.org_code,
      orgName: r.org_name,
      months,
      grossFen: gross,
      annualisedGrossFen: annualised,
      shortfallFen: check.shortfallFen,
      message: months < 12 ? `${check.messageZh}（按${months}个月折算全年）` : check.messageZh,
    });
  }
  return {
    orgCode: org.code,
    year: query.year,
    floorYear,
    floorFen: ownFloor ? Number(ownFloor.average_annual_wage_fen) : null,
    isDemoFloor: ownFloor ? Number(ownFloor.is_demo) === 1 : false,
    workersChecked: rows.length,
    items,
  };
}
