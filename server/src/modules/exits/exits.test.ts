import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import {
  createTestContract,
  createTestEnv,
  createTestUser,
  createTestWorker,
  loginCookie,
  seedOrgs,
  SMALL_TREE,
  testDate,
  type TestEnv,
} from '../../../test/factories.ts';
import { nowIso } from '../../lib/time.ts';

describeEachDatabase('exit mechanism', (kind) => {
  let env: TestEnv;
  let c: Record<string, string>;

  const call = async (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    env.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: c[who]! },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function recordResult(workerId: number, orgCode: string, year: number, result: string) {
    const now = nowIso();
    await env.deps.db.kysely
      .insertInto('assessment_results')
      .values({
        worker_id: workerId,
        org_code: orgCode,
        year,
        result,
        source: 'manual',
        cycle_id: null,
        note: null,
        recorded_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  beforeEach(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    c = {};
    for (const [key, role, org] of [
      ['street', 'street_hr', '330106001'],
      ['streetOut', 'street_hr', '330108001'],
      ['region', 'region_admin', '330106'],
      ['auditor', 'auditor', '330106'],
      ['lead', 'community_lead', '330106001001'],
    ] as const) {
      c[key] = await loginCookie(env.app, (await createTestUser(env.deps, role, org)).username);
    }
  });
  afterEach(async () => env?.close());

  it('proposes a case from an 不称职 result, withdraws it with a reason, and takes a new one to 已退出', async () => {
    const failing = await createTestWorker(env.deps, '330106001001', { name: '不称职者' });
    const fine = await createTestWorker(env.deps, '330106001001', { name: '称职者' });
    const contract = await createTestContract(env.deps, failing.id, { startDate: testDate(-400) });
    await createTestContract(env.deps, fine.id, { startDate: testDate(-400) });
    await recordResult(failing.id, '330106001001', 2025, 'incompetent');
    await recordResult(fine.id, '330106001001', 2025, 'competent');

    const rules = (await call('street', 'GET', '/exits/rules?orgCode=330106001')).json();
    expect(rules.isDefault).toBe(true);
    expect((await call('lead', 'POST', '/exits/runs', { orgCode: '330106001001' })).statusCode).toBe(403);
    const run = await call('street', 'POST', '/exits/runs', { orgCode: '330106001' });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().created).toHaveLength(1);
    const kase = run.json().created[0];
    expect(kase).toMatchObject({ workerId: failing.id, ruleKey: 'one_incompetent', action: 'terminate', state: 'proposed' });
    expect(kase.explanation).toContain('2025年度考核不称职');
    // Idempotent: a second run opens nothing new.
    const again = (await call('street', 'POST', '/exits/runs', { orgCode: '330106001' })).json();
    expect(again.created).toHaveLength(0);
    expect(again.skipped).toEqual([{ workerId: failing.id, reason: '已有未结束的退出案件' }]);

    // Out of scope and read-only roles.
    expect((await call('streetOut', 'GET', `/exits/cases/${kase.id}`)).statusCode).toBe(404);
    expect((await call('streetOut', 'POST', `/exits/cases/${kase.id}/withdraw`, { reason: '越权' })).statusCode).toBe(404);
    expect((await call('auditor', 'GET', `/exits/cases/${kase.id}`)).statusCode).toBe(200);
    expect((await call('auditor', 'POST', `/exits/cases/${kase.id}/withdraw`, { reason: 'x' })).statusCode).toBe(403);

    // Withdrawal needs a reason.
    expect((await call('street', 'POST', `/exits/cases/${kase.id}/withdraw`, { reason: ' ' })).statusCode).toBe(400);
    const withdrawn = await call('street', 'POST', `/exits/cases/${kase.id}/withdraw`, { reason: '复核后考核结果有误' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ state: 'withdrawn', withdrawnReason: '复核后考核结果有误' });
    expect((await call('street', 'POST', `/exits/cases/${kase.id}/advance`, { to: 'notified', date: testDate() })).statusCode).toBe(409);

    // A new run proposes it again; this time it goes all the way.
    const second = (await call('street', 'POST', '/exits/runs', { orgCode: '330106001' })).json().created[0];
    const step = (to: string, extra: Record<string, unknown> = {}) =>
      call('street', 'POST', `/exits/cases/${second.id}/advance`, { to, date: testDate(), ...extra });
    expect((await step('handover')).statusCode).toBe(409);
    expect((await step('notified', { documents: '退出通知书〔2026〕1号' })).statusCode).toBe(200);
    expect((await step('handover')).statusCode).toBe(200);
    const blocked = await step('contract_terminated');
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.message).toContain('工作交接尚未完成');
    const keys = (await call('street', 'GET', `/exits/cases/${second.id}`)).json().handover.map((h: { key: string }) => h.key);
    expect((await call('street', 'PUT', `/exits/cases/${second.id}/handover`, { done: keys })).statusCode).toBe(200);
    const terminated = await step('contract_terminated');
    expect(terminated.statusCode, terminated.body).toBe(200);
    const contracts = (await call('street', 'GET', `/workers/${failing.id}/contracts`)).json().items;
    expect(contracts.find((x: { id: number }) => x.id === contract.id).status).toBe('terminated');
    const exited = await step('exited');
    expect(exited.statusCode, exited.body).toBe(200);
    expect(exited.json().state).toBe('exited');
    const worker = (await call('street', 'GET', `/workers/${failing.id}`)).json();
    expect(worker.status).toBe('exited');
    expect(worker.exitReason).toBe('assessment_unqualified');
    const detail = (await call('street', 'GET', `/exits/cases/${second.id}`)).json();
    expect(detail.events.map((e: { toState: string }) => e.toState)).toEqual([
      'proposed',
      'notified',
      'handover',
      'contract_terminated',
      'exited',
    ]);
    expect(detail.documents).toContain('退出通知书〔2026〕1号');

    const actions = (await env.deps.db.kysely.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    for (const a of [
      'exit_case.propose',
      'exit_case.withdrawn',
      'exit_case.notified',
      'exit_case.handover',
      'exit_case.contract_terminated',
      'exit_case.exited',
      'contract.terminate',
    ]) {
      expect(actions).toContain(a);
    }
    const list = (await call('region', 'GET', '/exits/cases?orgCode=330106')).json();
    expect(list.total).toBe(2);
    expect((await call('streetOut', 'GET', '/exits/cases')).json().items).toEqual([]);
  });

  it('completes a case whose worker is already 已退出 (an earlier attempt, or the worker page, got there first)', async () => {
    const failing = await createTestWorker(env.deps, '330106001001', { name: '不称职者' });
    await recordResult(failing.id, '330106001001', 2025, 'incompetent');
    const kase = (await call('street', 'POST', '/exits/runs', { orgCode: '330106001' })).json().created[0];
    const step = (to: string) => call('street', 'POST', `/exits/cases/${kase.id}/advance`, { to, date: testDate() });
    expect((await step('notified')).statusCode).toBe(200);
    expect((await step('handover')).statusCode).toBe(200);
    const keys = (await call('street', 'GET', `/exits/cases/${kase.id}`)).json().handover.map((h: { key: string }) => h.key);
    await call('street', 'PUT', `/exits/cases/${kase.id}/handover`, { done: keys });
    expect((await step('contract_terminated')).statusCode).toBe(200);
    await env.deps.db.kysely.updateTable('workers').set({ status: 'exited' }).where('id', '=', failing.id).execute();
    const exited = await step('exited');
    expect(exited.statusCode, exited.body).toBe(200);
    expect(exited.json().state).toBe('exited');
  });

  it('keeps exit rules as versioned data per region', async () => {
    const bad = await call('region', 'PUT', '/exits/rules', { orgCode: '330106', effectiveFrom: '2026-01-01', rules: { rules: [] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toMatch(/^rules\./);
    const rules = {
      rules: [{ key: 'retirement_age', nameZh: '达到法定退休年龄', kind: 'retirement_age', action: 'retire', withinDays: 30 }],
      femaleRetirementKind: { principal: 'cadre', deputy: 'cadre', staff: 'cadre' },
    };
    const saved = await call('region', 'PUT', '/exits/rules', { orgCode: '330106', effectiveFrom: '2026-01-01', rules });
    expect(saved.statusCode, saved.body).toBe(200);
    const seen = (await call('street', 'GET', '/exits/rules?orgCode=330106001')).json();
    expect(seen).toMatchObject({ sourceOrgCode: '330106', isDefault: false });
    expect((await call('street', 'PUT', '/exits/rules', { orgCode: '330106001', effectiveFrom: '2026-01-01', rules })).statusCode).toBe(
      403,
    );
    expect((await call('streetOut', 'GET', '/exits/rules?orgCode=330106001')).statusCode).toBe(404);
  });
});
