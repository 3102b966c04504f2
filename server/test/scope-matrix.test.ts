/**
 * The scope matrix: every API route, called by every role bound inside 西湖区 (330106), aimed at
 * data in 滨江区 (330108) or at a colleague's record, must never answer with that data: 404 for
 * ids (existence does not leak), 403 where the role lacks the permission, empty lists otherwise.
 * A route missing from this matrix fails the completeness test: add it when you add a route.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/modules/meta/enums.ts';
import { describeEachDatabase } from './databases.ts';
import { createTestEnv, createTestUser, createTestWorker, loginCookie, seedOrgs, SMALL_TREE, type TestEnv } from './factories.ts';
import { createTestContract } from './factories.ts';

interface Target {
  workerOut: number;
  workerColleague: number;
  userOut: number;
  orgOut: string;
  contractOut?: number;
}

type Expectation = 'denied' | 'empty-list' | 'no-outside-items' | 'rejected' | 'empty-export' | 'no-outside-export-rows';

interface MatrixEntry {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  route: string;
  url: (t: Target) => string;
  body?: (t: Target) => unknown;
  expect: Expectation;
  /** For list checks: how to tell an item lies outside. */
  outside?: (item: Record<string, unknown>, t: Target) => boolean;
}

/** Expectations whose 200 answer is an .xlsx download, not JSON. */
const EXPORTS: Expectation[] = ['empty-export', 'no-outside-export-rows'];
/** The roster export's header row (title and generated-at line above it). */
const EXPORT_HEADER_ROW = 3;

/** The data rows (below the header) of a downloaded workbook's first sheet, as cell values. */
async function exportDataRows(bytes: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  for (let r = EXPORT_HEADER_ROW + 1; r <= ws.rowCount; r++) rows.push((ws.getRow(r).values as unknown[]).slice(1));
  return rows;
}

const OUT = '330108';
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
