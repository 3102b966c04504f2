import { beforeEach, expect, it } from 'vitest';
import { systemContext } from '../../context.ts';
import { nowIso } from '../../lib/time.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { createTestWorker, type TestEnv } from '../../../test/factories.ts';
import { approvePayrollRun, computePayrollRun, createPayrollRun, type ComputeOptions } from './payroll.service.ts';
import { DEMO_PAY_TABLE_THREE_POSTS } from './rules/pay-table.ts';
import { COMMUNITY, gradeWorker, recordResult, STREET, usePayrollTestEnv } from './payroll.test-support.ts';

/** The street's other community, with a pay table of its own (staff post pay 1,700 instead of 1,600 yuan). */
const OTHER = '330106001002';
const BANDS = [
  ['staff', 1],
  ['deputy', 4],
  ['principal', 7],
] as const;
const QUALIFICATIONS = [null, 'assistant', 'intermediate', 'senior'] as const;
const RESULTS = [null, 'excellent', 'competent', 'basically_competent', 'incompetent'] as const;

describeEachDatabase('payroll keyed insert', (kind) => {
  const setup = usePayrollTestEnv(kind);
  let env: TestEnv;
  beforeEach(() => {
    ({ env } = setup);
  });

  /** Every slip of a run by worker: all its figures and its line list; the run's errors by worker. */
  async function slipsOf(runId: number) {
    const db = env.deps.db.kysely;
    const slips = await db
      .selectFrom('payslips')
      .select([
        'worker_id',
        'org_code',
        'band',
        'level',
        'lines_hash',
        'gross_fen',
        'employee_insurance_fen',
        'employer_insurance_fen',
        'tax_fen',
        'net_fen',
        'pay_table_ref',
        'insurance_rule_ref',
        'tax_months',
        'cum_gross_fen',
        'cum_tax_fen',
      ])
      .where('run_id', '=', runId)
      .orderBy('worker_id')
      .execute();
    const errors = await db
      .selectFrom('payslip_errors')
      .select(['worker_id', 'code'])
      .where('run_id', '=', runId)
      .orderBy('worker_id')
      .execute();
    const norm = (r: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
    return { slips: slips.map(norm), errors: errors.map(norm) };
  }

  it('stores the same slips as computing every worker one by one, across grades, results, bases, inputs, openings, priors and regional rules', async () => {
    const db = env.deps.db.kysely;
    const sys = systemContext(env.deps);
    const now = nowIso();
    await db
      .insertInto('pay_tables')
      .values({
        region_code: OTHER,
        scheme_key: DEMO_PAY_TABLE_THREE_POSTS.schemeKey,
        effective_from: '2025-01-01',
        rules: JSON.stringify({
          ...DEMO_PAY_TABLE_THREE_POSTS,
          key: 'other_community',
          regionCode: OTHER,
          pay: { ...DEMO_PAY_TABLE_THREE_POSTS.pay, postPayFen: { principal: 240_000, deputy: 200_000, staff: 170_000 } },
        }),
        is_demo: 1,
        created_by: null,
        created_at: now,
      })
      .execute();

    // Twins that come first, so that their outcomes are there when a later worker's lookups are
    // left out wrongly: i = 6 (staff level 2, 社会工作师, 优秀, OTHER) without its enrolment base, and
    // a staff level 3 worker off roll in October (no prior month in November) whose twin is on roll.
    const twin = await createTestWorker(env.deps, OTHER, { qualificationLevel: 'intermediate' });
    await gradeWorker(env.deps, twin.id, 'staff', 2);
    await recordResult(env.deps, twin.id, 2025, 'excellent');
    const offRoll = await createTestWorker(env.deps, COMMUNITY);
    await gradeWorker(env.deps, offRoll.id, 'staff', 3);
    await db.updateTable('workers').set({ status: 'exited' }).where('id', '=', offRoll.id).execute();

    const enrolPension = (workerId: number, orgCode: string, baseFen: number, startDate: string) =>
      db
        .insertInto('social_insurance_enrolments')
        .values({
          worker_id: workerId,
          org_code: orgCode,
          kind: 'pension',
          contribution_base_fen: baseFen,
          start_date: startDate,
          end_date: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    // Three workers per combination, in OTHER, COMMUNITY and OTHER again, each in a later chunk than
    // the one before: the third finds the outcome of the first, never that of the second.
    const made: { id: number; i: number }[] = [];
    const orgOf = (copy: number) => (copy === 1 ? COMMUNITY : OTHER);
    for (let copy = 0; copy < 3; copy++) {
      for (let i = 0; i < 20; i++) {
        const w = await createTestWorker(env.deps, orgOf(copy), { qualificationLevel: QUALIFICATIONS[i % 4] });
        const [band, start] = BANDS[i % 3]!;
        await gradeWorker(env.deps, w.id, band, start + (i % 5));
        const result = RESULTS[i % 5];
        if (result) await recordResult(env.deps, w.id, 2025, result);
        if (i % 6 === 0) {
          await enrolPension(w.id, orgOf(copy), 900_000, '2026-01-01');
          // The third copy's base changes in December: November's is read from the enrolment
          // before, not from the latest one the payroll state holds.
          if (copy === 2) await enrolPension(w.id, orgOf(copy), 1_200_000, '2026-12-01');
        }
        made.push({ id: w.id, i });
      }
    }
    made.push({ id: twin.id, i: 60 });
    const onRoll = await createTestWorker(env.deps, COMMUNITY);
    await gradeWorker(env.deps, onRoll.id, 'staff', 3);
    made.push({ id: onRoll.id, i: 70 }, { id: offRoll.id, i: 71 });
    // October is approved for all of them but one, so November starts from a prior month.
    const october = await createPayrollRun(sys, { orgCode: STREET, month: '2026-10' });
    await computePayrollRun(sys, october.id, { wait: true, chunkSize: 7 });
    await approvePayrollRun(sys, october.id);
    await db.updateTable('workers').set({ status: 'active' }).where('id', '=', offRoll.id).execute();
    // Later joiners (no prior month), an ungraded worker, monthly inputs and an opening balance.
    for (let i = 0; i < 6; i++) {
      const w = await createTestWorker(env.deps, COMMUNITY);
      await gradeWorker(env.deps, w.id, 'staff', 3);
      made.push({ id: w.id, i: 100 + i });
    }
    await createTestWorker(env.deps, COMMUNITY, { name: '未定级' });
    // On the third worker of its combination, so the outcome without the input is already there.
    const withInput = made[45]!.id;
    await db
      .insertInto('pay_inputs')
      .values({
        worker_id: withInput,
        org_code: COMMUNITY,
        month: '2026-11',
        kind: 'allowance',
        code: 'night',
        name: '夜班津贴',
        amount_fen: 30_000,
        note: null,
        created_by: null,
        created_at: now,
      })
      .execute();
    const withOpening = made[made.length - 1]!.id;
    await db
      .insertInto('payroll_tax_openings')
      .values({
        worker_id: withOpening,
        org_code: COMMUNITY,
        year: 2026,
        through_month: '2026-10',
        tax_months: 10,
        cum_gross_fen: 5_000_000,
        cum_tax_free_fen: 0,
        cum_insurance_fen: 500_000,
        cum_special_fen: 0,
        cum_other_fen: 0,
        cum_tax_fen: 40_000,
        note: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();

    const compute = async (options: ComputeOptions) => {
      const run = await createPayrollRun(sys, { orgCode: STREET, month: '2026-11' });
      let keyedSlips = 0;
      const done = await computePayrollRun(sys, run.id, {
        wait: true,
        // Small chunks: most have no pay input, opening, enrolment or prior month; some have each.
        chunkSize: 3,
        afterChunk: (_, c) => {
          keyedSlips += c.keyedSlips;
        },
        ...options,
      });
      return { run: done, keyedSlips, ...(await slipsOf(run.id)) };
    };
    const keyed = await compute({ keyedInsert: true });
    const oneByOne = await compute({ keyedInsert: false });

    // Most slips came from the keyed insert; none when it is off.
    expect(keyed.keyedSlips).toBeGreaterThanOrEqual(20);
    expect(oneByOne.keyedSlips).toBe(0);
    expect(keyed.slips).toEqual(oneByOne.slips);
    expect(keyed.errors).toEqual(oneByOne.errors);
    expect(keyed.errors).toEqual([expect.objectContaining({ code: 'no_grade' })]);
    expect(keyed.slips).toHaveLength(made.length);
    expect(keyed.run.totals).toEqual(oneByOne.run.totals);
    expect(keyed.run.slipCount).toBe(made.length);

    // The regional table, the enrolment base, the input and the opening each show in the figures.
    const by = new Map(keyed.slips.map((x) => [Number(x.worker_id), x]));
    const pair = (i: number) => made.filter((m) => m.i === i).map((m) => by.get(m.id)!);
    const [a0, b, a2] = pair(3); // staff: the post pay OTHER changed
    expect(a0!.pay_table_ref).toContain(OTHER);
    expect(b!.pay_table_ref).not.toContain(OTHER);
    expect(Number(a0!.gross_fen)).toBeGreaterThan(Number(b!.gross_fen));
    expect({ ...a0, worker_id: 0 }).toEqual({ ...a2, worker_id: 0 });
    expect(pair(6)[0]!.gross_fen).toBe(pair(60)[0]!.gross_fen);
    expect(pair(0)[2]!.employee_insurance_fen).toBe(pair(0)[0]!.employee_insurance_fen);
    expect(pair(6)[0]!.employee_insurance_fen).not.toBe(pair(60)[0]!.employee_insurance_fen);
    expect(Number(by.get(withInput)!.gross_fen)).toBeGreaterThan(Number(by.get(made[5]!.id)!.gross_fen));
    expect(pair(70)[0]!.cum_gross_fen).not.toBe(pair(71)[0]!.cum_gross_fen);
    expect(Number(pair(70)[0]!.tax_months)).toBe(2);
    expect(Number(pair(71)[0]!.tax_months)).toBe(1);
    expect(Number(by.get(withOpening)!.tax_months)).toBe(11);
    expect(Number(pair(0)[0]!.tax_months)).toBe(2);
    expect(Number(by.get(made[made.length - 2]!.id)!.tax_months)).toBe(1);

    // The run's scratch keys are gone once it is computed.
    expect(await db.selectFrom('payroll_run_keys').select('run_id').execute()).toEqual([]);
  });

  it('totals a resumed run from the stored slips, the same as an uninterrupted one', async () => {
    const sys = systemContext(env.deps);
    for (let i = 0; i < 20; i++) {
      const w = await createTestWorker(env.deps, i % 2 ? COMMUNITY : OTHER);
      await gradeWorker(env.deps, w.id, 'staff', 1 + (i % 3));
    }
    const whole = await createPayrollRun(sys, { orgCode: STREET, month: '2026-11' });
    const uninterrupted = await computePayrollRun(sys, whole.id, { wait: true, chunkSize: 4, keyedInsert: true });
    const run = await createPayrollRun(sys, { orgCode: STREET, month: '2026-11' });
    const crashed = await computePayrollRun(sys, run.id, {
      wait: true,
      chunkSize: 4,
      keyedInsert: true,
      afterChunk: (i, c) => {
        if (i === 2) {
          expect(c.keyedSlips).toBe(4);
          throw new Error('simulated crash');
        }
      },
    });
    expect(crashed).toMatchObject({ status: 'failed', progress: { done: 12 } });
    const resumed = await computePayrollRun(sys, run.id, { wait: true, chunkSize: 4, keyedInsert: true });
    expect(resumed).toMatchObject({ status: 'computed', slipCount: 20, errorCount: 0 });
    expect(resumed.totals).toEqual(uninterrupted.totals);
    expect((await slipsOf(run.id)).slips.map(({ worker_id, gross_fen, net_fen }) => [worker_id, gross_fen, net_fen])).toEqual(
      (await slipsOf(whole.id)).slips.map(({ worker_id, gross_fen, net_fen }) => [worker_id, gross_fen, net_fen]),
    );
  });
});
