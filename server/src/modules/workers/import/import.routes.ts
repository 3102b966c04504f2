import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { z } from 'zod';
import type { App } from '../../../app.ts';
import { AppError } from '../../../lib/errors.ts';
import { zPage, ZPaging } from '../../../lib/paging.ts';
import { ZOrgCode } from '../../orgs/orgs.schema.ts';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '../workers.export.ts';
import {
  cancelImport,
  commitImport,
  getImportJob,
  listImportIssues,
  listImportJobs,
  previewImport,
  revalidateImport,
  startImport,
  writeImportTemplate,
  writeMarkedImportCopy,
} from './import.service.ts';

/** Content types an upload may be sent as; the bytes decide what the file really is. */
const UPLOAD_TYPES = ['application/octet-stream', XLSX_CONTENT_TYPE, 'text/csv', 'application/vnd.ms-excel'];

const ZJobParams = z.object({ id: z.coerce.number().int().positive() });
const ZSheet = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : v));

const ZUploadQuery = z.object({
  orgCode: ZOrgCode,
  fileName: z.string().trim().min(1).max(200),
  updateExisting: z.enum(['0', '1']).default('0'),
  /** Sheet name, or its 0-based position; default the first visible sheet. */
  sheet: ZSheet,
});

const ZCounts = z.object({
  totalRows: z.number(),
  errorRows: z.number(),
  errors: z.number(),
  warnings: z.number(),
  create: z.number(),
  update: z.number(),
  unchanged: z.number(),
  skip: z.number(),
});

export const ZImportJob = z.object({
  id: z.number(),
  status: z.enum(['validating', 'validated', 'invalid', 'committing', 'committed', 'failed', 'cancelled']),
  orgCode: z.string(),
  fileName: z.string(),
  fileSize: z.number(),
  fileKind: z.string().nullable(),
  sheets: z.array(z.object({ index: z.number(), name: z.string(), isHidden: z.boolean(), rowCount: z.number() })),
  sheetName: z.string().nullable(),
  updateExisting: z.boolean(),
  progress: z.object({ phase: z.string(), done: z.number(), total: z.number().nullable() }).nullable(),
  counts: ZCounts,
  columns: z.array(z.object({ key: z.string(), label: z.string(), header: z.string() })),
  unknownColumns: z.array(z.string()),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
  canCommit: z.boolean(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  validatedAt: z.string().nullable(),
  committedAt: z.string().nullable(),
});

const ZIssue = z.object({
  rowNumber: z.number(),
  field: z.string().nullable(),
  column: z.string().nullable(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  text: z.string(),
});

const ZPreviewRow = z.object({
  rowNumber: z.number(),
  action: z.enum(['create', 'update', 'unchanged', 'skip']),
  workerId: z.number().nullable(),
  name: z.string(),
  idNumberMasked: z.string(),
  orgCode: z.string(),
  changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
  view: z.record(z.string(), z.string().nullable()),
});

export async function workerImportRoutes(app: App) {
  app.get(
    '/workers/import/template',
    {
      config: { permission: 'workers:write' },
      schema: { tags: ['workers-import'], summary: '下载社区工作者导入模板（.xlsx，含下拉选项、示例行和填写说明）' },
    },
    async (_req, reply) => {
      const stream = new PassThrough();
      void writeImportTemplate(stream).catch((err: unknown) => stream.destroy(err as Error));
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentDisposition('社区工作者导入模板.xlsx', 'worker-import-template.xlsx'))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  await app.register(async (upload) => {
    // Uploads are the one place a body is not JSON: the file's bytes, streamed to disk.
    for (const type of UPLOAD_TYPES) {
      upload.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
    }
    (upload as App).post(
      '/workers/imports',
      {
        config: { permission: 'workers:write' },
        schema: {
          tags: ['workers-import'],
          summary: '上传导入文件（请求体为文件本身，.xlsx 或 CSV；上传后自动开始逐行校验，不写入任何人员）',
          querystring: ZUploadQuery,
          response: { 202: ZImportJob },
        },
      },
      async (req, reply) => {
        const body = req.body as unknown as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function') {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
            message: '请以 application/octet-stream 上传文件本身',
            messageEn: 'Send the file itself as application/octet-stream',
          });
        }
        const job = await startImport(req.ctx, body, {
          fileName: req.query.fileName,
          orgCode: req.query.orgCode,
          updateExisting: req.query.updateExisting === '1',
          sheet: req.query.sheet,
        });
        return reply.status(202).send(job);
      },
    );
  });

  app.get(
    '/workers/imports',
    {
      config: { permission: 'workers:write' },
      schema: { tags: ['workers-import'], summary: '导入记录', querystring: ZPaging, response: { 200: zPage(ZImportJob) } },
    },
    async (req) => listImportJobs(req.ctx, req.query.page, req.query.pageSize),
  );
  app.get(
    '/workers/imports/:id',
    {
      config: { permission: 'workers:write' },
      schema: { tags: ['workers-import'], summary: '导入任务的状态、进度和校验结果', params: ZJobParams, response: { 200: ZImportJob } },
    },
    async (req) => getImportJob(req.ctx, req.params.id),
  );
  app.get(
    '/workers/imports/:id/issues',
    {
      config: { permission: 'workers:write' },
      schema: {
        tags: ['workers-import'],
        summary: '逐行校验问题（如“第12行 身份证号：校验位错误”）',
        params: ZJobParams,
        querystring: ZPaging.extend({ severity: z.enum(['error', 'warning']).optional() }),
        response: { 200: zPage(ZIssue) },
      },
    },
    async (req) => listImportIssues(req.ctx, req.params.id, req.query.severity, req.query.page, req.query.pageSize),
  );
  app.get(
    '/workers/imports/:id/rows',
    {
      config: { permission: 'workers:write' },
      schema: {
        tags: ['workers-import'],
        summary: '预览：确认后将新增、更新或跳过的人员（脱敏）',
        params: ZJobParams,
        querystring: ZPaging.extend({ action: z.enum(['create', 'update', 'unchanged', 'skip']).optional() }),
        response: { 200: zPage(ZPreviewRow) },
      },
    },
    async (req) => previewImport(req.ctx, req.params.id, req.query.action, req.query.page, req.query.pageSize),
  );
  app.post(
    '/workers/imports/:id/validate',
    {
      config: { permission: 'workers:write' },
      schema: {
        tags: ['workers-import'],
        summary: '重新校验（可换一个工作表，或改为更新已有人员）',
        params: ZJobParams,
        body: z.object({
          sheet: z.union([z.string().trim().min(1).max(100), z.number().int().min(0)]).optional(),
          updateExisting: z.boolean().optional(),
        }),
        response: { 202: ZImportJob },
      },
    },
    async (req, reply) => reply.status(202).send(await revalidateImport(req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/workers/imports/:id/commit',
    {
      config: { permission: 'workers:write' },
      schema: {
        tags: ['workers-import'],
        summary: '确认导入（全部成功或全部不写入）',
        params: ZJobParams,
        response: { 202: ZImportJob },
      },
    },
    async (req, reply) => reply.status(202).send(await commitImport(req.ctx, req.params.id)),
  );
  app.post(
    '/workers/imports/:id/cancel',
    {
      config: { permission: 'workers:write' },
      schema: { tags: ['workers-import'], summary: '取消导入（删除上传的文件）', params: ZJobParams, response: { 200: ZImportJob } },
    },
    async (req) => cancelImport(req.ctx, req.params.id),
  );
  app.get(
    '/workers/imports/:id/marked',
    {
      config: { permission: 'workers:write' },
      schema: { tags: ['workers-import'], summary: '下载标注了错误的文件（错误单元格标红并附批注）', params: ZJobParams },
    },
    async (req, reply) => {
      const file = await writeMarkedImportCopy(req.ctx, req.params.id);
      const stream = fs.createReadStream(file.path);
      stream.on('close', () => void rm(file.path, { force: true }));
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentDisposition(file.fileName, 'import-errors.xlsx'))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
}
