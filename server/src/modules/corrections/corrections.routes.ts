import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import { ZWorkerParams } from '../workers/workers.schema.ts';
import { ZCorrection, ZCorrectionCreate, ZCorrectionListQuery, ZCorrectionParams, ZCorrectionReject } from './corrections.schema.ts';
import {
  approveCorrection,
  findCorrections,
  findWorkerCorrections,
  rejectCorrection,
  requestCorrection,
  withdrawCorrection,
} from './corrections.service.ts';

/** Self-service correction requests: the worker files them, the street office reviews them. */
export async function correctionRoutes(app: App) {
  const tags = ['corrections'];
  app.post(
    '/workers/:id/corrections',
    {
      config: { permission: 'corrections:request' },
      schema: {
        tags,
        summary: '申请更正本人档案（仅限可更正字段，由街道审核）',
        params: ZWorkerParams,
        body: ZCorrectionCreate,
        response: { 201: ZCorrection },
      },
    },
    async (req, reply) => reply.status(201).send(await requestCorrection(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/workers/:id/corrections',
    {
      config: { permission: 'workers:read' },
      schema: {
        tags,
        summary: '某人的更正申请（最新在前；手机号脱敏）',
        params: ZWorkerParams,
        querystring: ZCorrectionListQuery.omit({ orgCode: true }),
        response: { 200: zPage(ZCorrection) },
      },
    },
    async (req) => findWorkerCorrections(req.ctx, req.params.id, req.query),
  );
  app.get(
    '/corrections',
    {
      config: { permission: 'workers:read' },
      schema: {
        tags,
        summary: '更正申请列表（审核队列；按状态、组织筛选）',
        querystring: ZCorrectionListQuery,
        response: { 200: zPage(ZCorrection) },
      },
    },
    async (req) => findCorrections(req.ctx, req.query),
  );
  app.post(
    '/corrections/:id/approve',
    {
      config: { permission: 'corrections:review' },
      schema: {
        tags,
        summary: '通过更正申请（写入档案、变更记录和审计日志；档案已被修改时拒绝）',
        params: ZCorrectionParams,
        response: { 200: ZCorrection },
      },
    },
    async (req) => approveCorrection(req.ctx, req.params.id),
  );
  app.post(
    '/corrections/:id/reject',
    {
      config: { permission: 'corrections:review' },
      schema: {
        tags,
        summary: '驳回更正申请（须填写原因）',
        params: ZCorrectionParams,
        body: ZCorrectionReject,
        response: { 200: ZCorrection },
      },
    },
    async (req) => rejectCorrection(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/corrections/:id/withdraw',
    {
      config: { permission: 'corrections:request' },
      schema: { tags, summary: '撤回本人待审核的更正申请', params: ZCorrectionParams, response: { 200: ZCorrection } },
    },
    async (req) => withdrawCorrection(req.ctx, req.params.id),
  );
}
