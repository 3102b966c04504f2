import type { OpContext } from '../../context.ts';
import { AppError, isUniqueViolation } from '../../lib/errors.ts';
import { generatePassword, hashPassword } from '../../lib/password.ts';
import { isCodeInScope } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { assertPasswordPolicy } from '../auth/auth.service.ts';
import { deleteUserSessions } from '../auth/auth.repo.ts';
import { ASSIGNABLE_ROLES, ROLE_ORG_LEVELS } from '../auth/roles.ts';
import { ROLES, type Role } from '../meta/enums.ts';
import { findOrgInScope } from '../orgs/orgs.service.ts';
import * as repo from './users.repo.ts';
import type { TUser, TUserCreate, TUserListQuery, TUserUpdate } from './users.schema.ts';

type Row = NonNullable<Awaited<ReturnType<typeof repo.getUserInScope>>>;

export function presentUser(r: Row): TUser {
  return {
    id: Number(r.id),
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    orgCode: r.org_code,
    orgName: r.org_name,
    isDisabled: r.is_disabled === 1,
    mustChangePassword: r.must_change_password === 1,
    lockedUntil: r.locked_until && r.locked_until > nowIso() ? r.locked_until : null,
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
  };
}

function roleLabel(role: string) {
  return ROLES.find((r) => r.code === role)?.label ?? role;
}

/** The actor may give `role` to an account bound to `orgCode`: in scope, assignable, right org level. */
async function assertAssignable(ctx: OpContext, role: Role, orgCode: string) {
  const actorRole = ctx.actor?.role;
  if (actorRole && !ASSIGNABLE_ROLES[actorRole].includes(role)) {
    throw new AppError('FORBIDDEN', { message: `您无权分配“${roleLabel(role)}”角色`, messageEn: `You may not assign the role ${role}` });
  }
  const org = await findOrgInScope(ctx, orgCode);
  if (!org) {
    throw new AppError('VALIDATION_FAILED', {
      message: '所属组织：不存在或不在您的管辖范围内',
      messageEn: 'orgCode: not found in your scope',
      details: { issues: [{ field: 'orgCode', message: '所属组织不存在或不在您的管辖范围内' }] },
    });
  }
  if (!ROLE_ORG_LEVELS[role].includes(org.level)) {
    throw new AppError('VALIDATION_FAILED', {
      message: `所属组织：“${roleLabel(role)}”不能设在该层级的组织上`,
      messageEn: `orgCode: the role ${role} cannot be bound to an org of this level`,
      details: { issues: [{ field: 'orgCode', message: `“${roleLabel(role)}”不能设在该层级的组织上` }] },
    });
  }
}

export async function findUsers(ctx: OpContext, query: TUserListQuery) {
  let orgLevel: number | undefined;
  if (query.orgCode) {
    const org = await findOrgInScope(ctx, query.orgCode);
    if (!org) return { items: [], total: 0 };
    orgLevel = org.level;
  }
  const { items, total } = await repo.findUsers(
    ctx.deps.db.kysely,
    ctx.scope,
    { orgCode: query.orgCode, orgLevel, q: query.q, role: query.role },
    query.pageSize,
    (query.page - 1) * query.pageSize,
  );
  return { items: items.map(presentUser), total };
}

export async function getUser(ctx: OpContext, id: number): Promise<TUser> {
  const row = await repo.getUserInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return presentUser(row);
}

/**
 * Creates an account. Without a password a random one is generated and returned once; either
 * way the user must change it at first sign-in.
 */
export async function createUser(ctx: OpContext, input: TUserCreate & { workerId?: number | null; mustChangePassword?: boolean }) {
  await assertAssignable(ctx, input.role, input.orgCode);
  const temporaryPassword = input.password ?? generatePassword();
  assertPasswordPolicy(temporaryPassword, input.username);
  const hash = await hashPassword(temporaryPassword);
  const now = nowIso();
  const db = ctx.deps.db.kysely;
  let id: number;
  try {
    id = await db.transaction().execute(async (trx) => {
      const newId = await repo.insertUser(trx, {
        username: input.username,
        display_name: input.displayName,
        password_hash: hash,
        role: input.role,
        org_code: input.orgCode,
        worker_id: input.workerId ?? null,
        must_change_password: input.mustChangePassword === false ? 0 : 1,
        is_disabled: 0,
        failed_logins: 0,
        created_at: now,
        updated_at: now,
      });
      await appendAudit(trx, ctx, {
        action: 'user.create',
        entityType: 'user',
        entityId: newId,
        orgCode: input.orgCode,
        after: { username: input.username, displayName: input.displayName, role: input.role, orgCode: input.orgCode },
      });
      return newId;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('DUPLICATE_USERNAME', { details: { issues: [{ field: 'username', message: '用户名已存在' }] } });
    }
    throw err;
  }
  return { user: await getUser(ctx, id), temporaryPassword: input.password ? undefined : temporaryPassword };
}

/** Changes name, role, org or the disabled flag; role and org changes are permission changes, audited as such. */
export async function updateUser(ctx: OpContext, id: number, patch: TUserUpdate): Promise<TUser> {
  const db = ctx.deps.db.kysely;
  const current = await repo.getUserInScope(db, ctx.scope, id);
  if (!current) throw AppError.notFound();
  const actorRole = ctx.actor?.role;
  if (actorRole && !ASSIGNABLE_ROLES[actorRole].includes(current.role as Role)) {
    throw new AppError('FORBIDDEN', {
      message: `您无权修改“${roleLabel(current.role)}”账号`,
      messageEn: 'You may not modify this account',
    });
  }
  if (ctx.actor?.id === id && (patch.role !== undefined || patch.isDisabled === true || patch.orgCode !== undefined)) {
    throw new AppError('FORBIDDEN', {
      message: '不能修改自己的角色、组织或停用自己',
      messageEn: 'You cannot change your own role, org or disable yourself',
    });
  }
  const role = (patch.role ?? current.role) as Role;
  const orgCode = patch.orgCode ?? current.org_code;
  if (patch.role !== undefined || patch.orgCode !== undefined) await assertAssignable(ctx, role, orgCode);
  if (!isCodeInScope(orgCode, ctx.scope)) throw AppError.notFound();

  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set: Record<string, unknown> = {};
  const compare = (key: string, col: string, oldV: unknown, newV: unknown, dbV: unknown = newV) => {
    if (newV !== undefined && newV !== oldV) {
      before[key] = oldV;
      after[key] = newV;
      set[col] = dbV;
    }
  };
  compare('displayName', 'display_name', current.display_name, patch.displayName);
  compare('role', 'role', current.role, patch.role);
  compare('orgCode', 'org_code', current.org_code, patch.orgCode);
  compare('isDisabled', 'is_disabled', current.is_disabled === 1, patch.isDisabled, patch.isDisabled ? 1 : 0);
  if (Object.keys(set).length === 0) return presentUser(current);
  const isPermissionChange = 'role' in after || 'orgCode' in after || 'isDisabled' in after;
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, id, { ...set, updated_at: nowIso() });
    // A permission change takes effect at once: the user's sessions end.
    if (isPermissionChange) await deleteUserSessions(trx, id);
    await appendAudit(trx, ctx, {
      action: isPermissionChange ? 'user.permission_change' : 'user.update',
      entityType: 'user',
      entityId: id,
      orgCode,
      before,
      after,
    });
  });
  return getUser(ctx, id);
}

/** Sets a new random password that must be changed at next sign-in; ends the user's sessions and lifts a lock. */
export async function resetUserPassword(ctx: OpContext, id: number): Promise<{ temporaryPassword: string }> {
  const db = ctx.deps.db.kysely;
  const current = await repo.getUserInScope(db, ctx.scope, id);
  if (!current) throw AppError.notFound();
  const actorRole = ctx.actor?.role;
  if (actorRole && !ASSIGNABLE_ROLES[actorRole].includes(current.role as Role)) {
    throw new AppError('FORBIDDEN', {
      message: `您无权重置“${roleLabel(current.role)}”账号的密码`,
      messageEn: 'You may not reset this password',
    });
  }
  const temporaryPassword = generatePassword();
  const hash = await hashPassword(temporaryPassword);
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, id, {
      password_hash: hash,
      must_change_password: 1,
      failed_logins: 0,
      locked_until: null,
      updated_at: nowIso(),
    });
    await deleteUserSessions(trx, id);
    await appendAudit(trx, ctx, { action: 'user.password_reset', entityType: 'user', entityId: id, orgCode: current.org_code });
  });
  return { temporaryPassword };
}
