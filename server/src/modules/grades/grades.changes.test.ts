import { createHash } from 'node:crypto';
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
  testIdNumber,
  type TestEnv,
} from '../../../test/factories.ts';
import { systemContext } from '../../context.ts';
import { excel } from '../../lib/excel/exceljs.ts';
import { nowIso } from '../../lib/time.ts';
import { approveGradeRun, createGradeRun, recoverGradeRuns } from './grades.service.ts';

interface Grade {
  band: string;
  level: number;
  source: string;
  isCurrent: boolean;
  effectiveDate: string;
  lastStepDate: string;
  textZh: string;
}

describeEachDatabase('grades: import, manual setting, re-band, resumable runs', (kind) => {
  let env: TestEnv;
  let hr: string;
  let hrWest: string;
  let region: string;
  let lead: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    hrWest = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106002')).username);
    region = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    lead = await loginCookie(env.app, (await createTestUser(env.deps, 'community_lead', '330106001001')).username);
  });
  afterAll(async () => env?.close());

  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    env.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload ? { payload } : {}) });
  const upload = (cookie: string, query: string, bytes: Buffer) =>
    env.app.inject({
      method: 'POST',
      url: `/api/v1/assessment-results/import?${query}`,
      headers: { cookie, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const csv = (rows: string[][]) => Buffer.from(['姓名,身份证号,年度,考核结果', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n');
  /** A current grade written directly, as if an earlier run had set it. */
  const gradeDirectly = (workerId: number, orgCode: string, band: string, level: number, lastStepDate: string) =>
    createTestGrade(env.deps, workerId, { band, level, orgCode, lastStepDate, source: 'initial' });
  const grades = async (workerId: number, cookie = hr) => {
    const res = await call(cookie, 'GET', `/workers/${workerId}/grades`);
    expect(res.statusCode).toBe(200);
    return res.json() as { current: Grade | null; items: Grade[] };
  };
  const resultsOf = (workerId: number) =>
    env.deps.db.kysely
      .selectFrom('assessment_results')
      .select(['year', 'result', 'source'])
      .where('worker_id', '=', workerId)
      .orderBy('year')
      .execute();
  const today = () => nowIso().slice(0, 10);

  // ------------------------------------------------------------------ assessment results import

  it('imports results from a CSV: a dry run writes nothing, the import writes every row and audits once with the SHA-256', async () => {
    const idA = testIdNumber();
    const idB = testIdNumber('M');
    const a = await createTestWorker(env.deps, '330106001001', { name: '导入甲', idNumber: idA });
    const b = await createTestWorker(env.deps, '330106001002', { name: '导入乙', idNumber: idB });
    await call(hr, 'PUT', `/workers/${b.id}/assessment-results`, { items: [{ year: 2024, result: 'competent' }] });
    const file = csv([
      ['导入甲', idA, '2024', '优秀'],
      ['导入甲', idA, '2025年', '称职'],
      ['导入乙', idB.toLowerCase(), '2024', 'competent'],
      ['导入乙', idB, '2025', 'basically_competent'],
    ]);
    const dry = await upload(hr, 'dryRun=true&fileName=results.csv', file);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, ok: true, errors: [], counts: { rows: 4, created: 3, updated: 0, unchanged: 1 } });
    expect(await resultsOf(a.id)).toEqual([]);

    const res = await upload(hr, 'dryRun=false&fileName=results.csv', file);
    expect(res.statusCode).toBe(200);
    const sha = createHash('sha256').update(file).digest('hex');
    expect(res.json()).toMatchObject({ dryRun: false, ok: true, fileSha256: sha, counts: { created: 3, unchanged: 1 } });
    expect((await resultsOf(a.id)).map((r) => [Number(r.year), r.result, r.source])).toEqual([
      [2024, 'excellent', 'import'],
      [2025, 'competent', 'import'],
    ]);
    expect((await resultsOf(b.id)).map((r) => [Number(r.year), r.result])).toEqual([
      [2024, 'competent'],
      [2025, 'basically_competent'],
    ]);
    const audit = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'assessment_result.import').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ fileSha256: sha, created: 3, updated: 0, unchanged: 1, rows: 4 });
  });

  it('imports an .xlsx file and serves the template', async () => {
    const id = testIdNumber();
    const w = await createTestWorker(env.deps, '330106001001', { name: '表格人员', idNumber: id });
    const tpl = await call(hr, 'GET', '/assessment-results/import/template');
    expect(tpl.statusCode).toBe(200);
    expect(tpl.headers['content-type']).toContain('spreadsheetml');
    const wb = new excel.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1).map((v) => String(v).replace(/^\*/, ''));
    expect(header).toEqual(['姓名', '身份证号', '年度', '考核结果']);
    // Fill the template below its example row, as a user would.
    const sheet = wb.worksheets[0]!;
    sheet.getRow(3).values = ['表格人员', id, 2023, '不称职'];
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(hr, 'dryRun=false&fileName=results.xlsx', bytes);
    expect(res.statusCode).toBe(200);
    expect(res.json().counts).toMatchObject({ rows: 1, created: 1 });
    expect((await resultsOf(w.id)).map((r) => [Number(r.year), r.result])).toEqual([[2023, 'incompetent']]);
    expect((await call(lead, 'GET', '/assessment-results/import/template')).statusCode).toBe(403);
  });

  it('refuses the whole file on any bad row, listing every row error; a worker out of scope reads as not found', async () => {
    const id = testIdNumber();
    const mine = await createTestWorker(env.deps, '330106001001', { name: '本街道', idNumber: id });
    const outId = testIdNumber();
    await createTestWorker(env.deps, '330108001001', { name: '滨江人员', idNumber: outId });
    const now = nowIso();
    await env.deps.db.kysely
      .insertInto('assessment_results')
      .values({
        worker_id: mine.id,
        org_code: '330106001001',
        year: 2022,
        result: 'excellent',
        source: 'cycle',
        cycle_id: 1,
        note: null,
        recorded_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const file = csv([
      ['本街道', id, '2021', '称职'],
      ['本街道', id, '2022', '称职'],
      ['本街道', id, '2021', '优秀'],
      ['滨江人员', outId, '2024', '优秀'],
      ['别人', id, '2020', '优秀'],
      ['本街道', id, '2099', '很好'],
      ['本街道', '330106199001011235', '20x4', ''],
      ['无此人', testIdNumber(), '2024', '称职'],
    ]);
    const res = await upload(hr, 'dryRun=false', file);
    expect(res.statusCode).toBe(400);
    const rowErrors = res.json().error.details.rowErrors as { row: number; column: string; text: string }[];
    const texts = rowErrors.map((e) => e.text);
    expect(texts).toContain('第3行 年度：2022年度考核结果已由年度考核定等，不能导入覆盖');
    expect(texts).toContain('第4行 年度：该人员2021年度已在第2行填写');
    expect(texts.filter((t) => t.startsWith('第5行 身份证号：未找到'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('第9行 身份证号：未找到'))).toHaveLength(1);
    // Same words for a worker out of scope as for one never registered.
    expect(texts.find((t) => t.startsWith('第5行'))!.slice(4)).toBe(texts.find((t) => t.startsWith('第9行'))!.slice(4));
    expect(texts.some((t) => t.startsWith('第6行 姓名：'))).toBe(true);
    expect(texts).toContain('第7行 年度：2099年尚未开始，不能录入考核结果');
    expect(texts.some((t) => t.startsWith('第7行 考核结果：“很好”不是可选的考核结果'))).toBe(true);
    expect(texts.some((t) => t.startsWith('第8行 身份证号：'))).toBe(true);
    expect(texts.some((t) => t.startsWith('第8行 年度：'))).toBe(true);
    expect(texts).toContain('第8行 考核结果：必填');
    expect(JSON.stringify(res.json())).not.toContain('滨江人员');
    // Nothing written, not even the good first row.
    expect((await resultsOf(mine.id)).map((r) => Number(r.year))).toEqual([2022]);
    // A dry run answers the same list with 200.
    const dry = await upload(hr, 'dryRun=true', file);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ ok: false, counts: { errors: rowErrors.length } });
    expect(dry.json().errors).toEqual(rowErrors);
    // A file that is not a spreadsheet, an empty file, a community lead.
    expect((await upload(hr, 'dryRun=true', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]))).statusCode).toBe(400);
    expect((await upload(hr, 'dryRun=true', csv([]))).statusCode).toBe(400);
    expect((await upload(lead, 'dryRun=true', file)).statusCode).toBe(403);
    const missing = await upload(hr, 'dryRun=true', Buffer.from('姓名,身份证号,年度\r\n本街道,' + id + ',2021\r\n'));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('考核结果');
  });

  // ------------------------------------------------------------------ manual grade setting

  it('sets a grade by hand within the band, with a reason, closing the previous grade; bad input names the field', async () => {
    const w = await createTestWorker(env.deps, '330106001001', { name: '手动调整' });
    await gradeDirectly(w.id, '330106001001', 'staff', 3, '2024-01-01');
    const set = await call(hr, 'PUT', `/workers/${w.id}/grade`, { band: 'staff', level: 5, reason: '经街道党工委研究，按表现调整' });
    expect(set.statusCode).toBe(200);
    expect(set.json().current).toMatchObject({ band: 'staff', level: 5, source: 'manual', effectiveDate: today(), lastStepDate: today() });
    expect(set.json().current.textZh).toContain('经街道党工委研究，按表现调整');
    expect(set.json().current.textZh).toContain('测试street_hr');
    expect(set.json().current.textZh).toContain('由其他3级');
    expect(set.json().items.map((g: Grade) => [g.level, g.isCurrent])).toEqual([
      [5, true],
      [3, false],
    ]);
    const current = await env.deps.db.kysely
      .selectFrom('worker_grades')
      .select('id')
      .where('worker_id', '=', w.id)
      .where('is_current', '=', 1)
      .execute();
    expect(current).toHaveLength(1);
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'worker_grade.set')
      .where('entity_id', '=', String(w.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ band: 'staff', level: 5, reason: '经街道党工委研究，按表现调整' });

    const tooHigh = await call(hr, 'PUT', `/workers/${w.id}/grade`, { band: 'staff', level: 13, reason: '超出范围' });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json().error.details.issues[0]).toMatchObject({ field: 'level' });
    expect(tooHigh.json().error.details.issues[0].message).toMatch(/^等级：其他的等级范围为1–12级/);
    const noBand = await call(hr, 'PUT', `/workers/${w.id}/grade`, { band: 'chief', level: 3, reason: '无此序列' });
    expect(noBand.statusCode).toBe(400);
    expect(noBand.json().error.details.issues[0].message).toMatch(/^岗位序列：/);
    const noReason = await call(hr, 'PUT', `/workers/${w.id}/grade`, { band: 'staff', level: 4, reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details.issues[0]).toMatchObject({ field: 'reason' });
    expect(noReason.json().error.details.issues[0].message).toMatch(/^原因：/);
    const early = await call(hr, 'PUT', `/workers/${w.id}/grade`, { band: 'staff', level: 4, reason: '倒签', effectiveDate: '2020-01-01' });
    expect(early.statusCode).toBe(400);

    // Region admin in scope may; a community lead may not; another street does not see the worker.
    expect((await call(region, 'PUT', `/workers/${w.id}/grade`, { band: 'deputy', level: 6, reason: '提任副职' })).statusCode).toBe(200);
    expect((await call(lead, 'PUT', `/workers/${w.id}/grade`, { band: 'staff', level: 4, reason: '社区' })).statusCode).toBe(403);
    expect((await call(hrWest, 'PUT', `/workers/${w.id}/grade`, { band: 'staff', level: 4, reason: '越权' })).statusCode).toBe(404);

    // A worker never graded gets a first grade from the scheme in force.
    const fresh = await createTestWorker(env.deps, '330106001001', { name: '首次手动' });
    const first = await call(hr, 'PUT', `/workers/${fresh.id}/grade`, { band: 'staff', level: 2, reason: '补录原有等级' });
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(1);
  });

  // ------------------------------------------------------------------ re-band on post change

  it('re-bands the current grade when a change of post moves the worker to another band', async () => {
    const org = '330106001002';
    const staff = await createTestWorker(env.deps, org, { name: '其他转副职', post: 'full_time_staff' });
    await gradeDirectly(staff.id, org, 'staff', 12, '2023-01-01');
    const toDeputy = await call(hr, 'PATCH', `/workers/${staff.id}`, { post: 'deputy_director', posts: ['deputy_director'] });
    expect(toDeputy.statusCode).toBe(200);
    const a = await grades(staff.id);
    expect(a.current).toMatchObject({ band: 'deputy', level: 12, source: 'reband', effectiveDate: today(), lastStepDate: '2023-01-01' });
    expect(a.current!.textZh).toContain('保留12级');
    expect(a.current!.textZh).toContain('副职');
    expect(a.items.map((g) => [g.band, g.level, g.isCurrent])).toEqual([
      ['deputy', 12, true],
      ['staff', 12, false],
    ]);

    const principal = await createTestWorker(env.deps, org, { name: '正职转其他', post: 'party_secretary' });
    await gradeDirectly(principal.id, org, 'principal', 18, '2020-01-01');
    expect((await call(hr, 'PATCH', `/workers/${principal.id}`, { post: 'full_time_staff', posts: ['full_time_staff'] })).statusCode).toBe(
      200,
    );
    const b = await grades(principal.id);
    expect(b.current).toMatchObject({ band: 'staff', level: 12, source: 'reband', lastStepDate: today() });
    expect(b.current!.textZh).toContain('就近调整为12级');
    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'worker_grade.reband')
      .where('entity_id', '=', String(principal.id))
      .execute();
    expect(audit).toHaveLength(1);

    // A post in the same band, and a worker without a grade: nothing changes.
    const grid = await createTestWorker(env.deps, org, { name: '同序列', post: 'committee_member' });
    await gradeDirectly(grid.id, org, 'staff', 4, '2024-01-01');
    expect((await call(hr, 'PATCH', `/workers/${grid.id}`, { post: 'grid_worker', posts: ['grid_worker'] })).statusCode).toBe(200);
    expect((await grades(grid.id)).items).toHaveLength(1);
    const ungraded = await createTestWorker(env.deps, org, { name: '未定级', post: 'full_time_staff' });
    expect((await call(hr, 'PATCH', `/workers/${ungraded.id}`, { post: 'party_secretary', posts: ['party_secretary'] })).statusCode).toBe(
      200,
    );
    expect((await grades(ungraded.id)).current).toBeNull();
  });

  // ------------------------------------------------------------------ resumable runs

  it('resumes a preview and an approval interrupted mid-run, with one item and one new grade per worker', async () => {
    const sys = systemContext(env.deps, 'test');
    const db = env.deps.db.kysely;
    const org = '330106002001';
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createTestWorker(env.deps, org, { name: `续算${i}`, workStartDate: '2018-09-01' })).id);

    // A failure in process marks the run failed (it can be cancelled and created again).
    await expect(
      createGradeRun(
        sys,
        { orgCode: '330106002', kind: 'initial', effectiveDate: '2025-01-01' },
        {
          chunkSize: 2,
          afterChunk: (i) => {
            if (i === 0) throw new Error('simulated crash');
          },
        },
      ),
    ).rejects.toThrow('simulated crash');
    const failed = await db.selectFrom('grade_runs').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'failed', error: 'simulated crash' });
    const runId = Number(failed.id);
    expect((await call(hrWest, 'GET', `/grade-runs/${runId}`)).json()).toMatchObject({ status: 'failed', error: 'simulated crash' });

    // A killed process leaves it `computing`: start-up resumes from the cursor.
    await db.updateTable('grade_runs').set({ status: 'computing' }).where('id', '=', runId).execute();
    expect(await recoverGradeRuns(sys, { wait: true, chunkSize: 2 })).toEqual([runId]);
    const items = await db.selectFrom('grade_run_items').select(['worker_id', 'change']).where('run_id', '=', runId).execute();
    const seen = items.map((i) => Number(i.worker_id));
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    const previewed = await db.selectFrom('grade_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    expect(previewed.status).toBe('previewed');
    expect(JSON.parse(previewed.counts)).toMatchObject({
      total: items.length,
      initial: items.filter((i) => i.change === 'initial').length,
    });

    // The approval is interrupted after its first chunk, then resumed at start-up.
    await expect(
      approveGradeRun(sys, runId, {
        chunkSize: 2,
        afterChunk: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const applying = await db.selectFrom('grade_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    expect(applying.status).toBe('applying');
    const partial = await db.selectFrom('worker_grades').select('worker_id').where('run_id', '=', runId).execute();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(ids.length);
    // Approving it again while it is `applying` would resume too; here the start-up recovery does.
    expect(await recoverGradeRuns(sys, { wait: true, chunkSize: 2 })).toEqual([runId]);
    const applied = await db.selectFrom('grade_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    expect(applied.status).toBe('applied');
    const written = await db.selectFrom('worker_grades').select('worker_id').where('run_id', '=', runId).execute();
    const writtenIds = written.map((g) => Number(g.worker_id));
    expect(new Set(writtenIds).size).toBe(writtenIds.length);
    for (const id of ids) expect(writtenIds).toContain(id);
    for (const id of ids) {
      const rows = await db.selectFrom('worker_grades').select(['is_current']).where('worker_id', '=', id).execute();
      expect(rows).toHaveLength(1);
    }
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'grade_run.approve')
      .where('entity_id', '=', String(runId))
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ gradesWritten: written.length });
    // Nothing left to recover, and the run is not applied twice.
    expect(await recoverGradeRuns(sys, { wait: true })).toEqual([]);
    await expect(approveGradeRun(sys, runId)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('resumes an interrupted approval when it is approved again', async () => {
    const sys = systemContext(env.deps, 'test');
    const db = env.deps.db.kysely;
    const org = '330106002001';
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createTestWorker(env.deps, org, { name: `再批${i}`, workStartDate: '2019-03-01' })).id);
    const run = await createGradeRun(sys, { orgCode: org, kind: 'initial', effectiveDate: '2025-06-01' });
    await expect(
      approveGradeRun(sys, run.id, {
        chunkSize: 1,
        afterChunk: (i) => {
          if (i === 0) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const again = await call(hrWest, 'POST', `/grade-runs/${run.id}/approve`);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('applied');
    const written = await db.selectFrom('worker_grades').select('worker_id').where('run_id', '=', run.id).execute();
    expect(written.map((g) => Number(g.worker_id)).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });
});
