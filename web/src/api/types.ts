/** Shapes of the foundation API (docs/api-foundation.md). */

export type Role = 'sys_admin' | 'region_admin' | 'street_hr' | 'community_lead' | 'worker' | 'auditor';

export type Permission =
  'workers:read' | 'workers:write' | 'workers:reveal' | 'users:manage' | 'audit:read' | 'orgs:write' | 'orgs:import' | 'dashboard:read';

export interface Me {
  id: string | number;
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
  orgName: string;
  mustChangePassword: boolean;
  permissions: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface EnumItem {
  code: string;
  label: string;
  labelEn: string;
  category?: string;
}

export interface Enums {
  roles: EnumItem[];
  posts: EnumItem[];
  postCategories: EnumItem[];
  statuses: EnumItem[];
  educations: EnumItem[];
  politicalStatuses: EnumItem[];
  genders: EnumItem[];
  orgLevels: EnumItem[];
}

export type EnumKind = keyof Enums;

export interface OrgRef {
  code: string;
  name: string;
}

export interface Org {
  code: string;
  name: string;
  /** 0 nation, 1 province, 2 city, 3 district, 4 street, 5 community */
  level: number;
  parentCode: string | null;
  population: number | null;
  households: number | null;
  hasChildren: boolean;
  /** Ancestors from the top, excluding the org itself. */
  path: OrgRef[];
}

export interface OrgPatch {
  name?: string;
  population?: number | null;
  households?: number | null;
}

export type Gender = 'M' | 'F';

export interface WorkerSummary {
  id: string | number;
  name: string;
  idNumberMasked: string;
  gender: Gender;
  birthDate: string;
  age: number;
  orgCode: string;
  orgName: string;
  post: string;
  postCategory: string;
  status: string;
  education: string | null;
  phoneMasked: string | null;
}

export interface Worker extends WorkerSummary {
  streetCode: string | null;
  streetName: string | null;
  politicalStatus: string | null;
  workStartDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WorkerInput {
  name: string;
  idNumber: string;
  orgCode: string;
  post: string;
  status?: string;
  phone?: string;
  education?: string;
  politicalStatus?: string;
  workStartDate?: string;
}

export type WorkerPatch = Partial<WorkerInput>;

export interface WorkerQuery {
  page?: number;
  pageSize?: number;
  orgCode?: string;
  q?: string;
  status?: string;
  post?: string;
}

export interface RevealResult {
  idNumber?: string;
  phone?: string | null;
}

export interface CodeCount {
  code: string;
  count: number;
}

export interface DashboardChild {
  code: string;
  name: string;
  headcount: number;
  population: number | null;
  standardHeadcount: number | null;
  ratioPer10k: number | null;
}

export interface DashboardSummary {
  org: Org;
  headcount: number;
  population: number | null;
  households: number | null;
  standardPer10k: number;
  standardHeadcount: number | null;
  ratioPer10k: number | null;
  byStatus: CodeCount[];
  byPost: CodeCount[];
  byEducation: CodeCount[];
  byAgeBand: { band: string; count: number }[];
  children: DashboardChild[];
}

export interface AuditEntry {
  seq: number;
  ts: string;
  actorId: string | number | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  orgCode: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditQuery {
  page?: number;
  pageSize?: number;
  action?: string;
  actor?: string;
  entityType?: string;
  from?: string;
  to?: string;
  orgCode?: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
  reason?: string;
}

export interface User {
  id: string | number;
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
  orgName: string;
  isDisabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserQuery {
  page?: number;
  pageSize?: number;
  orgCode?: string;
  q?: string;
  role?: string;
}

export interface UserInput {
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
  password?: string;
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  orgCode?: string;
  isDisabled?: boolean;
}
