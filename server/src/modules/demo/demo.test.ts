import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, type DatabaseKind } from '../../../test/databases.ts';
import { createTestEnv, createTestWorker, seedOrgs, type TestEnv } from '../../../test/factories.ts';
import { systemContext } from '../../context.ts';
import { parseIdNumber } from '../../lib/id-card.ts';
import { codeInSubtree } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { previousMonth } from '../payroll/payroll.demo.ts';
import { standardHeadcount } from '../staffing/staffing-rules.ts';
import { DEMO_AS_OF, isDemoSeeded, seedDemo } from './demo.service.ts';

// One district (西湖区) keeps each seed to a few thousand workers, so every test seeds its own database.
const DISTRICT = '330106';
const SEED_TIMEOUT = 180_000;

function seedWestLake(env: TestEnv, seed = 20240410) {
  return seedDemo(systemContext(env.deps, 'test'), { seed, cityCode: '3301', districtCode: DISTRICT });
}

function firstWorkers(env: TestEnv, limit: number) {
  return env.deps.db.kysely
    .selectFrom('workers')
    .select(['name', 'id_number_masked', 'org_code', 'post'])
    .orderBy('id')
    .limit(limit)
    .execute();
}

async function countRows(env: TestEnv, table: 'workers' | 'users') {
  const row = await env.deps.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDatabase('demo seed', (kind: DatabaseKind) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(kind);
  });
  afterEach(async () => {
    await env.close();
  });

  it(
    'gives the same people for the same seed on two fresh databases',
    async () => {
      const other = await createTestEnv(kind);
      try {
        const a = await seedWestLake(env);
        const b = await seedWestLake(other);
        expect(b.workers).toBe(a.workers);
        expect(b.orgs).toBe(a.orgs);
        const first = await firstWorkers(env, 20);
        expect(first).toHaveLength(20);
        expect(await firstWorkers(other, 20)).toEqual(first);
      } finally {
        await other.close();
      }
    },
    SEED_TIMEOUT,
  );

  it(
    'staffs communities by the standard with valid ID numbers, keeping entered populations and existing workers',
    async () => {
      await seedOrgs(env.deps, [
        { code: '33', name: '浙江省' },
        { code: '3301', name: '杭州市' },
        { code: DISTRICT, name: '西湖区' },
        { code: '330106002', name: '北山街道' },
        { code: '330106002051', name: '上保社区', population: 5000, households: 1900 },
        { code: '330106002052', name: '宝石社区' },
      ]);
      await createTestWorker(env.deps, '330106002052');

      const result = await seedWestLake(env);
      const db = env.deps.db.kysely;
      const communities = await db
        .selectFrom('orgs')
        .select(['code', 'population', 'households'])
        .where('level', '=', 5)
        .where(codeInSubtree('code', DISTRICT, 3))
        .execute();
      const counts = await db
        .selectFrom('workers')
        .select(['org_code', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('org_code')
        .execute();
      const headcount = new Map(counts.map((c) => [c.org_code, Number(c.n)]));

      expect(communities.length).toBeGreaterThan(100);
      const kept = communities.find((c) => c.code === '330106002051');
      expect(kept).toMatchObject({ population: 5000, households: 1900 });
      expect(headcount.get('330106002052')).toBe(1);
      let expected = 0;
      for (const c of communities) {
        expect(c.population, c.code).toBeGreaterThan(0);
        expect(c.households, c.code).toBeGreaterThan(0);
        if (c.code === '330106002052') continue;
        const want = standardHeadcount(c.population!);
        expect(headcount.get(c.code) ?? 0, c.code).toBe(want);
        expected += want;
      }
      expect(result.workers).toBe(expected);

      const rows = await db
        .selectFrom('workers')
        .select([
          'id_number_enc',
          'id_number_hash',
          'id_number_masked',
          'gender',
          'birth_date',
          'org_code',
          'phone_enc',
          'phone_masked',
          'post',
        ])
        .where('name', '!=', '测试人员')
        .execute();
      expect(rows).toHaveLength(expected);
      const { cipher } = env.deps;
      for (const r of rows) {
        const idNumber = cipher.decrypt(r.id_number_enc);
        const parsed = parseIdNumber(idNumber);
        if ('problem' in parsed) throw new Error(`${idNumber}: ${parsed.problem}`);
        expect(parsed).toMatchObject({ areaCode: DISTRICT, gender: r.gender, birthDate: r.birth_date });
        expect(cipher.blindIndex('id_number', idNumber)).toBe(r.id_number_hash);
        expect(r.id_number_masked).toBe(`${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`);
        const phone = cipher.decrypt(r.phone_enc!);
        expect(phone).toMatch(/^1[3-9]\d{9}$/);
        expect(r.phone_masked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      }
      // Every staffed community has exactly one Party secretary.
      const secretaries = rows.filter((r) => r.post === 'party_secretary').map((r) => r.org_code);
      expect(new Set(secretaries).size).toBe(secretaries.length);

      expect(await isDemoSeeded(env.deps)).toBe(true);
      const audit = await db.selectFrom('audit_log').select(['entity_id', 'after_json']).where('action', '=', 'demo.seed').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.entity_id).toBe('3301');
      expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ workersCreated: expected });
    },
    SEED_TIMEOUT,
  );

  it(
    'adds no workers and no accounts when run again',
    async () => {
      expect(await isDemoSeeded(env.deps)).toBe(false);
      const first = await seedWestLake(env);
      expect(first.workers).toBeGreaterThan(1000);
      expect(first.accounts.map((a) => a.username).sort()).toEqual([
        'demo_auditor',
        'demo_lead',
        'demo_region',
        'demo_street',
        'demo_worker',
      ]);
      const workers = await countRows(env, 'workers');
      const users = await countRows(env, 'users');
      // Last month's pay of the demo street, computed from the demo grades, approved and paid.
      const street = first.accounts.find((a) => a.role === 'street_hr')!.orgCode;
      const runs = () =>
        env.deps.db.kysely.selectFrom('payroll_runs').select(['org_code', 'month', 'status', 'slip_count', 'is_demo']).execute();
      // Everyone on the roll who started before this year is graded (by the second initial run if they joined after 2024-01-01).
      const ungraded = await env.deps.db.kysely
        .selectFrom('workers')
        .leftJoin('worker_grades as g', (j) => j.onRef('g.worker_id', '=', 'workers.id').on('g.is_current', '=', 1))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workers.status', 'in', ['probation', 'active', 'on_leave'])
        .where('workers.work_start_date', '<', `${nowIso().slice(0, 4)}-01-01`)
        .where('g.id', 'is', null)
        .executeTakeFirstOrThrow();
      expect(Number(ungraded.n)).toBe(0);
      const paid = await runs();
      expect(paid).toEqual([
        { org_code: street, month: previousMonth(nowIso().slice(0, 7)), status: 'paid', slip_count: expect.any(Number), is_demo: 1 },
      ]);
      expect(Number(paid[0]!.slip_count)).toBeGreaterThan(10);
      const slips = await env.deps.db.kysely
        .selectFrom('payslips')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('is_final', '=', 1)
        .executeTakeFirstOrThrow();
      expect(Number(slips.n)).toBe(Number(paid[0]!.slip_count));

      const again = await seedWestLake(env);
      expect(again).toMatchObject({ workers: 0, accounts: [] });
      expect(await countRows(env, 'workers')).toBe(workers);
      expect(await countRows(env, 'users')).toBe(users);
      expect(await runs()).toEqual(paid);
    },
    SEED_TIMEOUT,
  );

  it(
    'creates accounts that sign in, must change the password, and a worker account that sees only its own record',
    async () => {
      const { accounts } = await seedWestLake(env);
      const byRole = new Map(accounts.map((a) => [a.role, a]));
      expect(byRole.get('region_admin')).toMatchObject({ username: 'demo_region', orgCode: '3301', orgName: '杭州市' });
      expect(byRole.get('auditor')).toMatchObject({ username: 'demo_auditor', orgCode: '3301' });
      expect(byRole.get('street_hr')!.orgCode).toMatch(/^330106\d{3}$/);
      expect(byRole.get('community_lead')!.orgCode.startsWith(byRole.get('street_hr')!.orgCode)).toBe(true);
      expect(byRole.get('worker')!.orgCode).toBe(byRole.get('community_lead')!.orgCode);

      let workerCookie = '';
      let workerId: number | null = null;
      for (const a of accounts) {
        const res = await env.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: a.username, password: a.password },
        });
        expect(res.statusCode, a.username).toBe(200);
        const { user } = res.json<{ user: { role: string; orgCode: string; mustChangePassword: boolean; workerId: number | null } }>();
        expect(user).toMatchObject({ role: a.role, orgCode: a.orgCode, mustChangePassword: true });
        if (a.role === 'worker') {
          workerCookie = `sg_session=${res.cookies.find((c) => c.name === 'sg_session')!.value}`;
          workerId = user.workerId;
        }
      }
      expect(workerId).not.toBeNull();

      const worker = byRole.get('worker')!;
      const changed = await env.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie: workerCookie },
        payload: { currentPassword: worker.password, newPassword: 'Demo-Worker-2024!' },
      });
      expect(changed.statusCode).toBe(204);
      const login = await env.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: worker.username, password: 'Demo-Worker-2024!' },
      });
      expect(login.statusCode).toBe(200);
      const cookie = `sg_session=${login.cookies.find((c) => c.name === 'sg_session')!.value}`;
      const list = await env.app.inject({ method: 'GET', url: '/api/v1/workers', headers: { cookie } });
      expect(list.statusCode).toBe(200);
      const page = list.json<{ items: { id: number; orgCode: string }[]; total: number }>();
      expect(page.total).toBe(1);
      expect(page.items).toEqual([expect.objectContaining({ id: workerId, orgCode: worker.orgCode })]);
      // Last month's demo pay reaches the demo worker's self-service.
      const own = await env.app.inject({ method: 'GET', url: '/api/v1/me/payslips', headers: { cookie } });
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ total: 1, items: [{ month: previousMonth(nowIso().slice(0, 7)) }] });

      // The seeded people use the full record: 一肩挑 secretaries, ethnicity, pinyin initials.
      const rows = await env.deps.db.kysely.selectFrom('workers').select(['name', 'name_initials', 'posts', 'ethnicity', 'post']).execute();
      const secretaries = rows.filter((r) => r.post === 'party_secretary');
      const concurrent = secretaries.filter((r) => JSON.parse(r.posts ?? '[]').includes('committee_director'));
      expect(concurrent.length).toBeGreaterThan(0);
      expect(concurrent.length).toBeLessThan(secretaries.length);
      expect(rows.every((r) => r.ethnicity && /^[a-z]+$/.test(r.name_initials ?? ''))).toBe(true);
      // Social work qualifications: a share of the workforce, certificates after a year at work and
      // the first exams (2008), 高级 only with a long career.
      const qualified = await env.deps.db.kysely
        .selectFrom('workers')
        .select(['qualification_level', 'certificate_no', 'certificate_date', 'work_start_date'])
        .where('qualification_level', 'is not', null)
        .execute();
      expect(qualified.length / rows.length).toBeGreaterThan(0.15);
      expect(qualified.length / rows.length).toBeLessThan(0.6);
      expect(new Set(qualified.map((q) => q.qualification_level))).toEqual(new Set(['assistant', 'intermediate', 'senior']));
      for (const q of qualified) {
        expect(q.certificate_date! >= '2008-06-01' && q.certificate_date! > q.work_start_date! && q.certificate_date! <= DEMO_AS_OF).toBe(
          true,
        );
        expect(q.certificate_no).toMatch(new RegExp(`^${q.certificate_date!.slice(0, 4)}330106\\d{5}$`));
        if (q.qualification_level === 'senior') expect(q.work_start_date! <= '2014-01-01').toBe(true);
      }
      const placed = await env.deps.db.kysely
        .selectFrom('worker_assignments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(placed.n)).toBe(rows.length);
    },
    SEED_TIMEOUT,
  );
});
