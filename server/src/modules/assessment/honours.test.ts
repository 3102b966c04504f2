import { excel } from '../../lib/excel/exceljs.ts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemContext } from '../../context.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import {
  createTestEnv,
  createTestUser,
  createTestWorker,
  loginCookie,
  seedOrgs,
  SMALL_TREE,
  type TestEnv,
} from '../../../test/factories.ts';
import { openCycle } from './assessment.service.ts';

const C1 = '330106001001';
const C2 = '330106001002';

/** A 西湖区 cycle made final with the given results, written directly (the cycle's own flow is tested elsewhere). */
async function finalCycle(env: TestEnv, results: { workerId: number; org: string; total: number; result: string }[]) {
  const cycle = await openCycle(systemContext(env.deps, 'test'), { orgCode: '330106', name: '2026年度考核', year: 2026 });
  const db = env.deps.db.kysely;
  await db.updateTable('assessment_cycles').set({ status: 'final' }).where('id', '=', cycle.id).execute();
  const now = new Date().toISOString();
  for (const r of results) {
    await db
      .insertInto('assessment_cycle_results')
      .values({
        cycle_id: cycle.id,
        worker_id: r.workerId,
        org_code: r.org,
        street_code: r.org.slice(0, 9),
        groups: '[]',
        flags: '[]',
        total: r.total,
        band: r.result,
        final_result: r.result,
        reasons: '[]',
        explanation: '',
        updated_at: now,
      })
      .execute();
  }
  return cycle.id;
}

describeEachDatabase('honours lists', (kind) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
  });
  afterEach(async () => env?.close());

  it('ranks the 优秀 workers, issues the district decision once, and shows it on records, lists and the sheet', async () => {
    const a = await createTestWorker(env.deps, C1, { name: '甲优秀' });
    const b = await createTestWorker(env.deps, C2, { name: '乙优秀' });
    const c = await createTestWorker(env.deps, C1, { name: '丙称职' });
    const d = await createTestWorker(env.deps, C2, { name: '丁优秀' });
    const cycleId = await finalCycle(env, [
      { workerId: a.id, org: C1, total: 9350, result: 'excellent' },
      { workerId: b.id, org: C2, total: 9600, result: 'excellent' },
      { workerId: c.id, org: C1, total: 9700, result: 'competent' },
      { workerId: d.id, org: C2, total: 9350, result: 'excellent' },
    ]);
    const admin = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    const candidates = await env.app.inject({
      method: 'GET',
      url: `/api/v1/assessment/cycles/${cycleId}/honours/candidates`,
      headers: { cookie: admin },
    });
    expect(candidates.statusCode).toBe(200);
    // Equal totals share a rank; 称职 is not a candidate however high the score.
    expect(candidates.json().map((x: { name: string; rank: number }) => [x.name, x.rank])).toEqual([
      ['乙优秀', 1],
      ['丁优秀', 2],
      ['甲优秀', 2],
    ]);

    const issue = (payload: Record<string, unknown>, cookie = admin) =>
      env.app.inject({ method: 'POST', url: `/api/v1/assessment/cycles/${cycleId}/honours`, headers: { cookie }, payload });
    const body = { orgCode: '330106', title: '2026年度优秀社区工作者', documentNo: '西政〔2027〕1号', decidedOn: '2026-11-20' };
    const issued = await issue(body);
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ title: '2026年度优秀社区工作者', memberCount: 3, orgName: '西湖区' });
    const again = await issue(body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已发布');
    const audit = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'assessment.honours_issue').execute();
    expect(audit).toHaveLength(1);

    // The street sees the district's decision with its own members; the worker sees it on their record.
    const street = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    const list = await env.app.inject({ method: 'GET', url: '/api/v1/assessment/honours', headers: { cookie: street } });
    expect(list.json()).toMatchObject({ total: 1, items: [{ title: '2026年度优秀社区工作者' }] });
    const self = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', C1, { workerId: a.id })).username);
    const record = await env.app.inject({ method: 'GET', url: `/api/v1/workers/${a.id}/honours`, headers: { cookie: self } });
    expect(record.json().items).toHaveLength(1);
    const none = await env.app.inject({ method: 'GET', url: `/api/v1/workers/${c.id}/honours`, headers: { cookie: admin } });
    expect(none.json().items).toEqual([]);
    const own = await env.app.inject({
      method: 'GET',
      url: `/api/v1/assessment/honours/${issued.json().id}/members`,
      headers: { cookie: self },
    });
    expect(own.json().map((m: { name: string }) => m.name)).toEqual(['甲优秀']);

    const sheet = await env.app.inject({
      method: 'GET',
      url: `/api/v1/assessment/honours/${issued.json().id}/export`,
      headers: { cookie: admin },
    });
    expect(sheet.statusCode).toBe(200);
    const wb = new excel.Workbook();
    await wb.xlsx.load(sheet.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0]!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(rows[0]).toEqual(['2026年度优秀社区工作者']);
    expect(rows.slice(3)).toEqual([
      [1, '乙优秀', '西湖社区', 96],
      [2, '丁优秀', '西湖社区', 93.5],
      [2, '甲优秀', '保俶塔社区', 93.5],
    ]);
    expect(
      await env.deps.db.kysely.selectFrom('audit_log').select('seq').where('action', '=', 'assessment.honours_export').execute(),
    ).toHaveLength(1);
  });

  it('refuses honours before the results are final, bad input, a community lead and orgs outside the scope', async () => {
    const a = await createTestWorker(env.deps, C1);
    const open = await openCycle(systemContext(env.deps, 'test'), { orgCode: '330106', name: '未定档', year: 2026 });
    const admin = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    const early = await env.app.inject({
      method: 'GET',
      url: `/api/v1/assessment/cycles/${open.id}/honours/candidates`,
      headers: { cookie: admin },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('定档');

    const cycleId = await finalCycle(env, [{ workerId: a.id, org: C1, total: 9000, result: 'excellent' }]);
    const issue = (payload: Record<string, unknown>, cookie = admin) =>
      env.app.inject({ method: 'POST', url: `/api/v1/assessment/cycles/${cycleId}/honours`, headers: { cookie }, payload });
    const missingTitle = await issue({ orgCode: '330106', title: ' ', decidedOn: '2026-11-20' });
    expect(missingTitle.statusCode).toBe(400);
    expect(missingTitle.body).toContain('表彰名称');
    const future = await issue({ orgCode: '330106', title: '表彰', decidedOn: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.details.issues[0].field).toBe('decidedOn');
    const lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', C1)).username);
    expect((await issue({ orgCode: C1, title: '表彰', decidedOn: '2026-11-20' }, lead)).statusCode).toBe(403);
    expect((await issue({ orgCode: '330108', title: '表彰', decidedOn: '2026-11-20' })).statusCode).toBe(404);
    const worker = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', C1, { workerId: a.id })).username);
    expect((await issue({ orgCode: '330106', title: '表彰', decidedOn: '2026-11-20' }, worker)).statusCode).toBe(403);
    const nobody = await issue({ orgCode: '330106002', title: '西溪表彰', decidedOn: '2026-11-20' });
    expect(nobody.statusCode).toBe(409);
    expect(nobody.json().error.message).toContain('没有考核为优秀');
    // The street issues its own decision for its subtree, beside the district's.
    const street = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    const empty = await env.app.inject({
      method: 'POST',
      url: `/api/v1/assessment/cycles/${cycleId}/honours`,
      headers: { cookie: street },
      payload: { orgCode: '330106001', title: '街道表彰', decidedOn: '2026-11-20' },
    });
    expect(empty.statusCode).toBe(201);
    expect(empty.json().memberCount).toBe(1);
  });
});
