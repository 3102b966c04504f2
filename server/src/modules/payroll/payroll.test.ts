import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { systemContext } from '../../context.ts';
import { waitForJobs } from '../../lib/jobs.ts';
import { nowIso } from '../../lib/time.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { createTestUser, createTestWorker, loginCookie, type TestEnv } from '../../../test/factories.ts';
import { approvePayrollRun, computePayrollRun, createPayrollRun, decodeLines, recoverPayrollRuns } from './payroll.service.ts';
import { COMMUNITY, gradeWorker, recordResult, STREET, usePayrollTestEnv } from './payroll.test-support.ts';

describeEachDatabase('payroll runs', (kind) => {
  const setup = usePayrollTestEnv(kind);
  let env: TestEnv;
  beforeEach(() => {
    ({ env } = setup);
  });

  it('runs draft → computed → approved → paid with slips that add up, per-worker errors and audit entries', async () => {
    const a = await createTestWorker(env.deps, COMMUNITY, { name: '张定级' });
    const b = await createTestWorker(env.deps, COMMUNITY, { name: '李未定级' });
    await gradeWorker(env.deps, a.id, 'staff', 3);
    await recordResult(env.deps, a.id, 2025, 'competent');
    const hr = await createTestUser(env.deps, 'street_hr', STREET);
    const admin = await createTestUser(env.deps, 'region_admin', '330106');
    const hrCookie = await loginCookie(env.app, hr.username);
    const adminCookie = await loginCookie(env.app, admin.username);

    const input = await env.app.inject({
      method: 'POST',
      url: '/api/v1/pay-inputs',
      headers: { cookie: hrCookie },
      payload: { workerId: a.id, month: '2026-11', kind: 'allowance', code: 'post_allowance', name: '岗位津贴', amountFen: 300_000 },
    });
    expect(input.statusCode).toBe(200);

    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll-runs',
      headers: { cookie: hrCookie },
      payload: { orgCode: STREET, month: '2026-11' },
    });
    expect(created.statusCode).toBe(201);
    const runId = created.json().id as number;
    expect(created.json().status).toBe('draft');

    const started = await env.app.inject({ method: 'POST', url: `/api/v1/payroll-runs/${runId}/compute`, headers: { cookie: hrCookie } });
    expect(started.statusCode).toBe(202);
    await waitForJobs();
    const run = (await env.app.inject({ method: 'GET', url: `/api/v1/payroll-runs/${runId}`, headers: { cookie: hrCookie } })).json();
    expect(run).toMatchObject({ status: 'computed', slipCount: 1, errorCount: 1, isDemo: true, progress: { done: 2, total: 2 } });

    const errors = (
      await env.app.inject({ method: 'GET', url: `/api/v1/payroll-runs/${runId}/errors`, headers: { cookie: hrCookie } })
    ).json();
    expect(errors.items).toEqual([expect.objectContaining({ workerId: b.id, code: 'no_grade', message: '该人员尚未定级，无法计算工资' })]);

    const slips = (
      await env.app.inject({ method: 'GET', url: `/api/v1/payroll-runs/${runId}/slips`, headers: { cookie: hrCookie } })
    ).json();
    expect(slips.total).toBe(1);
    const slip = (
      await env.app.inject({ method: 'GET', url: `/api/v1/payslips/${slips.items[0].id}`, headers: { cookie: hrCookie } })
    ).json();
    // Hand-checked: 其他岗 3级: 岗位 1,600 + 薪级 1,740 = S 3,340; 绩效 (add-on 20%) 835 × 称职 1.0; 津贴 3,000 → 应发 7,175.
    // Base 7,175? No enrolment → S + P = 4,175, below the floor 4,440 (60% of 7,400) → 4,440:
    // 养老 8% 355.20, 医疗 2% 88.80, 失业 0.5% 22.20, 公积金 12% 532.80 = 999.00.
    // Tax (month 1): 7,175 − 5,000 − 999 = 1,176 × 3% = 35.28. 实发 7,175 − 999 − 35.28 = 6,140.72.
    expect(slip.lines.map((l: { code: string; amountFen: number }) => [l.code, l.amountFen])).toEqual([
      ['post_pay', 160_000],
      ['level_pay', 174_000],
      ['performance_pay', 83_500],
      ['post_allowance', 300_000],
      ['pension', 35_520],
      ['medical', 8_880],
      ['unemployment', 2_220],
      ['housing_fund', 53_280],
      ['income_tax', 3_528],
    ]);
    expect(slip).toMatchObject({ grossFen: 717_500, employeeInsuranceFen: 99_900, taxFen: 3_528, netFen: 614_072, taxMonths: 1 });
    const sum = (kind: string) =>
      slip.lines.filter((l: { kind: string }) => l.kind === kind).reduce((t: number, l: { amountFen: number }) => t + l.amountFen, 0);
    expect(sum('earning') - sum('preTaxDeduction')).toBe(slip.grossFen);
    expect(slip.grossFen - sum('insurance') - sum('tax') - sum('postTaxDeduction')).toBe(slip.netFen);
    expect(run.totals).toEqual({
      grossFen: 717_500,
      employeeInsuranceFen: 99_900,
      employerInsuranceFen: slip.employerInsuranceFen,
      taxFen: 3_528,
      netFen: 614_072,
    });

    // Separation of duties: whoever computed may not approve.
    const selfApprove = await env.app.inject({
      method: 'POST',
      url: `/api/v1/payroll-runs/${runId}/approve`,
      headers: { cookie: hrCookie },
    });
    expect(selfApprove.statusCode).toBe(403);
    const approved = await env.app.inject({
      method: 'POST',
      url: `/api/v1/payroll-runs/${runId}/approve`,
      headers: { cookie: adminCookie },
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().status).toBe('approved');
    const paid = await env.app.inject({ method: 'POST', url: `/api/v1/payroll-runs/${runId}/paid`, headers: { cookie: adminCookie } });
    expect(paid.json().status).toBe('paid');

    const audit = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_type', '=', 'payroll_run')
      .where('entity_id', '=', String(runId))
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => r.action)).toEqual([
      'payroll.run.create',
      'payroll.run.compute',
      'payroll.run.computed',
      'payroll.run.approve',
      'payroll.run.pay',
    ]);
    expect(audit.find((r) => r.action === 'payroll.run.approve')!.actor_name).toBe(admin.username);

    // December reads November's cumulative tax state only.
    const dec = await createPayrollRun(systemContext(env.deps), { orgCode: STREET, month: '2026-12' });
    await computePayrollRun(systemContext(env.deps), dec.id, { wait: true });
    const decSlip = await env.deps.db.kysely.selectFrom('payslips').selectAll().where('run_id', '=', dec.id).executeTakeFirstOrThrow();
    expect(Number(decSlip.tax_months)).toBe(2);
    expect(Number(decSlip.cum_gross_fen)).toBe(717_500 + 417_500);
    expect(Number(decSlip.tax_fen)).toBe(0); // cumulative taxable 0 → nothing more to withhold
    expect(Number(decSlip.cum_tax_fen)).toBe(3_528);

    // Pay floor: 7,175 × 12 = 86,100 yuan < the demo floor 88,800 yuan.
    const floor = (
      await env.app.inject({
        method: 'GET',
        url: `/api/v1/payroll/floor-report?orgCode=330106&year=2026`,
        headers: { cookie: adminCookie },
      })
    ).json();
    expect(floor).toMatchObject({ floorYear: 2025, floorFen: 8_880_000, isDemoFloor: true });
    expect(floor.items).toEqual([
      expect.objectContaining({ workerId: a.id, months: 1, annualisedGrossFen: 8_610_000, shortfallFen: 270_000 }),
    ]);
  });

  it('keeps approved slips immutable and refuses a second slip for an approved month', async () => {
    const a = await createTestWorker(env.deps, COMMUNITY);
    await gradeWorker(env.deps, a.id, 'staff', 5);
    const sys = systemContext(env.deps);
    const first = await createPayrollRun(sys, { orgCode: STREET, month: '2026-10' });
    await computePayrollRun(sys, first.id, { wait: true });
    await approvePayrollRun(sys, first.id);

    await expect(computePayrollRun(sys, first.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const k = env.deps.db.kysely;
    await expect(k.updateTable('payslip_entries').set({ class_id: 1 }).where('run_id', '=', first.id).execute()).rejects.toThrow(
      /immutable/,
    );
    await expect(k.deleteFrom('payslip_entries').where('run_id', '=', first.id).execute()).rejects.toThrow(/immutable/);
    // The slip's outcome (amounts, lines, tax state) is shared and never changed either.
    const approved = await k
      .selectFrom('payslips')
      .select(['class_id', 'net_fen'])
      .where('run_id', '=', first.id)
      .executeTakeFirstOrThrow();
    await expect(k.updateTable('payslip_classes').set({ net_fen: 1 }).where('id', '=', approved.class_id).execute()).rejects.toThrow(
      /immutable/,
    );
    expect((await k.selectFrom('payslips').select('net_fen').where('run_id', '=', first.id).executeTakeFirstOrThrow()).net_fen).toBe(
      approved.net_fen,
    );
    const input = await env.app.inject({
      method: 'POST',
      url: '/api/v1/pay-inputs',
      headers: { cookie: await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', STREET)).username) },
      payload: { workerId: a.id, month: '2026-10', kind: 'allowance', code: 'bonus', name: '补发', amountFen: 100 },
    });
    expect(input.statusCode).toBe(409);

    const second = await createPayrollRun(sys, { orgCode: '330106', month: '2026-10' });
    const done = await computePayrollRun(sys, second.id, { wait: true });
    expect(done).toMatchObject({ status: 'computed', slipCount: 0, errorCount: 1 });
    const err = await env.deps.db.kysely.selectFrom('payslip_errors').selectAll().where('run_id', '=', second.id).executeTakeFirstOrThrow();
    expect(err.code).toBe('month_already_approved');
    expect(err.message).toContain('已在第');
    // The partial unique index holds even against a direct write.
    const entry = await k.selectFrom('payslip_entries').selectAll().where('run_id', '=', first.id).executeTakeFirstOrThrow();
    await expect(
      k
        .insertInto('payslip_entries')
        .values({ ...entry, id: undefined, run_id: second.id, is_final: 1 } as never)
        .execute(),
    ).rejects.toThrow(/unique|UNIQUE|duplicate/);
  });

  it('resumes a run after a crash with exactly one slip per worker', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      const w = await createTestWorker(env.deps, i % 2 ? COMMUNITY : '330106001002');
      await gradeWorker(env.deps, w.id, 'staff', 1 + i);
      ids.push(w.id);
    }
    const sys = systemContext(env.deps);
    const run = await createPayrollRun(sys, { orgCode: STREET, month: '2026-11' });
    const crashed = await computePayrollRun(sys, run.id, {
      wait: true,
      chunkSize: 3,
      afterChunk: (i) => {
        if (i === 0) throw new Error('simulated crash');
      },
    });
    expect(crashed).toMatchObject({ status: 'failed', slipCount: 3, progress: { done: 3, total: 7 } });
    expect(crashed.error).toBe('simulated crash');

    // Crash after the second chunk, leaving the run `computing` as a killed process would.
    await computePayrollRun(sys, run.id, {
      wait: true,
      chunkSize: 3,
      afterChunk: async () => {
        throw new Error('killed');
      },
    });
    await env.deps.db.kysely.updateTable('payroll_runs').set({ status: 'computing' }).where('id', '=', run.id).execute();
    expect(await recoverPayrollRuns(sys)).toEqual([run.id]);
    await waitForJobs();

    const rows = await env.deps.db.kysely
      .selectFrom('payslips')
      .select('worker_id')
      .where('run_id', '=', run.id)
      .orderBy('worker_id')
      .execute();
    expect(rows.map((r) => Number(r.worker_id))).toEqual(ids);
    const final = await env.deps.db.kysely.selectFrom('payroll_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(final.status).toBe('computed');
    expect(Number(final.slip_count)).toBe(7);
    expect(Number(final.progress_done)).toBe(7);
  });

  it('continues the cumulative withholding from an opening balance and does not pay months it covers', async () => {
    const withOpening = await createTestWorker(env.deps, COMMUNITY, { name: '王期初' });
    const twin = await createTestWorker(env.deps, COMMUNITY, { name: '赵新入' });
    await gradeWorker(env.deps, withOpening.id, 'staff', 5);
    await gradeWorker(env.deps, twin.id, 'staff', 5);
    const now = nowIso();
    // January–June paid by the previous system: 80,000 yuan gross and (wrongly) nothing withheld.
    await env.deps.db.kysely
      .insertInto('payroll_tax_openings')
      .values({
        worker_id: withOpening.id,
        org_code: COMMUNITY,
        year: 2026,
        through_month: '2026-06',
        tax_months: 6,
        cum_gross_fen: 8_000_000,
        cum_tax_free_fen: 0,
        cum_insurance_fen: 0,
        cum_special_fen: 0,
        cum_other_fen: 0,
        cum_tax_fen: 0,
        note: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
    const sys = systemContext(env.deps);

    const june = await createPayrollRun(sys, { orgCode: STREET, month: '2026-06' });
    expect(await computePayrollRun(sys, june.id, { wait: true })).toMatchObject({ slipCount: 1, errorCount: 1 });
    const covered = await env.deps.db.kysely
      .selectFrom('payslip_errors')
      .selectAll()
      .where('run_id', '=', june.id)
      .executeTakeFirstOrThrow();
    expect(Number(covered.worker_id)).toBe(withOpening.id);
    expect(covered.code).toBe('covered_by_opening');
    expect(covered.message).toContain('2026-06');

    const july = await createPayrollRun(sys, { orgCode: STREET, month: '2026-07' });
    expect(await computePayrollRun(sys, july.id, { wait: true })).toMatchObject({ slipCount: 2, errorCount: 0 });
    const slips = await env.deps.db.kysely.selectFrom('payslips').selectAll().where('run_id', '=', july.id).orderBy('worker_id').execute();
    const [a, b] = slips.map((r) => ({
      gross: Number(r.gross_fen),
      insurance: Number(r.employee_insurance_fen),
      tax: Number(r.tax_fen),
      months: Number(r.tax_months),
      cumGross: Number(r.cum_gross_fen),
      cumTax: Number(r.cum_tax_fen),
    }));
    expect(a!.gross).toBe(b!.gross);
    expect(a!.months).toBe(7);
    expect(b!.months).toBe(1);
    expect(a!.cumGross).toBe(8_000_000 + a!.gross);
    expect(a!.cumTax).toBe(a!.tax);
    // Cumulative taxable income: 80,000 + July's gross − 7 × 5,000 − July's insurance, in the 10% bracket
    // (quick deduction 2,520 yuan); nothing was withheld before, so July withholds it all.
    const taxable = 8_000_000 + a!.gross - 7 * 500_000 - a!.insurance;
    expect(taxable).toBeGreaterThan(3_600_000);
    expect(taxable).toBeLessThanOrEqual(14_400_000);
    expect(a!.tax).toBe(Math.round(taxable / 10) - 252_000);
    expect(b!.tax).toBeLessThan(a!.tax);
  });

  it('refuses to approve a run whose month inputs changed after it was computed, and an earlier month after a later one', async () => {
    const a = await createTestWorker(env.deps, COMMUNITY);
    await gradeWorker(env.deps, a.id, 'staff', 4);
    const sys = systemContext(env.deps);
    const hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', STREET)).username);
    const enter = (amountFen: number) =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/pay-inputs',
        headers: { cookie: hr },
        payload: { workerId: a.id, month: '2026-10', kind: 'allowance', code: 'overtime', name: '加班补贴', amountFen },
      });
    expect((await enter(10_000)).statusCode).toBe(200);
    const run = await createPayrollRun(sys, { orgCode: STREET, month: '2026-10' });
    await computePayrollRun(sys, run.id, { wait: true });
    // The same input's amount changed after the compute: the approved slips would miss it.
    expect((await enter(25_000)).statusCode).toBe(200);
    await expect(approvePayrollRun(sys, run.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('重新计算') });
    await computePayrollRun(sys, run.id, { wait: true });
    expect((await approvePayrollRun(sys, run.id)).status).toBe('approved');
    const slip = await env.deps.db.kysely
      .selectFrom('payslips')
      .innerJoin('payslip_line_sets', 'payslip_line_sets.hash', 'payslips.lines_hash')
      .select('payslip_line_sets.lines')
      .where('run_id', '=', run.id)
      .executeTakeFirstOrThrow();
    expect(decodeLines(slip.lines).find((l) => l.code === 'overtime')?.amountFen).toBe(25_000);

    // October is approved; September can no longer be computed for this worker.
    const september = await createPayrollRun(sys, { orgCode: STREET, month: '2026-09' });
    expect(await computePayrollRun(sys, september.id, { wait: true })).toMatchObject({ slipCount: 0, errorCount: 1 });
    const err = await env.deps.db.kysely
      .selectFrom('payslip_errors')
      .selectAll()
      .where('run_id', '=', september.id)
      .executeTakeFirstOrThrow();
    expect(err.code).toBe('later_month_approved');
    expect(err.message).toContain('2026-10');
  });

  it('carries the cumulative tax state from the latest approved month of the year', async () => {
    const a = await createTestWorker(env.deps, COMMUNITY);
    await gradeWorker(env.deps, a.id, 'principal', 14);
    const sys = systemContext(env.deps);
    for (const month of ['2026-01', '2026-02']) {
      const run = await createPayrollRun(sys, { orgCode: STREET, month });
      await computePayrollRun(sys, run.id, { wait: true });
      await approvePayrollRun(sys, run.id);
    }
    const march = await createPayrollRun(sys, { orgCode: STREET, month: '2026-03' });
    await computePayrollRun(sys, march.id, { wait: true });
    const slips = await env.deps.db.kysely.selectFrom('payslips').selectAll().where('worker_id', '=', a.id).orderBy('month').execute();
    expect(slips.map((x) => [x.month, Number(x.tax_months)])).toEqual([
      ['2026-01', 1],
      ['2026-02', 2],
      ['2026-03', 3],
    ]);
    const gross = Number(slips[0]!.gross_fen);
    expect(slips.map((x) => Number(x.cum_gross_fen))).toEqual([gross, 2 * gross, 3 * gross]);
    expect(Number(slips[2]!.cum_tax_fen)).toBe(slips.reduce((sum, x) => sum + Number(x.tax_fen), 0));
  });

  it('shares one outcome between workers with the same grade and tax history, and never with a different history', async () => {
    const sys = systemContext(env.deps);
    const a = await createTestWorker(env.deps, COMMUNITY);
    const b = await createTestWorker(env.deps, COMMUNITY);
    for (const w of [a, b]) await gradeWorker(env.deps, w.id, 'principal', 14);
    const pay = async (month: string) => {
      const run = await createPayrollRun(sys, { orgCode: STREET, month });
      await computePayrollRun(sys, run.id, { wait: true });
      return run;
    };
    await approvePayrollRun(sys, (await pay('2026-01')).id);
    // c joins in February: the same grade, one month less of cumulative withholding.
    const c = await createTestWorker(env.deps, COMMUNITY);
    await gradeWorker(env.deps, c.id, 'principal', 14);
    await approvePayrollRun(sys, (await pay('2026-02')).id);
    const march = await pay('2026-03');
    const slips = await env.deps.db.kysely
      .selectFrom('payslips')
      .select(['worker_id', 'class_id', 'tax_months', 'cum_gross_fen', 'gross_fen'])
      .where('run_id', '=', march.id)
      .execute();
    const by = new Map(slips.map((x) => [Number(x.worker_id), x]));
    const gross = Number(by.get(a.id)!.gross_fen);
    expect([a, b, c].map((w) => [Number(by.get(w.id)!.tax_months), Number(by.get(w.id)!.cum_gross_fen)])).toEqual([
      [3, 3 * gross],
      [3, 3 * gross],
      [2, 2 * gross],
    ]);
    expect(by.get(a.id)!.class_id).toBe(by.get(b.id)!.class_id);
    expect(by.get(c.id)!.class_id).not.toBe(by.get(a.id)!.class_id);
  });

  it('keeps the separation of duties when a run is resumed after a restart', async () => {
    const w = await createTestWorker(env.deps, COMMUNITY);
    await gradeWorker(env.deps, w.id, 'staff', 2);
    const hr = await createTestUser(env.deps, 'street_hr', STREET);
    const hrCookie = await loginCookie(env.app, hr.username);
    const runId = (
      await env.app.inject({
        method: 'POST',
        url: '/api/v1/payroll-runs',
        headers: { cookie: hrCookie },
        payload: { orgCode: STREET, month: '2026-11' },
      })
    ).json().id as number;
    await env.app.inject({ method: 'POST', url: `/api/v1/payroll-runs/${runId}/compute`, headers: { cookie: hrCookie } });
    await waitForJobs();
    // The process was killed while computing: start-up resumes the run as the system.
    await env.deps.db.kysely.updateTable('payroll_runs').set({ status: 'computing' }).where('id', '=', runId).execute();
    expect(await recoverPayrollRuns(systemContext(env.deps, 'startup'))).toEqual([runId]);
    await waitForJobs();
    const selfApprove = await env.app.inject({
      method: 'POST',
      url: `/api/v1/payroll-runs/${runId}/approve`,
      headers: { cookie: hrCookie },
    });
    expect(selfApprove.statusCode).toBe(403);
  });

  it('never approves a run whose slips a concurrent recompute has just cleared', async () => {
    for (let i = 0; i < 3; i++) {
      const w = await createTestWorker(env.deps, COMMUNITY);
      await gradeWorker(env.deps, w.id, 'staff', 1 + i);
    }
    const sys = systemContext(env.deps);
    const run = await createPayrollRun(sys, { orgCode: STREET, month: '2026-11' });
    await computePayrollRun(sys, run.id, { wait: true });
    await Promise.allSettled([computePayrollRun(sys, run.id), approvePayrollRun(sys, run.id)]);
    await waitForJobs();
    const after = await env.deps.db.kysely.selectFrom('payroll_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
    const finals = await env.deps.db.kysely
      .selectFrom('payslips')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', run.id)
      .where('is_final', '=', 1)
      .executeTakeFirstOrThrow();
    if (after.status === 'approved') {
      expect(Number(finals.n)).toBe(3);
      expect(Number(after.slip_count)).toBe(3);
    } else {
      expect(after.status).toBe('computed');
      expect(Number(finals.n)).toBe(0);
    }
  });

  it('keeps runs and slips in scope: another street gets 404, a worker sees only their own final slips', async () => {
    const mine = await createTestWorker(env.deps, COMMUNITY, { name: '本人' });
    const colleague = await createTestWorker(env.deps, COMMUNITY, { name: '同事' });
    await gradeWorker(env.deps, mine.id, 'staff', 2);
    await gradeWorker(env.deps, colleague.id, 'staff', 2);
    const sys = systemContext(env.deps);
    const run = await createPayrollRun(sys, { orgCode: STREET, month: '2026-11' });
    await computePayrollRun(sys, run.id, { wait: true });
    const slips = await env.deps.db.kysely.selectFrom('payslips').select(['id', 'worker_id']).where('run_id', '=', run.id).execute();
    const mySlip = Number(slips.find((s) => Number(s.worker_id) === mine.id)!.id);
    const otherSlip = Number(slips.find((s) => Number(s.worker_id) === colleague.id)!.id);

    const workerUser = await createTestUser(env.deps, 'worker', COMMUNITY, { workerId: mine.id });
    const wc = await loginCookie(env.app, workerUser.username);
    // Not yet approved: a worker does not see a draft slip.
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/payslips/${mySlip}`, headers: { cookie: wc } })).statusCode).toBe(404);
    await approvePayrollRun(sys, run.id);
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/payslips/${mySlip}`, headers: { cookie: wc } })).statusCode).toBe(200);
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/payslips/${otherSlip}`, headers: { cookie: wc } })).statusCode).toBe(404);
    const me = (await env.app.inject({ method: 'GET', url: '/api/v1/me/payslips', headers: { cookie: wc } })).json();
    expect(me.items.map((s: { workerName: string }) => s.workerName)).toEqual(['本人']);
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/payroll-runs/${run.id}`, headers: { cookie: wc } })).statusCode).toBe(403);

    const outHr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330108001')).username);
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/payroll-runs/${run.id}`, headers: { cookie: outHr } })).statusCode).toBe(
      404,
    );
    expect((await env.app.inject({ method: 'GET', url: `/api/v1/payslips/${mySlip}`, headers: { cookie: outHr } })).statusCode).toBe(404);
    expect(
      (await env.app.inject({ method: 'POST', url: `/api/v1/payroll-runs/${run.id}/compute`, headers: { cookie: outHr } })).statusCode,
    ).toBe(404);
    const create = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll-runs',
      headers: { cookie: outHr },
      payload: { orgCode: STREET, month: '2026-12' },
    });
    expect(create.statusCode).toBe(400);

    const hrUser = await createTestUser(env.deps, 'street_hr', STREET);
    const exported = await env.app.inject({
      method: 'GET',
      url: `/api/v1/payroll-runs/${run.id}/export?kind=bank`,
      headers: { cookie: await loginCookie(env.app, hrUser.username) },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
  });

  it('validates pay settings JSON and saves new versions for the admin region only', async () => {
    const admin = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    const bad = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/insurance-rules',
      headers: { cookie: admin },
      payload: {
        regionCode: '330106',
        effectiveFrom: '2027-01-01',
        rules: { key: 'x', nameZh: 'x', year: 2027, isDemo: false, averageWageMonthlyFen: 100, rates: {} },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues.length).toBeGreaterThan(0);
    const settings = (
      await env.app.inject({ method: 'GET', url: '/api/v1/payroll/settings?regionCode=330106', headers: { cookie: admin } })
    ).json();
    expect(settings.payTables[0]).toMatchObject({ regionCode: '3301', isDemo: true });
    const table = { ...settings.payTables[0].rules, key: 'xihu_2027', nameZh: '西湖区2027', isDemo: false };
    const ok = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/pay-tables',
      headers: { cookie: admin },
      payload: { regionCode: '330106', effectiveFrom: '2027-01-01', rules: table },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().payTables[0]).toMatchObject({ regionCode: '330106', key: 'xihu_2027', isDemo: false });
    const up = await env.app.inject({
      method: 'POST',
      url: '/api/v1/payroll/pay-tables',
      headers: { cookie: admin },
      payload: { regionCode: '3301', effectiveFrom: '2027-01-01', rules: table },
    });
    expect(up.statusCode).toBe(403);
    // Sanity: the new version is what a 2027 run would use.
    const n = await env.deps.db.kysely
      .selectFrom('pay_tables')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2);
  });
});
