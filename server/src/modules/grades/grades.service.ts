import type { OpContext } from '../../context.ts';
import type { NewGradeRunItem, NewWorkerGrade } from '../../db/schema.ts';
import { AppError, isUniqueViolation } from '../../lib/errors.ts';
import { isJobRunning, runJob } from '../../lib/jobs.ts';
import { pageOffset } from '../../lib/paging.ts';
import { ancestorCodes, NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { hasPermission } from '../auth/roles.ts';
import {
  highestPost,
  ON_ROLL_STATUSES,
  postCategoryOf,
  QUALIFICATION_LEVEL_CODES,
  type PostCode,
  type QualificationLevel,
} from '../meta/enums.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import { getWorker } from '../workers/workers.service.ts';
import * as repo from './grades.repo.ts';
import type {
  TAssessmentResult,
  TAssessmentResultsPut,
  TGradeRun,
  TGradeRunCounts,
  TGradeRunCreate,
  TGradeRunItem,
  TGradeRunItemQuery,
  TGradeRunQuery,
  TGradeSchemeCreate,
  TGradeSchemeVersion,
  TGradeSchemeView,
  TWorkerGrade,
  TWorkerGradeSet,
} from './grades.schema.ts';
import type { AssessmentResult } from './rules/assessment-results.ts';
import { initialGrade } from './rules/grading.ts';
import { bandForPost, findBand, ZGradeScheme, type GradeScheme, type PostCategory } from './rules/grade-scheme.ts';
import { promote, rebandOnPostChange, type YearResult } from './rules/promotion.ts';

/** Workers read and items written per round trip in a run. */
export const RUN_CHUNK_SIZE = 2_000;
export interface RunOptions {
  /** Workers per chunk (tests use a tiny one to cross chunk boundaries). */
  chunkSize?: number;
  /** Called after each committed chunk; tests throw here to simulate a crash. */
  afterChunk?: (chunkIndex: number) => void | Promise<void>;
}
/** Rows per multi-row insert (well under both databases' bind-parameter limits). */
const INSERT_CHUNK_SIZE = 500;

function today(): string {
  return nowIso().slice(0, 10);
}

function conflict(message: string, messageEn: string): AppError {
  return new AppError('CONFLICT', { message, messageEn });
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Grade schemes
// ---------------------------------------------------------------------------------------------

function selfAndAncestors(code: string): string[] {
  return code === NATION_CODE ? [NATION_CODE] : [NATION_CODE, ...ancestorCodes(code), code];
}

interface ParsedScheme {
  row: repo.SchemeRow;
  scheme: GradeScheme;
}

const parsedSchemes = new Map<string, GradeScheme>();

/** Parses a stored scheme once per distinct JSON text (rows are never edited in place). */
function parseScheme(row: repo.SchemeRow): ParsedScheme {
  let scheme = parsedSchemes.get(row.rules);
  if (!scheme) {
    scheme = ZGradeScheme.parse(JSON.parse(row.rules));
    if (parsedSchemes.size > 1_000) parsedSchemes.clear();
    parsedSchemes.set(row.rules, scheme);
  }
  return { row, scheme };
}

/**
 * The scheme in force for an org from candidate rows (already limited to `effective_from ≤ date`
 * and sorted newest first): the row with the longest region code that is a prefix of the org
 * code (`CN` matches everything), then the latest effective date.
 */
function pickScheme<T extends { region_code: string }>(orgCode: string, rows: T[]): T | undefined {
  let best: T | undefined;
  for (const r of rows) {
    const matches = r.region_code === NATION_CODE || orgCode.startsWith(r.region_code);
    if (matches && (!best || regionDepth(r.region_code) > regionDepth(best.region_code))) best = r;
  }
  return best;
}

function regionDepth(code: string): number {
  return code === NATION_CODE ? 0 : code.length;
}

function presentScheme(row: repo.SchemeRow, names: Map<string, string>): TGradeSchemeVersion {
  return {
    id: Number(row.id),
    regionCode: row.region_code,
    regionName: row.region_code === NATION_CODE ? '全国' : (names.get(row.region_code) ?? null),
    schemeKey: row.scheme_key,
    effectiveFrom: row.effective_from,
    rules: JSON.parse(row.rules) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

function assertMayReadSchemes(ctx: OpContext): void {
  const role = ctx.actor?.role;
  if (role && !hasPermission(role, 'grades:read') && !hasPermission(role, 'rules:write')) throw new AppError('FORBIDDEN');
}

/** The grade scheme in force today for an org in scope, and the versions set on the org itself. */
export async function getGradeScheme(ctx: OpContext, code: string): Promise<TGradeSchemeView> {
  assertMayReadSchemes(ctx);
  const org = await findOrgInScope(ctx, code);
  if (!org) throw AppError.notFound();
  const db = ctx.deps.db.kysely;
  const [candidates, versions] = await Promise.all([
    repo.findSchemesForCodesUnscoped(db, selfAndAncestors(code), today()),
    repo.findSchemeVersionsOfNodeUnscoped(db, code),
  ]);
  const effective = pickScheme(code, candidates);
  const names = await getOrgNames(ctx, [code, ...(effective ? [effective.region_code] : [])]);
  return { effective: effective ? presentScheme(effective, names) : null, versions: versions.map((v) => presentScheme(v, names)) };
}

/** Saves a new version of a region's grade scheme (nation, province, city or district); versions are never edited. */
export async function saveGradeScheme(ctx: OpContext, code: string, input: TGradeSchemeCreate): Promise<TGradeSchemeView> {
  const org = await findOrgInScope(ctx, code);
  if (!org) throw AppError.notFound();
  if (org.level > 3) {
    throw AppError.field('orgCode', '所属组织：等级方案只能由全国、省、市、区县设置', 'orgCode: grade schemes are set by a region');
  }
  const row = {
    region_code: code,
    scheme_key: input.rules.key,
    effective_from: input.effectiveFrom,
    rules: JSON.stringify(input.rules),
    created_by: ctx.actor?.id ?? null,
    created_at: nowIso(),
  };
  try {
    await ctx.deps.db.kysely.transaction().execute(async (trx) => {
      const id = await repo.insertScheme(trx, row);
      await appendAudit(trx, ctx, {
        action: 'grade_scheme.save',
        entityType: 'grade_scheme',
        entityId: id,
        orgCode: code,
        after: { schemeKey: row.scheme_key, effectiveFrom: row.effective_from, rules: input.rules },
      });
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw conflict(
      `该地区已有方案“${input.rules.key}”自 ${input.effectiveFrom} 起生效的版本，请换一个生效日期`,
      'A version of this scheme with this effective date exists for the region',
    );
  }
  return getGradeScheme(ctx, code);
}

// ---------------------------------------------------------------------------------------------
// Grade history
// ---------------------------------------------------------------------------------------------

interface StoredGradeExplanation {
  textZh?: string;
  schemeKey?: string;
  schemeName?: string;
  bandName?: string;
  [k: string]: unknown;
}

function presentGrade(r: repo.GradeRow, schemes: Map<number, GradeScheme>): TWorkerGrade {
  const explanation = JSON.parse(r.explanation) as StoredGradeExplanation;
  const scheme = schemes.get(Number(r.scheme_id));
  return {
    id: Number(r.id),
    workerId: Number(r.worker_id),
    orgCode: r.org_code,
    schemeId: Number(r.scheme_id),
    schemeKey: scheme?.key ?? explanation.schemeKey ?? null,
    schemeName: scheme?.nameZh ?? explanation.schemeName ?? null,
    band: r.band,
    bandName: (scheme && findBand(scheme, r.band)?.nameZh) ?? explanation.bandName ?? null,
    level: Number(r.level),
    effectiveDate: r.effective_date,
    lastStepDate: r.last_step_date,
    earlyStepsUsed: Number(r.early_steps_used),
    source: r.source,
    runId: r.run_id === null ? null : Number(r.run_id),
    isCurrent: Number(r.is_current) === 1,
    textZh: explanation.textZh ?? '',
    explanation,
    createdAt: r.created_at,
  };
}

/** A worker's grade history in scope, newest first, with the current grade. */
export async function findWorkerGrades(ctx: OpContext, workerId: number): Promise<{ current: TWorkerGrade | null; items: TWorkerGrade[] }> {
  await getWorker(ctx, workerId);
  const db = ctx.deps.db.kysely;
  const rows = await repo.findGradesInScope(db, ctx.scope, workerId);
  const schemeRows = await repo.getSchemesByIdUnscoped(
    db,
    rows.map((r) => Number(r.scheme_id)),
  );
  const schemes = new Map(schemeRows.map((s) => [Number(s.id), parseScheme(s).scheme]));
  const items = rows.map((r) => presentGrade(r, schemes));
  return { current: items.find((g) => g.isCurrent) ?? null, items };
}

// ---------------------------------------------------------------------------------------------
// Manual grade setting
// ---------------------------------------------------------------------------------------------

/**
 * Sets a worker's grade by hand (手动调整, street HR or region admin in scope): band and level
 * within the band of the worker's scheme (the scheme of the current grade, else the one in force
 * for the worker's org), with a required reason. Writes a new current grade (source `manual`) whose
 * explanation names the reason and who set it, and retires the previous one.
 */
export async function setWorkerGrade(ctx: OpContext, workerId: number, input: TWorkerGradeSet) {
  const worker = await getWorker(ctx, workerId);
  const db = ctx.deps.db.kysely;
  const effectiveDate = input.effectiveDate ?? today();
  const current = await repo.getCurrentGradeUnscoped(db, workerId);
  let schemeRow: repo.SchemeRow | undefined;
  if (current) [schemeRow] = await repo.getSchemesByIdUnscoped(db, [Number(current.scheme_id)]);
  else schemeRow = pickScheme(worker.orgCode, await repo.findSchemesForCodesUnscoped(db, selfAndAncestors(worker.orgCode), effectiveDate));
  if (!schemeRow) {
    throw conflict(`${effectiveDate}没有生效的岗位等级方案，请先设置等级方案`, 'No grade scheme is in force for the worker');
  }
  const { scheme } = parseScheme(schemeRow);
  const band = findBand(scheme, input.band);
  if (!band) {
    const names = scheme.bands.map((b) => `${b.nameZh}（${b.key}）`).join('、');
    throw AppError.field('band', `岗位序列：等级方案“${scheme.nameZh}”中没有“${input.band}”，可选：${names}`, 'band: not in the scheme');
  }
  if (input.level < band.minLevel || input.level > band.maxLevel) {
    throw AppError.field(
      'level',
      `等级：${band.nameZh}的等级范围为${band.minLevel}–${band.maxLevel}级，不能设为${input.level}级`,
      `level: ${band.nameZh} ranges ${band.minLevel}-${band.maxLevel}`,
    );
  }
  if (current && current.band === band.key && Number(current.level) === input.level) {
    throw AppError.field('level', `等级：与当前等级（${band.nameZh}${input.level}级）相同，无需调整`, 'level: unchanged');
  }
  if (current && effectiveDate < current.effective_date) {
    throw AppError.field(
      'effectiveDate',
      `生效日期：不能早于当前等级的生效日期 ${current.effective_date}`,
      'effectiveDate: before the current grade',
    );
  }
  const who = ctx.actor?.displayName ?? ctx.systemName ?? '系统';
  const isLevelChanged = !current || Number(current.level) !== input.level;
  const fromText = current ? `由${findBand(scheme, current.band)?.nameZh ?? current.band}${Number(current.level)}级` : '';
  const textZh = `${who}手动调整${fromText}为${band.nameZh}${input.level}级（自${effectiveDate}起），原因：${input.reason}`;
  await db.transaction().execute(async (trx) => {
    const id = await repo.replaceCurrentGrade(trx, {
      worker_id: workerId,
      org_code: worker.orgCode,
      scheme_id: Number(schemeRow.id),
      band: band.key,
      level: input.level,
      effective_date: effectiveDate,
      last_step_date: isLevelChanged || !current ? effectiveDate : current.last_step_date,
      early_steps_used: current ? Number(current.early_steps_used) : 0,
      source: 'manual',
      run_id: null,
      explanation: JSON.stringify({
        textZh,
        schemeKey: scheme.key,
        schemeName: scheme.nameZh,
        bandName: band.nameZh,
        reason: input.reason,
        setBy: { id: ctx.actor?.id ?? null, name: who },
        fromGradeId: current ? Number(current.id) : null,
      }),
      is_current: 1,
      created_by: ctx.actor?.id ?? null,
      created_at: nowIso(),
    });
    await appendAudit(trx, ctx, {
      action: 'worker_grade.set',
      entityType: 'worker',
      entityId: workerId,
      orgCode: worker.orgCode,
      before: current ? { band: current.band, level: Number(current.level), gradeId: Number(current.id) } : null,
      after: { band: band.key, level: input.level, effectiveDate, reason: input.reason, gradeId: id },
    });
  });
  return findWorkerGrades(ctx, workerId);
}

// ---------------------------------------------------------------------------------------------
// Assessment results
// ---------------------------------------------------------------------------------------------

function presentResult(r: repo.ResultRow): TAssessmentResult {
  return {
    id: Number(r.id),
    workerId: Number(r.worker_id),
    orgCode: r.org_code,
    year: Number(r.year),
    result: r.result,
    source: r.source,
    cycleId: r.cycle_id === null ? null : Number(r.cycle_id),
    note: r.note,
    isFinal: r.source === 'cycle',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A worker's annual assessment results in scope, latest year first. */
export async function findAssessmentResults(ctx: OpContext, workerId: number): Promise<TAssessmentResult[]> {
  await getWorker(ctx, workerId);
  return (await repo.findResultsInScope(ctx.deps.db.kysely, ctx.scope, workerId)).map(presentResult);
}

/**
 * Manual entry of annual results (until, and besides, assessment cycles): upserts the listed
 * years, removes those given as null. A result written by a finalised cycle is final (409).
 */
export async function putAssessmentResults(ctx: OpContext, workerId: number, input: TAssessmentResultsPut): Promise<TAssessmentResult[]> {
  const worker = await getWorker(ctx, workerId);
  const db = ctx.deps.db.kysely;
  const thisYear = Number(today().slice(0, 4));
  const late = input.items.find((i) => i.year > thisYear);
  if (late) throw AppError.field('year', `年度：${late.year}年尚未开始，不能录入考核结果`, 'year: in the future');
  await db.transaction().execute(async (trx) => {
    const existing = new Map((await repo.findResultsInScope(trx, ctx.scope, workerId)).map((r) => [Number(r.year), r]));
    const final = input.items.find((i) => existing.get(i.year)?.source === 'cycle');
    if (final) {
      throw conflict(
        `${final.year}年度考核结果已由年度考核定等，不能手工修改`,
        `The ${final.year} result was set by a finalised assessment cycle and cannot be edited`,
      );
    }
    const now = nowIso();
    for (const item of input.items) {
      if (item.result === null) await repo.deleteResult(trx, workerId, item.year);
      else {
        await repo.upsertResult(trx, {
          worker_id: workerId,
          org_code: worker.orgCode,
          year: item.year,
          result: item.result,
          source: 'manual',
          note: item.note ?? null,
          recorded_by: ctx.actor?.id ?? null,
          now,
        });
      }
    }
    await appendAudit(trx, ctx, {
      action: 'assessment_result.set',
      entityType: 'worker',
      entityId: workerId,
      orgCode: worker.orgCode,
      before: input.items.map((i) => ({ year: i.year, result: existing.get(i.year)?.result ?? null })),
      after: input.items.map((i) => ({ year: i.year, result: i.result, note: i.note ?? null })),
    });
  });
  return findAssessmentResults(ctx, workerId);
}

// ---------------------------------------------------------------------------------------------
// Grade runs
// ---------------------------------------------------------------------------------------------

type Change = 'initial' | 'step' | 'early_step' | 'none' | 'error';

/** What an approved item writes as the worker's new grade. */
interface GradeToStore {
  band: string;
  level: number;
  effectiveDate: string;
  lastStepDate: string;
  earlyStepsUsed: number;
  schemeId: number;
  source: 'initial' | 'promotion' | 'reband';
}

interface ItemExplanation {
  textZh: string;
  schemeId?: number;
  schemeKey?: string;
  schemeName?: string;
  fromBandName?: string | null;
  toBandName?: string | null;
  /** The current grade the preview was computed from (checked again on approval). */
  fromGradeId?: number | null;
  grade?: GradeToStore | null;
  rules?: unknown[];
  code?: string;
  details?: unknown;
}

interface ComputedItem {
  change: Change;
  fromBand: string | null;
  fromLevel: number | null;
  toBand: string | null;
  toLevel: number | null;
  explanation: ItemExplanation;
  error: string | null;
}

function emptyCounts(): TGradeRunCounts {
  return { total: 0, initial: 0, step: 0, early_step: 0, none: 0, error: 0 };
}

function errorItem(w: repo.RunWorkerRow, code: string, messageZh: string, details?: unknown): ComputedItem {
  return {
    change: 'error',
    fromBand: w.band,
    fromLevel: w.level === null ? null : Number(w.level),
    toBand: null,
    toLevel: null,
    explanation: { textZh: messageZh, code, ...(details ? { details } : {}), fromGradeId: w.grade_id === null ? null : Number(w.grade_id) },
    error: messageZh,
  };
}

function primaryPost(w: repo.RunWorkerRow): string {
  let posts: string[] = [];
  if (w.posts) {
    try {
      posts = JSON.parse(w.posts) as string[];
    } catch {
      posts = [];
    }
  }
  return highestPost(posts.length ? posts : [w.post]) ?? w.post;
}

function asQualification(q: string | null): QualificationLevel | null {
  return q && (QUALIFICATION_LEVEL_CODES as readonly string[]).includes(q) ? (q as QualificationLevel) : null;
}

function schemeInfo(p: ParsedScheme) {
  return { schemeId: Number(p.row.id), schemeKey: p.scheme.key, schemeName: p.scheme.nameZh };
}

function bandName(scheme: GradeScheme | undefined, key: string | null): string | null {
  return (key && scheme && findBand(scheme, key)?.nameZh) || null;
}

/** Initial grading of one worker; a worker who already holds a grade is left as is. */
function computeInitial(w: repo.RunWorkerRow, p: ParsedScheme, asOf: string): ComputedItem {
  if (w.grade_id !== null) {
    const name = bandName(p.scheme, w.band) ?? w.band;
    return {
      change: 'none',
      fromBand: w.band,
      fromLevel: Number(w.level),
      toBand: w.band,
      toLevel: Number(w.level),
      explanation: {
        textZh: `已定级（${name}${w.level}级，自${w.last_step_date}起计算年限），初次定级不再重复；此后按年度晋级调整`,
        ...schemeInfo(p),
        fromGradeId: Number(w.grade_id),
        grade: null,
      },
      error: null,
    };
  }
  if (!w.work_start_date) {
    return errorItem(w, 'missing_work_start_date', '缺少“参加社区工作时间”，无法计算社区工作年限，请先在人员档案中补录');
  }
  const post = primaryPost(w);
  const r = initialGrade(p.scheme, {
    postCategory: postCategoryOf(post) as PostCategory,
    post: post as PostCode,
    communityWorkStart: w.work_start_date,
    asOf,
    education: w.education,
    qualificationLevel: asQualification(w.qualification_level),
  });
  if (!r.ok) return errorItem(w, r.reason.code, r.reason.messageZh, r.reason.details);
  const g = r.value;
  return {
    change: 'initial',
    fromBand: null,
    fromLevel: null,
    toBand: g.band,
    toLevel: g.level,
    explanation: {
      textZh: `按“${p.scheme.nameZh}”初次定级为${bandName(p.scheme, g.band)}${g.level}级：${g.explanation.textZh}`,
      ...schemeInfo(p),
      fromBandName: null,
      toBandName: bandName(p.scheme, g.band),
      fromGradeId: null,
      grade: {
        band: g.band,
        level: g.level,
        effectiveDate: g.effectiveDate,
        lastStepDate: g.effectiveDate,
        earlyStepsUsed: 0,
        schemeId: Number(p.row.id),
        source: 'initial',
      },
      rules: [g.explanation],
    },
    error: null,
  };
}

/**
 * Annual promotion of one worker: re-bands first when the worker's post (or the scheme in force)
 * puts them in another band, then applies the promotion rule to the (re-banded) grade.
 */
function computePromotion(w: repo.RunWorkerRow, p: ParsedScheme, runYear: number, results: YearResult[]): ComputedItem {
  if (w.grade_id === null || w.band === null || w.level === null || w.last_step_date === null) {
    return errorItem(w, 'not_graded', '尚未定级，不能晋级：请先进行初次定级');
  }
  const post = primaryPost(w);
  const target = bandForPost(p.scheme, { postCategory: postCategoryOf(post) as PostCategory, post: post as PostCode });
  if (!target) return errorItem(w, 'no_band_for_post', `等级方案“${p.scheme.nameZh}”中没有与该岗位对应的岗位序列`, { post });
  const rules: unknown[] = [];
  const texts: string[] = [];
  let band = w.band;
  let level = Number(w.level);
  if (target.key !== band) {
    const rb = rebandOnPostChange(p.scheme, { level, newBand: target.key });
    if (!rb.ok) return errorItem(w, rb.reason.code, rb.reason.messageZh, rb.reason.details);
    rules.push(rb.value.explanation);
    texts.push(`岗位序列调整为${target.nameZh}：${rb.value.explanation.textZh}`);
    band = rb.value.band;
    level = rb.value.level;
  }
  const r = promote(p.scheme, {
    currentBand: band,
    currentLevel: level,
    lastStepDate: w.last_step_date,
    earlyStepsUsed: Number(w.early_steps_used ?? 0),
    results,
    runYear,
  });
  if (!r.ok) return errorItem(w, r.reason.code, r.reason.messageZh, r.reason.details);
  const pr = r.value;
  rules.push(pr.explanation);
  texts.push(pr.explanation.textZh);
  const isChanged = pr.isStepped || band !== w.band || level !== Number(w.level);
  const change: Change = pr.kind === 'regular' ? 'step' : pr.kind === 'early' ? 'early_step' : 'none';
  return {
    change,
    fromBand: w.band,
    fromLevel: Number(w.level),
    toBand: pr.band,
    toLevel: pr.level,
    explanation: {
      textZh: texts.join('；'),
      ...schemeInfo(p),
      fromBandName: bandName(p.scheme, w.band) ?? w.band,
      toBandName: bandName(p.scheme, pr.band),
      fromGradeId: Number(w.grade_id),
      grade: isChanged
        ? {
            band: pr.band,
            level: pr.level,
            effectiveDate: pr.effectiveDate,
            lastStepDate: pr.lastStepDate,
            earlyStepsUsed: pr.earlyStepsUsed,
            schemeId: Number(p.row.id),
            source: pr.isStepped ? 'promotion' : 'reband',
          }
        : null,
      rules,
    },
    error: null,
  };
}

interface StoredCounts extends TGradeRunCounts {
  effectiveDate?: string;
}

function presentRun(r: repo.RunRow): TGradeRun {
  const stored = JSON.parse(r.counts) as StoredCounts;
  const { effectiveDate, ...rest } = stored;
  const runYear = r.run_year === null ? null : Number(r.run_year);
  return {
    id: Number(r.id),
    orgCode: r.org_code,
    orgName: r.org_code === NATION_CODE ? '全国' : r.org_name,
    kind: r.kind,
    runYear,
    effectiveDate: effectiveDate ?? (runYear ? `${runYear}-01-01` : null),
    status: r.status,
    counts: { ...emptyCounts(), ...rest },
    createdBy: r.created_by === null ? null : Number(r.created_by),
    approvedBy: r.approved_by === null ? null : Number(r.approved_by),
    createdAt: r.created_at,
    approvedAt: r.approved_at,
    appliedAt: r.applied_at,
    error: r.error,
  };
}

/** A worker's own scope sees no runs: a run lists colleagues. */
function isWorkerScope(ctx: OpContext): boolean {
  return ctx.scope.workerId !== undefined && ctx.scope.workerId !== null;
}

async function getRunRowOrThrow(ctx: OpContext, id: number): Promise<repo.RunRow> {
  if (isWorkerScope(ctx)) throw AppError.notFound();
  const row = await repo.getRunInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return row;
}

export async function getGradeRun(ctx: OpContext, id: number): Promise<TGradeRun> {
  return presentRun(await getRunRowOrThrow(ctx, id));
}

export async function findGradeRuns(ctx: OpContext, query: TGradeRunQuery) {
  if (isWorkerScope(ctx)) return { items: [], total: 0 };
  let org: { code: string; level: number } | undefined;
  if (query.orgCode) {
    const o = await findOrgInScope(ctx, query.orgCode);
    if (!o) return { items: [], total: 0 };
    org = { code: o.code, level: o.level };
  }
  const { items, total } = await repo.findRunsInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    { ...(org ? { org } : {}), ...(query.kind ? { kind: query.kind } : {}), ...(query.status ? { status: query.status } : {}) },
    query.pageSize,
    pageOffset(query),
  );
  return { items: items.map(presentRun), total };
}

function presentItem(r: repo.RunItemRow): TGradeRunItem {
  const explanation = r.explanation ? (JSON.parse(r.explanation) as ItemExplanation) : null;
  return {
    id: Number(r.id),
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    orgCode: r.org_code,
    orgName: r.org_name,
    fromBand: r.from_band,
    fromBandName: explanation?.fromBandName ?? null,
    fromLevel: r.from_level === null ? null : Number(r.from_level),
    toBand: r.to_band,
    toBandName: explanation?.toBandName ?? null,
    toLevel: r.to_level === null ? null : Number(r.to_level),
    change: r.change,
    textZh: explanation?.textZh ?? r.error ?? '',
    error: r.error,
    explanation: explanation as Record<string, unknown> | null,
  };
}

/** The per-worker items of a run in scope, optionally by kind of change. */
export async function findGradeRunItems(ctx: OpContext, runId: number, query: TGradeRunItemQuery) {
  await getRunRowOrThrow(ctx, runId);
  const { items, total } = await repo.findRunItemsInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    runId,
    { change: query.change },
    query.pageSize,
    pageOffset(query),
  );
  return { items: items.map(presentItem), total };
}

async function assertNoEffectivePromotion(
  db: OpContext['deps']['db']['kysely'],
  orgCode: string,
  orgName: string,
  year: number,
  exceptId?: number,
) {
  const other = await repo.findEffectivePromotionRunUnscoped(db, orgCode, year, exceptId);
  if (other) {
    throw conflict(
      `${orgName}${year}年度晋级批次 #${Number(other.id)} 已生效，同一组织同一年度不能重复晋级`,
      `The ${year} promotion run #${Number(other.id)} of this org has already taken effect`,
    );
  }
}

/** Runs being computed or applied by this process (a second request or a recovery is refused). */
const activeRuns = new Set<number>();

function jobKey(id: number): string {
  return `grade-run:${id}`;
}

async function withRunLock<T>(id: number, fn: () => Promise<T>): Promise<T> {
  if (activeRuns.has(id)) throw conflict('该批次正在处理中，请稍后刷新', 'The run is being processed');
  activeRuns.add(id);
  try {
    return await fn();
  } finally {
    activeRuns.delete(id);
  }
}

function errorText(err: unknown): string {
  return err instanceof AppError ? err.message : err instanceof Error ? err.message : String(err);
}

/**
 * Computes a grading or promotion run for the on-roll workers of an org subtree and stores it as
 * a preview: one item per worker (who moves, from what to what, why; an error with its reason
 * for a worker who cannot be computed). One set-based pass in chunks of {@link RUN_CHUNK_SIZE},
 * each committed with the run's cursor, so a run a stopped process left `computing` resumes
 * where it stopped ({@link recoverGradeRuns}); a run that failed in process is marked `failed`
 * and may be cancelled and created again.
 */
export async function createGradeRun(ctx: OpContext, input: TGradeRunCreate, options: RunOptions = {}): Promise<TGradeRun> {
  const org = await findOrgInScope(ctx, input.orgCode);
  if (!org) throw AppError.notFound();
  const db = ctx.deps.db.kysely;
  const isPromotion = input.kind === 'promotion';
  const runYear = isPromotion ? (input.runYear as number) : null;
  const effectiveDate = isPromotion ? `${runYear}-01-01` : (input.effectiveDate ?? today());
  if (isPromotion) await assertNoEffectivePromotion(db, org.code, org.name, runYear as number);
  const runId = await repo.insertRun(db, {
    org_code: org.code,
    kind: input.kind,
    run_year: runYear,
    status: 'computing',
    counts: JSON.stringify({ ...emptyCounts(), effectiveDate }),
    created_by: ctx.actor?.id ?? null,
    created_at: nowIso(),
  });
  await withRunLock(runId, () => computeRun(ctx, runId, options));
  return getGradeRun(ctx, runId);
}

/** Computes (or resumes computing) a run's items from its cursor; marks the run failed on an error. */
async function computeRun(ctx: OpContext, runId: number, options: RunOptions): Promise<void> {
  const db = ctx.deps.db.kysely;
  try {
    await computeRunChunks(ctx, runId, options);
  } catch (err) {
    await repo.updateRunWhileStatus(db, runId, 'computing', { status: 'failed', error: errorText(err) });
    throw err;
  }
}

async function computeRunChunks(ctx: OpContext, runId: number, options: RunOptions): Promise<void> {
  const chunkSize = options.chunkSize ?? RUN_CHUNK_SIZE;
  const db = ctx.deps.db.kysely;
  const run = await repo.getRunUnscoped(db, runId);
  if (!run || run.status !== 'computing') return;
  const org = await repo.getOrgUnscoped(db, run.org_code);
  if (!org) throw AppError.notFound();
  const isPromotion = run.kind === 'promotion';
  const runYear = run.run_year === null ? null : Number(run.run_year);
  const stored = JSON.parse(run.counts) as StoredCounts;
  const effectiveDate = stored.effectiveDate ?? (runYear ? `${runYear}-01-01` : today());
  const orgRef = { code: org.code, level: Number(org.level) };

  const schemeRows = await repo.findSchemesForSubtreeUnscoped(db, selfAndAncestors(org.code), orgRef, effectiveDate);
  const bySchemeId = new Map<number, ParsedScheme>();
  const schemeFor = new Map<string, ParsedScheme | null>();
  const resolve = (orgCode: string): ParsedScheme | null => {
    let hit = schemeFor.get(orgCode);
    if (hit === undefined) {
      const row = pickScheme(orgCode, schemeRows);
      if (row) {
        hit = bySchemeId.get(Number(row.id)) ?? parseScheme(row);
        bySchemeId.set(Number(row.id), hit);
      } else hit = null;
      schemeFor.set(orgCode, hit);
    }
    return hit;
  };

  let cursor: repo.WorkerCursor = { orgCode: run.cursor_org_code ?? '', id: Number(run.cursor_worker_id ?? 0) };
  for (let chunkIndex = 0; ; chunkIndex++) {
    const workers = await repo.findRunWorkersChunkUnscoped(db, orgRef, ON_ROLL_STATUSES, cursor, chunkSize);
    if (workers.length === 0) break;
    const last = workers[workers.length - 1]!;
    cursor = { orgCode: last.org_code, id: Number(last.id) };
    const resultsByWorker = new Map<number, YearResult[]>();
    if (isPromotion) {
      const rows = await repo.findResultsOfWorkersUnscoped(
        db,
        workers.map((w) => Number(w.id)),
        (runYear as number) - 1,
      );
      for (const r of rows) {
        const list = resultsByWorker.get(Number(r.worker_id)) ?? [];
        list.push({ year: Number(r.year), result: r.result as AssessmentResult });
        resultsByWorker.set(Number(r.worker_id), list);
      }
    }
    const items: NewGradeRunItem[] = workers.map((w) => {
      const p = resolve(w.org_code);
      const c = !p
        ? errorItem(w, 'no_scheme', `${effectiveDate}没有生效的岗位等级方案，请先设置等级方案`)
        : isPromotion
          ? computePromotion(w, p, runYear as number, resultsByWorker.get(Number(w.id)) ?? [])
          : computeInitial(w, p, effectiveDate);
      return {
        run_id: runId,
        worker_id: Number(w.id),
        org_code: w.org_code,
        from_band: c.fromBand,
        from_level: c.fromLevel,
        to_band: c.toBand,
        to_level: c.toLevel,
        change: c.change,
        explanation: JSON.stringify(c.explanation),
        error: c.error,
      };
    });
    // The items and the cursor commit together: a crash replays at most this chunk, whose items the
    // unique (run, worker) index then keeps once.
    await db.transaction().execute(async (trx) => {
      for (const part of chunks(items, INSERT_CHUNK_SIZE)) await repo.insertRunItems(trx, part);
      const moved = await repo.updateRunWhileStatus(trx, runId, 'computing', {
        cursor_org_code: cursor.orgCode,
        cursor_worker_id: cursor.id,
      });
      if (!moved) throw conflict('该批次已被他人处理，请刷新', 'The run was changed by someone else');
    });
    await options.afterChunk?.(chunkIndex);
    if (workers.length < chunkSize) break;
  }

  await db.transaction().execute(async (trx) => {
    const counts = emptyCounts();
    for (const r of await repo.countRunItemsByChange(trx, runId)) {
      const n = Number(r.n);
      counts.total += n;
      if (r.change in counts) counts[r.change as Change] += n;
    }
    const moved = await repo.updateRunWhileStatus(trx, runId, 'computing', {
      status: 'previewed',
      counts: JSON.stringify({ ...counts, effectiveDate }),
      cursor_org_code: null,
      cursor_worker_id: null,
      error: null,
    });
    if (!moved) throw conflict('该批次已被他人处理，请刷新', 'The run was changed by someone else');
    await appendAudit(trx, ctx, {
      action: 'grade_run.create',
      entityType: 'grade_run',
      entityId: runId,
      orgCode: org.code,
      after: { kind: run.kind, runYear, effectiveDate, counts },
    });
  });
}

/** Why an item was not applied: the worker's grade changed between the preview and the approval. */
const STALE_ITEM_ZH = '审批生效时该人员的等级已发生变化（预览之后另行调整），本批次未调整其等级';

/**
 * Approves a previewed run and applies it: for each worker whose grade changes, the current grade
 * row is retired and the new one inserted (the partial unique index keeps one current grade).
 * Refused when a worker's grade changed after the preview. Applying runs in committed chunks with
 * a cursor (status `applying`): a stopped process resumes at start-up, and approving an
 * interrupted run again resumes it; a worker whose current grade already comes from this run is
 * never stepped twice.
 */
export async function approveGradeRun(ctx: OpContext, id: number, options: RunOptions = {}): Promise<TGradeRun> {
  const chunkSize = options.chunkSize ?? RUN_CHUNK_SIZE;
  const run = await getRunRowOrThrow(ctx, id);
  const db = ctx.deps.db.kysely;
  if (run.status === 'applying' && !activeRuns.has(id) && !isJobRunning(jobKey(id))) {
    await withRunLock(id, () => applyRun(ctx, id, options));
    return getGradeRun(ctx, id);
  }
  if (run.status !== 'previewed') {
    throw conflict(`该批次当前状态为“${runStatusZh(run.status)}”，只能审批预览中的批次`, 'Only a previewed run can be approved');
  }
  if (run.kind === 'promotion' && run.run_year !== null) {
    await assertNoEffectivePromotion(db, run.org_code, run.org_name ?? run.org_code, Number(run.run_year), id);
  }
  // Every item is checked against the current grades before anything is written.
  let stale = 0;
  for (let afterWorkerId = 0; ;) {
    const items = await repo.findRunItemsChunk(db, id, afterWorkerId, chunkSize);
    if (items.length === 0) break;
    afterWorkerId = Number(items[items.length - 1]!.worker_id);
    stale += (await staleItems(db, items)).length;
    if (items.length < chunkSize) break;
  }
  if (stale > 0) {
    throw conflict(
      `预览生成后，有${stale}名人员的等级已发生变化，请取消本批次并重新生成预览`,
      `${stale} workers' grades changed after the preview; cancel and preview again`,
    );
  }
  const now = nowIso();
  const moved = await repo.updateRunIfStatus(db, id, 'previewed', {
    status: 'applying',
    approved_by: ctx.actor?.id ?? null,
    approved_at: now,
  });
  if (!moved) throw conflict('该批次已被他人处理，请刷新', 'The run was changed by someone else');
  await withRunLock(id, () => applyRun(ctx, id, options));
  return getGradeRun(ctx, id);
}

type ItemChunk = Awaited<ReturnType<typeof repo.findRunItemsChunk>>;

/** Items whose worker's current grade is no longer the one the preview was computed from. */
async function staleItems(db: OpContext['deps']['db']['kysely'], items: ItemChunk): Promise<number[]> {
  const workerIds = items.filter((i) => i.change !== 'error').map((i) => Number(i.worker_id));
  const current = new Map((await repo.findCurrentGradeIdsUnscoped(db, workerIds)).map((g) => [Number(g.worker_id), Number(g.id)]));
  const out: number[] = [];
  for (const item of items) {
    if (item.change === 'error') continue;
    const e = JSON.parse(item.explanation ?? '{}') as ItemExplanation;
    if ((current.get(Number(item.worker_id)) ?? null) !== (e.fromGradeId ?? null)) out.push(Number(item.worker_id));
  }
  return out;
}

/** Applies (or resumes applying) an `applying` run from its cursor, one committed chunk at a time. */
async function applyRun(ctx: OpContext, id: number, options: RunOptions): Promise<void> {
  const db = ctx.deps.db.kysely;
  try {
    await applyRunChunks(ctx, id, options);
  } catch (err) {
    // The run stays `applying`: approving it again, or the next start-up, resumes from the cursor.
    await repo.updateRunWhileStatus(db, id, 'applying', { error: errorText(err) });
    throw err;
  }
}

async function applyRunChunks(ctx: OpContext, id: number, options: RunOptions): Promise<void> {
  const chunkSize = options.chunkSize ?? RUN_CHUNK_SIZE;
  const db = ctx.deps.db.kysely;
  const run = await repo.getRunUnscoped(db, id);
  if (!run || run.status !== 'applying') return;
  const approvedBy = run.approved_by === null ? null : Number(run.approved_by);
  let afterWorkerId = Number(run.cursor_worker_id ?? 0);
  for (let chunkIndex = 0; ; chunkIndex++) {
    const items = await repo.findRunItemsChunk(db, id, afterWorkerId, chunkSize);
    if (items.length === 0) break;
    afterWorkerId = Number(items[items.length - 1]!.worker_id);
    const now = nowIso();
    await db.transaction().execute(async (trx) => {
      const workerIds = items.filter((i) => i.change !== 'error').map((i) => Number(i.worker_id));
      const current = new Map((await repo.findCurrentGradeIdsUnscoped(trx, workerIds)).map((g) => [Number(g.worker_id), g]));
      const rows: NewWorkerGrade[] = [];
      const staleIds: number[] = [];
      for (const item of items) {
        if (item.change === 'error') continue;
        const e = JSON.parse(item.explanation ?? '{}') as ItemExplanation;
        const cur = current.get(Number(item.worker_id));
        // Already applied by this run (a replayed chunk): never a second step.
        if (cur && cur.run_id !== null && Number(cur.run_id) === id) continue;
        if ((cur ? Number(cur.id) : null) !== (e.fromGradeId ?? null)) {
          // Changed while the run was being applied (after the check on approval): left as it is.
          staleIds.push(Number(item.worker_id));
          continue;
        }
        if (!e.grade) continue;
        rows.push({
          worker_id: Number(item.worker_id),
          org_code: item.org_code,
          scheme_id: e.grade.schemeId,
          band: e.grade.band,
          level: e.grade.level,
          effective_date: e.grade.effectiveDate,
          last_step_date: e.grade.lastStepDate,
          early_steps_used: e.grade.earlyStepsUsed,
          source: e.grade.source,
          run_id: id,
          explanation: JSON.stringify({
            textZh: e.textZh,
            schemeKey: e.schemeKey,
            schemeName: e.schemeName,
            bandName: e.toBandName,
            runId: id,
            rules: e.rules ?? [],
          }),
          is_current: 1,
          created_by: approvedBy,
          created_at: now,
        });
      }
      await repo.markItemsStale(trx, id, staleIds, STALE_ITEM_ZH);
      await repo.retireCurrentGrades(
        trx,
        rows.map((r) => r.worker_id),
      );
      for (const part of chunks(rows, INSERT_CHUNK_SIZE)) await repo.insertGrades(trx, part);
      const moved = await repo.updateRunWhileStatus(trx, id, 'applying', { cursor_worker_id: afterWorkerId });
      if (!moved) throw conflict('该批次已被他人处理，请刷新', 'The run was changed by someone else');
    });
    await options.afterChunk?.(chunkIndex);
    if (items.length < chunkSize) break;
  }
  await db.transaction().execute(async (trx) => {
    const counts = emptyCounts();
    for (const r of await repo.countRunItemsByChange(trx, id)) {
      const n = Number(r.n);
      counts.total += n;
      if (r.change in counts) counts[r.change as Change] += n;
    }
    const stored = JSON.parse(run.counts) as StoredCounts;
    const written = await repo.countGradesOfRun(trx, id);
    const moved = await repo.updateRunWhileStatus(trx, id, 'applying', {
      status: 'applied',
      applied_at: nowIso(),
      counts: JSON.stringify({ ...counts, effectiveDate: stored.effectiveDate }),
      cursor_worker_id: null,
      error: null,
    });
    if (!moved) throw conflict('该批次已被他人处理，请刷新', 'The run was changed by someone else');
    await appendAudit(trx, ctx, {
      action: 'grade_run.approve',
      entityType: 'grade_run',
      entityId: id,
      orgCode: run.org_code,
      before: { status: 'previewed' },
      after: { status: 'applied', kind: run.kind, runYear: run.run_year, counts, gradesWritten: written },
    });
  });
}

/**
 * Resumes the runs a stopped process left `computing` or `applying` (called at start-up, next to
 * the import and payroll recoveries), each from its last committed chunk, as background jobs.
 */
export async function recoverGradeRuns(ctx: OpContext, options: RunOptions & { wait?: boolean } = {}): Promise<number[]> {
  const stale = (await repo.findInterruptedRunsUnscoped(ctx.deps.db.kysely)).filter(
    (r) => !activeRuns.has(Number(r.id)) && !isJobRunning(jobKey(Number(r.id))),
  );
  const jobs = stale.map((r) => {
    const id = Number(r.id);
    return runJob(jobKey(id), () =>
      withRunLock(id, () => (r.status === 'computing' ? computeRun(ctx, id, options) : applyRun(ctx, id, options))),
    );
  });
  if (options.wait) await Promise.all(jobs);
  return stale.map((r) => Number(r.id));
}

/** Cancels a previewed (or failed) run; an applied run stays (grades are corrected by a later run). */
export async function cancelGradeRun(ctx: OpContext, id: number): Promise<TGradeRun> {
  const run = await getRunRowOrThrow(ctx, id);
  if (run.status !== 'previewed' && run.status !== 'failed') {
    throw conflict(`该批次当前状态为“${runStatusZh(run.status)}”，只能取消预览中的批次`, 'Only a previewed run can be cancelled');
  }
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    const moved = await repo.updateRunIfStatus(trx, id, run.status, { status: 'cancelled' });
    if (!moved) throw conflict('该批次已被他人处理，请刷新', 'The run was changed by someone else');
    await appendAudit(trx, ctx, {
      action: 'grade_run.cancel',
      entityType: 'grade_run',
      entityId: id,
      orgCode: run.org_code,
      before: { status: run.status },
      after: { status: 'cancelled' },
    });
  });
  return getGradeRun(ctx, id);
}

function runStatusZh(status: string): string {
  return (
    (
      {
        computing: '计算中',
        previewed: '预览中',
        applying: '生效中',
        approved: '已审批',
        applied: '已生效',
        failed: '计算失败',
        cancelled: '已取消',
      } as Record<string, string>
    )[status] ?? status
  );
}
