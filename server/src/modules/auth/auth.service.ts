import type { Actor, OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { randomToken, sha256Hex } from '../../lib/crypto.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../../lib/password.ts';
import { addMinutes, nowIso } from '../../lib/time.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import type { Role } from '../meta/enums.ts';
import * as repo from './auth.repo.ts';

/** Lockout policy: per account and per client address. */
export const LOGIN_POLICY = {
  accountMaxFailures: 5,
  accountLockMinutes: 15,
  ipMaxFailures: 20,
  ipWindowMinutes: 15,
  ipBlockMinutes: 15,
} as const;

// Verified against when the username does not exist, so both paths take the same time.
let dummyHash: Promise<string> | null = null;

export interface SessionUser extends Actor {
  orgName: string;
  mustChangePassword: boolean;
  sessionId: string;
}

export interface LoginResult {
  token: string;
  user: SessionUser;
}

async function registerIpFailure(ctx: OpContext, now: string) {
  if (!ctx.ip) return;
  const key = `ip:${ctx.ip}`;
  const db = ctx.deps.db.kysely;
  const row = await repo.getThrottle(db, key);
  const windowStart = row && row.window_start > addMinutes(now, -LOGIN_POLICY.ipWindowMinutes) ? row.window_start : now;
  const failures = row && windowStart === row.window_start ? row.failures + 1 : 1;
  const blocked = failures >= LOGIN_POLICY.ipMaxFailures ? addMinutes(now, LOGIN_POLICY.ipBlockMinutes) : null;
  await repo.upsertThrottle(db, { key, failures, window_start: windowStart, blocked_until: blocked });
}

/**
 * Signs a user in. Failures are counted per account (lock after 5 for 15 minutes) and per
 * address (block after 20 in 15 minutes); every attempt, good or bad, is audited.
 */
export async function login(ctx: OpContext, input: { username: string; password: string; userAgent: string | null }): Promise<LoginResult> {
  const db = ctx.deps.db.kysely;
  const now = nowIso();
  const username = input.username.trim();
  const fail = async (
    reason: string,
    code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED',
    userId?: number,
    orgCode?: string,
  ) => {
    await registerIpFailure(ctx, now);
    await recordAudit(ctx, {
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: userId ?? null,
      orgCode: orgCode ?? null,
      after: { username, reason },
    });
    return new AppError(code);
  };

  if (ctx.ip) {
    const t = await repo.getThrottle(db, `ip:${ctx.ip}`);
    if (t?.blocked_until && t.blocked_until > now) {
      await recordAudit(ctx, { action: 'auth.login_failed', entityType: 'user', after: { username, reason: 'ip_blocked' } });
      throw new AppError('TOO_MANY_ATTEMPTS');
    }
  }

  const user = await repo.getUserByUsernameUnscoped(db, username);
  if (!user) {
    dummyHash ??= hashPassword(randomToken());
    await verifyPassword(await dummyHash, input.password);
    throw await fail('unknown_user', 'INVALID_CREDENTIALS');
  }
  if (user.locked_until && user.locked_until > now) throw await fail('locked', 'ACCOUNT_LOCKED', user.id, user.org_code);

  if (!(await verifyPassword(user.password_hash, input.password))) {
    const failures = user.failed_logins + 1;
    const lock = failures >= LOGIN_POLICY.accountMaxFailures;
    await db
      .updateTable('users')
      .set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? addMinutes(now, LOGIN_POLICY.accountLockMinutes) : user.locked_until,
      })
      .where('id', '=', user.id)
      .execute();
    throw await fail(
      lock ? 'wrong_password_locked' : 'wrong_password',
      lock ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS',
      user.id,
      user.org_code,
    );
  }
  if (user.is_disabled) throw await fail('disabled', 'ACCOUNT_DISABLED', user.id, user.org_code);

  const org = await db.selectFrom('orgs').select(['level', 'name']).where('code', '=', user.org_code).executeTakeFirstOrThrow();
  const token = randomToken();
  const sessionUser: SessionUser = {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role as Role,
    orgCode: user.org_code,
    orgLevel: org.level,
    orgName: org.name,
    workerId: user.worker_id,
    mustChangePassword: user.must_change_password === 1,
    sessionId: sha256Hex(token),
  };
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', user.id).execute();
    await repo.insertSession(trx, {
      id: sessionUser.sessionId,
      userId: user.id,
      now,
      expiresAt: addMinutes(now, ctx.deps.config.sessionTtlHours * 60),
      ip: ctx.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    const actorCtx = { ...ctx, actor: sessionUser };
    await appendAudit(trx, actorCtx, { action: 'auth.login', entityType: 'user', entityId: user.id, orgCode: user.org_code });
  });
  if (ctx.ip) await repo.clearThrottle(db, `ip:${ctx.ip}`);
  return { token, user: sessionUser };
}

/** Resolves a session cookie to its user; null when absent, expired or the user is disabled. */
export async function authenticateSession(ctx: OpContext, token: string): Promise<SessionUser | null> {
  const db = ctx.deps.db.kysely;
  const id = sha256Hex(token);
  const row = await repo.getSessionWithUser(db, id);
  const now = nowIso();
  if (!row || row.expires_at <= now || row.is_disabled) return null;
  // Idle timeout: 2 hours without a request ends the session.
  if (row.last_seen_at < addMinutes(now, -120)) {
    await repo.deleteSession(db, id);
    return null;
  }
  if (row.last_seen_at < addMinutes(now, -1)) await repo.touchSession(db, id, now);
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    orgCode: row.org_code,
    orgLevel: row.org_level,
    orgName: row.org_name,
    workerId: row.worker_id === null ? null : Number(row.worker_id),
    mustChangePassword: row.must_change_password === 1,
    sessionId: id,
  };
}

export async function logout(ctx: OpContext, sessionId: string): Promise<void> {
  await ctx.deps.db.kysely.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sessionId);
    await appendAudit(trx, ctx, {
      action: 'auth.logout',
      entityType: 'user',
      entityId: ctx.actor?.id ?? null,
      orgCode: ctx.actor?.orgCode ?? null,
    });
  });
}

/** Throws WEAK_PASSWORD listing every unmet rule. */
export function assertPasswordPolicy(password: string, username: string): void {
  const problems = checkPasswordPolicy(password, username);
  if (problems.length > 0) {
    throw new AppError('WEAK_PASSWORD', {
      message: `密码不符合安全要求：${problems.map((p) => p.zh).join('；')}`,
      messageEn: `The password does not meet the policy: ${problems.map((p) => p.en).join('; ')}`,
      details: { issues: problems.map((p) => ({ field: 'newPassword', message: p.zh, messageEn: p.en })) },
    });
  }
}

/** Changes one's own password; ends the user's other sessions. */
export async function changeOwnPassword(
  ctx: OpContext,
  sessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const actor = ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const db = ctx.deps.db.kysely;
  const user = await db.selectFrom('users').select(['password_hash', 'username']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordAudit(ctx, { action: 'auth.password_change_failed', entityType: 'user', entityId: actor.id, orgCode: actor.orgCode });
    throw new AppError('INVALID_CREDENTIALS', {
      message: '当前密码错误',
      messageEn: 'The current password is wrong',
      details: { issues: [{ field: 'currentPassword', message: '当前密码错误' }] },
    });
  }
  assertPasswordPolicy(input.newPassword, user.username);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('WEAK_PASSWORD', {
      message: '新密码不能与当前密码相同',
      messageEn: 'The new password must differ from the current one',
    });
  }
  const hash = await hashPassword(input.newPassword);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: 0, password_changed_at: now, updated_at: now })
      .where('id', '=', actor.id)
      .execute();
    await repo.deleteUserSessions(trx, actor.id, sessionId);
    await appendAudit(trx, ctx, { action: 'auth.password_changed', entityType: 'user', entityId: actor.id, orgCode: actor.orgCode });
  });
}

/** Deletes sessions past their lifetime (run at start and hourly). */
export async function purgeExpiredSessions(deps: {
  db: { kysely: import('kysely').Kysely<import('../../db/schema.ts').Database> };
}): Promise<void> {
  await repo.deleteExpiredSessions(deps.db.kysely, nowIso());
}
