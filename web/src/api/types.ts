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
  /** The worker's own record (role `worker`). */
  workerId?: number | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** Lists stop counting at a cap: `total` is then a lower bound. */
  totalCapped?: boolean;
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
  ethnicities: EnumItem[];
  educationModes: EnumItem[];
  qualificationLevels: EnumItem[];
  leaveTypes: EnumItem[];
  exitReasons: EnumItem[];
  contractTypes: EnumItem[];
  contractStatuses: EnumItem[];
  insuranceKinds: EnumItem[];
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
  /** The primary post. */
  post: string;
  /** Every post held, the primary included. */
  posts: string[];
  postCategory: string;
  /** 一肩挑: party secretary and committee director at once. */
  isConcurrent: boolean;
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
  formerName: string | null;
  ethnicity: string | null;
  partyJoinDate: string | null;
  educationMode: string | null;
  school: string | null;
  major: string | null;
  address: string | null;
  hukou: string | null;
  emergencyContactName: string | null;
  emergencyContactPhoneMasked: string | null;
  joinCommunityDate: string | null;
  qualificationLevel: string | null;
  certificateNo: string | null;
  certificateDate: string | null;
  probationEndDate: string | null;
  statusDate: string | null;
  statusReason: string | null;
  leaveType: string | null;
  leaveEndDate: string | null;
  exitReason: string | null;
  exitDate: string | null;
}

/** Optional record fields shared by create and update; null clears a field on update. */
export interface WorkerRecordFields {
  phone?: string | null;
  education?: string | null;
  politicalStatus?: string | null;
  workStartDate?: string | null;
  posts?: string[];
  formerName?: string | null;
  ethnicity?: string | null;
  partyJoinDate?: string | null;
  educationMode?: string | null;
  school?: string | null;
  major?: string | null;
  address?: string | null;
  hukou?: string | null;
  emergencyContactName?: string | null;
  emergencyContactPhone?: string | null;
  joinCommunityDate?: string | null;
  qualificationLevel?: string | null;
  certificateNo?: string | null;
  certificateDate?: string | null;
}

export interface WorkerInput extends WorkerRecordFields {
  name: string;
  idNumber: string;
  orgCode: string;
  post?: string;
  status?: string;
}

export interface WorkerPatch extends WorkerRecordFields {
  name?: string;
  idNumber?: string;
  orgCode?: string;
  post?: string;
  /** Only probation → active (转正); other changes go through the status endpoint. */
  status?: string;
}

export interface WorkerStatusChange {
  status: string;
  effectiveDate: string;
  reason?: string | null;
  leaveType?: string;
  leaveEndDate?: string | null;
  exitReason?: string;
  reinstate?: boolean;
}

export interface WorkerTransfer {
  toOrgCode: string;
  effectiveDate: string;
  reason?: string | null;
}

export interface WorkerAssignment {
  orgCode: string;
  orgName: string;
  /** Inclusive. */
  fromDate: string;
  /** Exclusive; null for the current placement. */
  toDate: string | null;
  reason: string | null;
}

export interface WorkerHistoryEntry {
  id: number;
  ts: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  orgCode: string;
}

export interface StaffingRule {
  id: number;
  orgCode: string;
  per10k: number;
  communityCap: number | null;
  effectiveFrom: string;
  note: string | null;
  createdAt: string;
}

export interface StaffingStandardView {
  effective: EffectiveStandard;
  versions: StaffingRule[];
}

export interface StaffingStandardInput {
  per10k: number;
  communityCap?: number | null;
  effectiveFrom: string;
  note?: string | null;
}

export interface WorkerQuery {
  page?: number;
  pageSize?: number;
  orgCode?: string;
  q?: string;
  status?: string;
  post?: string;
  education?: string;
  politicalStatus?: string;
  qualificationLevel?: string;
  ageMin?: number;
  ageMax?: number;
  /** `1`: only workers on the roll, as the home charts count them. */
  onRoll?: '1';
  sort?: 'orgCode' | 'name' | 'birthDate' | 'workStartDate' | 'joinCommunityDate';
  order?: 'asc' | 'desc';
}

export interface RevealResult {
  idNumber?: string;
  phone?: string | null;
  emergencyContactPhone?: string | null;
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
  standardPer10k: number;
  standardHeadcount: number | null;
  ratioPer10k: number | null;
}

/** The staffing standard in force and the rule it comes from. */
export interface EffectiveStandard {
  per10k: number;
  communityCap: number | null;
  source: 'default' | 'rule';
  orgCode: string | null;
  orgName: string | null;
  effectiveFrom: string | null;
  ruleId: number | null;
}

export interface DashboardSummary {
  org: Org;
  headcount: number;
  population: number | null;
  households: number | null;
  standardPer10k: number;
  standard: EffectiveStandard;
  standardHeadcount: number | null;
  ratioPer10k: number | null;
  byStatus: CodeCount[];
  byPost: CodeCount[];
  /** Derived from byPost: principal / deputy / staff. */
  byPostCategory: CodeCount[];
  byEducation: CodeCount[];
  byPoliticalStatus: CodeCount[];
  /** Qualification level; 'none' for workers without one. */
  byQualification: CodeCount[];
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

export interface Contract {
  id: number;
  workerId: number;
  /** The worker's org at signing. */
  orgCode: string;
  contractType: string;
  partyName: string;
  contractNo: string | null;
  startDate: string;
  endDate: string | null;
  probationEndDate: string | null;
  signedDate: string;
  status: string;
  renewalOf: number | null;
  terminatedDate: string | null;
  terminationReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContractTerms {
  endDate?: string | null;
  probationEndDate?: string | null;
  signedDate?: string;
  contractNo?: string | null;
  partyName?: string;
}

export interface ContractSign extends ContractTerms {
  contractType: string;
  startDate: string;
}

export interface ContractRenew extends ContractTerms {
  contractType?: string;
  startDate?: string;
}

export interface Enrolment {
  id: number;
  workerId: number;
  kind: string;
  contributionBaseFen: number;
  startDate: string;
  endDate: string | null;
}

export interface EnrolmentInput {
  kind: string;
  contributionBaseFen: number;
  startDate: string;
  endDate?: string | null;
}

export interface ContractAlert {
  kind: string;
  workerId: number;
  workerName: string;
  orgCode: string;
  orgName: string;
  dueDate?: string;
  detail: string;
}

export type CorrectionStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** One field of a correction request; phone numbers masked. */
export interface CorrectionChange {
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

/** A worker's request to correct their own record (GET /corrections). */
export interface Correction {
  id: number;
  workerId: number;
  workerName: string;
  orgCode: string;
  orgName: string | null;
  status: CorrectionStatus;
  changes: CorrectionChange[];
  reason: string;
  requesterName: string | null;
  reviewerName: string | null;
  reviewReason: string | null;
  createdAt: string;
  reviewedAt: string | null;
}

export interface CorrectionInput {
  changes: Record<string, string | null>;
  reason: string;
}

export interface CorrectionQuery {
  status?: CorrectionStatus;
  orgCode?: string;
  page?: number;
  pageSize?: number;
}
