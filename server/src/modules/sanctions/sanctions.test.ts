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
import { DEFAULT_ASSESSMENT_TEMPLATE } from '../assessment/rules/template.ts';
import { systemContext } from '../../context.ts';
import { transferWorker } from '../workers/workers.lifecycle.service.ts';
import { findSanctionsInForceForWorkersUnscoped } from './sanctions.service.ts';

const SANCTION = {
  kind: 'demerit',
  decidedOn: '2026-03-01',
  endsOn: '2027-03-01',
  authority: '西湖区纪委监委',
  documentNo: '西纪〔2026〕3号',
  reason: '违反工作纪律，造成不良影响',
};

/** The default template scored by the street alone, every worker eligible for 优秀: results show only the vetoes. */
const STREET_SHEET_TEMPLATE = {
  ...DEFAULT_ASSESSMENT_TEMPLATE,
  raterGroups: [{ key: 'street', nameZh: '街道评议', weightBp: 10000, source: 'sheet', minRaters: 1 }],
  tieBreakGroups: [],
  excellentCap: { shareBp: 10000, rounding: 'floor', atLeastOne: true },
};

describeEachDatabase('sanction register', (kind) => {
  let env: TestEnv;
  let c: Record<string, string>;
  let w: Record<string, number>;

  const call = async (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
    env.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: c[who]! },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeEach(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    w = {};
    for (const [key, org] of [
      ['a', '330106001001'],
      ['b', '330106001001'],
      ['c', '330106001002'],
      ['out', '330108001001'],
    ] as const) {
      w[key] = (await createTestWorker(env.deps, org, { name: `人员${key.toUpperCase()}` })).id;
    }
    c = {};
    for (const [key, role, org, workerId] of [
      ['street', 'street_hr', '330106001'],
      ['streetOut', 'street_hr', '330108001'],
      ['region', 'region_admin', '330106'],
      ['auditor', 'auditor', '330106'],
      ['lead', 'community_lead', '330106001001'],
      ['workerA', 'worker', '330106001001', w.a],
    ] as const) {
      const u = await createTestUser(env.deps, role, org, workerId ? { workerId } : {});
      c[key] = await loginCookie(env.app, u.username);
    }
  });
  afterEach(async () => env?.close());

  it('records a sanction, shows it to readers in scope (a worker: their own), and keeps the reason encrypted', async () => {
    const res = await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION);
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    expect(s).toMatchObject({
      workerId: w.a,
      workerName: '人员A',
      orgCode: '330106001001',
      orgName: '保俶塔社区',
      kind: 'demerit',
      kindLabel: '记过',
      decidedOn: '2026-03-01',
      endsOn: '2027-03-01',
      authority: '西湖区纪委监委',
      documentNo: '西纪〔2026〕3号',
      reason: SANCTION.reason,
      status: 'in_force',
      statusLabel: '有效',
      revokedReason: null,
    });

    const row = await env.deps.db.kysely.selectFrom('worker_sanctions').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(row.reason_enc).not.toContain('违反');
    const audit = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'sanction.create').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.entity_id).toBe(String(s.id));
    expect(audit[0]!.after_json).not.toContain('违反');

    for (const who of ['street', 'region', 'auditor', 'workerA']) {
      const list = await call(who, 'GET', `/workers/${w.a}/sanctions`);
      expect(list.statusCode, `${who} ${list.body}`).toBe(200);
      expect(list.json().items.map((i: { id: number }) => i.id)).toEqual([s.id]);
    }
    // A region admin may record too; the list is newest decision first.
    const second = await call('region', 'POST', `/workers/${w.a}/sanctions`, {
      ...SANCTION,
      kind: 'warning',
      decidedOn: '2026-06-01',
      endsOn: null,
    });
    expect(second.statusCode, second.body).toBe(201);
    expect((await call('street', 'GET', `/workers/${w.a}/sanctions`)).json().items.map((i: { kind: string }) => i.kind)).toEqual([
      'warning',
      'demerit',
    ]);
    // Reading reasons is audited like a reveal; an empty list is not.
    const views = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select(['entity_id', 'after_json'])
      .where('action', '=', 'sanction.view')
      .execute();
    expect(views.length).toBeGreaterThanOrEqual(5);
    expect(views.every((v) => v.entity_id === String(w.a) && !v.after_json!.includes('违反'))).toBe(true);
    expect((await call('street', 'GET', `/workers/${w.b}/sanctions`)).json().items).toEqual([]);
    expect(
      await env.deps.db.kysely
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'sanction.view')
        .where('entity_id', '=', String(w.b))
        .execute(),
    ).toEqual([]);
    // Community leads do not read disciplinary records; a worker not a colleague's.
    expect((await call('lead', 'GET', `/workers/${w.a}/sanctions`)).statusCode).toBe(403);
    expect((await call('workerA', 'GET', `/workers/${w.b}/sanctions`)).statusCode).toBe(404);
  });

  it('refuses bad input with Chinese messages naming the field', async () => {
    const future = await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, decidedOn: testDate(1), endsOn: null });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.details.issues[0].field).toBe('decidedOn');
    expect(future.json().error.message).toContain('处分决定日期');

    const endsEarly = await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, endsOn: '2026-02-01' });
    expect(endsEarly.statusCode).toBe(400);
    expect(endsEarly.json().error.details.issues[0].field).toBe('endsOn');
    expect(endsEarly.json().error.message).toContain('影响期截止日期');

    const badDate = await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, decidedOn: '2026-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.details.issues[0].field).toBe('decidedOn');
    expect(badDate.json().error.message).toContain('处分决定日期');

    const badKind = await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, kind: 'fine' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.details.issues[0].field).toBe('kind');
    expect(badKind.json().error.message).toContain('处分种类无效');

    const noAuthority = await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, authority: ' ' });
    expect(noAuthority.statusCode).toBe(400);
    expect(noAuthority.json().error.message).toContain('决定机关');

    expect(await env.deps.db.kysely.selectFrom('worker_sanctions').select('id').execute()).toEqual([]);
  });

  it('keeps other districts and read-only roles out', async () => {
    const s = (await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION)).json();
    expect((await call('streetOut', 'GET', `/workers/${w.a}/sanctions`)).statusCode).toBe(404);
    expect((await call('streetOut', 'POST', `/workers/${w.a}/sanctions`, SANCTION)).statusCode).toBe(404);
    expect((await call('streetOut', 'POST', `/sanctions/${s.id}/revoke`, { reason: '越权' })).statusCode).toBe(404);
    expect((await call('street', 'POST', `/workers/${w.out}/sanctions`, SANCTION)).statusCode).toBe(404);
    for (const who of ['workerA', 'auditor', 'lead']) {
      expect((await call(who, 'POST', `/workers/${w.a}/sanctions`, SANCTION)).statusCode, who).toBe(403);
      expect((await call(who, 'POST', `/sanctions/${s.id}/revoke`, { reason: '本人申请' })).statusCode, who).toBe(403);
    }
    expect((await call('streetOut', 'GET', '/sanctions')).json()).toEqual({ items: [], total: 0 });
    expect((await call('street', 'GET', '/sanctions?orgCode=330108')).json()).toEqual({ items: [], total: 0 });
    expect(await env.deps.db.kysely.selectFrom('worker_sanctions').select('id').execute()).toHaveLength(1);
  });

  it('follows a transferred worker: the receiving district lists the sanction, the recording one keeps it', async () => {
    const s = (await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION)).json();
    expect((await call('streetOut', 'GET', '/sanctions')).json().total).toBe(0);
    await transferWorker(systemContext(env.deps), w.a!, { toOrgCode: '330108001001', effectiveDate: testDate() });
    const there = (await call('streetOut', 'GET', '/sanctions')).json();
    expect(there.items.map((x: { id: number; orgCode: string }) => [x.id, x.orgCode])).toEqual([[s.id, '330106001001']]);
    expect((await call('streetOut', 'GET', '/sanctions?orgCode=330108001')).json().total).toBe(1);
    expect((await call('street', 'GET', '/sanctions')).json().total).toBe(1);
    // The other worker's sanction stays where it was recorded.
    await call('street', 'POST', `/workers/${w.b}/sanctions`, { ...SANCTION, documentNo: '西纪〔2026〕9号' });
    expect((await call('streetOut', 'GET', '/sanctions')).json().total).toBe(1);
  });

  it('revokes with a required reason; a revoked sanction no longer counts', async () => {
    const s = (await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION)).json();
    const blank = await call('street', 'POST', `/sanctions/${s.id}/revoke`, { reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.message).toContain('请填写撤销原因');
    const revoked = await call('street', 'POST', `/sanctions/${s.id}/revoke`, { reason: '经复核撤销原处分决定' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({
      status: 'revoked',
      statusLabel: '已撤销',
      revokedReason: '经复核撤销原处分决定',
      isInInfluencePeriod: false,
    });
    expect(revoked.json().revokedAt).toBeTruthy();
    const again = await call('region', 'POST', `/sanctions/${s.id}/revoke`, { reason: '再次撤销' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('该处分已撤销');
    expect(await findSanctionsInForceForWorkersUnscoped(env.deps.db.kysely, [w.a!])).toEqual([]);
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'after_json'])
      .where('action', '=', 'sanction.revoke')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after_json).not.toContain('复核');
  });

  it('refuses the same decision twice while it is in force, and allows it again once revoked', async () => {
    const first = await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION);
    expect(first.statusCode, first.body).toBe(201);
    const twice = await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('该人员已登记 2026-03-01 的同类处分（西纪〔2026〕3号），请勿重复登记；如需更正请先撤销原记录');
    // Without a document number it still matches the recorded decision.
    expect((await call('region', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, documentNo: '' })).statusCode).toBe(409);
    // Another decision: another document number, another kind, or another worker.
    expect((await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, documentNo: '西纪〔2026〕4号' })).statusCode).toBe(
      201,
    );
    expect((await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, kind: 'warning' })).statusCode).toBe(201);
    expect((await call('street', 'POST', `/workers/${w.b}/sanctions`, SANCTION)).statusCode).toBe(201);
    const mine = await env.deps.db.kysely.selectFrom('worker_sanctions').select('id').where('worker_id', '=', w.a!).execute();
    expect(mine).toHaveLength(3);
    expect(
      await env.deps.db.kysely.selectFrom('audit_log').select('action').where('action', '=', 'sanction.create').execute(),
    ).toHaveLength(4);
    // Revoked (e.g. recorded with a wrong date), the decision can be recorded again.
    expect((await call('street', 'POST', `/sanctions/${first.json().id}/revoke`, { reason: '日期录错，重新登记' })).statusCode).toBe(200);
    expect((await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION)).statusCode).toBe(201);
  });

  it('lists the register in scope, paged and filtered, with names and without reasons', async () => {
    await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION);
    await call('street', 'POST', `/workers/${w.b}/sanctions`, { ...SANCTION, kind: 'warning', decidedOn: '2025-05-01', endsOn: null });
    await call('street', 'POST', `/workers/${w.c}/sanctions`, {
      ...SANCTION,
      kind: 'party_expulsion',
      decidedOn: '2026-04-01',
      endsOn: null,
    });
    await call('streetOut', 'POST', `/workers/${w.out}/sanctions`, SANCTION);

    const all = (await call('region', 'GET', '/sanctions?pageSize=2')).json();
    expect(all.total).toBe(3);
    expect(all.items.map((i: { workerName: string }) => i.workerName)).toEqual(['人员C', '人员A']);
    expect(all.items[0]).not.toHaveProperty('reason');
    expect(all.items[0]).toMatchObject({ kindLabel: '开除党籍', orgName: '西湖社区' });
    expect(
      (await call('region', 'GET', '/sanctions?page=2&pageSize=2')).json().items.map((i: { workerName: string }) => i.workerName),
    ).toEqual(['人员B']);
    const filtered = (await call('region', 'GET', '/sanctions?orgCode=330106001001&year=2026&kind=demerit')).json();
    expect(filtered.items.map((i: { workerName: string }) => i.workerName)).toEqual(['人员A']);
    expect((await call('region', 'GET', '/sanctions?year=2025')).json().total).toBe(1);
    expect((await call('region', 'GET', '/sanctions?status=revoked')).json().total).toBe(0);
    expect((await call('workerA', 'GET', '/sanctions')).json().items.map((i: { workerId: number }) => i.workerId)).toEqual([w.a]);
    expect((await call('lead', 'GET', '/sanctions')).statusCode).toBe(403);
    const bad = await call('region', 'GET', '/sanctions?kind=fine');
    expect(bad.statusCode).toBe(400);
  });

  it('reads in-force sanctions of many workers in chunks, within a decision period', async () => {
    await call('street', 'POST', `/workers/${w.a}/sanctions`, SANCTION);
    await call('street', 'POST', `/workers/${w.b}/sanctions`, { ...SANCTION, decidedOn: '2025-05-01', endsOn: null });
    const ids = [...Array.from({ length: 1200 }, (_, i) => 1_000_000 + i), w.a!, w.b!];
    const all = await findSanctionsInForceForWorkersUnscoped(env.deps.db.kysely, ids);
    expect(all.map((s) => s.workerId).sort()).toEqual([w.a, w.b].sort());
    const in2026 = await findSanctionsInForceForWorkersUnscoped(env.deps.db.kysely, ids, { from: '2026-01-01', to: '2026-12-31' });
    expect(in2026).toEqual([
      { id: expect.any(Number), workerId: w.a, kind: 'demerit', decidedOn: '2026-03-01', documentNo: '西纪〔2026〕3号' },
    ]);
  });

  it('makes an exit run propose a case under the disciplinary_dismissal rule for an expulsion', async () => {
    await createTestContract(env.deps, w.a!, { startDate: testDate(-400) });
    await createTestContract(env.deps, w.b!, { startDate: testDate(-400) });
    await call('street', 'POST', `/workers/${w.a}/sanctions`, {
      ...SANCTION,
      kind: 'party_expulsion',
      decidedOn: testDate(-10),
      endsOn: null,
    });
    const revoked = (
      await call('street', 'POST', `/workers/${w.b}/sanctions`, { ...SANCTION, kind: 'dismissal', decidedOn: testDate(-10), endsOn: null })
    ).json();
    await call('street', 'POST', `/sanctions/${revoked.id}/revoke`, { reason: '经复核撤销' });
    const run = await call('street', 'POST', '/exits/runs', { orgCode: '330106001' });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().created).toHaveLength(1);
    const kase = run.json().created[0];
    expect(kase).toMatchObject({ workerId: w.a, ruleKey: 'disciplinary_dismissal', action: 'terminate', dueDate: testDate() });
    expect(kase.explanation).toContain('开除党籍');
  });

  it('vetoes a worker sanctioned in the cycle year to 不称职, alongside hand-entered vetoes', async () => {
    const year = Number(testDate().slice(0, 4));
    const opened = await call('region', 'POST', '/assessment/cycles', {
      orgCode: '330106',
      name: `${year}年度考核`,
      year,
      template: STREET_SHEET_TEMPLATE,
      publicityDays: 0,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json().id as number;
    const scores = { political: 9500, performance: 9500, satisfaction: 9500 };
    const sheet = await call('street', 'PUT', `/assessment/cycles/${id}/sheet`, {
      group: 'street',
      entries: [w.a, w.b, w.c].map((workerId) => ({ workerId, scores })),
    });
    expect(sheet.statusCode, sheet.body).toBe(200);
    // A: from the register (decided in the cycle year); B: by hand; C: a sanction of an earlier year does not count.
    const s = (
      await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, kind: 'warning', decidedOn: `${year}-01-01`, endsOn: null })
    ).json();
    await call('street', 'POST', `/workers/${w.c}/sanctions`, { ...SANCTION, decidedOn: `${year - 1}-06-01`, endsOn: null });
    const hand = await call('street', 'PATCH', `/assessment/cycles/${id}/participants/${w.b}`, { vetoes: ['disciplinary_sanction'] });
    expect(hand.statusCode, hand.body).toBe(200);

    const computed = await call('region', 'POST', `/assessment/cycles/${id}/compute`);
    expect(computed.statusCode, computed.body).toBe(200);
    const byWorker = new Map(computed.json().map((r: { workerId: number }) => [r.workerId, r]));
    const a = byWorker.get(w.a) as { finalResult: string; explanation: string; reasons: Record<string, unknown>[] };
    expect(a.finalResult).toBe('incompetent');
    expect(a.explanation).toContain('一票否决');
    expect(a.explanation).toContain(`处分登记：${year}-01-01 警告`);
    expect(a.reasons).toContainEqual(
      expect.objectContaining({ code: 'veto', key: 'disciplinary_sanction', source: 'sanction_register', sanctionIds: [s.id] }),
    );
    const b = byWorker.get(w.b) as { finalResult: string; explanation: string; reasons: Record<string, unknown>[] };
    expect(b.finalResult).toBe('incompetent');
    expect(b.explanation).not.toContain('处分登记');
    expect(b.reasons.find((r) => r.code === 'veto')).not.toHaveProperty('source');
    expect((byWorker.get(w.c) as { finalResult: string }).finalResult).toBe('excellent');

    // Revoked on review: the recomputed result no longer carries the veto.
    await call('street', 'POST', `/sanctions/${s.id}/revoke`, { reason: '经复核撤销' });
    const again = (await call('region', 'POST', `/assessment/cycles/${id}/compute`)).json();
    expect(again.find((r: { workerId: number }) => r.workerId === w.a).finalResult).toBe('excellent');
  });

  it('counts a sanction against the half-year cycle it was decided in, not the other half', async () => {
    const year = Number(testDate().slice(0, 4)) - 1;
    await call('street', 'POST', `/workers/${w.a}/sanctions`, { ...SANCTION, kind: 'warning', decidedOn: `${year}-03-01`, endsOn: null });
    const resultOfA = async (part: number) => {
      const opened = await call('region', 'POST', '/assessment/cycles', {
        orgCode: '330106',
        name: `${year}年半年考核`,
        year,
        period: 'half_year',
        part,
        template: STREET_SHEET_TEMPLATE,
        publicityDays: 0,
      });
      expect(opened.statusCode, opened.body).toBe(201);
      const id = opened.json().id as number;
      const scores = { political: 9500, performance: 9500, satisfaction: 9500 };
      await call('street', 'PUT', `/assessment/cycles/${id}/sheet`, {
        group: 'street',
        entries: [w.a, w.b].map((workerId) => ({ workerId, scores })),
      });
      const computed = await call('region', 'POST', `/assessment/cycles/${id}/compute`);
      expect(computed.statusCode, computed.body).toBe(200);
      return computed.json().find((r: { workerId: number }) => r.workerId === w.a) as { finalResult: string; explanation: string };
    };
    const first = await resultOfA(1);
    expect(first.finalResult).toBe('incompetent');
    expect(first.explanation).toContain(`处分登记：${year}-03-01 警告`);
    const second = await resultOfA(2);
    expect(second.finalResult).toBe('excellent');
    expect(second.explanation).not.toContain('处分登记');
  });
});
