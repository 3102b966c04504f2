import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Users by username, for sign-in only (no scope: the caller is not yet known). */
export function getUserByUsernameUnscoped(db: Kysely<Database>, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** The session and its user, joined with the user's org level. */
export function getSessionWithUser(db: Kysely<Database>, sessionId: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('orgs', 'orgs.code', 'users.org_code')
    .select([
      'sessions.id as session_id',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.org_code',
      'users.worker_id',
      'users.must_change_password',
      'users.is_disabled',
      'orgs.level as org_level',
      'orgs.name as org_name',
    ])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
}

export async function insertSession(
  db: Kysely<Database>,
  s: { id: string; userId: number; now: string; expiresAt: string; ip: string | null; userAgent: string | null },
) {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      created_at: s.now,
      expires_at: s.expiresAt,
      last_seen_at: s.now,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

export async function touchSession(db: Kysely<Database>, id: string, now: string) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<Database>, id: string) {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteUserSessions(db: Kysely<Database>, userId: number, exceptId?: string) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: string) {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

export function getThrottle(db: Kysely<Database>, key: string) {
  return db.selectFrom('auth_throttle').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function upsertThrottle(
  db: Kysely<Database>,
  row: { key: string; failures: number; window_start: string; blocked_until: string | null },
) {
  await db
    .insertInto('auth_throttle')
    .values(row)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ failures: row.failures, window_start: row.window_start, blocked_until: row.blocked_until }),
    )
    .execute();
}

export async function clearThrottle(db: Kysely<Database>, key: string) {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}
