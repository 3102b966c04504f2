import { z } from 'zod';
import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '../workers/workers.export.ts';
import { ZIdParams } from './assessment.schema.ts';
import { ZCandidatesQuery, ZHonour, ZHonourCandidate, ZHonourIssue, ZHonourListQuery, ZHonourParams } from './honours.schema.ts';
import { exportHonour, findHonourCandidates, findHonourMembers, findHonours, findWorkerHonours, issueHonours } from './honours.service.ts';

/** Honours lists (表彰名单) of final assessment cycles. */
export async function honourRoutes(app: App) {
  const tags = ['assessment'];
  app.get(
    '/assessment/cycles/:id/honours/candidates',
    {
      config: { permission: 'assessment:approve' },
      schema: {
        tags,
        summary: '表彰候选名单：定档结果为优秀的人员，按总分排名',
        params: ZIdParams,
        querystring: ZCandidatesQuery,
        response: { 200: z.array(ZHonourCandidate) },
      },
    },
    async (req) => findHonourCandidates(req.ctx, req.params.id, req.query),
  );
  app.post(
    '/assessment/cycles/:id/honours',
    {
      config: { permission: 'assessment:approve' },
      schema: {
        tags,
        summary: '发布表彰决定（街道或以上，每个周期每个组织一次）',
        params: ZIdParams,
        body: ZHonourIssue,
        response: { 201: ZHonour },
      },
    },
    async (req, reply) => reply.status(201).send(await issueHonours(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/assessment/honours',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '表彰决定（本级及上级发布的）', querystring: ZHonourListQuery, response: { 200: zPage(ZHonour) } },
    },
    async (req) => findHonours(req.ctx, req.query),
  );
  app.get(
    '/assessment/honours/:id/members',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '表彰名单（本范围内的人员）', params: ZHonourParams, response: { 200: z.array(ZHonourCandidate) } },
    },
    async (req) => findHonourMembers(req.ctx, req.params.id),
  );
  app.get(
    '/assessment/honours/:id/export',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '导出表彰名单（.xlsx，记入审计日志）', params: ZHonourParams },
    },
    async (req, reply) => {
      const file = await exportHonour(req.ctx, req.params.id);
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentDisposition(file.fileName, file.asciiFileName))
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
  app.get(
    '/workers/:id/honours',
    {
      config: { permission: 'assessment:read' },
      schema: { tags, summary: '人员获得的表彰', params: ZIdParams, response: { 200: z.object({ items: z.array(ZHonour) }) } },
    },
    async (req) => ({ items: await findWorkerHonours(req.ctx, req.params.id) }),
  );
}
