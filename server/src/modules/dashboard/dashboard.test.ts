import { afterAll, beforeAll, expect, it } from 'vitest';
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
import { ratioPer10k, standardHeadcount } from '../staffing/staffing-rules.ts';

it('staffing standard: 18 per 10,000 rounded up; ratio with one decimal', () => {
  expect(standardHeadcount(14000)).toBe(26);
  expect(standardHeadcount(10000)).toBe(18);
  expect(ratioPer10k(25, 14000)).toBe(17.9);
  expect(ratioPer10k(3, 0)).toBeNull();
});

describeEachDatabase('dashboard summary', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    for (let i = 0; i < 3; i++) await createTestWorker(env.deps, '330106001001');
    await createTestWorker(env.deps, '330106001002', {
      status: 'probation',
      post: 'party_secretary',
      education: '10',
      politicalStatus: '01',
      qualificationLevel: 'intermediate',
    });
    await createTestWorker(env.deps, '330106001002', { status: 'exited' });
    await createTestWorker(env.deps, '330106002001');
    await createTestWorker(env.deps, '330108001001');
  });
  afterAll(async () => env?.close());

  it('counts on-roll workers against the standard for the caller’s node and each child', async () => {
    const cookie = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/dashboard/summary', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.org.code).toBe('330106');
    expect(s.headcount).toBe(5); // the exited worker and the one in 滨江 do not count
    expect(s.population).toBe(24000);
    expect(s.standardHeadcount).toBe(44);
    expect(s.ratioPer10k).toBe(2.1);
    expect(s.children).toEqual([
      { code: '330106001', name: '北山街道', headcount: 4, population: 14000, standardPer10k: 18, standardHeadcount: 26, ratioPer10k: 2.9 },
      { code: '330106002', name: '西溪街道', headcount: 1, population: 10000, standardPer10k: 18, standardHeadcount: 18, ratioPer10k: 1 },
    ]);
    expect(s.byPost).toContainEqual({ code: 'party_secretary', count: 1 });
    expect(s.byEducation).toContainEqual({ code: '10', count: 1 });
    expect(s.byPoliticalStatus).toContainEqual({ code: '01', count: 1 });
    expect(s.byPoliticalStatus.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(5);
    expect([...s.byQualification].sort((a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code))).toEqual([
      { code: 'intermediate', count: 1 },
      { code: 'none', count: 4 },
    ]);
    expect(s.byPostCategory).toEqual([
      { code: 'principal', count: 1 },
      { code: 'staff', count: 4 },
    ]);
    expect(s.byAgeBand.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(5);
  });

  it('each chart bar counts exactly the people its click lists', async () => {
    const cookie = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    const s = (await env.app.inject({ method: 'GET', url: '/api/v1/dashboard/summary', headers: { cookie } })).json();
    const listed = async (qs: string) =>
      (await env.app.inject({ method: 'GET', url: `/api/v1/workers?orgCode=330106&onRoll=1&${qs}`, headers: { cookie } })).json().total;
    const ages: Record<string, string> = {
      '<30': 'ageMax=29',
      '30-39': 'ageMin=30&ageMax=39',
      '40-49': 'ageMin=40&ageMax=49',
      '50-59': 'ageMin=50&ageMax=59',
      '≥60': 'ageMin=60',
    };
    for (const b of s.byAgeBand as { band: string; count: number }[]) expect(await listed(ages[b.band]!), b.band).toBe(b.count);
    for (const p of s.byPost as { code: string; count: number }[]) expect(await listed(`post=${p.code}`), p.code).toBe(p.count);
    expect(await listed('')).toBe(s.headcount);
  });

  it('drills down to a community, refuses nodes outside scope and bad codes', async () => {
    const cookie = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
    const c = await env.app.inject({ method: 'GET', url: '/api/v1/dashboard/summary?orgCode=330106001002', headers: { cookie } });
    expect(c.json()).toMatchObject({ headcount: 1, population: 6000, children: [] });
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/dashboard/summary?orgCode=330106002', headers: { cookie } })).statusCode,
    ).toBe(404);
    const bad = await env.app.inject({ method: 'GET', url: '/api/v1/dashboard/summary?orgCode=abc', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('orgCode');
  });
});
