import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types shared by SQLite and PostgreSQL. Conventions that hold on both databases:
 * timestamps are ISO-8601 UTC text, dates are `YYYY-MM-DD` text, booleans are 0/1 integers,
 * money is integer fen, JSON is text.
 */
export interface Database {
  orgs: OrgTable;
  users: UserTable;
  sessions: SessionTable;
  auth_throttle: AuthThrottleTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  workers: WorkerTable;
  worker_assignments: WorkerAssignmentTable;
  worker_history: WorkerHistoryTable;
  app_meta: AppMetaTable;
  staffing_standards: StaffingStandardTable;
  labour_contracts: LabourContractTable;
  social_insurance_enrolments: SocialInsuranceEnrolmentTable;
}

export interface OrgTable {
  /** Statistical division code (统计用区划代码): 2/4/6/9/12 digits; the nation root is `CN`. */
  code: string;
  parent_code: string | null;
  /** 0 nation, 1 province, 2 city, 3 district, 4 street/town, 5 community/village. */
  level: number;
  name: string;
  population: number | null;
  households: number | null;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  org_code: string;
  worker_id: number | null;
  must_change_password: number;
  is_disabled: number;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  password_changed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AuthThrottleTable {
  /** `ip:<address>` or `user:<username>`. */
  key: string;
  failures: number;
  window_start: string;
  blocked_until: string | null;
}

export interface AuditLogTable {
  /** Contiguous sequence assigned under the audit_head lock: a gap means a deleted row. */
  seq: number;
  ts: string;
  actor_id: number | null;
  actor_name: string | null;
  actor_role: string | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  org_code: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface WorkerTable {
  id: Generated<number>;
  name: string;
  /** Pinyin initials of the name (`zs` for 张三), for search. */
  name_initials: string | null;
  /** AES-256-GCM ciphertext of the ID number (身份证号). */
  id_number_enc: string;
  /** HMAC-SHA256 blind index of the normalised ID number; unique across the database. */
  id_number_hash: string;
  id_number_masked: string;
  gender: string;
  birth_date: string;
  /** The community (or other org node) the worker belongs to. */
  org_code: string;
  post: string;
  status: string;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  education: string | null;
  political_status: string | null;
  /** Date of first community work (参加社区工作时间). */
  work_start_date: string | null;
  created_at: string;
  updated_at: string;
  former_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** GB/T 3304 two-digit code. */
  ethnicity: ColumnType<string | null, string | null | undefined, string | null>;
  party_join_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** `full_time` or `part_time`. */
  education_mode: ColumnType<string | null, string | null | undefined, string | null>;
  school: ColumnType<string | null, string | null | undefined, string | null>;
  major: ColumnType<string | null, string | null | undefined, string | null>;
  address: ColumnType<string | null, string | null | undefined, string | null>;
  /** Household registration (户籍地). */
  hukou: ColumnType<string | null, string | null | undefined, string | null>;
  emergency_contact_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** AES-256-GCM ciphertext of the emergency contact's phone. */
  emergency_contact_phone_enc: ColumnType<string | null, string | null | undefined, string | null>;
  emergency_contact_phone_masked: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of every post held (一肩挑 holds several); null means just `post`, the primary post. */
  posts: ColumnType<string | null, string | null | undefined, string | null>;
  /** Date of joining the current community. */
  join_community_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** `assistant`, `intermediate` or `senior` (助理社会工作师 / 社会工作师 / 高级社会工作师). */
  qualification_level: ColumnType<string | null, string | null | undefined, string | null>;
  certificate_no: ColumnType<string | null, string | null | undefined, string | null>;
  certificate_date: ColumnType<string | null, string | null | undefined, string | null>;
  probation_end_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** The date the current status took effect. */
  status_date: ColumnType<string | null, string | null | undefined, string | null>;
  status_reason: ColumnType<string | null, string | null | undefined, string | null>;
  leave_type: ColumnType<string | null, string | null | undefined, string | null>;
  leave_end_date: ColumnType<string | null, string | null | undefined, string | null>;
  exit_reason: ColumnType<string | null, string | null | undefined, string | null>;
  exit_date: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Where a worker was placed and when: `from_date` inclusive, `to_date` exclusive (null = current). */
export interface WorkerAssignmentTable {
  id: Generated<number>;
  worker_id: number;
  org_code: string;
  from_date: string;
  to_date: string | null;
  reason: string | null;
  created_at: string;
}

/** One changed field of one worker (create, edit, status change, transfer); personal values masked. */
export interface WorkerHistoryTable {
  id: Generated<number>;
  worker_id: number;
  /** The worker's org when the change was made. */
  org_code: string;
  ts: string;
  actor_id: number | null;
  actor_name: string | null;
  /** `create`, `update`, `status` or `transfer`. */
  action: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
}

export interface AppMetaTable {
  key: string;
  value: string;
  updated_at: string;
}

export type OrgRow = Selectable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type WorkerRow = Selectable<WorkerTable>;
export type NewWorker = Insertable<WorkerTable>;
export type WorkerUpdate = Updateable<WorkerTable>;
export type NewWorkerAssignment = Insertable<WorkerAssignmentTable>;
export type NewWorkerHistory = Insertable<WorkerHistoryTable>;
export type AuditRow = Selectable<AuditLogTable>;

/** A labour contract (劳动合同) between a worker and the street office. */
export interface LabourContractTable {
  id: Generated<number>;
  worker_id: number;
  /** The worker's org at signing (for scope and the expiry index). */
  org_code: string;
  /** `fixed_term`, `open_ended` or `project`. */
  contract_type: string;
  /** The employing party, by default the street office (街道办事处). */
  party_name: string;
  contract_no: string | null;
  start_date: string;
  /** Last day of the term; null for an open-ended contract. */
  end_date: string | null;
  probation_end_date: string | null;
  signed_date: string;
  /** `active`, `renewed`, `terminated` or `expired`. */
  status: string;
  /** The contract this one renews. */
  renewal_of: number | null;
  terminated_date: string | null;
  termination_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** One social insurance or housing fund enrolment (五险一金) of a worker, over a period. */
export interface SocialInsuranceEnrolmentTable {
  id: Generated<number>;
  worker_id: number;
  /** The worker's org when the enrolment was recorded. */
  org_code: string;
  /** `pension`, `medical`, `unemployment`, `injury`, `maternity` or `housing_fund`. */
  kind: string;
  /** Monthly contribution base in fen. */
  contribution_base_fen: number;
  start_date: string;
  /** Last day covered; null while ongoing. */
  end_date: string | null;
  created_at: string;
  updated_at: string;
}

export type LabourContractRow = Selectable<LabourContractTable>;
export type NewLabourContract = Insertable<LabourContractTable>;
export type LabourContractUpdate = Updateable<LabourContractTable>;
export type NewSocialInsuranceEnrolment = Insertable<SocialInsuranceEnrolmentTable>;

/** A region's staffing standard from a date on; the newest version at the nearest ancestor applies. */
export interface StaffingStandardTable {
  id: Generated<number>;
  org_code: string;
  /** Workers per 10,000 resident population. */
  per_10k: number;
  /** Most workers one community may have; null for no cap. */
  community_cap: number | null;
  effective_from: string;
  note: string | null;
  created_at: string;
  created_by: number | null;
}
