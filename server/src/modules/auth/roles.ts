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
  /** File correction requests on one's own record (and withdraw them). */
  'corrections:request',
  /** Approve or reject correction requests (applies them to the record). */
  'corrections:review',
  /** Read grades, grade runs and assessment results (a worker: their own). */
  'grades:read',
  /** Create grading / promotion runs and enter assessment results. */
  'grades:write',
  /** Approve (apply) or cancel a grading / promotion run. */
  'grades:approve',
  /** Read payroll runs, their slips, exports and the pay-floor report in scope. */
  'payroll:read',
  /** Create and compute payroll runs; enter monthly pay inputs. */
  'payroll:write',
  /** Approve a computed payroll run and mark it paid. */
  'payroll:approve',
  /** Open single pay slips: staff within scope, a worker only their own (self-service). */
  'payslips:read',
  /** Read assessment cycles, ballot turnout and results in scope (a worker: their own result). */
  'assessment:read',
  /** Open assessment cycles for a region, compute, give the region's approval and finalise. */
  'assessment:manage',
  /** Fill scoring sheets (street office, community lead; a worker rates peers of the same community). */
  'assessment:score',
  /** Run residents' ballots: choose the mode, issue codes, open and close; enter vetoes, answer appeals. */
  'assessment:ballots',
  /** Approve a community's or a street's results on the way up the tree. */
  'assessment:approve',
  /** Appeal one's own result during publicity. */
  'assessment:appeal',
  /** Run exit proposals and move exit cases through their steps. */
  'exits:manage',
  /** Read exit cases and exit rules in scope. */
  'exits:read',
  /** Read the disciplinary sanction register in scope (a worker: their own sanctions). */
  'sanctions:read',
  /** Record sanctions in the register and revoke them. */
  'sanctions:write',
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
    'grades:read',
    'grades:approve',
    'payroll:read',
    'payroll:approve',
    'payslips:read',
    'assessment:read',
    'assessment:manage',
    'assessment:approve',
    'exits:read',
    'sanctions:read',
    'sanctions:write',
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
    'corrections:review',
    'grades:read',
    'grades:write',
    'grades:approve',
    'payroll:read',
    'payroll:write',
    'payroll:approve',
    'payslips:read',
    'assessment:read',
    'assessment:score',
    'assessment:ballots',
    'assessment:approve',
    'exits:read',
    'exits:manage',
    'sanctions:read',
    'sanctions:write',
  ],
  // Community leads see their community's correction requests (through workers:read) but do not
  // decide them: the street office, which holds the labour contract, owns the record.
  community_lead: [
    'workers:read',
    'workers:write',
    'dashboard:read',
    'contracts:read',
    'grades:read',
    'assessment:read',
    'assessment:score',
    'assessment:approve',
  ],
  // A worker reads (and reveals) only their own record: their scope is narrowed to it.
  worker: [
    'workers:read',
    'workers:reveal',
    'contracts:read',
    'corrections:request',
    'grades:read',
    'payslips:read',
    'assessment:read',
    'assessment:score',
    'assessment:appeal',
    'sanctions:read',
  ],
  auditor: [
    'workers:read',
    'workers:reveal',
    'audit:read',
    'dashboard:read',
    'contracts:read',
    'grades:read',
    'payroll:read',
    'payslips:read',
    'assessment:read',
    'exits:read',
    'sanctions:read',
  ],
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
