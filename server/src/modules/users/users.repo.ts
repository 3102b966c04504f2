import type { Kysely } from 'kysely';
import type { Database, NewUser, UserUpdate } from '../../db/schema.ts';
import { codeInSubtree, inScope, type Scope } from '../../lib/scope.ts';

const USER_COLUMNS = [
  'users.id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.org_code',
  'users.worker_id',
  'users.is_disabled',
  'users.must_change_password',
  'users.locked_until',
  'users.last_login_at',
  'users.created_at',
  'orgs.name as org_name',
  'orgs.level as org_level',
] as const;

export interface UserFilters {
  orgCode?: string | undefined;
  orgLevel?: number | undefined;
  q?: string | undefined;
  role?: string | undefined;
}

export async function findUsers(db: Kysely<Database>, scope: Scope, f: UserFilters, limit: number, offset: number) {
  let q = db.selectFrom('users').innerJoin('orgs', 'orgs.code', 'users.org_code').where(inScope('users.org_code', scope));
  if (f.orgCode && f.orgLevel !== undefined) q = q.where(codeInSubtree('users.org_code', f.orgCode, f.orgLevel));
  if (f.role) q = q.where('users.role', '=', f.role);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('users.username', 'like', like), eb('users.display_name', 'like', like)]));
  }
  const [items, count] = await Promise.all([
    q.select(USER_COLUMNS).orderBy('users.org_code').orderBy('users.id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export function getUserInScope(db: Kysely<Database>, scope: Scope, id: number) {
  return db
    .selectFrom('users')
    .innerJoin('orgs', 'orgs.code', 'users.org_code')
    .select(USER_COLUMNS)
    .where('users.id', '=', id)
    .where(inScope('users.org_code', scope))
    .executeTakeFirst();
}

export async function insertUser(db: Kysely<Database>, row: NewUser): Promise<number> {
  const r = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateUser(db: Kysely<Database>, id: number, patch: UserUpdate) {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

export function getUserByUsernameUnscoped(db: Kysely<Database>, username: string) {
  return db.selectFrom('users').select(['id', 'username', 'org_code']).where('username', '=', username).executeTakeFirst();
}
