import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
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
import { verifyAuditChain } from './audit.service.ts';

describeEachDatabase('audit log', (kind) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await createTestEnv(kind);
    await seedOrgs(env.deps, SMALL_TREE);
    for (let i = 0; i < 5; i++) await createTestWorker(env.deps, i % 2 ? '330106001001' : '330108001001');
  });
  afterEach(async () => env.close());

  /** Tampering needs the append-only triggers out of the way, as an attacker with database access would. */
  async function dropGuards() {
    if (env.deps.db.dialect === 'postgres') {
      await sql`drop trigger audit_log_no_update on audit_log`.execute(env.deps.db.kysely);
    } else {
      await sql`drop trigger audit_log_no_update`.execute(env.deps.db.kysely);
      await sql`drop trigger audit_log_no_delete`.execute(env.deps.db.kysely);
    }
  }

  it('is intact after normal use', async () => {
    expect(await verifyAuditChain(env.deps.db.kysely)).toEqual({ ok: true, checked: 5 });
  });

  it('refuses updates and deletes at the database level', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(env.deps.db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(env.deps.db.kysely)).rejects.toThrow(/append-only/);
  });

  it('names the first altered row', async () => {
    await dropGuards();
    await sql`update audit_log set after_json = '{"name":"forged"}' where seq = 3`.execute(env.deps.db.kysely);
    const r = await verifyAuditChain(env.deps.db.kysely);
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: 3, checked: 2 });
  });

  it('finds a deleted row in the middle and at the end', async () => {
    await dropGuards();
    await sql`delete from audit_log where seq = 2`.execute(env.deps.db.kysely);
    expect(await verifyAuditChain(env.deps.db.kysely)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it('finds the newest row deleted', async () => {
    await dropGuards();
    await sql`delete from audit_log where seq = 5`.execute(env.deps.db.kysely);
    expect(await verifyAuditChain(env.deps.db.kysely)).toMatchObject({ ok: false, firstBrokenSeq: 5 });
  });

  it('a rehashed forgery still breaks the link to the next row', async () => {
    await dropGuards();
    const { auditRowHash } = await import('./audit.service.ts');
    const row = await env.deps.db.kysely.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    const forged = { ...row, seq: Number(row.seq), actor_name: 'someone-else' };
    const { hash: _old, ...rest } = forged;
    await env.deps.db.kysely
      .updateTable('audit_log')
      .set({ actor_name: 'someone-else', hash: auditRowHash(rest) })
      .where('seq', '=', 2)
      .execute();
    expect(await verifyAuditChain(env.deps.db.kysely)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('lists entries newest first, within the reader’s scope only, with masked personal data', async () => {
    const auditor = await createTestUser(env.deps, 'auditor', '330106');
    const cookie = await loginCookie(env.app, auditor.username);
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/audit?entityType=worker', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { seq: number; orgCode: string; after: { idNumber: string } }[];
    expect(items).toHaveLength(2);
    expect(items[0]!.seq).toBeGreaterThan(items[1]!.seq);
    expect(items.every((i) => i.orgCode.startsWith('330106'))).toBe(true);
    expect(items[0]!.after.idNumber).toMatch(/^\d{3}\*+\d{3}[\dX]$/);
  });

  it('verify answers for sys_admin and auditor, not for others, and rejects bad filters', async () => {
    const auditor = await createTestUser(env.deps, 'auditor', '330106');
    const region = await createTestUser(env.deps, 'region_admin', '330106');
    const hr = await createTestUser(env.deps, 'street_hr', '330106001');
    const ok = await env.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { cookie: await loginCookie(env.app, auditor.username) },
    });
    expect(ok.json()).toMatchObject({ ok: true });
    const denied = await env.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { cookie: await loginCookie(env.app, region.username) },
    });
    expect(denied.statusCode).toBe(403);
    const noPerm = await env.app.inject({
      method: 'GET',
      url: '/api/v1/audit',
      headers: { cookie: await loginCookie(env.app, hr.username) },
    });
    expect(noPerm.statusCode).toBe(403);
    const bad = await env.app.inject({
      method: 'GET',
      url: '/api/v1/audit?from=yesterday',
      headers: { cookie: await loginCookie(env.app, auditor.username) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('from');
  });
});
