import type { Role } from '../meta/enums.ts';

/** Everything a role may do; checked by routes, and the UI menu follows it. */
export const PERMISSIONS = [
  'workers:read',
  'workers:write',
  'workers:reveal',
  'users:manage',
  'audit:read',
  'orgs:write',
  'orgs:import',
  'dashboard:read',
  'contracts:read',
  'contracts:write',
  'rules:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // The platform operator manages accounts and the tree, and does not read personal data.
  sys_admin: ['users:manage', 'audit:read', 'orgs:write', 'orgs:import', 'dashboard:read', 'workers:read', 'rules:write'],
  region_admin: [
    'workers:read',
    'workers:reveal',
    'users:manage',
    'audit:read',
    'orgs:write',
    'dashboard:read',
    'rules:write',
    'contracts:read',
  ],
  street_hr: [
    'workers:read',
    'workers:write',
    'workers:reveal',
    'users:manage',
    'orgs:write',
    'dashboard:read',
    'contracts:read',
    'contracts:write',
  ],
  community_lead: ['workers:read', 'workers:write', 'dashboard:read', 'contracts:read'],
  // A worker reads (and reveals) only their own record: their scope is narrowed to it.
  worker: ['workers:read', 'workers:reveal', 'contracts:read'],
  auditor: ['workers:read', 'workers:reveal', 'audit:read', 'dashboard:read', 'contracts:read'],
};

/** Roles a holder of `users:manage` may give to others. */
export const ASSIGNABLE_ROLES: Record<Role, readonly Role[]> = {
  sys_admin: ['sys_admin', 'region_admin', 'street_hr', 'community_lead', 'worker', 'auditor'],
  region_admin: ['region_admin', 'street_hr', 'community_lead', 'worker', 'auditor'],
  street_hr: ['community_lead', 'worker'],
  community_lead: [],
  worker: [],
  auditor: [],
};

/** The org levels a role may be bound to (0 nation … 5 community). */
export const ROLE_ORG_LEVELS: Record<Role, readonly number[]> = {
  sys_admin: [0, 1, 2, 3],
  region_admin: [0, 1, 2, 3],
  street_hr: [4],
  community_lead: [5],
  worker: [5],
  auditor: [0, 1, 2, 3, 4],
};

export function hasPermission(role: string, permission: Permission): boolean {
  return (ROLE_PERMISSIONS[role as Role] ?? []).includes(permission);
}
