import { PassThrough, type Readable } from 'node:stream';
import type { App } from '../../app.ts';
import { AppError } from '../../lib/errors.ts';
import { zPage } from '../../lib/paging.ts';
import { ZOrgParams } from '../orgs/orgs.schema.ts';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '../workers/workers.export.ts';
import { importAssessmentResults, writeAssessmentImportTemplate } from './assessment-import.ts';
import {
  ZAssessmentImportQuery,
  ZAssessmentImportResult,
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
  ZWorkerGradeSet,
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
  setWorkerGrade,
} from './grades.service.ts';

/** Content types an upload may be sent as; the bytes decide what the file really is. */
const UPLOAD_TYPES = ['application/octet-stream', XLSX_CONTENT_TYPE, 'text/csv', 'application/vnd.ms-excel'];

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
  app.put(
    '/workers/:id/grade',
    {
      // Street HR and region admins (grades:approve) set a grade by hand, with a reason.
      config: approve,
      schema: {
        tags,
        summary: '手动调整岗位等级（须在等级方案的岗位等级范围内，并填写原因）',
        params: ZWorkerIdParams,
        body: ZWorkerGradeSet,
        response: { 200: ZWorkerGrades },
      },
    },
    async (req) => setWorkerGrade(req.ctx, req.params.id, req.body),
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
  app.get(
    '/assessment-results/import/template',
    { config: write, schema: { tags, summary: '下载考核结果导入模板（.xlsx：姓名、身份证号、年度、考核结果）' } },
    async (_req, reply) => {
      const stream = new PassThrough();
      void writeAssessmentImportTemplate(stream).catch((err: unknown) => stream.destroy(err as Error));
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentDisposition('考核结果导入模板.xlsx', 'assessment-results-template.xlsx'))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
  await app.register(async (upload) => {
    // The request body is the file itself, not JSON.
    for (const type of UPLOAD_TYPES) upload.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
    (upload as App).post(
      '/assessment-results/import',
      {
        config: write,
        schema: {
          tags,
          summary: '导入考核结果（请求体为 .xlsx 或 CSV 文件本身；全部正确才写入，dryRun=true 仅校验）',
          querystring: ZAssessmentImportQuery,
          response: { 200: ZAssessmentImportResult },
        },
      },
      async (req) => {
        const body = req.body as unknown as Readable | undefined;
        if (!body || typeof body.pipe !== 'function') {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
            message: '请以 application/octet-stream 上传文件本身',
            messageEn: 'Send the file itself as application/octet-stream',
          });
        }
        return importAssessmentResults(req.ctx, body, { dryRun: req.query.dryRun === 'true', fileName: req.query.fileName });
      },
    );
  });
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
