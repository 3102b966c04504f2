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

describeEachDatabase('staffing standards', (kind) => {
  let env: TestEnv;
  let district: string;
  let city: string;
  let hr: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    await createTestWorker(env.deps, '330106001001');
    district = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '330106')).username);
    city = await loginCookie(env.app, (await createTestUser(env.deps, 'region_admin', '3301')).username);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
  });
  afterAll(async () => env?.close());

  const summary = (cookie: string, org: string) =>
    env.app.inject({ method: 'GET', url: `/api/v1/dashboard/summary?orgCode=${org}`, headers: { cookie } });
  const set = (cookie: string, org: string, payload: object) =>
    env.app.inject({ method: 'POST', url: `/api/v1/orgs/${org}/staffing-standard`, headers: { cookie }, payload });

  it('uses the published default of 18 where no region has set one, and says so', async () => {
    const s = (await summary(city, '3301')).json();
    expect(s.standardPer10k).toBe(18);
    expect(s.standard).toMatchObject({ source: 'default', per10k: 18, orgCode: null });
  });

  it('the nearest region’s newest version in force applies, down to each child, with its source', async () => {
    expect((await set(city, '3301', { per10k: 22, effectiveFrom: '2025-01-01', note: '市级标准' })).statusCode).toBe(201);
    const res = await set(district, '330106', { per10k: 20, communityCap: 17, effectiveFrom: '2026-01-01' });
    expect(res.statusCode).toBe(201);
    expect(res.json().effective).toMatchObject({ per10k: 20, communityCap: 17, source: 'rule', orgCode: '330106', orgName: '西湖区' });
    // A future version is recorded but not yet in force.
    await set(district, '330106', { per10k: 25, effectiveFrom: '2099-01-01' });

    const westLake = (await summary(city, '330106')).json();
    expect(westLake.standard).toMatchObject({ per10k: 20, orgCode: '330106', effectiveFrom: '2026-01-01' });
    expect(westLake.standardHeadcount).toBe(48); // 24,000 residents × 20 / 10,000
    const hangzhou = (await summary(city, '3301')).json();
    expect(hangzhou.standard).toMatchObject({ per10k: 22, orgCode: '3301' });
    const byChild = Object.fromEntries(hangzhou.children.map((c: { code: string; standardPer10k: number }) => [c.code, c.standardPer10k]));
    expect(byChild).toEqual({ '330106': 20, '330108': 22 });

    const view = await env.app.inject({ method: 'GET', url: '/api/v1/orgs/330106/staffing-standard', headers: { cookie: district } });
    expect(view.json().versions.map((v: { per10k: number }) => v.per10k)).toEqual([25, 20]);
    const audit = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'staffing_standard.set').execute();
    expect(audit).toHaveLength(3);
  });

  it('rejects values out of range, impossible dates, street-level rules; street HR may not set them', async () => {
    const low = await set(district, '330106', { per10k: 5, effectiveFrom: '2026-01-01' });
    expect(low.statusCode).toBe(400);
    expect(low.json().error.details.issues[0].field).toBe('per10k');
    const badDate = await set(district, '330106', { per10k: 20, effectiveFrom: '2026-02-30' });
    expect(badDate.json().error.details.issues[0].field).toBe('effectiveFrom');
    const street = await set(district, '330106001', { per10k: 20, effectiveFrom: '2026-01-01' });
    expect(street.statusCode).toBe(400);
    expect(street.json().error.message).toContain('配备标准只能由');
    expect((await set(hr, '330106001', { per10k: 20, effectiveFrom: '2026-01-01' })).statusCode).toBe(403);
  });

  it('answers 404 outside the caller’s scope', async () => {
    expect((await set(district, '330108', { per10k: 20, effectiveFrom: '2026-01-01' })).statusCode).toBe(404);
    const view = await env.app.inject({ method: 'GET', url: '/api/v1/orgs/330108/staffing-standard', headers: { cookie: district } });
    expect(view.statusCode).toBe(404);
  });
});
