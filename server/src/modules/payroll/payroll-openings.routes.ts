import type { Readable } from 'node:stream';
import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '../workers/workers.export.ts';
import { startFloorReportExport } from './payroll-floor.export.ts';
import { deletePayInput, importPayInputs } from './payroll-inputs.service.ts';
import { findTaxOpenings, importTaxOpenings, saveTaxOpening } from './payroll-openings.service.ts';
import {
  ZImportResult,
  ZPayInputImportQuery,
  ZPayInputParams,
  ZTaxOpening,
  ZTaxOpeningImportQuery,
  ZTaxOpeningQuery,
  ZTaxOpeningSave,
  ZWorkerParams,
} from './payroll-openings.schema.ts';
import { ZFloorReportQuery } from './payroll.schema.ts';

/** Content types an upload may be sent as; the bytes decide what the file really is. */
const UPLOAD_TYPES = ['application/octet-stream', XLSX_CONTENT_TYPE, 'text/csv', 'application/vnd.ms-excel'];

/** Opening tax balances, deleting and importing monthly inputs, and the floor report's download. */
export async function payrollOpeningRoutes(app: App) {
  const tags = ['payroll'];
  app.get(
    '/payroll/tax-openings',
    {
      config: { permission: 'payroll:read' },
      schema: {
        tags,
        summary: '期初累计（年度内此前已由原系统发放月份的累计收入、扣除和已扣税额）',
        querystring: ZTaxOpeningQuery,
        response: { 200: zPage(ZTaxOpening) },
      },
    },
    async (req) => findTaxOpenings(req.ctx, req.query),
  );
  app.put(
    '/workers/:id/tax-opening',
    {
      config: { permission: 'payroll:write' },
      schema: {
        tags,
        summary: '录入或修改某人某年度的期初累计（本系统已审批的月份不可再计入期初）',
        params: ZWorkerParams,
        body: ZTaxOpeningSave,
        response: { 200: ZTaxOpening },
      },
    },
    async (req) => saveTaxOpening(req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/pay-inputs/:id',
    {
      config: { permission: 'payroll:write' },
      schema: { tags, summary: '删除一条月度工资录入项（已审批月份不可删除）', params: ZPayInputParams },
    },
    async (req, reply) => {
      await deletePayInput(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/payroll/floor-report/export',
    {
      config: { permission: 'payroll:read' },
      schema: { tags, summary: '导出最低工资保障核查（.xlsx，记入审计日志）', querystring: ZFloorReportQuery },
    },
    async (req, reply) => {
      const file = await startFloorReportExport(req.ctx, req.query);
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentDisposition(file.fileName, file.asciiFileName))
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
  );

  await app.register(async (upload) => {
    // Uploads are the one place a body is not JSON: the file's bytes.
    for (const type of UPLOAD_TYPES) {
      upload.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
    }
    (upload as App).post(
      '/payroll/tax-openings/import',
      {
        config: { permission: 'payroll:write' },
        schema: {
          tags,
          summary: '导入期初累计（请求体为 .xlsx 或 CSV 文件本身；金额单位元；全部正确才写入，dryRun=1 仅校验）',
          querystring: ZTaxOpeningImportQuery,
          response: { 200: ZImportResult },
        },
      },
      async (req) =>
        importTaxOpenings(req.ctx, req.body as Readable | undefined, { isDryRun: req.query.dryRun === '1', fileName: req.query.fileName }),
    );
    (upload as App).post(
      '/pay-inputs/import',
      {
        config: { permission: 'payroll:write' },
        schema: {
          tags,
          summary: '导入某月工资录入项（请求体为 .xlsx 或 CSV 文件本身；金额单位元；全部正确才写入，dryRun=1 仅校验）',
          querystring: ZPayInputImportQuery,
          response: { 200: ZImportResult },
        },
      },
      async (req) =>
        importPayInputs(req.ctx, req.body as Readable | undefined, {
          month: req.query.month,
          isDryRun: req.query.dryRun === '1',
          fileName: req.query.fileName,
        }),
    );
  });
}
