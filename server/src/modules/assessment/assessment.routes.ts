import { z } from 'zod';
import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import {
  ZAppeal,
  ZAppealCreate,
  ZAppealResolve,
  ZApproval,
  ZApprove,
  ZBallotCodesIssue,
  ZBallotCodesIssued,
  ZBallotOpen,
  ZCommunityBallot,
  ZCycle,
  ZCycleCommunityParams,
  ZCycleCreate,
  ZCycleListQuery,
  ZCycleWorkerParams,
  ZIdParams,
  ZMyResult,
  ZParticipant,
  ZParticipantUpdate,
  ZPublicBallot,
  ZPublicBallotAccepted,
  ZPublicBallotBody,
  ZPublicTokenParams,
  ZResult,
  ZResultQuery,
  ZSheet,
  ZSheetQuery,
  ZSheetSave,
  ZTally,
} from './assessment.schema.ts';
import {
  approveResults,
  computeCycle,
  fileAppeal,
  finaliseCycle,
  findApprovals,
  findAppeals,
  findCycleResults,
  findCycles,
  findMyResults,
  findParticipants,
  getCycle,
  getScoreSheet,
  openCycle,
  resolveAppeal,
  saveScoreSheet,
  updateParticipant,
} from './assessment.service.ts';
import {
  BALLOT_DEVICE_COOKIE,
  castBallot,
  closeCommunityBallot,
  findCycleCommunities,
  getCommunityTally,
  getPublicBallot,
  issueBallotCodes,
  openCommunityBallot,
} from './ballots.service.ts';
import { randomToken } from '../../lib/crypto.ts';

/** Assessment cycles (考核评议): opening, scoring sheets, residents' ballots, computation, approval, publicity, finalisation. */
export async function assessmentRoutes(app: App) {
  const tags = ['assessment'];
  app.get(
    '/assessment/cycles',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '考核周期列表（本级开启或覆盖本级的）', querystring: ZCycleListQuery, response: { 200: zPage(ZCycle) } },
    },
    async (req) => findCycles(req.ctx, req.query),
  );
  app.post(
    '/assessment/cycles',
    {
      config: { permission: 'assessment:manage' },
      schema: { tags, summary: '按模板为本辖区开启考核（模板校验错误指明字段）', body: ZCycleCreate, response: { 201: ZCycle } },
    },
    async (req, reply) => reply.status(201).send(await openCycle(req.ctx, req.body)),
  );
  app.get(
    '/assessment/cycles/:id',
    { config: { permission: 'assessment:read' }, schema: { tags, summary: '考核周期详情', params: ZIdParams, response: { 200: ZCycle } } },
    async (req) => getCycle(req.ctx, req.params.id),
  );
  app.get(
    '/assessment/cycles/:id/participants',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '参加考核人员（含一票否决事项）', params: ZIdParams, response: { 200: z.array(ZParticipant) } },
    },
    async (req) => findParticipants(req.ctx, req.params.id),
  );
  app.patch(
    '/assessment/cycles/:id/participants/:workerId',
    {
      config: { permission: 'assessment:ballots' },
      schema: {
        tags,
        summary: '录入一票否决事项或人工决定的总分（街道）',
        params: ZCycleWorkerParams,
        body: ZParticipantUpdate,
        response: { 200: ZParticipant },
      },
    },
    async (req) => updateParticipant(req.ctx, req.params.id, req.params.workerId, req.body),
  );
  app.get(
    '/assessment/cycles/:id/sheet',
    {
      config: { permission: 'assessment:score' },
      schema: {
        tags,
        summary: '我的评分表（街道评议、社区评议或同事互评；互评不含本人）',
        params: ZIdParams,
        querystring: ZSheetQuery,
        response: { 200: ZSheet },
      },
    },
    async (req) => getScoreSheet(req.ctx, req.params.id, req.query.group),
  );
  app.put(
    '/assessment/cycles/:id/sheet',
    {
      config: { permission: 'assessment:score' },
      schema: { tags, summary: '保存评分（每个维度0–10000，即0.01分）', params: ZIdParams, body: ZSheetSave, response: { 200: ZSheet } },
    },
    async (req) => saveScoreSheet(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/assessment/cycles/:id/communities',
    {
      config: { permission: 'assessment:read' },
      schema: {
        tags,
        summary: '各社区居民测评：方式、状态、实时票数（结束前不显示结果）',
        params: ZIdParams,
        response: { 200: z.array(ZCommunityBallot) },
      },
    },
    async (req) => findCycleCommunities(req.ctx, req.params.id),
  );
  app.post(
    '/assessment/cycles/:id/communities/:code/ballot-codes',
    {
      config: { permission: 'assessment:ballots' },
      schema: {
        tags,
        summary: '生成一次性测评码（仅本次返回，附打印页）',
        params: ZCycleCommunityParams,
        body: ZBallotCodesIssue,
        response: { 200: ZBallotCodesIssued },
      },
    },
    async (req) => issueBallotCodes(req.ctx, req.params.id, req.params.code, req.body.count, `${req.protocol}://${req.host}`),
  );
  app.post(
    '/assessment/cycles/:id/communities/:code/open',
    {
      config: { permission: 'assessment:ballots' },
      schema: {
        tags,
        summary: '开始居民测评（测评码或公开链接方式）',
        params: ZCycleCommunityParams,
        body: ZBallotOpen,
        response: { 200: ZCommunityBallot },
      },
    },
    async (req) => openCommunityBallot(req.ctx, req.params.id, req.params.code, req.body.mode),
  );
  app.post(
    '/assessment/cycles/:id/communities/:code/close',
    {
      config: { permission: 'assessment:ballots' },
      schema: { tags, summary: '结束居民测评', params: ZCycleCommunityParams, response: { 200: ZCommunityBallot } },
    },
    async (req) => closeCommunityBallot(req.ctx, req.params.id, req.params.code),
  );
  app.get(
    '/assessment/cycles/:id/communities/:code/tally',
    {
      config: { permission: 'assessment:read' },
      schema: {
        tags,
        summary: '测评结果（测评结束后）：每人票数、法定要求、意见（已脱敏）',
        params: ZCycleCommunityParams,
        response: { 200: ZTally },
      },
    },
    async (req) => getCommunityTally(req.ctx, req.params.id, req.params.code),
  );
  app.post(
    '/assessment/cycles/:id/compute',
    {
      config: { permission: 'assessment:manage' },
      schema: { tags, summary: '计算考核结果（须全部社区测评已结束）', params: ZIdParams, response: { 200: z.array(ZResult) } },
    },
    async (req) => computeCycle(req.ctx, req.params.id),
  );
  app.get(
    '/assessment/cycles/:id/results',
    {
      config: { permission: 'assessment:read' },
      schema: {
        tags,
        summary: '考核结果及说明（本人仅在公示后可见）',
        params: ZIdParams,
        querystring: ZResultQuery,
        response: { 200: z.array(ZResult) },
      },
    },
    async (req) => findCycleResults(req.ctx, req.params.id, req.query),
  );
  app.get(
    '/assessment/cycles/:id/approvals',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '审核记录', params: ZIdParams, response: { 200: z.array(ZApproval) } },
    },
    async (req) => findApprovals(req.ctx, req.params.id),
  );
  app.post(
    '/assessment/cycles/:id/approvals',
    {
      config: { permission: 'assessment:approve' },
      schema: {
        tags,
        summary: '逐级审核：社区 → 街道 → 开启考核的地区（地区审核后进入公示）',
        params: ZIdParams,
        body: ZApprove,
        response: { 200: z.array(ZApproval) },
      },
    },
    async (req) => approveResults(req.ctx, req.params.id, req.body.orgCode),
  );
  app.get(
    '/assessment/cycles/:id/appeals',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '申诉列表', params: ZIdParams, response: { 200: z.array(ZAppeal) } },
    },
    async (req) => findAppeals(req.ctx, req.params.id),
  );
  app.post(
    '/assessment/cycles/:id/appeals',
    {
      config: { permission: 'assessment:appeal' },
      schema: { tags, summary: '对本人考核结果提出申诉（公示期内）', params: ZIdParams, body: ZAppealCreate, response: { 201: ZAppeal } },
    },
    async (req, reply) => reply.status(201).send(await fileAppeal(req.ctx, req.params.id, req.body.text)),
  );
  app.post(
    '/assessment/appeals/:id/resolve',
    {
      config: { permission: 'assessment:ballots' },
      schema: { tags, summary: '答复申诉（支持时可调整等次）', params: ZIdParams, body: ZAppealResolve, response: { 200: ZAppeal } },
    },
    async (req) => resolveAppeal(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/assessment/cycles/:id/finalise',
    {
      config: { permission: 'assessment:manage' },
      schema: { tags, summary: '公示期满定档：写入年度考核结果，此后不可更改', params: ZIdParams, response: { 200: ZCycle } },
    },
    async (req) => finaliseCycle(req.ctx, req.params.id),
  );
  app.get(
    '/assessment/my-results',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '本人的考核结果（公示及定档后）与申诉', response: { 200: z.array(ZMyResult) } },
    },
    async (req) => findMyResults(req.ctx),
  );

  // ——— public, no sign-in: the residents' ballot ———
  const publicTags = ['public'];
  app.get(
    '/public/ballots/:token',
    {
      config: { auth: 'public' },
      schema: {
        tags: publicTags,
        summary: '居民满意度测评页（免登录；仅姓名与岗位）',
        security: [],
        params: ZPublicTokenParams,
        response: { 200: ZPublicBallot },
      },
    },
    async (req, reply) => {
      const page = await getPublicBallot(req.ctx, req.params.token);
      if (page.mode === 'open' && !req.cookies[BALLOT_DEVICE_COOKIE]) {
        reply.setCookie(BALLOT_DEVICE_COOKIE, randomToken(24), {
          path: '/api/v1/public/ballots',
          httpOnly: true,
          sameSite: 'lax',
          secure: req.ctx.deps.config.secureCookies,
          maxAge: 180 * 86_400,
        });
      }
      reply.header('cache-control', 'no-store');
      return page;
    },
  );
  app.post(
    '/public/ballots/:token',
    {
      config: { auth: 'public' },
      schema: {
        tags: publicTags,
        summary: '提交测评票（测评码只能使用一次；公开链接每台设备一次）',
        security: [],
        params: ZPublicTokenParams,
        body: ZPublicBallotBody,
        response: { 201: ZPublicBallotAccepted },
      },
    },
    async (req, reply) => {
      const { newDeviceToken } = await castBallot(req.ctx, req.params.token, req.body, req.cookies[BALLOT_DEVICE_COOKIE]);
      if (newDeviceToken) {
        reply.setCookie(BALLOT_DEVICE_COOKIE, newDeviceToken, {
          path: '/api/v1/public/ballots',
          httpOnly: true,
          sameSite: 'lax',
          secure: req.ctx.deps.config.secureCookies,
          maxAge: 180 * 86_400,
        });
      }
      return reply.status(201).send({ ok: true as const, message: '投票成功，感谢您的参与！' });
    },
  );
}
