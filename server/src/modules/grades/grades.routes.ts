import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import { ZOrgParams } from '../orgs/orgs.schema.ts';
import {
  ZAssessmentResults,
  ZAssessmentResultsPut,
  ZGradeRun,
  ZGradeRunCreate,
  ZGradeRunItem,
  ZGradeRunItemQuery,
  ZGradeRunQuery,
  ZGradeSchemeCreate,
  ZGradeSchemeView,
  ZRunParams,
  ZWorkerGrades,
  ZWorkerIdParams,
} from './grades.schema.ts';
import {
  approveGradeRun,
  cancelGradeRun,
  createGradeRun,
  findAssessmentResults,
  findGradeRunItems,
  findGradeRuns,
  findWorkerGrades,
  getGradeRun,
  getGradeScheme,
  putAssessmentResults,
  saveGradeScheme,
} from './grades.service.ts';

export async function gradeRoutes(app: App) {
  const read = { permission: 'grades:read' as const };
  const write = { permission: 'grades:write' as const };
  const approve = { permission: 'grades:approve' as const };
  const tags = ['grades'];

  app.get(
    '/orgs/:code/grade-scheme',
    {
      // grades:read or rules:write, checked by the service.
      config: {},
      schema: { tags, summary: '岗位等级方案（当前生效版本及本级各版本）', params: ZOrgParams, response: { 200: ZGradeSchemeView } },
    },
    async (req) => getGradeScheme(req.ctx, req.params.code),
  );
  app.post(
    '/orgs/:code/grade-scheme',
    {
      config: { permission: 'rules:write' },
      schema: {
        tags,
        summary: '保存岗位等级方案（新增一个生效版本）',
        params: ZOrgParams,
        body: ZGradeSchemeCreate,
        response: { 201: ZGradeSchemeView },
      },
    },
    async (req, reply) => reply.status(201).send(await saveGradeScheme(req.ctx, req.params.code, req.body)),
  );
  app.get(
    '/workers/:id/grades',
    {
      config: read,
      schema: { tags, summary: '人员岗位等级及历史（最新在前，附计算说明）', params: ZWorkerIdParams, response: { 200: ZWorkerGrades } },
    },
    async (req) => findWorkerGrades(req.ctx, req.params.id),
  );
  app.get(
    '/workers/:id/assessment-results',
    {
      config: read,
      schema: { tags, summary: '年度考核结果（按年度，最新在前）', params: ZWorkerIdParams, response: { 200: ZAssessmentResults } },
    },
    async (req) => ({ items: await findAssessmentResults(req.ctx, req.params.id) }),
  );
  app.put(
    '/workers/:id/assessment-results',
    {
      config: write,
      schema: {
        tags,
        summary: '录入年度考核结果（按年度更新；结果为空则删除手工录入的年度）',
        params: ZWorkerIdParams,
        body: ZAssessmentResultsPut,
        response: { 200: ZAssessmentResults },
      },
    },
    async (req) => ({ items: await putAssessmentResults(req.ctx, req.params.id, req.body) }),
  );
  app.post(
    '/grade-runs',
    {
      config: write,
      schema: { tags, summary: '生成定级或年度晋级预览', body: ZGradeRunCreate, response: { 201: ZGradeRun } },
    },
    async (req, reply) => reply.status(201).send(await createGradeRun(req.ctx, req.body)),
  );
  app.get(
    '/grade-runs',
    { config: read, schema: { tags, summary: '定级与晋级批次', querystring: ZGradeRunQuery, response: { 200: zPage(ZGradeRun) } } },
    async (req) => findGradeRuns(req.ctx, req.query),
  );
  app.get(
    '/grade-runs/:id',
    { config: read, schema: { tags, summary: '定级与晋级批次详情', params: ZRunParams, response: { 200: ZGradeRun } } },
    async (req) => getGradeRun(req.ctx, req.params.id),
  );
  app.get(
    '/grade-runs/:id/items',
    {
      config: read,
      schema: {
        tags,
        summary: '批次明细（每人一行：由何级到何级、原因）',
        params: ZRunParams,
        querystring: ZGradeRunItemQuery,
        response: { 200: zPage(ZGradeRunItem) },
      },
    },
    async (req) => findGradeRunItems(req.ctx, req.params.id, req.query),
  );
  app.post(
    '/grade-runs/:id/approve',
    { config: approve, schema: { tags, summary: '审批并生效（街道）', params: ZRunParams, response: { 200: ZGradeRun } } },
    async (req) => approveGradeRun(req.ctx, req.params.id),
  );
  app.post(
    '/grade-runs/:id/cancel',
    { config: approve, schema: { tags, summary: '取消预览中的批次', params: ZRunParams, response: { 200: ZGradeRun } } },
    async (req) => cancelGradeRun(req.ctx, req.params.id),
  );
}
