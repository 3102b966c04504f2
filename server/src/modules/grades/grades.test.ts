import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import {
  createTestEnv,
  createTestGrade,
  createTestUser,
  createTestWorker,
  loginCookie,
  seedOrgs,
  SMALL_TREE,
  type TestEnv,
} from '../../../test/factories.ts';
import { systemContext } from '../../context.ts';
import { nowIso } from '../../lib/time.ts';
import { approveGradeRun, createGradeRun } from './grades.service.ts';
import { DEFAULT_GRADE_SCHEME, NINGXIA_2025_GRADE_SCHEME } from './rules/grade-scheme.ts';

interface Item {
  workerId: number;
  change: string;
  fromLevel: number | null;
  toBand: string | null;
  toLevel: number | null;
  textZh: string;
  error: string | null;
}

describeEachDatabase('grades API', (kind) => {
  let env: TestEnv;
  let hr: string;
  let hrWest: string;
  let hrBinjiang: string;
  let region: string;
  let province: string;
  let lead: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    hrWest = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106002')).username);
    hrBinjiang = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330108001')).username);
    region = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    province = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '33')).username);
    lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', '330106001002')).username);
  });
  afterAll(async () => env?.close());

  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    env.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
  const items = async (cookie: string, runId: number, query = ''): Promise<Item[]> => {
    const res = await call(cookie, 'GET', `/grade-runs/${runId}/items?pageSize=200${query}`);
    expect(res.statusCode).toBe(200);
    return res.json().items as Item[];
  };
  const itemOf = (list: Item[], workerId: number) => list.find((i) => i.workerId === workerId)!;
  /** A current grade written directly, as if an earlier run had set it. */
  const gradeDirectly = (workerId: number, orgCode: string, band: string, level: number, lastStepDate: string) =>
    createTestGrade(env.deps, workerId, { band, level, orgCode, lastStepDate, source: 'manual' });
  const enterResults = (workerId: number, results: Record<number, string>, cookie = hr) =>
    call(cookie, 'PUT', `/workers/${workerId}/assessment-results`, {
      items: Object.entries(results).map(([year, result]) => ({ year: Number(year), result })),
    });

  it('serves the national default scheme and lets a region save its own version (四岗二十四级) without code changes', async () => {
    const def = await call(hr, 'GET', '/orgs/330106001001/grade-scheme');
    expect(def.statusCode).toBe(200);
    expect(def.json().effective).toMatchObject({ regionCode: 'CN', schemeKey: DEFAULT_GRADE_SCHEME.key, effectiveFrom: '2024-01-01' });

    expect(
      (await call(hr, 'POST', '/orgs/330108/grade-scheme', { effectiveFrom: '2024-01-01', rules: NINGXIA_2025_GRADE_SCHEME })).statusCode,
    ).toBe(403);
    expect(
      (await call(region, 'POST', '/orgs/330108/grade-scheme', { effectiveFrom: '2024-01-01', rules: NINGXIA_2025_GRADE_SCHEME }))
        .statusCode,
    ).toBe(404);
    const saved = await call(province, 'POST', '/orgs/330108/grade-scheme', {
      effectiveFrom: '2024-01-01',
      rules: NINGXIA_2025_GRADE_SCHEME,
    });
    expect(saved.statusCode).toBe(201);
    expect(saved.json().versions).toHaveLength(1);
    const again = await call(province, 'POST', '/orgs/330108/grade-scheme', {
      effectiveFrom: '2024-01-01',
      rules: NINGXIA_2025_GRADE_SCHEME,
    });
    expect(again.statusCode).toBe(409);

    const binjiang = await call(hrBinjiang, 'GET', '/orgs/330108001001/grade-scheme');
    expect(binjiang.json().effective).toMatchObject({ regionCode: '330108', schemeKey: NINGXIA_2025_GRADE_SCHEME.key });
    const xihu = await call(hr, 'GET', '/orgs/330106001/grade-scheme');
    expect(xihu.json().effective.regionCode).toBe('CN');

    const audit = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'grade_scheme.save').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.org_code).toBe('330108');

    // The region's workers are graded by its scheme: 网格员 in 四岗, 2-year step, certificates as an allowance.
    const grid = await createTestWorker(env.deps, '330108001001', {
      post: 'grid_worker',
      workStartDate: '2020-01-01',
      education: '20',
      qualificationLevel: 'assistant',
    });
    const run = await call(hrBinjiang, 'POST', '/grade-runs', { orgCode: '330108001', kind: 'initial', effectiveDate: '2024-01-01' });
    expect(run.statusCode).toBe(201);
    const item = itemOf(await items(hrBinjiang, run.json().id), grid.id);
    // 4 full years + 本科 3 = 7 credited years; ⌊7/2⌋ = 3 → 四岗 1 + 3 = 4级; the certificate pays an allowance.
    expect(item).toMatchObject({ change: 'initial', toBand: 'band_d', toLevel: 4 });
    expect(item.textZh).toContain('四岗');
    expect(item.textZh).toContain('津贴');
  });

  it('refuses an invalid scheme with the Chinese field path', async () => {
    const bad = { ...DEFAULT_GRADE_SCHEME, stepYears: 0, bands: [{ ...DEFAULT_GRADE_SCHEME.bands[0], minLevel: 9, maxLevel: 3 }] };
    const res = await call(region, 'POST', '/orgs/330106/grade-scheme', { effectiveFrom: '2026-01-01', rules: bad });
    expect(res.statusCode).toBe(400);
    const issues = res.json().error.details.issues as { field: string; message: string }[];
    expect(issues.map((i) => i.field)).toContain('rules.stepYears');
    expect(issues.find((i) => i.field === 'rules.stepYears')!.message).toMatch(/^晋级年限：/);
    const inverted = {
      ...DEFAULT_GRADE_SCHEME,
      bands: DEFAULT_GRADE_SCHEME.bands.map((b, i) => (i === 0 ? { ...b, minLevel: 9, maxLevel: 3 } : b)),
    };
    const band = await call(region, 'POST', '/orgs/330106/grade-scheme', { effectiveFrom: '2026-01-01', rules: inverted });
    expect(band.statusCode).toBe(400);
    expect(band.json().error.details.issues).toContainEqual({
      field: 'rules.bands.0.maxLevel',
      message: '最高级：正职：最高级不得低于起点级',
    });
    const noDate = await call(region, 'POST', '/orgs/330106/grade-scheme', { effectiveFrom: '2026-02-30', rules: DEFAULT_GRADE_SCHEME });
    expect(noDate.statusCode).toBe(400);
    const street = await call(region, 'POST', '/orgs/330106001/grade-scheme', { effectiveFrom: '2026-01-01', rules: DEFAULT_GRADE_SCHEME });
    expect(street.statusCode).toBe(400);
  });

  it('grades workers initially through a previewed and approved run, with a reason for each one it cannot grade', async () => {
    const secretary = await createTestWorker(env.deps, '330106002001', {
      name: '书记',
      post: 'party_secretary',
      workStartDate: '2015-03-01',
      education: '20',
      qualificationLevel: 'intermediate',
    });
    const noStart = await createTestWorker(env.deps, '330106002001', { name: '无工龄', workStartDate: null });
    const run = await call(hrWest, 'POST', '/grade-runs', { orgCode: '330106002', kind: 'initial', effectiveDate: '2024-01-01' });
    expect(run.statusCode).toBe(201);
    expect(run.json()).toMatchObject({
      status: 'previewed',
      kind: 'initial',
      effectiveDate: '2024-01-01',
      counts: { total: 2, initial: 1, error: 1 },
    });
    const list = await items(hrWest, run.json().id);
    // 8 full years + 本科 3 = 11; 正职 7 + ⌊11/3⌋ = 10; 社会工作师 +2 = 12.
    expect(itemOf(list, secretary.id)).toMatchObject({ change: 'initial', toBand: 'principal', toLevel: 12 });
    expect(itemOf(list, secretary.id).textZh).toContain('本科折算3年');
    expect(itemOf(list, noStart.id)).toMatchObject({ change: 'error' });
    expect(itemOf(list, noStart.id).error).toContain('参加社区工作时间');
    expect(await items(hrWest, run.json().id, '&change=error')).toHaveLength(1);

    // Not applied before approval.
    expect((await call(hrWest, 'GET', `/workers/${secretary.id}/grades`)).json().current).toBeNull();
    // Another street cannot see or approve it.
    expect((await call(hr, 'POST', `/grade-runs/${run.json().id}/approve`)).statusCode).toBe(404);
    expect((await call(hr, 'GET', `/grade-runs/${run.json().id}`)).statusCode).toBe(404);

    const approved = await call(hrWest, 'POST', `/grade-runs/${run.json().id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'applied' });
    expect((await call(hrWest, 'POST', `/grade-runs/${run.json().id}/approve`)).statusCode).toBe(409);
    const grades = (await call(hrWest, 'GET', `/workers/${secretary.id}/grades`)).json();
    expect(grades.current).toMatchObject({
      band: 'principal',
      bandName: '正职',
      level: 12,
      source: 'initial',
      effectiveDate: '2024-01-01',
    });
    expect(grades.current.textZh).toContain('社会工作师');
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'grade_run.approve')
      .where('entity_id', '=', String(run.json().id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ status: 'applied', gradesWritten: 1 });

    // A second initial run leaves graded workers as they are.
    const rerun = await call(hrWest, 'POST', '/grade-runs', { orgCode: '330106002', kind: 'initial' });
    expect(itemOf(await items(hrWest, rerun.json().id), secretary.id).change).toBe('none');
    expect((await call(hrWest, 'POST', `/grade-runs/${rerun.json().id}/cancel`)).json().status).toBe('cancelled');
  });

  it('promotes by counted years (a 不称职 year does not count), allows an early step, and never steps twice for one year', async () => {
    const org = '330106001002';
    const steady = await createTestWorker(env.deps, org, { name: '稳定' });
    const failing = await createTestWorker(env.deps, org, { name: '有不称职' });
    const star = await createTestWorker(env.deps, org, { name: '连续优秀' });
    const ungraded = await createTestWorker(env.deps, org, { name: '未定级' });
    await gradeDirectly(steady.id, org, 'staff', 3, '2022-01-01');
    await gradeDirectly(failing.id, org, 'staff', 3, '2022-01-01');
    await gradeDirectly(star.id, org, 'staff', 5, '2024-01-01');
    expect(
      (await enterResults(steady.id, { 2022: 'competent', 2023: 'incompetent', 2024: 'competent', 2025: 'excellent' })).statusCode,
    ).toBe(200);
    expect(
      (await enterResults(failing.id, { 2022: 'competent', 2023: 'incompetent', 2024: 'incompetent', 2025: 'competent' })).statusCode,
    ).toBe(200);
    expect((await enterResults(star.id, { 2024: 'excellent', 2025: 'excellent' })).statusCode).toBe(200);

    const run = await call(hr, 'POST', '/grade-runs', { orgCode: '330106001', kind: 'promotion', runYear: 2026 });
    expect(run.statusCode).toBe(201);
    expect(run.json()).toMatchObject({ effectiveDate: '2026-01-01', counts: { step: 1, early_step: 1, none: 1, error: 1 } });
    const list = await items(hr, run.json().id);
    expect(itemOf(list, steady.id)).toMatchObject({ change: 'step', fromLevel: 3, toLevel: 4 });
    expect(itemOf(list, steady.id).textZh).toContain('2023年不称职（不计）');
    expect(itemOf(list, failing.id)).toMatchObject({ change: 'none', toLevel: 3 });
    expect(itemOf(list, star.id)).toMatchObject({ change: 'early_step', toLevel: 6 });
    expect(itemOf(list, ungraded.id)).toMatchObject({ change: 'error' });
    expect(itemOf(list, ungraded.id).error).toContain('尚未定级');

    // The community lead sees the run's items of their own community only, and cannot approve.
    expect((await call(lead, 'POST', `/grade-runs/${run.json().id}/approve`)).statusCode).toBe(403);
    expect((await call(hr, 'POST', `/grade-runs/${run.json().id}/approve`)).statusCode).toBe(200);
    const history = (await call(hr, 'GET', `/workers/${star.id}/grades`)).json();
    expect(history.items.map((g: { level: number; isCurrent: boolean }) => [g.level, g.isCurrent])).toEqual([
      [6, true],
      [5, false],
    ]);
    expect(history.current).toMatchObject({ source: 'promotion', lastStepDate: '2026-01-01', earlyStepsUsed: 1 });
    expect(history.current.textZh).toContain('连续优秀');

    // Same org and year again: refused. A run over a sub-org for the same year does nothing twice.
    const twice = await call(hr, 'POST', '/grade-runs', { orgCode: '330106001', kind: 'promotion', runYear: 2026 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toContain('不能重复晋级');
    const sub = await call(hr, 'POST', '/grade-runs', { orgCode: org, kind: 'promotion', runYear: 2026 });
    expect(sub.statusCode).toBe(201);
    const subItems = await items(hr, sub.json().id);
    expect(itemOf(subItems, steady.id)).toMatchObject({ change: 'none', toLevel: 4 });
    expect(itemOf(subItems, steady.id).textZh).toContain('不重复晋级');
    expect(sub.json().counts.step + sub.json().counts.early_step).toBe(0);
  });

  it('keeps results from a finalised assessment cycle, validates result codes, and shows a worker only their own grades', async () => {
    const org = '330106001001';
    const me = await createTestWorker(env.deps, org, { name: '本人' });
    const colleague = await createTestWorker(env.deps, org, { name: '同事' });
    await gradeDirectly(me.id, org, 'staff', 2, '2023-01-01');
    const bad = await call(hr, 'PUT', `/workers/${me.id}/assessment-results`, { items: [{ year: 2024, result: 'great' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].message).toMatch(/^考核结果：/);
    const future = await enterResults(me.id, { 2099: 'competent' });
    expect(future.statusCode).toBe(400);

    const now = nowIso();
    await env.deps.db.kysely
      .insertInto('assessment_results')
      .values({
        worker_id: me.id,
        org_code: org,
        year: 2024,
        result: 'excellent',
        source: 'cycle',
        cycle_id: 1,
        note: null,
        recorded_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const locked = await enterResults(me.id, { 2024: 'competent' });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.message).toContain('不能手工修改');
    const ok = await enterResults(me.id, { 2023: 'competent' });
    expect(ok.json().items.map((r: { year: number; isFinal: boolean }) => [r.year, r.isFinal])).toEqual([
      [2024, true],
      [2023, false],
    ]);
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'assessment_result.set')
      .where('entity_id', '=', String(me.id))
      .execute();
    expect(audit).toHaveLength(1);
    // A community lead reads but does not enter results.
    expect((await enterResults(me.id, { 2022: 'competent' }, lead)).statusCode).toBe(403);

    const worker = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', org, { workerId: me.id })).username);
    const own = await call(worker, 'GET', `/workers/${me.id}/grades`);
    expect(own.statusCode).toBe(200);
    expect(own.json().current).toMatchObject({ level: 2 });
    expect((await call(worker, 'GET', `/workers/${me.id}/assessment-results`)).json().items).toHaveLength(2);
    expect((await call(worker, 'GET', `/workers/${colleague.id}/grades`)).statusCode).toBe(404);
    expect((await call(worker, 'GET', `/workers/${colleague.id}/assessment-results`)).statusCode).toBe(404);
    expect((await call(worker, 'GET', '/grade-runs')).json()).toEqual({ items: [], total: 0 });
    expect(
      (await call(worker, 'PUT', `/workers/${me.id}/assessment-results`, { items: [{ year: 2025, result: 'excellent' }] })).statusCode,
    ).toBe(403);
  });

  it('crosses chunk boundaries without skipping or repeating a worker, and refuses to apply a stale preview', async () => {
    const ctx = systemContext(env.deps, 'test');
    const ids: number[] = [];
    for (const org of ['330106001001', '330106001002', '330106002001']) {
      for (let i = 0; i < 3; i++) ids.push((await createTestWorker(env.deps, org, { name: `分块${i}`, workStartDate: '2019-09-01' })).id);
    }
    const run = await createGradeRun(ctx, { orgCode: '330106', kind: 'initial', effectiveDate: '2025-01-01' }, { chunkSize: 2 });
    const rows = await env.deps.db.kysely.selectFrom('grade_run_items').select(['worker_id']).where('run_id', '=', run.id).execute();
    const seen = rows.map((r) => Number(r.worker_id));
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    const onRoll = await env.deps.db.kysely
      .selectFrom('workers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_code', 'like', '330106%')
      .where('status', 'in', ['probation', 'active', 'on_leave'])
      .executeTakeFirstOrThrow();
    expect(run.counts.total).toBe(Number(onRoll.n));

    // A second preview over part of the subtree, approved first, makes the first one stale.
    const sub = await createGradeRun(ctx, { orgCode: '330106001001', kind: 'initial', effectiveDate: '2025-01-01' });
    await approveGradeRun(ctx, sub.id, { chunkSize: 2 });
    await expect(approveGradeRun(ctx, run.id, { chunkSize: 2 })).rejects.toMatchObject({ code: 'CONFLICT' });
    const still = await env.deps.db.kysely.selectFrom('grade_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(still.status).toBe('previewed');
    const current = await env.deps.db.kysely
      .selectFrom('worker_grades')
      .select(['worker_id'])
      .where('is_current', '=', 1)
      .where('worker_id', 'in', ids)
      .execute();
    expect(current).toHaveLength(3);
  });
});
