/**
 * Honours lists (表彰名单): the 意见's "rewards" side of assessment. Once a cycle's results are
 * final, a region or street issues a decision commending the workers rated 优秀 in its subtree,
 * ranked by total score; the decision keeps a snapshot of its members, shows on each member's
 * record and exports as a sheet. Every issue and export is audited.
 */
import type { OpContext } from '../../context.ts';
import { excel } from '../../lib/excel/exceljs.ts';
import { AppError, isUniqueViolation } from '../../lib/errors.ts';
import { pageOffset, type Page } from '../../lib/paging.ts';
import { isCodeUnder } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import { getWorkerRowOrThrow, todayDate } from '../workers/workers.service.ts';
import * as repo from './assessment.repo.ts';
import { getCycleRowOrThrow } from './assessment.service.ts';
import * as honoursRepo from './honours.repo.ts';
import type { THonour, THonourCandidate, THonourIssue, THonourListQuery } from './honours.schema.ts';

/** Street and above issue honours; a community's lead does not. */
const MAX_ISSUING_LEVEL = 4;

async function presentHonours(ctx: OpContext, rows: honoursRepo.HonourRow[]): Promise<THonour[]> {
  const names = await getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]);
  return rows.map((r) => ({
    id: Number(r.id),
    cycleId: Number(r.cycle_id),
    cycleName: r.cycle_name,
    orgCode: r.org_code,
    orgName: names.get(r.org_code) ?? null,
    title: r.title,
    documentNo: r.document_no,
    decidedOn: r.decided_on,
    memberCount: Number(r.member_count),
    createdByName: r.created_by_name,
    createdAt: r.created_at,
  }));
}

/** The workers rated 优秀 in a final cycle under `orgCode` (default: the caller's scope), by total score. */
async function candidatesOf(ctx: OpContext, cycleId: number, orgCode: string | undefined): Promise<THonourCandidate[]> {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  if (cycle.status !== 'final') {
    throw new AppError('CONFLICT', {
      message: '考核结果定档后才能确定表彰名单',
      messageEn: 'Honours follow the final results',
    });
  }
  if (orgCode !== undefined && !(await findOrgInScope(ctx, orgCode))) throw AppError.notFound();
  const rows = await repo.findResultsInScope(ctx.deps.db.kysely, ctx.scope, cycleId, orgCode, 'excellent');
  // Higher total first; equal totals share a rank (1, 2, 2, 4); name order breaks display ties.
  rows.sort((a, b) => Number(b.total ?? -1) - Number(a.total ?? -1) || a.worker_name.localeCompare(b.worker_name, 'zh-CN'));
  const names = await getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]);
  let rank = 0;
  return rows.map((r, i) => {
    if (i === 0 || r.total !== rows[i - 1]!.total) rank = i + 1;
    return {
      workerId: Number(r.worker_id),
      name: r.worker_name,
      orgCode: r.org_code,
      orgName: names.get(r.org_code) ?? null,
      total: r.total === null ? null : Number(r.total),
      rank,
    };
  });
}

export async function findHonourCandidates(ctx: OpContext, cycleId: number, query: { orgCode?: string | undefined }) {
  return candidatesOf(ctx, cycleId, query.orgCode);
}

/** Issues the honours decision of a region or street for a final cycle: one per cycle and org. */
export async function issueHonours(ctx: OpContext, cycleId: number, input: THonourIssue): Promise<THonour> {
  const cycle = await getCycleRowOrThrow(ctx, cycleId);
  const org = await findOrgInScope(ctx, input.orgCode);
  if (!org || (cycle.org_code !== 'CN' && !isCodeUnder(org.code, cycle.org_code))) throw AppError.notFound();
  if (org.level > MAX_ISSUING_LEVEL || ctx.actor?.role === 'community_lead') {
    throw new AppError('FORBIDDEN', { message: '表彰由街道或以上组织发布', messageEn: 'Honours are issued by a street or above' });
  }
  if (input.decidedOn > todayDate()) throw AppError.field('decidedOn', '表彰决定日期不能晚于今天', 'The decision date is in the future');
  const candidates = await candidatesOf(ctx, cycleId, org.code);
  if (candidates.length === 0) {
    throw new AppError('CONFLICT', { message: '该范围内没有考核为优秀的人员', messageEn: 'Nobody in this subtree was rated excellent' });
  }
  const now = nowIso();
  try {
    const id = await ctx.deps.db.kysely.transaction().execute(async (trx) => {
      const honourId = await honoursRepo.insertHonour(
        trx,
        {
          cycle_id: cycleId,
          org_code: org.code,
          title: input.title,
          document_no: input.documentNo ?? null,
          decided_on: input.decidedOn,
          member_count: candidates.length,
          created_by: ctx.actor?.id ?? null,
          created_by_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
          created_at: now,
        },
        candidates.map((c) => ({
          honour_id: 0,
          worker_id: c.workerId,
          org_code: c.orgCode,
          worker_name: c.name,
          total: c.total,
          rank: c.rank,
        })),
      );
      await appendAudit(trx, ctx, {
        action: 'assessment.honours_issue',
        entityType: 'assessment_honour',
        entityId: honourId,
        orgCode: org.code,
        after: {
          cycleId,
          title: input.title,
          documentNo: input.documentNo ?? null,
          decidedOn: input.decidedOn,
          workerIds: candidates.map((c) => c.workerId),
        },
      });
      return honourId;
    });
    return (await presentHonours(ctx, [(await honoursRepo.getHonourInScope(ctx.deps.db.kysely, ctx.scope, id))!]))[0]!;
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('CONFLICT', { message: `${org.name}已发布本周期的表彰决定`, messageEn: 'Already issued for this org and cycle' });
    }
    throw err;
  }
}

export async function findHonours(ctx: OpContext, query: THonourListQuery): Promise<Page<THonour>> {
  const { items, total } = await honoursRepo.findHonoursInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    { cycleId: query.cycleId },
    query.pageSize,
    pageOffset(query),
  );
  return { items: await presentHonours(ctx, items), total };
}

async function getHonourRowOrThrow(ctx: OpContext, id: number) {
  const row = await honoursRepo.getHonourInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return row;
}

/** The members of a decision within the caller's scope. */
export async function findHonourMembers(ctx: OpContext, id: number): Promise<THonourCandidate[]> {
  await getHonourRowOrThrow(ctx, id);
  return membersInScope(ctx, id);
}

/** The members of a decision the caller may see (the decision itself already checked). */
async function membersInScope(ctx: OpContext, id: number): Promise<THonourCandidate[]> {
  const rows = await honoursRepo.findHonourMembersInScope(ctx.deps.db.kysely, ctx.scope, id);
  // The candidates' order: rank, then name (the database's collation of Chinese names varies).
  rows.sort((a, b) => Number(a.rank) - Number(b.rank) || a.worker_name.localeCompare(b.worker_name, 'zh-CN'));
  const names = await getOrgNames(ctx, [...new Set(rows.map((r) => r.org_code))]);
  return rows.map((r) => ({
    workerId: Number(r.worker_id),
    name: r.worker_name,
    orgCode: r.org_code,
    orgName: names.get(r.org_code) ?? null,
    total: r.total === null ? null : Number(r.total),
    rank: Number(r.rank),
  }));
}

/** The decision as a sheet (表彰名单.xlsx) of the members in the caller's scope; audited. */
export async function exportHonour(ctx: OpContext, id: number): Promise<{ fileName: string; asciiFileName: string; body: Buffer }> {
  const [honour] = await presentHonours(ctx, [await getHonourRowOrThrow(ctx, id)]);
  const members = await membersInScope(ctx, id);
  const wb = new excel.Workbook();
  wb.creator = 'shegong';
  const sheet = wb.addWorksheet('表彰名单');
  sheet.addRow([honour!.title]).font = { bold: true, size: 14 };
  sheet.addRow([`${honour!.orgName ?? honour!.orgCode}  ${honour!.documentNo ?? ''}  ${honour!.decidedOn}`]);
  const header = sheet.addRow(['名次', '姓名', '所在社区', '考核总分']);
  header.font = { bold: true };
  for (const m of members) sheet.addRow([m.rank, m.name, m.orgName ?? m.orgCode, m.total === null ? null : m.total / 100]);
  sheet.columns.forEach((c, i) => (c.width = [8, 14, 30, 12][i]));
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  await recordAudit(ctx, {
    action: 'assessment.honours_export',
    entityType: 'assessment_honour',
    entityId: id,
    orgCode: honour!.orgCode,
    after: { rows: members.length },
  });
  return { fileName: `表彰名单-${honour!.title}.xlsx`, asciiFileName: `honours-${id}.xlsx`, body };
}

/** The honours decisions commending one worker (their record's 荣誉 tab). */
export async function findWorkerHonours(ctx: OpContext, workerId: number): Promise<THonour[]> {
  await getWorkerRowOrThrow(ctx, workerId);
  return presentHonours(ctx, await honoursRepo.findWorkerHonoursUnscoped(ctx.deps.db.kysely, workerId));
}
