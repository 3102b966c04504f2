import { z } from 'zod';
import type { App } from '../../app.ts';
import { zPage, ZPaging } from '../../lib/paging.ts';
import { attachmentDisposition, startWorkerExport, XLSX_CONTENT_TYPE, ZWorkerExportQuery } from './workers.export.ts';
import { changeWorkerStatus, transferWorker } from './workers.lifecycle.service.ts';
import {
  ZRevealRequest,
  ZRevealResponse,
  ZWorker,
  ZWorkerAssignment,
  ZWorkerCreate,
  ZWorkerHistoryEntry,
  ZWorkerListQuery,
  ZWorkerParams,
  ZWorkerStatusChange,
  ZWorkerSummary,
  ZWorkerTransfer,
  ZWorkerUpdate,
} from './workers.schema.ts';
import {
  createWorker,
  findWorkerAssignments,
  findWorkerHistory,
  findWorkers,
  getWorker,
  revealWorkerData,
  updateWorker,
} from './workers.service.ts';

export async function workerRoutes(app: App) {
  app.get(
    '/workers',
    {
      config: { permission: 'workers:read' },
      schema: {
        tags: ['workers'],
        summary: '社区工作者列表（身份证号脱敏）',
        querystring: ZWorkerListQuery,
        response: { 200: zPage(ZWorkerSummary).extend({ totalCapped: z.boolean() }) },
      },
    },
    async (req) => findWorkers(req.ctx, req.query),
  );
  app.get(
    '/workers/export',
    {
      config: { permission: 'workers:read' },
      schema: {
        tags: ['workers'],
        summary: '导出花名册（.xlsx，筛选条件同列表；reveal=1 导出完整身份证号/手机号，须有查看权限，记入审计日志）',
        querystring: ZWorkerExportQuery,
      },
    },
    async (req, reply) => {
      const file = await startWorkerExport(req.ctx, req.query);
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentDisposition(file.fileName, file.asciiFileName))
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
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
      schema: {
        tags: ['workers'],
        summary: '修改社区工作者信息（状态仅可由试用期转为在岗）',
        params: ZWorkerParams,
        body: ZWorkerUpdate,
        response: { 200: ZWorker },
      },
    },
    async (req) => updateWorker(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/workers/:id/status',
    {
      config: { permission: 'workers:write' },
      schema: {
        tags: ['workers'],
        summary: '变更状态（转正、离岗、返岗、退出、恢复）',
        params: ZWorkerParams,
        body: ZWorkerStatusChange,
        response: { 200: ZWorker },
      },
    },
    async (req) => changeWorkerStatus(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/workers/:id/transfer',
    {
      config: { permission: 'workers:write' },
      schema: {
        tags: ['workers'],
        summary: '调动（保留任职经历）',
        params: ZWorkerParams,
        body: ZWorkerTransfer,
        response: { 200: ZWorker },
      },
    },
    async (req) => transferWorker(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/workers/:id/assignments',
    {
      config: { permission: 'workers:read' },
      schema: {
        tags: ['workers'],
        summary: '任职经历（所在社区及起止日期）',
        params: ZWorkerParams,
        response: { 200: z.object({ items: z.array(ZWorkerAssignment) }) },
      },
    },
    async (req) => ({ items: await findWorkerAssignments(req.ctx, req.params.id) }),
  );
  app.get(
    '/workers/:id/history',
    {
      config: { permission: 'workers:read' },
      schema: {
        tags: ['workers'],
        summary: '变更记录（个人信息脱敏，最新在前）',
        params: ZWorkerParams,
        querystring: ZPaging,
        response: { 200: zPage(ZWorkerHistoryEntry) },
      },
    },
    async (req) => findWorkerHistory(req.ctx, req.params.id, req.query.page, req.query.pageSize),
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
