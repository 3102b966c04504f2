import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { createTestEnv, createTestUser, loginCookie, seedOrgs, SMALL_TREE, type TestEnv } from '../../../test/factories.ts';

describeEachDatabase('users API', (kind) => {
  let env: TestEnv;
  let region: string;
  let hr: string;
  let regionId: number;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    const r = await createTestUser(env.deps, 'region_admin', '330106');
    regionId = r.id;
    region = await loginCookie(env.app, r.username);
    hr = await loginCookie(env.app, (await createTestUser(env.deps, 'street_hr', '330106001')).username);
  });
  afterAll(async () => env?.close());

  it('creates an account with a one-time random password that must be changed', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: region },
      payload: { username: 'beishan.hr', displayName: '北山人事', role: 'street_hr', orgCode: '330106001' },
    });
    expect(res.statusCode).toBe(201);
    const { user, temporaryPassword } = res.json();
    expect(user).toMatchObject({
      username: 'beishan.hr',
      role: 'street_hr',
      orgName: '北山街道',
      mustChangePassword: true,
      isDisabled: false,
    });
    expect(temporaryPassword).toHaveLength(16);
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'beishan.hr', password: temporaryPassword },
    });
    expect(login.json().user.mustChangePassword).toBe(true);
    const audit = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'user.create').execute();
    expect(audit.map((a) => a.after_json).join()).not.toContain(temporaryPassword);
  });

  it('rejects duplicates, bad usernames, roles above the creator and orgs of the wrong level', async () => {
    const dup = await env.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: region },
      payload: { username: 'dup.user', displayName: 'a', role: 'worker', orgCode: '330106001001' },
    });
    expect(dup.statusCode).toBe(201);
    const again = await env.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: region },
      payload: { username: 'dup.user', displayName: 'b', role: 'worker', orgCode: '330106001001' },
    });
    expect(again.statusCode).toBe(409);
    const badName = await env.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: region },
      payload: { username: '张 三', displayName: 'b', role: 'worker', orgCode: '330106001001' },
    });
    expect(badName.json().error.details.issues[0].field).toBe('username');
    const above = await env.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: region },
      payload: { username: 'root2', displayName: 'b', role: 'sys_admin', orgCode: '330106' },
    });
    expect(above.statusCode).toBe(403);
    const hrAtCommunity = await env.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: region },
      payload: { username: 'wrong.level', displayName: 'b', role: 'street_hr', orgCode: '330106001001' },
    });
    expect(hrAtCommunity.statusCode).toBe(400);
    expect(hrAtCommunity.json().error.details.issues[0].field).toBe('orgCode');
    const hrMakesAdmin = await env.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: hr },
      payload: { username: 'sneaky', displayName: 'b', role: 'region_admin', orgCode: '330106001' },
    });
    expect(hrMakesAdmin.statusCode).toBe(403);
  });

  it('disabling ends the sessions at once and is audited as a permission change', async () => {
    const target = await createTestUser(env.deps, 'community_lead', '330106001001');
    const cookie = await loginCookie(env.app, target.username);
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${target.id}`,
      headers: { cookie: region },
      payload: { isDisabled: true },
    });
    expect(res.json().isDisabled).toBe(true);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const a = await env.deps.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.permission_change')
      .where('entity_id', '=', String(target.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(a.after_json!)).toEqual({ isDisabled: true });
  });

  it('resets a password, lifting a lock', async () => {
    const target = await createTestUser(env.deps, 'community_lead', '330106001001');
    await env.deps.db.kysely.updateTable('users').set({ locked_until: '2999-01-01T00:00:00.000Z' }).where('id', '=', target.id).execute();
    const res = await env.app.inject({ method: 'POST', url: `/api/v1/users/${target.id}/reset-password`, headers: { cookie: region } });
    const { temporaryPassword } = res.json();
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: target.username, password: temporaryPassword },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
  });

  it('cannot change its own role or disable itself', async () => {
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${regionId}`,
      headers: { cookie: region },
      payload: { isDisabled: true },
    });
    expect(res.statusCode).toBe(403);
  });

  it('lists users in scope with filters; roles without users:manage get 403', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/users?role=street_hr', headers: { cookie: region } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.every((u: { role: string }) => u.role === 'street_hr')).toBe(true);
    const lead = await createTestUser(env.deps, 'community_lead', '330106001001');
    const denied = await env.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: await loginCookie(env.app, lead.username) },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('shows one user in scope, 404 for an unknown id, 400 for a malformed id or patch', async () => {
    const target = await createTestUser(env.deps, 'community_lead', '330106001001');
    const one = await env.app.inject({ method: 'GET', url: `/api/v1/users/${target.id}`, headers: { cookie: region } });
    expect(one.json()).toMatchObject({ id: target.id, role: 'community_lead', orgName: '保俶塔社区' });
    expect(one.json()).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(one.json())).not.toContain('argon2');
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/users/987654', headers: { cookie: region } })).statusCode).toBe(404);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/users/abc', headers: { cookie: region } })).statusCode).toBe(400);
    const badPatch = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${target.id}`,
      headers: { cookie: region },
      payload: { role: 'emperor' },
    });
    expect(badPatch.statusCode).toBe(400);
    expect(badPatch.json().error.details.issues[0].field).toBe('role');
    const rename = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${target.id}`,
      headers: { cookie: region },
      payload: { displayName: '新名字' },
    });
    expect(rename.json().displayName).toBe('新名字');
  });
});
