/**
 * Half-year and quarterly cycles (半年考核, 季度考核): each names its part of the year, is labelled by it,
 * and keeps its results in the cycle; only an annual cycle sets the year's result that grades, pay and
 * exit rules read.
 */
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

describeEachDatabase('assessment cycles by half year and quarter', (kind) => {
  let env: TestEnv;
  let region: string;
  let workerId: number;
  beforeEach(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    workerId = (await createTestWorker(env.deps, C1, { name: '甲' })).id;
    region = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
  });
  afterEach(async () => env?.close());

  const open = (body: Record<string, unknown>) =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/assessment/cycles',
      headers: { cookie: region },
      payload: { orgCode: '330106', name: '考核', year: 2026, publicityDays: 0, ...body },
    });

  it('requires the half or quarter of such a cycle, refuses one on an annual cycle, and labels each', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ period: 'half_year' }, 400, '半年考核须选择上半年（1）或下半年（2）'],
      [{ period: 'half_year', part: 3 }, 400, '半年考核须选择上半年（1）或下半年（2）'],
      [{ period: 'quarter', part: null }, 400, '季度考核须选择第1至第4季度'],
      [{ part: 1 }, 400, '年度考核不分上下半年或季度，请不要选择期次'],
      [{ period: 'quarter', part: 5 }, 400, '期次'],
      [{ period: 'monthly', part: 1 }, 400, '考核周期'],
    ];
    for (const [body, status, message] of cases) {
      const res = await open(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.message, JSON.stringify(body)).toContain(message);
    }
    expect(await env.deps.db.kysely.selectFrom('assessment_cycles').select('id').execute()).toHaveLength(0);

    const labels: string[] = [];
    for (const body of [{}, { period: 'half_year', part: 2 }, { period: 'quarter', part: 3 }]) {
      const res = await open(body);
      expect(res.statusCode, res.body).toBe(201);
      labels.push(res.json().periodLabel);
      expect(res.json().template.period).toBe(res.json().period);
    }
    expect(labels).toEqual(['2026年度', '2026年下半年', '2026年第三季度']);
    const list = await env.app.inject({ method: 'GET', url: '/api/v1/assessment/cycles', headers: { cookie: region } });
    expect(
      list
        .json()
        .items.map((c: { periodLabel: string; part: number | null }) => [c.periodLabel, c.part])
        .sort(),
    ).toEqual([
      ['2026年下半年', 2],
      ['2026年度', null],
      ['2026年第三季度', 3],
    ]);
  });

  it('finalises a half-year cycle without setting the year result; the annual cycle of that year sets it', async () => {
    const ctx = systemContext(env.deps, 'test');
    const db = env.deps.db.kysely;
    /** A cycle brought to the end of its publicity with one result, written directly (the flow is tested elsewhere). */
    const inPublicity = async (period: 'annual' | 'half_year', part: number | null, result: string) => {
      const cycle = await openCycle(ctx, { orgCode: '330106', name: '考核', year: 2026, period, part });
      await db
        .updateTable('assessment_cycles')
        .set({ status: 'publicity', publicity_until: '2020-01-01T00:00:00.000Z' })
        .where('id', '=', cycle.id)
        .execute();
      await db
        .insertInto('assessment_cycle_results')
        .values({
          cycle_id: cycle.id,
          worker_id: workerId,
          org_code: C1,
          street_code: C1.slice(0, 9),
          groups: '[]',
          flags: '[]',
          total: 8000,
          band: result,
          final_result: result,
          reasons: '[]',
          explanation: '',
          updated_at: new Date().toISOString(),
        })
        .execute();
      return cycle.id;
    };
    const finalise = (id: number) =>
      env.app.inject({ method: 'POST', url: `/api/v1/assessment/cycles/${id}/finalise`, headers: { cookie: region } });

    const h1 = await inPublicity('half_year', 1, 'excellent');
    const h2 = await inPublicity('half_year', 2, 'basically_competent');
    for (const id of [h1, h2]) {
      const res = await finalise(id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('final');
    }
    expect(await db.selectFrom('assessment_results').select('worker_id').execute()).toEqual([]);

    const annual = await inPublicity('annual', null, 'competent');
    expect((await finalise(annual)).statusCode).toBe(200);
    const rows = await db.selectFrom('assessment_results').select(['worker_id', 'year', 'result', 'cycle_id']).execute();
    expect(rows.map((r) => [Number(r.worker_id), Number(r.year), r.result, Number(r.cycle_id)])).toEqual([
      [workerId, 2026, 'competent', annual],
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'assessment.finalise')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => (JSON.parse(a.after_json!) as { yearResults: boolean }).yearResults)).toEqual([false, false, true]);
  });
});
