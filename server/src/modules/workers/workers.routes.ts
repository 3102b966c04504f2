import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import {
  ZRevealRequest,
  ZRevealResponse,
  ZWorker,
  ZWorkerCreate,
  ZWorkerListQuery,
  ZWorkerParams,
  ZWorkerSummary,
  ZWorkerUpdate,
} from './workers.schema.ts';
import { createWorker, findWorkers, getWorker, revealWorkerData, updateWorker } from './workers.service.ts';

export async function workerRoutes(app: App) {
  app.get(
    '/workers',
    {
      config: { permission: 'workers:read' },
      schema: {
        tags: ['workers'],
        summary: '社区工作者列表（身份证号脱敏）',
        querystring: ZWorkerListQuery,
        response: { 200: zPage(ZWorkerSummary) },
      },
    },
    async (req) => findWorkers(req.ctx, req.query),
  );
  app.post(
    '/workers',
    {
      config: { permission: 'workers:write' },
      schema: { tags: ['workers'], summary: '登记社区工作者', body: ZWorkerCreate, response: { 201: ZWorker } },
    },
    async (req, reply) => reply.status(201).send(await createWorker(req.ctx, req.body)),
  );
  app.get(
    '/workers/:id',
    {
      config: { permission: 'workers:read' },
      schema: { tags: ['workers'], summary: '社区工作者详情', params: ZWorkerParams, response: { 200: ZWorker } },
    },
    async (req) => getWorker(req.ctx, req.params.id),
  );
  app.patch(
    '/workers/:id',
    {
      config: { permission: 'workers:write' },
      schema: { tags: ['workers'], summary: '修改社区工作者信息', params: ZWorkerParams, body: ZWorkerUpdate, response: { 200: ZWorker } },
    },
    async (req) => updateWorker(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/workers/:id/reveal',
    {
      config: { permission: 'workers:reveal', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['workers'],
        summary: '查看完整身份证号/手机号（记入审计日志）',
        params: ZWorkerParams,
        body: ZRevealRequest.optional(),
        response: { 200: ZRevealResponse },
      },
    },
    async (req) => revealWorkerData(req.ctx, req.params.id, req.body?.fields ?? ['idNumber']),
  );
}
