/**
 * The scope matrix: every API route, called by every role bound inside 西湖区 (330106), aimed at
 * data in 滨江区 (330108) or at a colleague's record, must never answer with that data: 404 for
 * ids (existence does not leak), 403 where the role lacks the permission, empty lists otherwise.
 * A route missing from this matrix fails the completeness test: add it when you add a route.
 */
import { excel } from '../src/lib/excel/exceljs.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/modules/meta/enums.ts';
import { describeEachDatabase } from './databases.ts';
import { createTestEnv, createTestUser, createTestWorker, loginCookie, seedOrgs, SMALL_TREE, type TestEnv } from './factories.ts';
import { createTestContract } from './factories.ts';
import { systemContext } from '../src/context.ts';
import { createGradeRun } from '../src/modules/grades/grades.service.ts';
import { DEFAULT_GRADE_SCHEME } from '../src/modules/grades/rules/grade-scheme.ts';
import { computePayrollRun, createPayrollRun } from '../src/modules/payroll/payroll.service.ts';
import { ensureDemoPayrollRules } from '../src/modules/payroll/payroll.settings.ts';

interface Target {
  cycleOut?: number;
  appealOut?: number;
  exitCaseOut?: number;
  gradeRunOut?: number;
  workerOut: number;
  workerColleague: number;
  userOut: number;
  orgOut: string;
  contractOut?: number;
  correctionOut?: number;
  importOut?: number;
  payrollRunOut?: number;
  payslipOut?: number;
  sanctionOut?: number;
  honourOut?: number;
  payInputOut?: number;
}

type Expectation = 'denied' | 'empty-list' | 'no-outside-items' | 'rejected' | 'empty-export' | 'no-outside-export-rows';

interface MatrixEntry {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  route: string;
  url: (t: Target) => string;
  body?: (t: Target) => unknown;
  expect: Expectation;
  /** A raw upload body (sent as application/octet-stream) instead of JSON. */
  raw?: () => Buffer;
  /** For list checks: how to tell an item lies outside. */
  outside?: (item: Record<string, unknown>, t: Target) => boolean;
}

/** Expectations whose 200 answer is an .xlsx download, not JSON. */
const EXPORTS: Expectation[] = ['empty-export', 'no-outside-export-rows'];
/** The roster export's header row (title and generated-at line above it). */
const EXPORT_HEADER_ROW = 3;

/** The data rows (below the header) of a downloaded workbook's first sheet, as cell values. */
async function exportDataRows(bytes: Buffer): Promise<unknown[][]> {
  const wb = new excel.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  for (let r = EXPORT_HEADER_ROW + 1; r <= ws.rowCount; r++) rows.push((ws.getRow(r).values as unknown[]).slice(1));
  return rows;
}

const OUT = '330108';

/** A cycle opened by 滨江区, an appeal and an exit case there (rows written directly where no service call fits). */
async function seedAssessmentOut(env: TestEnv, outWorkerId: number) {
  const { openCycle } = await import('../src/modules/assessment/assessment.service.ts');
  const sys = systemContext(env.deps, 'test');
  const cycle = await openCycle(sys, { orgCode: '330108', name: '滨江考核', year: 2026 });
  const now = new Date().toISOString();
  const appeal = await env.deps.db.kysely
    .insertInto('assessment_appeals')
    .values({
      cycle_id: cycle.id,
      worker_id: outWorkerId,
      org_code: '330108001001',
      text: '滨江申诉',
      status: 'pending',
      response: null,
      adjusted_result: null,
      created_at: now,
      resolved_at: null,
      resolved_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const exitCase = await env.deps.db.kysely
    .insertInto('exit_cases')
    .values({
      worker_id: outWorkerId,
      org_code: '330108001001',
      worker_name: '滨江人员',
      rule_key: 'one_incompetent',
      rule_name: '年度考核不称职',
      action: 'terminate',
      exit_reason: 'assessment_unqualified',
      state: 'handover',
      due_date: '2026-12-31',
      explanation: '滨江',
      also_matched: '[]',
      handover: '[]',
      notice_date: null,
      handover_date: null,
      terminated_date: null,
      exited_date: null,
      contract_id: null,
      documents: null,
      withdrawn_reason: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { cycleOut: cycle.id, appealOut: Number(appeal.id), exitCaseOut: Number(exitCase.id) };
}
const isOutOrg = (code: unknown) => typeof code === 'string' && code.startsWith(OUT);

const MATRIX: MatrixEntry[] = [
  { method: 'GET', route: '/api/v1/workers/:id', url: (t) => `/api/v1/workers/${t.workerOut}`, expect: 'denied' },
  {
    method: 'PATCH',
    route: '/api/v1/workers/:id',
    url: (t) => `/api/v1/workers/${t.workerOut}`,
    body: () => ({ name: '篡改' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/:id/reveal',
    url: (t) => `/api/v1/workers/${t.workerOut}/reveal`,
    body: () => ({ fields: ['idNumber'] }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/:id/status',
    url: (t) => `/api/v1/workers/${t.workerOut}/status`,
    body: () => ({ status: 'on_leave', leaveType: 'sick', effectiveDate: '2026-01-05' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/:id/transfer',
    url: (t) => `/api/v1/workers/${t.workerOut}/transfer`,
    body: () => ({ toOrgCode: '330106001002', effectiveDate: '2026-01-05' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/:id/transfer',
    url: (t) => `/api/v1/workers/${t.workerColleague}/transfer`,
    body: () => ({ toOrgCode: '330108001001', effectiveDate: '2026-01-05' }),
    expect: 'rejected',
  },
  { method: 'GET', route: '/api/v1/workers/:id/assignments', url: (t) => `/api/v1/workers/${t.workerOut}/assignments`, expect: 'denied' },
  { method: 'GET', route: '/api/v1/workers/:id/history', url: (t) => `/api/v1/workers/${t.workerOut}/history`, expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/workers',
    url: () => '/api/v1/workers',
    body: () => ({ name: '越权', idNumber: '11010519491231002X', orgCode: '330108001001', post: 'grid_worker' }),
    expect: 'rejected',
  },
  { method: 'GET', route: '/api/v1/workers', url: () => '/api/v1/workers?orgCode=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/workers',
    url: () => '/api/v1/workers?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  { method: 'GET', route: '/api/v1/workers/export', url: () => '/api/v1/workers/export?orgCode=330108', expect: 'empty-export' },
  {
    method: 'GET',
    route: '/api/v1/workers/export',
    url: () => '/api/v1/workers/export?reveal=1',
    expect: 'no-outside-export-rows',
    outside: (row) => Object.values(row).some((v) => v === '江滨社区' || v === '西兴街道' || v === '滨江人员'),
  },
  { method: 'GET', route: '/api/v1/orgs/:code', url: (t) => `/api/v1/orgs/${t.orgOut}`, expect: 'denied' },
  { method: 'GET', route: '/api/v1/orgs/:code/children', url: () => `/api/v1/orgs/330108/children`, expect: 'denied' },
  {
    method: 'PATCH',
    route: '/api/v1/orgs/:code',
    url: (t) => `/api/v1/orgs/${t.orgOut}`,
    body: () => ({ population: 1 }),
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/orgs',
    url: () => `/api/v1/orgs?q=${encodeURIComponent('江')}`,
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.code),
  },
  { method: 'GET', route: '/api/v1/orgs', url: () => '/api/v1/orgs?q=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/users',
    url: () => '/api/v1/users?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  { method: 'GET', route: '/api/v1/users', url: () => '/api/v1/users?orgCode=330108', expect: 'empty-list' },
  { method: 'GET', route: '/api/v1/users/:id', url: (t) => `/api/v1/users/${t.userOut}`, expect: 'denied' },
  {
    method: 'PATCH',
    route: '/api/v1/users/:id',
    url: (t) => `/api/v1/users/${t.userOut}`,
    body: () => ({ displayName: '篡改' }),
    expect: 'denied',
  },
  { method: 'POST', route: '/api/v1/users/:id/reset-password', url: (t) => `/api/v1/users/${t.userOut}/reset-password`, expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/users',
    url: () => '/api/v1/users',
    body: () => ({ username: 'intruder01', displayName: '越权', role: 'worker', orgCode: '330108001001' }),
    expect: 'rejected',
  },
  {
    method: 'GET',
    route: '/api/v1/audit',
    url: () => '/api/v1/audit?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  { method: 'GET', route: '/api/v1/audit', url: () => '/api/v1/audit?orgCode=330108', expect: 'empty-list' },
  { method: 'GET', route: '/api/v1/dashboard/summary', url: () => '/api/v1/dashboard/summary?orgCode=330108', expect: 'denied' },
  { method: 'GET', route: '/api/v1/orgs/:code/staffing-standard', url: () => '/api/v1/orgs/330108/staffing-standard', expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/orgs/:code/staffing-standard',
    url: () => '/api/v1/orgs/330108/staffing-standard',
    body: () => ({ per10k: 20, effectiveFrom: '2026-01-01' }),
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/workers/:id/contracts', url: (t) => `/api/v1/workers/${t.workerOut}/contracts`, expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/workers/:id/contracts',
    url: (t) => `/api/v1/workers/${t.workerOut}/contracts`,
    body: () => ({ contractType: 'open_ended', startDate: '2026-01-05' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/contracts/:id/renew',
    url: (t) => `/api/v1/contracts/${t.contractOut}/renew`,
    body: () => ({ endDate: '2040-12-31' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/contracts/:id/terminate',
    url: (t) => `/api/v1/contracts/${t.contractOut}/terminate`,
    body: () => ({ date: '2026-01-05', reason: '越权' }),
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/workers/:id/insurance', url: (t) => `/api/v1/workers/${t.workerOut}/insurance`, expect: 'denied' },
  {
    method: 'PUT',
    route: '/api/v1/workers/:id/insurance',
    url: (t) => `/api/v1/workers/${t.workerOut}/insurance`,
    body: () => ({ items: [] }),
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/alerts/contracts', url: () => '/api/v1/alerts/contracts?orgCode=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/alerts/contracts',
    url: () => '/api/v1/alerts/contracts?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  {
    method: 'POST',
    route: '/api/v1/workers/:id/corrections',
    url: (t) => `/api/v1/workers/${t.workerOut}/corrections`,
    body: () => ({ changes: { formerName: '篡改' }, reason: '越权' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/:id/corrections',
    url: (t) => `/api/v1/workers/${t.workerColleague}/corrections`,
    body: () => ({ changes: { formerName: '篡改' }, reason: '越权' }),
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/workers/:id/corrections', url: (t) => `/api/v1/workers/${t.workerOut}/corrections`, expect: 'denied' },
  { method: 'GET', route: '/api/v1/corrections', url: () => '/api/v1/corrections?orgCode=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/corrections',
    url: () => '/api/v1/corrections?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  {
    method: 'POST',
    route: '/api/v1/corrections/:id/approve',
    url: (t) => `/api/v1/corrections/${t.correctionOut}/approve`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/corrections/:id/reject',
    url: (t) => `/api/v1/corrections/${t.correctionOut}/reject`,
    body: () => ({ reason: '越权' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/corrections/:id/withdraw',
    url: (t) => `/api/v1/corrections/${t.correctionOut}/withdraw`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/imports',
    url: () => '/api/v1/workers/imports?orgCode=330108001&fileName=a.csv',
    raw: () => Buffer.from('姓名,身份证号,岗位\r\n越权,110101199003077777,网格员\r\n'),
    expect: 'rejected',
  },
  {
    method: 'GET',
    route: '/api/v1/workers/imports',
    url: () => '/api/v1/workers/imports?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  { method: 'GET', route: '/api/v1/workers/imports/:id', url: (t) => `/api/v1/workers/imports/${t.importOut}`, expect: 'denied' },
  {
    method: 'GET',
    route: '/api/v1/workers/imports/:id/issues',
    url: (t) => `/api/v1/workers/imports/${t.importOut}/issues`,
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/workers/imports/:id/rows', url: (t) => `/api/v1/workers/imports/${t.importOut}/rows`, expect: 'denied' },
  {
    method: 'GET',
    route: '/api/v1/workers/imports/:id/marked',
    url: (t) => `/api/v1/workers/imports/${t.importOut}/marked`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/imports/:id/validate',
    url: (t) => `/api/v1/workers/imports/${t.importOut}/validate`,
    body: () => ({}),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/imports/:id/commit',
    url: (t) => `/api/v1/workers/imports/${t.importOut}/commit`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/workers/imports/:id/cancel',
    url: (t) => `/api/v1/workers/imports/${t.importOut}/cancel`,
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/orgs/:code/grade-scheme', url: () => '/api/v1/orgs/330108/grade-scheme', expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/orgs/:code/grade-scheme',
    url: () => '/api/v1/orgs/330108/grade-scheme',
    body: () => ({ effectiveFrom: '2026-01-01', rules: DEFAULT_GRADE_SCHEME }),
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/workers/:id/grades', url: (t) => `/api/v1/workers/${t.workerOut}/grades`, expect: 'denied' },
  // Sanction register: a sanction of the 滨江 worker.
  { method: 'GET', route: '/api/v1/workers/:id/sanctions', url: (t) => `/api/v1/workers/${t.workerOut}/sanctions`, expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/workers/:id/sanctions',
    url: (t) => `/api/v1/workers/${t.workerOut}/sanctions`,
    body: () => ({ kind: 'warning', decidedOn: '2026-01-05', authority: '越权', reason: '越权' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/sanctions/:id/revoke',
    url: (t) => `/api/v1/sanctions/${t.sanctionOut}/revoke`,
    body: () => ({ reason: '越权' }),
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/sanctions',
    url: () => '/api/v1/sanctions?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  { method: 'GET', route: '/api/v1/sanctions', url: () => '/api/v1/sanctions?orgCode=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/workers/:id/assessment-results',
    url: (t) => `/api/v1/workers/${t.workerOut}/assessment-results`,
    expect: 'denied',
  },
  {
    method: 'PUT',
    route: '/api/v1/workers/:id/assessment-results',
    url: (t) => `/api/v1/workers/${t.workerOut}/assessment-results`,
    body: () => ({ items: [{ year: 2025, result: 'excellent' }] }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/grade-runs',
    url: () => '/api/v1/grade-runs',
    body: () => ({ orgCode: '330108001', kind: 'promotion', runYear: 2025 }),
    expect: 'rejected',
  },
  { method: 'GET', route: '/api/v1/grade-runs', url: () => '/api/v1/grade-runs?orgCode=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/grade-runs',
    url: () => '/api/v1/grade-runs?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  { method: 'GET', route: '/api/v1/grade-runs/:id', url: (t) => `/api/v1/grade-runs/${t.gradeRunOut}`, expect: 'denied' },
  { method: 'GET', route: '/api/v1/grade-runs/:id/items', url: (t) => `/api/v1/grade-runs/${t.gradeRunOut}/items`, expect: 'denied' },
  { method: 'POST', route: '/api/v1/grade-runs/:id/approve', url: (t) => `/api/v1/grade-runs/${t.gradeRunOut}/approve`, expect: 'denied' },
  { method: 'POST', route: '/api/v1/grade-runs/:id/cancel', url: (t) => `/api/v1/grade-runs/${t.gradeRunOut}/cancel`, expect: 'denied' },
  {
    method: 'PUT',
    route: '/api/v1/workers/:id/grade',
    url: (t) => `/api/v1/workers/${t.workerOut}/grade`,
    body: () => ({ band: 'staff', level: 3, reason: '越权调整' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment-results/import',
    url: () => '/api/v1/assessment-results/import?dryRun=false&fileName=a.csv',
    raw: () => Buffer.from('姓名,身份证号,年度,考核结果\r\n滨江人员,11010519491231002X,2025,优秀\r\n'),
    expect: 'rejected',
  },
  // payroll: a run, a slip and inputs of 滨江
  { method: 'GET', route: '/api/v1/payroll-runs', url: () => '/api/v1/payroll-runs?orgCode=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/payroll-runs',
    url: () => '/api/v1/payroll-runs?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  {
    method: 'POST',
    route: '/api/v1/payroll-runs',
    url: () => '/api/v1/payroll-runs',
    body: () => ({ orgCode: '330108001', month: '2026-12' }),
    expect: 'rejected',
  },
  { method: 'GET', route: '/api/v1/payroll-runs/:id', url: (t) => `/api/v1/payroll-runs/${t.payrollRunOut}`, expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/payroll-runs/:id/compute',
    url: (t) => `/api/v1/payroll-runs/${t.payrollRunOut}/compute`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/payroll-runs/:id/approve',
    url: (t) => `/api/v1/payroll-runs/${t.payrollRunOut}/approve`,
    expect: 'denied',
  },
  { method: 'POST', route: '/api/v1/payroll-runs/:id/paid', url: (t) => `/api/v1/payroll-runs/${t.payrollRunOut}/paid`, expect: 'denied' },
  { method: 'GET', route: '/api/v1/payroll-runs/:id/slips', url: (t) => `/api/v1/payroll-runs/${t.payrollRunOut}/slips`, expect: 'denied' },
  {
    method: 'GET',
    route: '/api/v1/payroll-runs/:id/errors',
    url: (t) => `/api/v1/payroll-runs/${t.payrollRunOut}/errors`,
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/payroll-runs/:id/export',
    url: (t) => `/api/v1/payroll-runs/${t.payrollRunOut}/export?kind=bank`,
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/payslips/:id', url: (t) => `/api/v1/payslips/${t.payslipOut}`, expect: 'denied' },
  {
    method: 'GET',
    route: '/api/v1/me/payslips',
    url: () => '/api/v1/me/payslips',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  { method: 'GET', route: '/api/v1/pay-inputs', url: () => '/api/v1/pay-inputs?month=2026-11&orgCode=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/pay-inputs',
    url: () => '/api/v1/pay-inputs?month=2026-11',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  {
    method: 'POST',
    route: '/api/v1/pay-inputs',
    url: () => '/api/v1/pay-inputs',
    body: (t) => ({ workerId: t.workerOut, month: '2026-12', kind: 'allowance', code: 'bonus', name: '越权', amountFen: 100 }),
    expect: 'rejected',
  },
  { method: 'GET', route: '/api/v1/payroll/settings', url: () => '/api/v1/payroll/settings?regionCode=330108', expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/payroll/pay-tables',
    url: () => '/api/v1/payroll/pay-tables',
    body: () => ({ regionCode: '330108', effectiveFrom: '2027-01-01', rules: {} }),
    expect: 'rejected',
  },
  {
    method: 'POST',
    route: '/api/v1/payroll/insurance-rules',
    url: () => '/api/v1/payroll/insurance-rules',
    body: () => ({ regionCode: '330108', effectiveFrom: '2027-01-01', rules: {} }),
    expect: 'rejected',
  },
  {
    method: 'POST',
    route: '/api/v1/payroll/wage-floors',
    url: () => '/api/v1/payroll/wage-floors',
    body: () => ({ regionCode: '330108', year: 2026, averageAnnualWageFen: 1 }),
    expect: 'rejected',
  },
  {
    method: 'GET',
    route: '/api/v1/payroll/floor-report',
    url: () => '/api/v1/payroll/floor-report?orgCode=330108&year=2026',
    expect: 'denied',
  },
  // Opening tax balances, input deletion and imports, the floor report's download (issue 4 follow-up): 滨江's data.
  {
    method: 'GET',
    route: '/api/v1/payroll/floor-report/export',
    url: () => '/api/v1/payroll/floor-report/export?orgCode=330108&year=2026',
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/payroll/tax-openings',
    url: () => '/api/v1/payroll/tax-openings?orgCode=330108&year=2026',
    expect: 'empty-list',
  },
  {
    method: 'GET',
    route: '/api/v1/payroll/tax-openings',
    url: () => '/api/v1/payroll/tax-openings?year=2026&pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  {
    method: 'PUT',
    route: '/api/v1/workers/:id/tax-opening',
    url: (t) => `/api/v1/workers/${t.workerOut}/tax-opening`,
    body: () => ({
      year: 2026,
      throughMonth: '2026-03',
      taxMonths: 3,
      cumGrossFen: 1,
      cumTaxFreeFen: 0,
      cumInsuranceFen: 0,
      cumSpecialFen: 0,
      cumOtherFen: 0,
      cumTaxFen: 0,
    }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/payroll/tax-openings/import',
    url: () => '/api/v1/payroll/tax-openings/import',
    raw: () =>
      Buffer.from(
        '姓名,身份证号,年度,截至月份,累计月数,累计收入,累计专项扣除,累计已预扣税额\n滨江人员,330108198803079517,2026,2026-03,3,30000,3000,100\n',
      ),
    expect: 'rejected',
  },
  { method: 'DELETE', route: '/api/v1/pay-inputs/:id', url: (t) => `/api/v1/pay-inputs/${t.payInputOut}`, expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/pay-inputs/import',
    url: () => '/api/v1/pay-inputs/import?month=2026-12',
    raw: () => Buffer.from('姓名,身份证号,类别,项目名称,金额\n滨江人员,330108198803079517,津贴,越权,100\n'),
    expect: 'rejected',
  },
  // Assessment (issue 5): a cycle opened by 滨江区, its community 江滨社区, an appeal and an exit case there.
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles',
    url: () => '/api/v1/assessment/cycles?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles',
    url: () => '/api/v1/assessment/cycles',
    body: () => ({ orgCode: '330108', name: '越权考核', year: 2026 }),
    expect: 'rejected',
  },
  { method: 'GET', route: '/api/v1/assessment/cycles/:id', url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}`, expect: 'denied' },
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles/:id/participants',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/participants`,
    expect: 'denied',
  },
  {
    method: 'PATCH',
    route: '/api/v1/assessment/cycles/:id/participants/:workerId',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/participants/${t.workerOut}`,
    body: () => ({ vetoes: [] }),
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles/:id/sheet',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/sheet?group=street`,
    expect: 'denied',
  },
  {
    method: 'PUT',
    route: '/api/v1/assessment/cycles/:id/sheet',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/sheet`,
    body: (t) => ({ group: 'street', entries: [{ workerId: t.workerOut, scores: { political: 1, performance: 1, satisfaction: 1 } }] }),
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles/:id/communities',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/communities`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles/:id/communities/:code/ballot-codes',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/communities/330108001001/ballot-codes`,
    body: () => ({ count: 1 }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles/:id/communities/:code/open',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/communities/330108001001/open`,
    body: () => ({ mode: 'open' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles/:id/communities/:code/close',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/communities/330108001001/close`,
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles/:id/communities/:code/tally',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/communities/330108001001/tally`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles/:id/compute',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/compute`,
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles/:id/results',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/results`,
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles/:id/approvals',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/approvals`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles/:id/approvals',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/approvals`,
    body: () => ({ orgCode: '330108' }),
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles/:id/appeals',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/appeals`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles/:id/appeals',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/appeals`,
    body: () => ({ text: '越权申诉' }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/appeals/:id/resolve',
    url: (t) => `/api/v1/assessment/appeals/${t.appealOut}/resolve`,
    body: () => ({ status: 'rejected', response: '越权' }),
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/cycles/:id/honours/candidates',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/honours/candidates`,
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles/:id/honours',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/honours`,
    body: () => ({ orgCode: '330108', title: '越权表彰', decidedOn: '2026-11-01' }),
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/honours',
    url: () => '/api/v1/assessment/honours?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/honours/:id/members',
    url: (t) => `/api/v1/assessment/honours/${t.honourOut}/members`,
    expect: 'denied',
  },
  {
    method: 'GET',
    route: '/api/v1/assessment/honours/:id/export',
    url: (t) => `/api/v1/assessment/honours/${t.honourOut}/export`,
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/workers/:id/honours', url: (t) => `/api/v1/workers/${t.workerOut}/honours`, expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/assessment/cycles/:id/finalise',
    url: (t) => `/api/v1/assessment/cycles/${t.cycleOut}/finalise`,
    expect: 'denied',
  },
  { method: 'GET', route: '/api/v1/exits/rules', url: () => '/api/v1/exits/rules?orgCode=330108', expect: 'denied' },
  {
    method: 'PUT',
    route: '/api/v1/exits/rules',
    url: () => '/api/v1/exits/rules',
    body: () => ({ orgCode: '330108', effectiveFrom: '2026-01-01', rules: { rules: [] } }),
    expect: 'rejected',
  },
  { method: 'POST', route: '/api/v1/exits/runs', url: () => '/api/v1/exits/runs', body: () => ({ orgCode: '330108' }), expect: 'denied' },
  { method: 'GET', route: '/api/v1/exits/cases', url: () => '/api/v1/exits/cases?orgCode=330108', expect: 'empty-list' },
  {
    method: 'GET',
    route: '/api/v1/exits/cases',
    url: () => '/api/v1/exits/cases?pageSize=200',
    expect: 'no-outside-items',
    outside: (i) => isOutOrg(i.orgCode),
  },
  { method: 'GET', route: '/api/v1/exits/cases/:id', url: (t) => `/api/v1/exits/cases/${t.exitCaseOut}`, expect: 'denied' },
  {
    method: 'POST',
    route: '/api/v1/exits/cases/:id/advance',
    url: (t) => `/api/v1/exits/cases/${t.exitCaseOut}/advance`,
    body: () => ({ to: 'notified', date: '2026-01-05' }),
    expect: 'denied',
  },
  {
    method: 'PUT',
    route: '/api/v1/exits/cases/:id/handover',
    url: (t) => `/api/v1/exits/cases/${t.exitCaseOut}/handover`,
    body: () => ({ done: [] }),
    expect: 'denied',
  },
  {
    method: 'POST',
    route: '/api/v1/exits/cases/:id/withdraw',
    url: (t) => `/api/v1/exits/cases/${t.exitCaseOut}/withdraw`,
    body: () => ({ reason: '越权' }),
    expect: 'denied',
  },
];

/** Routes that hold no scoped data, with the reason. */
const UNSCOPED: Record<string, string> = {
  'GET /api/v1/health': 'liveness only',
  'POST /api/v1/auth/login': 'public sign-in',
  'POST /api/v1/auth/logout': "ends the caller's own session",
  'GET /api/v1/auth/me': "the caller's own account",
  'POST /api/v1/auth/password': "the caller's own password",
  'GET /api/v1/meta/enums': 'reference codes, no personal data',
  'GET /api/v1/audit/verify': 'chain check: a yes/no and a sequence number, sys_admin/auditor only',
  'GET /api/v1/workers/import/template': 'the blank import template',
  'GET /api/v1/assessment-results/import/template': 'the blank assessment results import template',
  'GET /api/v1/assessment/my-results': "the caller's own results (by their worker id)",
  'GET /api/v1/public/ballots/:token': 'public ballot page: reached by a code or link, names and posts only',
  'POST /api/v1/public/ballots/:token': 'public ballot submission: anonymous, addressed by a code or link',
};

const ROLES_INSIDE: { role: Role; org: string }[] = [
  { role: 'sys_admin', org: '330106' },
  { role: 'region_admin', org: '330106' },
  { role: 'street_hr', org: '330106001' },
  { role: 'community_lead', org: '330106001001' },
  { role: 'worker', org: '330106001001' },
  { role: 'auditor', org: '330106' },
];

describeEachDatabase('scope matrix', (kind) => {
  let env: TestEnv;
  let target: Target;
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    const mine = await createTestWorker(env.deps, '330106001001', { name: '本人' });
    const colleague = await createTestWorker(env.deps, '330106001001', { name: '同事' });
    const out = await createTestWorker(env.deps, '330108001001', { name: '滨江人员' });
    const outUser = await createTestUser(env.deps, 'street_hr', '330108001');
    target = { workerOut: out.id, workerColleague: colleague.id, userOut: outUser.id, orgOut: '330108001001' };
    target.contractOut = (await createTestContract(env.deps, out.id)).id;
    const outWorker = await createTestUser(env.deps, 'worker', '330108001001', { workerId: out.id });
    const filed = await env.app.inject({
      method: 'POST',
      url: `/api/v1/workers/${out.id}/corrections`,
      headers: { cookie: await loginCookie(env.app, outWorker.username) },
      payload: { changes: { school: '滨江学院' }, reason: '滨江人员的申请' },
    });
    target.correctionOut = filed.json().id;
    Object.assign(target, await seedAssessmentOut(env, out.id));
    {
      // A 滨江 honours decision commending the outside worker (written directly: its cycle is not final).
      const honour = await env.deps.db.kysely
        .insertInto('assessment_honours')
        .values({
          cycle_id: target.cycleOut!,
          org_code: '330108',
          title: '滨江表彰',
          document_no: null,
          decided_on: '2026-11-01',
          member_count: 1,
          created_by: null,
          created_by_name: null,
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      target.honourOut = Number(honour.id);
      await env.deps.db.kysely
        .insertInto('assessment_honour_members')
        .values({ honour_id: target.honourOut, worker_id: out.id, org_code: '330108001001', worker_name: '滨江人员', total: 9500, rank: 1 })
        .execute();
    }
    {
      const { recordSanction } = await import('../src/modules/sanctions/sanctions.service.ts');
      const sanction = await recordSanction(systemContext(env.deps, 'test'), out.id, {
        kind: 'demerit',
        decidedOn: '2026-01-05',
        authority: '滨江区纪委监委',
        reason: '滨江人员的处分',
      });
      target.sanctionOut = sanction.id;
    }
    const gradeRun = await createGradeRun(systemContext(env.deps, 'test'), { orgCode: '330108001', kind: 'promotion', runYear: 2026 });
    target.gradeRunOut = gradeRun.id;
    const now = new Date().toISOString();
    const job = await env.deps.db.kysely
      .insertInto('import_jobs')
      .values({
        kind: 'workers',
        org_code: '330108001',
        created_by: outUser.id,
        created_by_name: '滨江',
        status: 'validated',
        file_name: '滨江.xlsx',
        file_size: 1,
        file_sha256: '0',
        error_count: 1,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    target.importOut = Number(job.id);
    {
      // A computed and approved payroll run of 滨江 with one slip (grade written directly, as the grades module would).
      const sys = systemContext(env.deps, 'test');
      await ensureDemoPayrollRules(sys, '3301');
      const scheme = await env.deps.db.kysely
        .selectFrom('grade_schemes')
        .select('id')
        .where('region_code', '=', 'CN')
        .executeTakeFirstOrThrow();
      await env.deps.db.kysely
        .insertInto('worker_grades')
        .values({
          worker_id: out.id,
          org_code: '330108001001',
          scheme_id: Number(scheme.id),
          band: 'staff',
          level: 2,
          effective_date: '2026-01-01',
          last_step_date: '2026-01-01',
          early_steps_used: 0,
          source: 'manual',
          run_id: null,
          explanation: '{}',
          is_current: 1,
          created_by: null,
          created_at: now,
        } as never)
        .execute();
      const run = await createPayrollRun(sys, { orgCode: '330108001', month: '2026-11' });
      await computePayrollRun(sys, run.id, { wait: true });
      target.payrollRunOut = run.id;
      const slip = await env.deps.db.kysely.selectFrom('payslips').select('id').where('run_id', '=', run.id).executeTakeFirstOrThrow();
      target.payslipOut = Number(slip.id);
      const input = await env.deps.db.kysely
        .insertInto('pay_inputs')
        .values({
          worker_id: out.id,
          org_code: '330108001001',
          month: '2026-12',
          kind: 'allowance',
          code: 'bonus',
          name: '滨江津贴',
          amount_fen: 100,
          note: null,
          created_by: null,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      target.payInputOut = Number(input.id);
      await env.deps.db.kysely
        .insertInto('payroll_tax_openings')
        .values({
          worker_id: out.id,
          org_code: '330108001001',
          year: 2026,
          through_month: '2026-03',
          tax_months: 3,
          cum_gross_fen: 3_000_000,
          cum_tax_free_fen: 0,
          cum_insurance_fen: 300_000,
          cum_special_fen: 0,
          cum_other_fen: 0,
          cum_tax_fen: 10_000,
          note: null,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    for (const { role, org } of ROLES_INSIDE) {
      const u = await createTestUser(env.deps, role, org, role === 'worker' ? { workerId: mine.id } : {});
      cookies.set(role, await loginCookie(env.app, u.username));
    }
  });
  afterAll(async () => env?.close());

  for (const entry of MATRIX) {
    for (const { role } of ROLES_INSIDE) {
      it(`${role}: ${entry.method} ${entry.url({ workerOut: 0, workerColleague: 0, userOut: 0, orgOut: '…' })} → ${entry.expect}`, async () => {
        const res = await env.app.inject({
          method: entry.method,
          url: entry.url(target),
          headers: { cookie: cookies.get(role)! },
          ...(entry.body ? { payload: entry.body(target) as object } : {}),
          ...(entry.raw
            ? { payload: entry.raw(), headers: { cookie: cookies.get(role)!, 'content-type': 'application/octet-stream' } }
            : {}),
        });
        const isExport = EXPORTS.includes(entry.expect) && res.statusCode === 200;
        const body = (isExport ? {} : res.json()) as { items?: Record<string, unknown>[]; error?: { code: string } };
        switch (entry.expect) {
          case 'denied':
            expect([403, 404]).toContain(res.statusCode);
            break;
          case 'rejected':
            expect([400, 403, 404]).toContain(res.statusCode);
            expect(JSON.stringify(body)).not.toContain('"id"');
            break;
          case 'empty-list':
            if (res.statusCode === 403) break;
            expect(res.statusCode).toBe(200);
            expect(body.items).toEqual([]);
            break;
          case 'no-outside-items':
            if (res.statusCode === 403) break;
            expect(res.statusCode).toBe(200);
            expect(body.items!.filter((i) => entry.outside!(i, target))).toEqual([]);
            break;
          case 'empty-export':
            if (res.statusCode === 403) break;
            expect(res.statusCode).toBe(200);
            expect(await exportDataRows(res.rawPayload)).toEqual([]);
            break;
          case 'no-outside-export-rows':
            if (res.statusCode === 403) break;
            expect(res.statusCode).toBe(200);
            expect((await exportDataRows(res.rawPayload)).filter((r) => entry.outside!({ ...r }, target))).toEqual([]);
            break;
        }
      });
    }
  }

  it('a worker sees only their own record, not a colleague in the same community', async () => {
    const c = cookies.get('worker')!;
    const list = await env.app.inject({ method: 'GET', url: '/api/v1/workers', headers: { cookie: c } });
    expect(list.json().items.map((i: { name: string }) => i.name)).toEqual(['本人']);
    const other = await env.app.inject({ method: 'GET', url: `/api/v1/workers/${target.workerColleague}`, headers: { cookie: c } });
    expect(other.statusCode).toBe(404);
    const reveal = await env.app.inject({
      method: 'POST',
      url: `/api/v1/workers/${target.workerColleague}/reveal`,
      headers: { cookie: c },
      payload: { fields: ['idNumber'] },
    });
    expect(reveal.statusCode).toBe(404);
  });

  it('inside scope the same routes do answer (the matrix is not vacuous)', async () => {
    const c = cookies.get('street_hr')!;
    const list = await env.app.inject({ method: 'GET', url: '/api/v1/workers', headers: { cookie: c } });
    expect(list.json().total).toBe(2);
    const one = await env.app.inject({ method: 'GET', url: `/api/v1/workers/${target.workerColleague}`, headers: { cookie: c } });
    expect(one.statusCode).toBe(200);
    const org = await env.app.inject({ method: 'GET', url: '/api/v1/orgs/330106001001', headers: { cookie: c } });
    expect(org.statusCode).toBe(200);
    const contracts = await env.app.inject({
      method: 'GET',
      url: `/api/v1/workers/${target.workerColleague}/contracts`,
      headers: { cookie: c },
    });
    expect(contracts.statusCode).toBe(200);
  });

  it('every route of the API is in the matrix or listed as unscoped', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const covered = new Set(MATRIX.map((m) => `${m.method} ${m.route}`));
    const missing: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const key = `${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`;
        if (!covered.has(key) && !(key in UNSCOPED)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('scope matrix registry', () => {
  it('lists each unscoped route with a reason', () => {
    for (const reason of Object.values(UNSCOPED)) expect(reason.length).toBeGreaterThan(5);
  });
});
