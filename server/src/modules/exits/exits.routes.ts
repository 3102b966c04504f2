import type { App } from '../../app.ts';
import { zPage } from '../../lib/paging.ts';
import {
  ZExitCase,
  ZExitCaseAdvance,
  ZExitCaseListQuery,
  ZExitCaseParams,
  ZExitCaseWithdraw,
  ZExitHandoverUpdate,
  ZExitRulesQuery,
  ZExitRulesSave,
  ZExitRulesView,
  ZExitRun,
  ZExitRunResult,
} from './exits.schema.ts';
import {
  advanceExitCase,
  findExitCases,
  getExitCase,
  getExitRules,
  runExitProposals,
  saveExitRules,
  updateHandover,
  withdrawExitCase,
} from './exits.service.ts';

/** The exit mechanism (退出机制): rules as data, proposal runs, and exit cases step by step. */
export async function exitRoutes(app: App) {
  const tags = ['exits'];
  app.get(
    '/exits/rules',
    {
      config: { permission: 'exits:read' },
      schema: {
        tags,
        summary: '某地区适用的退出规则（最近上级的最新版本，或默认规则）',
        querystring: ZExitRulesQuery,
        response: { 200: ZExitRulesView },
      },
    },
    async (req) => getExitRules(req.ctx, req.query.orgCode),
  );
  app.put(
    '/exits/rules',
    {
      config: { permission: 'rules:write' },
      schema: { tags, summary: '保存地区退出规则的新版本（按生效日期）', body: ZExitRulesSave, response: { 200: ZExitRulesView } },
    },
    async (req) => saveExitRules(req.ctx, req.body),
  );
  app.post(
    '/exits/runs',
    {
      config: { permission: 'exits:manage' },
      schema: { tags, summary: '按退出规则生成拟退出案件（已有未结案件者跳过）', body: ZExitRun, response: { 200: ZExitRunResult } },
    },
    async (req) => runExitProposals(req.ctx, req.body),
  );
  app.get(
    '/exits/cases',
    {
      config: { permission: 'exits:read' },
      schema: { tags, summary: '退出案件列表', querystring: ZExitCaseListQuery, response: { 200: zPage(ZExitCase) } },
    },
    async (req) => findExitCases(req.ctx, req.query),
  );
  app.get(
    '/exits/cases/:id',
    {
      config: { permission: 'exits:read' },
      schema: { tags, summary: '退出案件详情（含每一步的记录）', params: ZExitCaseParams, response: { 200: ZExitCase } },
    },
    async (req) => getExitCase(req.ctx, req.params.id),
  );
  app.post(
    '/exits/cases/:id/advance',
    {
      config: { permission: 'exits:manage' },
      schema: {
        tags,
        summary: '推进退出案件：书面通知 → 工作交接 → 解除/终止劳动合同 → 已退出',
        params: ZExitCaseParams,
        body: ZExitCaseAdvance,
        response: { 200: ZExitCase },
      },
    },
    async (req) => advanceExitCase(req.ctx, req.params.id, req.body),
  );
  app.put(
    '/exits/cases/:id/handover',
    {
      config: { permission: 'exits:manage' },
      schema: { tags, summary: '更新工作交接清单', params: ZExitCaseParams, body: ZExitHandoverUpdate, response: { 200: ZExitCase } },
    },
    async (req) => updateHandover(req.ctx, req.params.id, req.body.done),
  );
  app.post(
    '/exits/cases/:id/withdraw',
    {
      config: { permission: 'exits:manage' },
      schema: {
        tags,
        summary: '撤回退出案件（须说明理由）',
        params: ZExitCaseParams,
        body: ZExitCaseWithdraw,
        response: { 200: ZExitCase },
      },
    },
    async (req) => withdrawExitCase(req.ctx, req.params.id, req.body.reason),
  );
}
