import type { App } from '../../app.ts';
import { zPage, ZPaging } from '../../lib/paging.ts';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '../workers/workers.export.ts';
import { startPayrollExport } from './payroll.export.ts';
import { payrollOpeningRoutes } from './payroll-openings.routes.ts';
import {
  ZExportQuery,
  ZFloorReport,
  ZFloorReportQuery,
  ZInsuranceRuleCreate,
  ZPayInput,
  ZPayInputCreate,
  ZPayInputQuery,
  ZPaySettings,
  ZPayTableCreate,
  ZRun,
  ZRunCreate,
  ZRunError,
  ZRunListQuery,
  ZRunParams,
  ZRunSlipsQuery,
  ZSettingsQuery,
  ZSlip,
  ZSlipParams,
  ZSlipSummary,
  ZWageFloorCreate,
} from './payroll.schema.ts';
import {
  approvePayrollRun,
  computePayrollRun,
  createPayrollRun,
  findMyPayslips,
  findPayInputs,
  findPayrollRuns,
  findRunErrors,
  findRunSlips,
  getFloorReport,
  getPayrollRun,
  getPayslip,
  markPayrollRunPaid,
  savePayInput,
} from './payroll.service.ts';
import { getPaySettings, saveInsuranceRule, savePayTable, saveWageFloor } from './payroll.settings.ts';

/** Monthly payroll runs, slips, inputs, pay settings and the pay-floor report. */
export async function payrollRoutes(app: App) {
  const tags = ['payroll'];
  app.get(
    '/payroll-runs',
    {
      config: { permission: 'payroll:read' },
      schema: { tags, summary: '工资批次列表', querystring: ZRunListQuery, response: { 200: zPage(ZRun) } },
    },
    async (req) => findPayrollRuns(req.ctx, req.query),
  );
  app.post(
    '/payroll-runs',
    {
      config: { permission: 'payroll:write' },
      schema: { tags, summary: '创建工资批次（街道或以上组织、某月；草稿）', body: ZRunCreate, response: { 201: ZRun } },
    },
    async (req, reply) => reply.status(201).send(await createPayrollRun(req.ctx, req.body)),
  );
  app.get(
    '/payroll-runs/:id',
    {
      config: { permission: 'payroll:read' },
      schema: { tags, summary: '工资批次（状态、进度、人数、合计）', params: ZRunParams, response: { 200: ZRun } },
    },
    async (req) => getPayrollRun(req.ctx, req.params.id),
  );
  app.post(
    '/payroll-runs/:id/compute',
    {
      config: { permission: 'payroll:write' },
      schema: { tags, summary: '计算工资（后台分批执行，可断点续算；已计算的批次重新计算）', params: ZRunParams, response: { 202: ZRun } },
    },
    async (req, reply) => reply.status(202).send(await computePayrollRun(req.ctx, req.params.id)),
  );
  app.post(
    '/payroll-runs/:id/approve',
    {
      config: { permission: 'payroll:approve' },
      schema: { tags, summary: '审批工资批次（工资条定稿不可修改；计算人不能审批）', params: ZRunParams, response: { 200: ZRun } },
    },
    async (req) => approvePayrollRun(req.ctx, req.params.id),
  );
  app.post(
    '/payroll-runs/:id/paid',
    {
      config: { permission: 'payroll:approve' },
      schema: { tags, summary: '标记工资批次已发放', params: ZRunParams, response: { 200: ZRun } },
    },
    async (req) => markPayrollRunPaid(req.ctx, req.params.id),
  );
  app.get(
    '/payroll-runs/:id/slips',
    {
      config: { permission: 'payroll:read' },
      schema: { tags, summary: '批次的工资条', params: ZRunParams, querystring: ZRunSlipsQuery, response: { 200: zPage(ZSlipSummary) } },
    },
    async (req) => findRunSlips(req.ctx, req.params.id, req.query),
  );
  app.get(
    '/payroll-runs/:id/errors',
    {
      config: { permission: 'payroll:read' },
      schema: {
        tags,
        summary: '批次中未能计算的人员及原因',
        params: ZRunParams,
        querystring: ZPaging,
        response: { 200: zPage(ZRunError) },
      },
    },
    async (req) => findRunErrors(req.ctx, req.params.id, req.query),
  );
  app.get(
    '/payroll-runs/:id/export',
    {
      config: { permission: 'payroll:read' },
      schema: { tags, summary: '导出工资表 / 代发清单 / 社区汇总表（.xlsx，记入审计日志）', params: ZRunParams, querystring: ZExportQuery },
    },
    async (req, reply) => {
      const file = await startPayrollExport(req.ctx, req.params.id, req.query.kind);
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentDisposition(file.fileName, file.asciiFileName))
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
  );
  app.get(
    '/payslips/:id',
    {
      config: { permission: 'payslips:read' },
      schema: { tags, summary: '工资条（全部明细；职工仅本人已审批的）', params: ZSlipParams, response: { 200: ZSlip } },
    },
    async (req) => getPayslip(req.ctx, req.params.id),
  );
  app.get(
    '/me/payslips',
    {
      config: { permission: 'payslips:read' },
      schema: { tags, summary: '我的工资条（已审批）', querystring: ZPaging, response: { 200: zPage(ZSlipSummary) } },
    },
    async (req) => findMyPayslips(req.ctx, req.query),
  );
  app.get(
    '/pay-inputs',
    {
      config: { permission: 'payroll:read' },
      schema: {
        tags,
        summary: '月度工资录入项（补贴、扣款、专项附加扣除）',
        querystring: ZPayInputQuery,
        response: { 200: zPage(ZPayInput) },
      },
    },
    async (req) => findPayInputs(req.ctx, req.query),
  );
  app.post(
    '/pay-inputs',
    {
      config: { permission: 'payroll:write' },
      schema: { tags, summary: '录入或修改某人某月的工资项（已审批月份不可改）', body: ZPayInputCreate, response: { 200: ZPayInput } },
    },
    async (req) => savePayInput(req.ctx, req.body),
  );
  app.get(
    '/payroll/settings',
    {
      config: { permission: 'payroll:read' },
      schema: {
        tags,
        summary: '地区薪酬规则（工资表、五险一金、社平工资）各版本',
        querystring: ZSettingsQuery,
        response: { 200: ZPaySettings },
      },
    },
    async (req) => getPaySettings(req.ctx, req.query.regionCode),
  );
  app.post(
    '/payroll/pay-tables',
    {
      config: { permission: 'rules:write' },
      schema: { tags, summary: '保存工资表新版本（JSON，校验后保存）', body: ZPayTableCreate, response: { 201: ZPaySettings } },
    },
    async (req, reply) => reply.status(201).send(await savePayTable(req.ctx, req.body)),
  );
  app.post(
    '/payroll/insurance-rules',
    {
      config: { permission: 'rules:write' },
      schema: { tags, summary: '保存五险一金规则新版本（JSON）', body: ZInsuranceRuleCreate, response: { 201: ZPaySettings } },
    },
    async (req, reply) => reply.status(201).send(await saveInsuranceRule(req.ctx, req.body)),
  );
  app.post(
    '/payroll/wage-floors',
    {
      config: { permission: 'rules:write' },
      schema: {
        tags,
        summary: '录入地区年度城镇单位就业人员平均工资（次年保底线）',
        body: ZWageFloorCreate,
        response: { 201: ZPaySettings },
      },
    },
    async (req, reply) => reply.status(201).send(await saveWageFloor(req.ctx, req.body)),
  );
  app.get(
    '/payroll/floor-report',
    {
      config: { permission: 'payroll:read' },
      schema: {
        tags,
        summary: '年收入低于上年度社平工资的人员（保底核查）',
        querystring: ZFloorReportQuery,
        response: { 200: ZFloorReport },
      },
    },
    async (req) => getFloorReport(req.ctx, req.query),
  );
  await payrollOpeningRoutes(app);
}
