import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

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
  app_meta: AppMetaTable;
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
  work_start_date: string | null;
  created_at: string;
  updated_at: string;
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
export type AuditRow = Selectable<AuditLogTable>;
