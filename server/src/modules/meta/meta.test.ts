import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { createTestEnv, createTestUser, loginCookie, seedOrgs, SMALL_TREE, type TestEnv } from '../../../test/factories.ts';

describeEachDatabase('meta enums', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
  });
  afterAll(async () => env?.close());

  it('lists the code tables with Chinese and English labels, for signed-in users only', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/meta/enums' })).statusCode).toBe(401);
    const cookie = await loginCookie(env.app, (await createTestUser(env.deps, 'worker', '330106001001')).username);
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/meta/enums', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const e = res.json();
    expect(e.politicalStatuses).toContainEqual({ code: '01', label: '中共党员', labelEn: 'CPC member' });
    expect(e.posts.find((p: { code: string }) => p.code === 'party_secretary').category).toBe('principal');
    expect(e.ethnicities).toHaveLength(56);
    expect(e.ethnicities[0]).toEqual({ code: '01', label: '汉族', labelEn: expect.any(String) });
    expect(e.exitReasons.map((r: { code: string }) => r.code)).toContain('retirement');
    expect(e.roles.map((r: { code: string }) => r.code)).toEqual([
      'sys_admin',
      'region_admin',
      'street_hr',
      'community_lead',
      'worker',
      'auditor',
    ]);
  });
});
