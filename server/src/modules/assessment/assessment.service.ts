import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { isCodeInScope, levelOfCode } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { labelOf, POSTS } from '../meta/enums.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import { findRegisterVetoesUnscoped } from '../sanctions/sanctions.service.ts';
import * as repo from './assessment.repo.ts';
import { assessmentCyclePeriod, cyclePartsOf, cyclePeriodLabel } from './rules/cycle-period.ts';
import {
  CYCLE_STATUS_LABELS,
  SHEET_RATER_KINDS,
  type CycleStatus,
  type SheetRaterKind,
  type TAppeal,
  type TCycle,
  type TCycleCreate,
  type TParticipantUpdate,
  type TResult,
  type TSheetSave,
} from './assessment.schema.ts';
import { decideResults, decisionInputFrom, type DecisionReason } from './rules/cap.ts';
import { scoreWorker, type BallotCounts, type RaterSheet } from './rules/scoring.ts';
import {
  DEFAULT_ASSESSMENT_TEMPLATE,
  resultLabel,
  safeParseAssessmentTemplate,
  type AssessmentResult,
  type AssessmentTemplate,
} from './rules/template.ts';

const notInStatus = (message: string, messageEn: string) => new AppError('CONFLICT', { message, messageEn });

/** The stored template, parsed (it was validated when the cycle opened). */
export function parseStoredTemplate(json: string): AssessmentTemplate {
  const parsed = safeParseAssessmentTemplate(JSON.parse(json));
  if (!parsed.ok) throw new Error('stored assessment template is invalid');
  return parsed.template;
}

/** One cycle the caller may see (it covers them or lies in their subtree), or NOT_FOUND. */
export async function getCycleRowOrThrow(ctx: OpContext, id: number): Promise<repo.CycleRow> {
  const row = await repo.getCycleInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return row;
}

/** A cycle may be changed only by those at or above the region that opened it. */
function assertManagesCycle(ctx: OpContext, cycle: repo.CycleRow) {
  if (!isCodeInScope(cycle.org_code, ctx.scope)) {
    throw new AppError('FORBIDDEN', {
      message: '只有开启考核的地区可以进行此操作',
      messageEn: 'Only the region that opened the cycle may do this',
    });
  }
}

async function presentCycles(ctx: OpContext, rows: repo.CycleRow[]): Promise<TCycle[]> {
  const db = ctx.deps.db.kysely;
  const [names, counts] = await Promise.all([
    getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]),
    repo.countParticipantsInScope(
      db,
      ctx.scope,
      rows.map((r) => Number(r.id)),
    ),
  ]);
  return rows.map((r) => ({
    id: Number(r.id),
    orgCode: r.org_code,
    orgName: names.get(r.org_code) ?? null,
    name: r.name,
    period: r.period,
    year: Number(r.year),
    part: r.part === null ? null : Number(r.part),
    periodLabel: cyclePeriodLabel(Number(r.year), r.period, r.part === null ? null : Number(r.part)),
    status: r.status as CycleStatus,
    statusLabel: CYCLE_STATUS_LABELS[r.status as CycleStatus] ?? r.status,
    template: JSON.parse(r.template) as Record<string, unknown>,
    sheetRaters: JSON.parse(r.sheet_raters) as Record<string, string>,
    publicityDays: Number(r.publicity_days),
    publicityUntil: r.publicity_until,
    participantCount: counts.get(Number(r.id)) ?? 0,
    createdAt: r.created_at,
    computedAt: r.computed_at,
    finalisedAt: r.finalised_at,
  }));
}

export async function getCycle(ctx: OpContext, id: number): Promise<TCycle> {
  const [c] = await presentCycles(ctx, [await getCycleRowOrThrow(ctx, id)]);
  return c!;
}

export async function findCycles(ctx: OpContext, query: { page: number; pageSize: number; year?: number | undefined }) {
  const { items, total } = await repo.findCyclesInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    { year: query.year },
    query.pageSize,
    (query.page - 1) * query.pageSize,
  );
  return { items: await presentCycles(ctx, items), total };
}

function defaultRaterKind(key: string): SheetRaterKind {
  if (key === 'peers') return 'peers';
  if (key === 'community') return 'community_lead';
  return 'street_office';
}

/** The part of the year a cycle of `period` needs: none for an annual cycle, 1–2 for a half year, 1–4 for a quarter. */
function checkCyclePart(period: string, part: number | null): number | null {
  if (cyclePartsOf(period).length === 0) {
    if (part !== null) throw AppError.field('part', '年度考核不分上下半年或季度，请不要选择期次', 'An annual cycle has no part');
    return null;
  }
  if (part === null || part > cyclePartsOf(period).length) {
    throw period === 'half_year'
      ? AppError.field('part', '半年考核须选择上半年（1）或下半年（2）', 'Choose the first (1) or second (2) half')
      : AppError.field('part', '季度考核须选择第1至第4季度', 'Choose a quarter from 1 to 4');
  }
  return part;
}

/**
 * Opens a cycle for a region's subtree from a template (the default when none is given): validates the
 * template (Chinese messages naming the field path, under `template.`), snapshots the workers assessed
 * (probation, active or on leave, placed in a community) and one residents' ballot per community.
 */
export async function openCycle(ctx: OpContext, input: TCycleCreate): Promise<TCycle> {
  const org = await findOrgInScope(ctx, input.orgCode);
  if (!org) throw AppError.notFound();
  if (org.level > 3) throw AppError.field('orgCode', '开启考核的组织须为区县及以上', 'A cycle is opened by a district or above');
  const parsed = safeParseAssessmentTemplate(input.template ?? DEFAULT_ASSESSMENT_TEMPLATE);
  if (!parsed.ok) {
    const issues = parsed.issues.map((i) => ({ ...i, field: i.field ? `template.${i.field}` : 'template' }));
    throw new AppError('VALIDATION_FAILED', {
      message: `考核模板有误：${issues[0]!.field}：${issues[0]!.message}`,
      messageEn: 'The assessment template is invalid',
      details: { issues },
    });
  }
  const period = input.period ?? parsed.template.period;
  const part = checkCyclePart(period, input.part ?? null);
  const template = { ...parsed.template, period };
  const sheetRaters: Record<string, SheetRaterKind> = {};
  for (const g of template.raterGroups.filter((x) => x.source === 'sheet')) {
    const kind = input.sheetRaters?.[g.key] ?? defaultRaterKind(g.key);
    if (!SHEET_RATER_KINDS.includes(kind)) throw AppError.field(`sheetRaters.${g.key}`, '评分人类型无效');
    sheetRaters[g.key] = kind;
  }
  const db = ctx.deps.db.kysely;
  const workers = await repo.listAssessableWorkers(db, org.code, org.level);
  if (workers.length === 0) throw AppError.field('orgCode', '该地区没有可参加考核的社区工作者', 'No workers to assess');
  const now = nowIso();
  const id = await db.transaction().execute(async (trx) => {
    const cycleId = await repo.insertCycle(trx, {
      org_code: org.code,
      name: input.name,
      period,
      year: input.year,
      part,
      template: JSON.stringify(template),
      sheet_raters: JSON.stringify(sheetRaters),
      status: 'open',
      publicity_days: input.publicityDays ?? 5,
      publicity_until: null,
      created_by: ctx.actor?.id ?? null,
      created_at: now,
      updated_at: now,
      computed_at: null,
      finalised_at: null,
    });
    for (let i = 0; i < workers.length; i += 200) {
      await trx
        .insertInto('assessment_participants')
        .values(
          workers.slice(i, i + 200).map((w) => ({
            cycle_id: cycleId,
            worker_id: Number(w.id),
            worker_name: w.name,
            post: w.post,
            org_code: w.org_code,
            street_code: w.org_code.slice(0, 9),
            vetoes: '[]',
            decided_total: null,
            note: null,
            updated_at: now,
          })),
        )
        .execute();
    }
    const communities = [...new Set(workers.map((w) => w.org_code))];
    for (let i = 0; i < communities.length; i += 200) {
      await trx
        .insertInto('assessment_communities')
        .values(
          communities.slice(i, i + 200).map((c) => ({
            cycle_id: cycleId,
            community_code: c,
            street_code: c.slice(0, 9),
            ballot_mode: 'codes',
            ballot_status: 'pending',
            link_token: null,
            codes_issued: 0,
            opened_at: null,
            closed_at: null,
          })),
        )
        .execute();
    }
    await appendAudit(trx, ctx, {
      action: 'assessment.cycle_open',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: org.code,
      after: { name: input.name, year: input.year, period, part, participants: workers.length, communities: communities.length },
    });
    return cycleId;
  });
  return getCycle(ctx, id);
}

// ——— scoring sheets ———

interface RaterIdentity {
  kind: SheetRaterKind;
  raterKey: string;
}

function raterFor(ctx: OpContext, kind: SheetRaterKind): RaterIdentity {
  const actor = ctx.actor;
  const wrong = () => new AppError('FORBIDDEN', { message: '您不是该评议组的评分人', messageEn: 'You do not rate in this group' });
  if (!actor) throw wrong();
  if (kind === 'street_office' && actor.role === 'street_hr') return { kind, raterKey: `u:${actor.id}` };
  if (kind === 'community_lead' && actor.role === 'community_lead') return { kind, raterKey: `u:${actor.id}` };
  if (kind === 'peers' && actor.role === 'worker' && actor.workerId) return { kind, raterKey: `w:${actor.workerId}` };
  throw wrong();
}

/** The workers a rater scores in a group: the street's or community's workers, or (peers) the colleagues of one's community. */
async function rateableWorkers(ctx: OpContext, cycleId: number, kind: SheetRaterKind) {
  const db = ctx.deps.db.kysely;
  if (kind !== 'peers') return repo.findParticipantsInScope(db, ctx.scope, cycleId);
  const self = ctx.actor!.workerId!;
  const me = await repo.getParticipantInScope(db, ctx.scope, cycleId, self);
  if (!me)
    throw new AppError('FORBIDDEN', { message: '您不在本次考核名单中，不能参加互评', messageEn: 'You are not assessed in this cycle' });
  const colleagues = await repo.findCommunityParticipantsUnscoped(db, cycleId, me.org_code);
  return colleagues.filter((p) => Number(p.worker_id) !== self);
}

function sheetGroup(template: AssessmentTemplate, cycle: repo.CycleRow, group: string) {
  const g = template.raterGroups.find((x) => x.key === group && x.source === 'sheet');
  if (!g) throw AppError.field('group', `评议组“${group}”不存在或不使用评分表`, 'No such sheet group');
  const kinds = JSON.parse(cycle.sheet_raters) as Record<string, SheetRaterKind>;
  return { group: g, kind: kinds[group] ?? defaultRaterKind(group) };
}

/** A rater's sheet for one group: the workers they score and the scores they gave so far. */
export async function getScoreSheet(ctx: OpContext, cycleId: number, groupKey: string) {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  const template = parseStoredTemplate(cycle.template);
  const { group, kind } = sheetGroup(template, cycle, groupKey);
  const rater = raterFor(ctx, kind);
  const workers = await rateableWorkers(ctx, cycleId, kind);
  const mine = await repo.findSheetsOfRater(ctx.deps.db.kysely, cycleId, groupKey, rater.raterKey);
  const byWorker = new Map(mine.map((s) => [Number(s.worker_id), JSON.parse(s.scores) as Record<string, number>]));
  return {
    groupKey,
    groupName: group.nameZh,
    dimensions: template.dimensions,
    rows: workers.map((w) => ({
      workerId: Number(w.worker_id),
      name: w.worker_name,
      post: w.post,
      postLabel: labelOf(POSTS, w.post),
      orgCode: w.org_code,
      scores: byWorker.get(Number(w.worker_id)) ?? null,
    })),
  };
}

/** Saves a rater's scores (every dimension, 0..10000 hundredths) for workers they may rate; one's own record is refused. */
export async function saveScoreSheet(ctx: OpContext, cycleId: number, input: TSheetSave) {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  if (cycle.status !== 'open') throw notInStatus('考核已进入计算阶段，评分表不能再修改', 'The cycle is past rating');
  const template = parseStoredTemplate(cycle.template);
  const { kind } = sheetGroup(template, cycle, input.group);
  const rater = raterFor(ctx, kind);
  const workers = new Map((await rateableWorkers(ctx, cycleId, kind)).map((w) => [Number(w.worker_id), w]));
  input.entries.forEach((e, i) => {
    if (!workers.has(e.workerId)) {
      const self = kind === 'peers' && e.workerId === ctx.actor?.workerId;
      throw AppError.field(`entries.${i}.workerId`, self ? '不能给自己评分' : '该人员不在您的评分范围内');
    }
    for (const d of template.dimensions) {
      if (e.scores[d.key] === undefined) throw AppError.field(`entries.${i}.scores.${d.key}`, `请填写“${d.nameZh}”的分数`);
    }
    for (const k of Object.keys(e.scores)) {
      if (!template.dimensions.some((d) => d.key === k)) throw AppError.field(`entries.${i}.scores.${k}`, `考核维度“${k}”不存在`);
    }
  });
  const now = nowIso();
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    for (const e of input.entries) {
      await repo.upsertSheet(trx, {
        cycle_id: cycleId,
        worker_id: e.workerId,
        org_code: workers.get(e.workerId)!.org_code,
        group_key: input.group,
        rater_key: rater.raterKey,
        rater_user_id: ctx.actor?.id ?? null,
        scores: JSON.stringify(e.scores),
        updated_at: now,
      });
    }
    await appendAudit(trx, ctx, {
      action: 'assessment.sheet_save',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: ctx.actor?.orgCode ?? cycle.org_code,
      after: { group: input.group, workers: input.entries.map((e) => e.workerId) },
    });
  });
  return getScoreSheet(ctx, cycleId, input.group);
}

// ——— participants: vetoes and decided totals ———

function presentParticipant(p: repo.ParticipantRow) {
  return {
    workerId: Number(p.worker_id),
    name: p.worker_name,
    post: p.post,
    orgCode: p.org_code,
    streetCode: p.street_code,
    vetoes: JSON.parse(p.vetoes) as string[],
    decidedTotal: p.decided_total === null ? null : Number(p.decided_total),
    note: p.note,
  };
}

export async function findParticipants(ctx: OpContext, cycleId: number) {
  await getCycleRowOrThrow(ctx, cycleId);
  return (await repo.findParticipantsInScope(ctx.deps.db.kysely, ctx.scope, cycleId)).map(presentParticipant);
}

/** Enters a worker's veto items (一票否决, e.g. a disciplinary sanction) or a decided total, before the results are approved. */
export async function updateParticipant(ctx: OpContext, cycleId: number, workerId: number, input: TParticipantUpdate) {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  if (cycle.status !== 'open' && cycle.status !== 'computed') {
    throw notInStatus('结果已进入公示或已定档，不能再修改', 'Results are in publicity or final');
  }
  const template = parseStoredTemplate(cycle.template);
  const db = ctx.deps.db.kysely;
  const p = await repo.getParticipantInScope(db, ctx.scope, cycleId, workerId);
  if (!p) throw AppError.notFound();
  input.vetoes?.forEach((k, i) => {
    if (!template.vetoItems.some((v) => v.key === k)) throw AppError.field(`vetoes.${i}`, `否决事项“${k}”不在考核模板中`);
  });
  const patch: Record<string, unknown> = { updated_at: nowIso() };
  if (input.vetoes !== undefined) patch.vetoes = JSON.stringify([...new Set(input.vetoes)]);
  if (input.decidedTotal !== undefined) patch.decided_total = input.decidedTotal;
  if (input.note !== undefined) patch.note = input.note;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('assessment_participants').set(patch).where('cycle_id', '=', cycleId).where('worker_id', '=', workerId).execute();
    await appendAudit(trx, ctx, {
      action: 'assessment.participant_update',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: p.org_code,
      before: { workerId, vetoes: JSON.parse(p.vetoes), decidedTotal: p.decided_total },
      after: { workerId, vetoes: input.vetoes, decidedTotal: input.decidedTotal },
    });
  });
  return presentParticipant((await repo.getParticipantInScope(db, ctx.scope, cycleId, workerId))!);
}

// ——— computation ———

/**
 * Computes every worker's result of the cycle: weighted group scores (scoreWorker), the residents'
 * quorum per community, vetoes, bands and the 优秀 cap per street (decideResults). Every community's
 * ballot must be closed. Recomputing (status 'computed') replaces the results and clears approvals.
 */
export async function computeCycle(ctx: OpContext, cycleId: number): Promise<TResult[]> {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  assertManagesCycle(ctx, cycle);
  if (cycle.status !== 'open' && cycle.status !== 'computed')
    throw notInStatus('结果已进入公示或已定档，不能重新计算', 'Already in publicity');
  const template = parseStoredTemplate(cycle.template);
  const db = ctx.deps.db.kysely;
  const system = { ...ctx, scope: { orgCode: cycle.org_code, level: levelOfCode(cycle.org_code) ?? 0 } };
  const communities = await repo.findCommunitiesOfCycle(db, system.scope, cycleId);
  const usesBallots = template.raterGroups.some((g) => g.source === 'ballot');
  const notClosed = communities.filter((c) => c.ballot_status !== 'closed');
  if (usesBallots && notClosed.length > 0) {
    const names = await getOrgNames(
      ctx,
      notClosed.map((c) => c.community_code),
    );
    throw notInStatus(
      `尚有${notClosed.length}个社区的居民测评未结束：${notClosed
        .slice(0, 5)
        .map((c) => names.get(c.community_code) ?? c.community_code)
        .join('、')}`,
      'Some ballots are still open',
    );
  }
  const participants = await repo.findParticipantsInScope(db, system.scope, cycleId);
  // Vetoes from the sanction register (in-force sanctions decided in the cycle's year, half or quarter),
  // besides those entered by hand.
  const registerVetoes = await findRegisterVetoesUnscoped(
    db,
    participants.map((p) => Number(p.worker_id)),
    assessmentCyclePeriod(Number(cycle.year), cycle.period, cycle.part === null ? null : Number(cycle.part)),
    template.vetoItems.map((v) => v.key),
  );
  const [sheets, ratings, turnouts] = await Promise.all([
    repo.findSheetsOfCycle(db, cycleId),
    repo.countRatingsByWorker(db, cycleId),
    repo.countBallotsByCommunity(
      db,
      cycleId,
      communities.map((c) => c.community_code),
    ),
  ]);
  const sheetsByWorker = new Map<number, Record<string, RaterSheet[]>>();
  for (const s of sheets) {
    const w = Number(s.worker_id);
    const groups = sheetsByWorker.get(w) ?? {};
    const [kind, id] = s.rater_key.split(':');
    // Peers rate as their worker id, so scoreWorker drops a self-rating; users rate as a negative id.
    const raterId = kind === 'w' ? Number(id) : -Number(id);
    (groups[s.group_key] ??= []).push({ raterId, scores: JSON.parse(s.scores) as Record<string, number> });
    sheetsByWorker.set(w, groups);
  }
  const ballotsByWorker = new Map<number, BallotCounts>();
  for (const r of ratings) {
    const w = Number(r.worker_id);
    const c = ballotsByWorker.get(w) ?? { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 };
    c[r.choice as keyof BallotCounts] = Number(r.n);
    ballotsByWorker.set(w, c);
  }
  const scores = participants.map((p) => {
    const t = turnouts.get(p.org_code);
    return scoreWorker(template, {
      workerId: Number(p.worker_id),
      sheets: sheetsByWorker.get(Number(p.worker_id)) ?? {},
      ballots: ballotsByWorker.get(Number(p.worker_id)) ?? { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 },
      turnout: { validBallots: t?.total ?? 0, ordinaryResidentBallots: t?.ordinary ?? 0 },
    });
  });
  const decisions = decideResults(
    template,
    scores.map((s, i) => {
      const p = participants[i]!;
      return decisionInputFrom(s, p.street_code, {
        vetoes: [...(JSON.parse(p.vetoes) as string[]), ...(registerVetoes.get(Number(p.worker_id))?.keys ?? [])],
        decidedTotal: p.decided_total === null ? null : Number(p.decided_total),
      });
    }),
  );
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('assessment_cycle_results').where('cycle_id', '=', cycleId).execute();
    await trx.deleteFrom('assessment_approvals').where('cycle_id', '=', cycleId).execute();
    for (let i = 0; i < participants.length; i += 100) {
      await trx
        .insertInto('assessment_cycle_results')
        .values(
          participants.slice(i, i + 100).map((p, k) => {
            const s = scores[i + k]!;
            const d = decisions[i + k]!;
            const usedDecided = s.total === null && d.total !== null;
            const reg = registerVetoes.get(Number(p.worker_id));
            const reasons = reg
              ? d.reasons.map((r) =>
                  r.code === 'veto' && reg.keys.includes(r.key) ? { ...r, source: 'sanction_register', sanctionIds: reg.sanctionIds } : r,
                )
              : d.reasons;
            return {
              cycle_id: cycleId,
              worker_id: Number(p.worker_id),
              org_code: p.org_code,
              street_code: p.street_code,
              groups: JSON.stringify(s.groups),
              flags: JSON.stringify(usedDecided ? [...s.flags, 'decided_total'] : s.flags),
              total: d.total,
              band: d.band,
              final_result: d.finalResult,
              reasons: JSON.stringify(reasons),
              explanation: `${s.explanationZh}${usedDecided ? '（总分由人工决定）' : ''}${d.explanationZh}${reg ? `（${reg.noteZh}）` : ''}`,
              updated_at: now,
            };
          }),
        )
        .execute();
    }
    if (!(await repo.updateCycleIfStatus(trx, cycleId, cycle.status, { status: 'computed', computed_at: now, updated_at: now }))) {
      throw notInStatus('考核状态已被他人修改，请刷新后重试', 'Changed meanwhile');
    }
    await appendAudit(trx, ctx, {
      action: 'assessment.compute',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: cycle.org_code,
      after: {
        participants: participants.length,
        needsDecision: decisions.filter((d) => d.finalResult === null).length,
        belowQuorum: scores.filter((s) => s.flags.includes('residents_below_quorum')).length,
        vetoedByRegister: registerVetoes.size,
      },
    });
  });
  return findCycleResults(ctx, cycleId, {});
}

function presentResult(r: repo.ResultRow, names: Map<string, string>): TResult {
  return {
    workerId: Number(r.worker_id),
    name: r.worker_name,
    orgCode: r.org_code,
    orgName: names.get(r.org_code) ?? null,
    streetCode: r.street_code,
    groups: (JSON.parse(r.groups) as TResult['groups']).map((g) => ({
      key: g.key,
      nameZh: g.nameZh,
      weightBp: g.weightBp,
      raters: g.raters,
      score: g.score,
      ...(g.missingReason ? { missingReason: g.missingReason } : {}),
    })),
    flags: JSON.parse(r.flags) as string[],
    total: r.total === null ? null : Number(r.total),
    band: r.band as AssessmentResult | null,
    finalResult: r.final_result as AssessmentResult | null,
    reasons: JSON.parse(r.reasons) as Record<string, unknown>[],
    explanation: r.explanation,
  };
}

/**
 * The computed results in scope. A worker sees only their own, and only from publicity on; a community
 * lead sees the community's, staff above see their subtree's.
 */
export async function findCycleResults(ctx: OpContext, cycleId: number, query: { orgCode?: string | undefined }): Promise<TResult[]> {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  if (ctx.actor?.role === 'worker' && cycle.status !== 'publicity' && cycle.status !== 'final') return [];
  const rows = await repo.findResultsInScope(ctx.deps.db.kysely, ctx.scope, cycleId, query.orgCode);
  const names = await getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]);
  return rows.map((r) => presentResult(r, names));
}

// ——— approval up the tree ———

/**
 * Approves the cycle's results for one org: a community (community lead), then its street (street office,
 * once all its communities are approved), then the region that opened the cycle (region admin, once all
 * streets are approved) — which starts the publicity period (公示). Every result must have a grade.
 */
export async function approveResults(ctx: OpContext, cycleId: number, orgCode: string) {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  if (cycle.status !== 'computed') throw notInStatus('只有已计算、未公示的考核结果可以审核', 'Only computed results can be approved');
  const org = await findOrgInScope(ctx, orgCode);
  if (!org || !orgCode.startsWith(cycle.org_code === 'CN' ? '' : cycle.org_code)) throw AppError.notFound();
  const role = ctx.actor?.role;
  const isRegion = org.code === cycle.org_code;
  const allowed =
    (org.level === 5 && role === 'community_lead') || (org.level === 4 && role === 'street_hr') || (isRegion && role === 'region_admin');
  if (!allowed) {
    throw new AppError('FORBIDDEN', {
      message: '审核顺序为：社区（社区负责人）→ 街道（街道人事）→ 开启考核的地区（地区管理员）',
      messageEn: 'Approval goes community → street → region',
    });
  }
  const db = ctx.deps.db.kysely;
  const sub = { orgCode: org.code, level: org.level };
  const results = await repo.findResultsInScope(db, sub, cycleId);
  if (results.length === 0) throw AppError.notFound();
  const pending = results.filter((r) => r.final_result === null);
  if (pending.length > 0) {
    throw notInStatus(
      `尚有${pending.length}人的考核等次须人工决定（如测评票未达法定要求），请先录入决定总分并重新计算：${pending
        .slice(0, 5)
        .map((r) => r.worker_name)
        .join('、')}`,
      'Some results need a decision',
    );
  }
  const approvals = await repo.findApprovals(db, cycleId);
  const approved = new Set(approvals.map((a) => a.org_code));
  if (approved.has(org.code)) throw notInStatus('该组织的考核结果已审核', 'Already approved');
  const childLevel = isRegion ? 4 : org.level === 4 ? 5 : null;
  if (childLevel !== null) {
    const children = [...new Set(results.map((r) => (childLevel === 5 ? r.org_code : r.street_code)))];
    const missing = children.filter((c) => !approved.has(c));
    if (missing.length > 0) {
      const names = await getOrgNames(ctx, missing);
      throw notInStatus(
        `下级尚未审核：${missing
          .slice(0, 5)
          .map((c) => names.get(c) ?? c)
          .join('、')}${missing.length > 5 ? `等${missing.length}个` : ''}`,
        'Lower levels have not approved yet',
      );
    }
  }
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('assessment_approvals')
      .values({
        cycle_id: cycleId,
        org_code: org.code,
        level: org.level,
        approved_by: ctx.actor?.id ?? null,
        approved_by_name: ctx.actor?.displayName ?? null,
        approved_at: now,
      })
      .execute();
    if (isRegion) {
      const until = new Date(Date.now() + Number(cycle.publicity_days) * 86_400_000).toISOString();
      if (!(await repo.updateCycleIfStatus(trx, cycleId, 'computed', { status: 'publicity', publicity_until: until, updated_at: now }))) {
        throw notInStatus('考核状态已被他人修改，请刷新后重试', 'Changed meanwhile');
      }
    }
    await appendAudit(trx, ctx, {
      action: 'assessment.approve',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: org.code,
      after: { orgCode: org.code, level: org.level, startsPublicity: isRegion },
    });
  });
  return (await repo.findApprovals(db, cycleId)).map((a) => ({
    orgCode: a.org_code,
    level: Number(a.level),
    approvedByName: a.approved_by_name,
    approvedAt: a.approved_at,
  }));
}

export async function findApprovals(ctx: OpContext, cycleId: number) {
  await getCycleRowOrThrow(ctx, cycleId);
  return (await repo.findApprovals(ctx.deps.db.kysely, cycleId))
    .filter((a) => isCodeInScope(a.org_code, ctx.scope) || ctx.scope.orgCode.startsWith(a.org_code))
    .map((a) => ({ orgCode: a.org_code, level: Number(a.level), approvedByName: a.approved_by_name, approvedAt: a.approved_at }));
}

// ——— publicity, appeals, finalisation ———

function presentAppeal(a: repo.AppealRow): TAppeal {
  return {
    id: Number(a.id),
    cycleId: Number(a.cycle_id),
    workerId: Number(a.worker_id),
    workerName: a.worker_name,
    orgCode: a.org_code,
    text: a.text,
    status: a.status as TAppeal['status'],
    response: a.response,
    adjustedResult: a.adjusted_result as AssessmentResult | null,
    createdAt: a.created_at,
    resolvedAt: a.resolved_at,
  };
}

/** The caller's own results in cycles under publicity or final, with their appeals. */
export async function findMyResults(ctx: OpContext) {
  const workerId = ctx.actor?.workerId;
  if (!workerId) return [];
  const db = ctx.deps.db.kysely;
  const { items } = await repo.findCyclesInScope(db, ctx.scope, {}, 50, 0);
  const out = [];
  for (const c of items.filter((x) => x.status === 'publicity' || x.status === 'final')) {
    const own = { ...ctx.scope, workerId };
    const rows = await repo.findResultsInScope(db, own, Number(c.id));
    if (rows.length === 0) continue;
    const names = await getOrgNames(ctx, [rows[0]!.org_code]);
    const appeals = await repo.findAppealsInScope(db, own, { cycleId: Number(c.id) });
    out.push({
      cycleId: Number(c.id),
      cycleName: c.name,
      year: Number(c.year),
      status: c.status as CycleStatus,
      publicityUntil: c.publicity_until,
      result: presentResult(rows[0]!, names),
      appeals: appeals.map(presentAppeal),
    });
  }
  return out;
}

/** A worker appeals their own result while it is under publicity (one pending appeal at a time). */
export async function fileAppeal(ctx: OpContext, cycleId: number, text: string): Promise<TAppeal> {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  const workerId = ctx.actor?.workerId;
  if (!workerId) throw AppError.notFound();
  if (cycle.status !== 'publicity' || (cycle.publicity_until && cycle.publicity_until < nowIso())) {
    throw notInStatus('只能在公示期内提出申诉', 'Appeals are possible during publicity only');
  }
  const db = ctx.deps.db.kysely;
  const own = { ...ctx.scope, workerId };
  const [result] = await repo.findResultsInScope(db, own, cycleId);
  if (!result) throw AppError.notFound();
  if ((await repo.findAppealsInScope(db, own, { cycleId, status: 'pending' })).length > 0) {
    throw notInStatus('您已有待处理的申诉', 'An appeal is already pending');
  }
  const id = await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('assessment_appeals')
      .values({
        cycle_id: cycleId,
        worker_id: workerId,
        org_code: result.org_code,
        text,
        status: 'pending',
        response: null,
        adjusted_result: null,
        created_at: nowIso(),
        resolved_at: null,
        resolved_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, ctx, {
      action: 'assessment.appeal_file',
      entityType: 'assessment_appeal',
      entityId: Number(r.id),
      orgCode: result.org_code,
      after: { cycleId, workerId },
    });
    return Number(r.id);
  });
  return presentAppeal((await repo.findAppealsInScope(db, ctx.scope, { id }))[0]!);
}

export async function findAppeals(ctx: OpContext, cycleId: number) {
  await getCycleRowOrThrow(ctx, cycleId);
  return (await repo.findAppealsInScope(ctx.deps.db.kysely, ctx.scope, { cycleId })).map(presentAppeal);
}

/** The street answers an appeal; an upheld appeal may correct the grade (recorded in the result's reasons). */
export async function resolveAppeal(
  ctx: OpContext,
  appealId: number,
  input: { status: 'upheld' | 'rejected'; response: string; adjustedResult?: AssessmentResult | undefined },
): Promise<TAppeal> {
  const db = ctx.deps.db.kysely;
  const [a] = await repo.findAppealsInScope(db, ctx.scope, { id: appealId });
  if (!a) throw AppError.notFound();
  if (a.status !== 'pending') throw notInStatus('该申诉已处理', 'Already resolved');
  const cycle = await getCycleRowOrThrow(ctx, Number(a.cycle_id));
  if (cycle.status !== 'publicity') throw notInStatus('考核结果已定档，不能再处理申诉', 'The cycle is final');
  const adjusted = input.status === 'upheld' ? (input.adjustedResult ?? null) : null;
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('assessment_appeals')
      .set({
        status: input.status,
        response: input.response,
        adjusted_result: adjusted,
        resolved_at: now,
        resolved_by: ctx.actor?.id ?? null,
      })
      .where('id', '=', appealId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw notInStatus('该申诉已被他人处理', 'Changed meanwhile');
    if (adjusted) {
      const [res] = await repo
        .findResultsInScope(trx, ctx.scope, Number(a.cycle_id), undefined)
        .then((rows) => rows.filter((x) => Number(x.worker_id) === Number(a.worker_id)));
      const reasons = [
        ...(JSON.parse(res!.reasons) as DecisionReason[]),
        { code: 'appeal', appealId, from: res!.final_result, to: adjusted },
      ];
      await trx
        .updateTable('assessment_cycle_results')
        .set({
          final_result: adjusted,
          reasons: JSON.stringify(reasons),
          explanation: `${res!.explanation}经申诉复核，等次调整为${resultLabel(adjusted)}。`,
          updated_at: now,
        })
        .where('cycle_id', '=', Number(a.cycle_id))
        .where('worker_id', '=', Number(a.worker_id))
        .execute();
    }
    await appendAudit(trx, ctx, {
      action: 'assessment.appeal_resolve',
      entityType: 'assessment_appeal',
      entityId: appealId,
      orgCode: a.org_code,
      before: { status: 'pending' },
      after: { status: input.status, adjustedResult: adjusted },
    });
  });
  return presentAppeal((await repo.findAppealsInScope(db, ctx.scope, { id: appealId }))[0]!);
}

/**
 * Finalises a cycle after its publicity period with no pending appeal; its results become immutable.
 * An annual cycle also writes one `assessment_results` row per worker (source 'cycle'): the year's
 * result, which feeds grades, pay and exit rules. A year already finalised by another annual cycle is
 * refused; manual or imported rows of that year are replaced. A half-year or quarterly cycle keeps its
 * results in the cycle (workers see them, honours draw on them) and does not set the year's result.
 */
export async function finaliseCycle(ctx: OpContext, cycleId: number) {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  assertManagesCycle(ctx, cycle);
  if (cycle.status !== 'publicity') throw notInStatus('只有公示中的考核可以定档', 'Only a cycle in publicity can be finalised');
  if (cycle.publicity_until && cycle.publicity_until > nowIso()) {
    throw notInStatus(
      `公示期至${cycle.publicity_until.slice(0, 16).replace('T', ' ')}（UTC），公示期满后方可定档`,
      'Publicity has not ended',
    );
  }
  const db = ctx.deps.db.kysely;
  const scope = { orgCode: cycle.org_code, level: levelOfCode(cycle.org_code) ?? 0 };
  if ((await repo.findAppealsInScope(db, scope, { cycleId, status: 'pending' })).length > 0) {
    throw notInStatus('尚有未处理的申诉，处理完毕后方可定档', 'Appeals are pending');
  }
  const results = await repo.findResultsInScope(db, scope, cycleId);
  const year = Number(cycle.year);
  const now = nowIso();
  const setsYearResult = cycle.period === 'annual';
  await db.transaction().execute(async (trx) => {
    if (setsYearResult) await writeYearResults(trx, ctx, cycleId, cycle.name, year, results, now);
    if (!(await repo.updateCycleIfStatus(trx, cycleId, 'publicity', { status: 'final', finalised_at: now, updated_at: now }))) {
      throw notInStatus('考核状态已被他人修改，请刷新后重试', 'Changed meanwhile');
    }
    await appendAudit(trx, ctx, {
      action: 'assessment.finalise',
      entityType: 'assessment_cycle',
      entityId: cycleId,
      orgCode: cycle.org_code,
      after: { year, period: cycle.period, part: cycle.part, results: results.length, yearResults: setsYearResult },
    });
  });
  return getCycle(ctx, cycleId);
}

/** The year's results from an annual cycle, refused where another cycle already set them. */
async function writeYearResults(
  trx: Kysely<Database>,
  ctx: OpContext,
  cycleId: number,
  cycleName: string,
  year: number,
  results: Awaited<ReturnType<typeof repo.findResultsInScope>>,
  now: string,
) {
  const clash = await trx
    .selectFrom('assessment_results as ar')
    .innerJoin('assessment_participants as p', (j) => j.onRef('p.worker_id', '=', 'ar.worker_id').on('p.cycle_id', '=', cycleId))
    .select(['ar.worker_id'])
    .where('ar.year', '=', year)
    .where('ar.source', '=', 'cycle')
    .where('ar.cycle_id', '!=', cycleId)
    .execute();
  if (clash.length > 0) {
    throw notInStatus(`${clash.length}人的${year}年度考核结果已由其他考核定档，不能覆盖`, 'Some results are already final');
  }
  // Upserted in batches (a region's results are thousands of rows: one statement each was a round
  // trip per worker on PostgreSQL).
  const rows = results.map((r) => ({
    worker_id: Number(r.worker_id),
    org_code: r.org_code,
    year,
    result: r.final_result!,
    source: 'cycle',
    cycle_id: cycleId,
    note: cycleName,
    recorded_by: ctx.actor?.id ?? null,
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += 400) {
    await trx
      .insertInto('assessment_results')
      .values(rows.slice(i, i + 400))
      .onConflict((oc) =>
        oc.columns(['worker_id', 'year']).doUpdateSet((eb) => ({
          result: eb.ref('excluded.result'),
          source: eb.ref('excluded.source'),
          cycle_id: eb.ref('excluded.cycle_id'),
          org_code: eb.ref('excluded.org_code'),
          note: eb.ref('excluded.note'),
          recorded_by: eb.ref('excluded.recorded_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
