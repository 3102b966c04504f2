import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/databases.ts';
import { createTestEnv, createTestUser, loginCookie, seedOrgs, SMALL_TREE, TEST_PASSWORD, type TestEnv } from '../../../test/factories.ts';
import { LOGIN_POLICY } from './auth.service.ts';

describeEachDatabase('auth', (kind) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
  });
  afterEach(async () => env.close());

  const login = (username: string, password: string, ip = '10.0.0.1') =>
    env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });

  it('signs in with a secure session cookie and audits it', async () => {
    const u = await createTestUser(env.deps, 'street_hr', '330106001');
    const res = await login(u.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({
      username: u.username,
      role: 'street_hr',
      orgCode: '330106001',
      orgName: '北山街道',
      mustChangePassword: false,
    });
    expect(res.json().user.permissions).toContain('workers:write');
    const cookie = res.cookies.find((c) => c.name === 'sg_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const me = await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `sg_session=${cookie.value}` } });
    expect(me.json().user.username).toBe(u.username);
    const audit = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.ip).toBe('10.0.0.1');
  });

  it('refuses a wrong password with 401 in Chinese and audits the failure', async () => {
    const u = await createTestUser(env.deps, 'street_hr', '330106001');
    const res = await login(u.username, 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    const unknown = await login('nobody-here', 'x');
    expect(unknown.statusCode).toBe(401);
    const failures = await env.deps.db.kysely
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'auth.login_failed')
      .execute();
    expect(failures.map((f) => JSON.parse(f.after_json!).reason)).toEqual(['wrong_password', 'unknown_user']);
  });

  it('answers in English when asked', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'x', password: 'y' },
      headers: { 'accept-language': 'en-US' },
    });
    expect(res.json().error.message).toBe('Wrong username or password');
  });

  it('locks the account after repeated failures, even for the right password, until the lock ends', async () => {
    const u = await createTestUser(env.deps, 'street_hr', '330106001');
    for (let i = 0; i < LOGIN_POLICY.accountMaxFailures - 1; i++)
      expect((await login(u.username, 'bad', `10.0.1.${i}`)).statusCode).toBe(401);
    expect((await login(u.username, 'bad', '10.0.2.1')).statusCode).toBe(423);
    const locked = await login(u.username, TEST_PASSWORD, '10.0.2.2');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    await env.deps.db.kysely.updateTable('users').set({ locked_until: '2000-01-01T00:00:00.000Z' }).where('id', '=', u.id).execute();
    expect((await login(u.username, TEST_PASSWORD, '10.0.2.3')).statusCode).toBe(200);
  });

  it('blocks an address that fails too often across accounts', async () => {
    for (let i = 0; i < LOGIN_POLICY.ipMaxFailures; i++) await login(`ghost${i}`, 'bad', '10.9.9.9');
    const u = await createTestUser(env.deps, 'street_hr', '330106001');
    const res = await login(u.username, TEST_PASSWORD, '10.9.9.9');
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    expect((await login(u.username, TEST_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
  });

  it('refuses disabled accounts', async () => {
    const u = await createTestUser(env.deps, 'street_hr', '330106001');
    await env.deps.db.kysely.updateTable('users').set({ is_disabled: 1 }).where('id', '=', u.id).execute();
    const res = await login(u.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ACCOUNT_DISABLED');
  });

  it('forces a password change before anything else, enforcing the policy', async () => {
    const u = await createTestUser(env.deps, 'street_hr', '330106001', { mustChangePassword: true });
    const cookie = await loginCookie(env.app, u.username);
    const blocked = await env.app.inject({ method: 'GET', url: '/api/v1/workers', headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    expect(weak.json().error.message).toContain('密码至少10位');
    const wrong = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie },
      payload: { currentPassword: 'nope', newPassword: 'Brand-New-Pass-42' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'Brand-New-Pass-42' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/workers', headers: { cookie } })).statusCode).toBe(200);
    expect((await login(u.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(u.username, 'Brand-New-Pass-42')).statusCode).toBe(200);
  });

  it('logout ends the session', async () => {
    const u = await createTestUser(env.deps, 'street_hr', '330106001');
    const cookie = await loginCookie(env.app, u.username);
    expect((await env.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    const me = await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects malformed login bodies with a field-level error', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(
      res
        .json()
        .error.details.issues.map((i: { field: string }) => i.field)
        .sort(),
    ).toEqual(['password', 'username']);
  });
});
