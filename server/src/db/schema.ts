import type { STAGED_CREATE_COLUMNS_2026120701 } from './migrations/2026120701_import_typed_staging.ts';
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
  import_jobs: ImportJobTable;
  import_issues: ImportIssueTable;
  worker_import_rows: WorkerImportRowTable;
  correction_requests: CorrectionRequestTable;
  grade_schemes: GradeSchemeTable;
  worker_grades: WorkerGradeTable;
  assessment_results: AssessmentResultTable;
  assessment_cycles: AssessmentCycleTable;
  assessment_participants: AssessmentParticipantTable;
  assessment_communities: AssessmentCommunityTable;
  assessment_approvals: AssessmentApprovalTable;
  assessment_sheets: AssessmentSheetTable;
  assessment_ballot_codes: AssessmentBallotCodeTable;
  assessment_ballot_devices: AssessmentBallotDeviceTable;
  assessment_ballot_ip_counts: AssessmentBallotIpCountTable;
  assessment_ballots: AssessmentBallotTable;
  assessment_ballot_ratings: AssessmentBallotRatingTable;
  assessment_cycle_results: AssessmentCycleResultTable;
  assessment_appeals: AssessmentAppealTable;
  assessment_honours: AssessmentHonourTable;
  assessment_honour_members: AssessmentHonourMemberTable;
  exit_rule_sets: ExitRuleSetTable;
  exit_cases: ExitCaseTable;
  exit_case_events: ExitCaseEventTable;
  worker_sanctions: WorkerSanctionTable;
  grade_runs: GradeRunTable;
  grade_run_items: GradeRunItemTable;
  pay_tables: PayTableTable;
  insurance_rules: InsuranceRuleTable;
  wage_floors: WageFloorTable;
  pay_inputs: PayInputTable;
  payroll_runs: PayrollRunTable;
  /** A view over `payslip_entries` + `payslip_classes` (+ the run's time): read it, write the tables. */
  payslips: PayslipTable;
  payslip_entries: PayslipEntryTable;
  payroll_run_keys: PayrollRunKeyTable;
  payroll_worker_state: PayrollWorkerStateTable;
  payslip_classes: PayslipClassTable;
  payslip_line_sets: PayslipLineSetTable;
  payslip_errors: PayslipErrorTable;
  payroll_tax_openings: PayrollTaxOpeningTable;
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

/** A worker's request to correct fields of their own record, approved or rejected by the street office. */
export interface CorrectionRequestTable {
  id: Generated<number>;
  worker_id: number;
  /** The worker's org when the request was filed (for scope and the pending-queue index). */
  org_code: string;
  /** The worker's name when the request was filed, for the queue. */
  worker_name: string;
  /** `pending`, `approved`, `rejected` or `withdrawn`. */
  status: string;
  /** JSON `[{field, old, new, newEnc?, oldCheck?}]`; phone numbers masked, the new one encrypted in `newEnc`. */
  changes_json: string;
  /** The worker's explanation. */
  reason: string;
  requester_user_id: number | null;
  requester_name: string | null;
  reviewer_user_id: number | null;
  reviewer_name: string | null;
  /** Required when rejected. */
  review_reason: string | null;
  created_at: string;
  /** When it was approved, rejected or withdrawn. */
  reviewed_at: string | null;
}

export type CorrectionRequestRow = Selectable<CorrectionRequestTable>;
export type NewCorrectionRequest = Insertable<CorrectionRequestTable>;
export type CorrectionRequestUpdate = Updateable<CorrectionRequestTable>;

/** A spreadsheet import (upload → dry run → commit), run as a background job. */
export interface ImportJobTable {
  id: Generated<number>;
  /** What is imported: `workers`. */
  kind: string;
  /** The org the import is for: rows must land in its subtree; scope filters by it. */
  org_code: string;
  created_by: number | null;
  created_by_name: string | null;
  /** `validating`, `validated`, `invalid`, `committing`, `committed`, `failed`, `cancelled`. */
  status: string;
  /** What the job is doing right now (`reading`, `checking`, `writing`), for the progress bar. */
  phase: string | null;
  file_name: string;
  file_size: number;
  file_sha256: string;
  /** `xlsx` or `csv`, by the file's bytes. */
  file_kind: string | null;
  /** Where the upload is kept (mode 0600) until the job is committed, cancelled or expires. */
  stored_path: string | null;
  /** JSON list of the workbook's sheets. */
  sheets: string | null;
  sheet_name: string | null;
  update_existing: Generated<number>;
  /** JSON: the detected header (row, columns, unknown columns). */
  header: string | null;
  progress_done: Generated<number>;
  progress_total: number | null;
  total_rows: Generated<number>;
  error_rows: Generated<number>;
  error_count: Generated<number>;
  warning_count: Generated<number>;
  create_count: Generated<number>;
  update_count: Generated<number>;
  unchanged_count: Generated<number>;
  skip_count: Generated<number>;
  /** JSON `{code, message, details}` of a whole-file refusal or a failed commit. */
  error: string | null;
  created_at: string;
  updated_at: string;
  validated_at: string | null;
  committed_at: string | null;
}

/** A row-level problem found by an import's dry run. */
export interface ImportIssueTable {
  id: Generated<number>;
  job_id: number;
  row_number: number;
  /** Canonical column key, or null for the row as a whole. */
  field: string | null;
  /** `error` (blocks the commit) or `warning` (the row is skipped or the note is informational). */
  severity: string;
  /** Full Chinese message, e.g. "身份证号：校验位错误". */
  message: string;
}

/** A validated row waiting for its import's commit; personal data already encrypted. */
/** The worker columns a staged create holds (added by migration 2026120701), named as in `workers`. */
export type StagedCreateColumn = (typeof STAGED_CREATE_COLUMNS_2026120701)[number];

export type StagedCreateColumns = { [K in StagedCreateColumn]: ColumnType<string | null, string | null | undefined, string | null> };

export interface WorkerImportRowTable extends StagedCreateColumns {
  id: Generated<number>;
  job_id: number;
  row_number: number;
  /** `create`, `update`, `unchanged` or `skip`. */
  action: string;
  worker_id: number | null;
  id_number_hash: string;
  /** For updates: the record's `updated_at` when validated; the commit refuses if it has changed. */
  expected_updated_at: string | null;
  /** JSON `{set, before, after}` (update, skip, unchanged); '' for a create, whose worker columns are staged in their own columns. */
  payload: string;
}

export type ImportJobRow = Selectable<ImportJobTable>;
export type NewImportIssue = Insertable<ImportIssueTable>;
export type NewWorkerImportRow = Insertable<WorkerImportRowTable>;

/** A version of a region's grade scheme (岗位等级序列); `rules` is the JSON of a `GradeScheme`. */
export interface GradeSchemeTable {
  id: Generated<number>;
  /** The org code the scheme applies under (longest prefix wins); `CN` is the national default. */
  region_code: string;
  scheme_key: string;
  /** `YYYY-MM-DD`; the latest version not after a date is in force on it. */
  effective_from: string;
  rules: string;
  created_by: number | null;
  created_at: string;
}

/** One grade of a worker's history; exactly one row per worker has `is_current = 1`. */
export interface WorkerGradeTable {
  id: Generated<number>;
  worker_id: number;
  /** The worker's org when the grade was set, for scope. */
  org_code: string;
  scheme_id: number;
  band: string;
  level: number;
  effective_date: string;
  /** The date promotion counts from (initial grading or the last step). */
  last_step_date: string;
  early_steps_used: number;
  /** `initial`, `promotion`, `reband` or `manual`. */
  source: string;
  run_id: number | null;
  /** JSON of the rule explanation, including `textZh`. */
  explanation: string;
  is_current: number;
  created_by: number | null;
  created_at: string;
}

/** A worker's annual assessment result (年度考核等次), one per year. */
export interface AssessmentResultTable {
  id: Generated<number>;
  worker_id: number;
  org_code: string;
  year: number;
  /** `excellent`, `competent`, `basically_competent` or `incompetent`. */
  result: string;
  /** `manual`, `import` or `cycle` (final: written when an assessment cycle is finalised). */
  source: string;
  cycle_id: number | null;
  note: string | null;
  recorded_by: number | null;
  created_at: string;
  updated_at: string;
}

/** A grading or promotion run over an org subtree: previewed, approved (and applied) or cancelled. */
export interface GradeRunTable {
  id: Generated<number>;
  org_code: string;
  /** `initial` or `promotion`. */
  kind: string;
  run_year: number | null;
  /** `computing`, `previewed`, `applying`, `applied`, `failed` or `cancelled` (`approved` in old rows). */
  status: string;
  /** JSON `{total, step, early_step, initial, none, error}`. */
  counts: string;
  created_by: number | null;
  approved_by: number | null;
  created_at: string;
  approved_at: string | null;
  applied_at: string | null;
  /** Where a chunked computation stopped: the last (org code, worker id) done (null when not computing). */
  cursor_org_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** Computing: the last worker id done with `cursor_org_code`; applying: the last worker id applied. */
  cursor_worker_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Why the run stopped (a failed computation, an interrupted approval). */
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One worker's computed outcome in a run. */
export interface GradeRunItemTable {
  id: Generated<number>;
  run_id: number;
  worker_id: number;
  org_code: string;
  from_band: string | null;
  from_level: number | null;
  to_band: string | null;
  to_level: number | null;
  /** `initial`, `step`, `early_step`, `none` or `error`. */
  change: string;
  explanation: string | null;
  error: string | null;
}

export type WorkerGradeRow = Selectable<WorkerGradeTable>;
export type NewWorkerGrade = Insertable<WorkerGradeTable>;
export type AssessmentResultRow = Selectable<AssessmentResultTable>;
export type GradeRunRow = Selectable<GradeRunTable>;
export type NewGradeRunItem = Insertable<GradeRunItemTable>;

/** A pay table version (工资标准表) of a region and grade scheme: `ZPayTable` JSON. */
export interface PayTableTable {
  id: Generated<number>;
  /** Division code the table applies to (the most specific region wins); `CN` for national. */
  region_code: string;
  scheme_key: string;
  effective_from: string;
  rules: string;
  is_demo: number;
  created_by: number | null;
  created_at: string;
}

/** A 五险一金 rule version of a region: `ZInsuranceRule` JSON. */
export interface InsuranceRuleTable {
  id: Generated<number>;
  region_code: string;
  effective_from: string;
  rules: string;
  is_demo: number;
  created_by: number | null;
  created_at: string;
}

/** The local average annual wage of urban employees of a statistical year (the pay floor of the next year). */
export interface WageFloorTable {
  id: Generated<number>;
  region_code: string;
  year: number;
  average_annual_wage_fen: number;
  is_demo: number;
  source: string | null;
  created_by: number | null;
  created_at: string;
}

/** A monthly pay input of one worker: allowance, deduction, special additional deduction. */
export interface PayInputTable {
  id: Generated<number>;
  worker_id: number;
  org_code: string;
  /** `YYYY-MM`. */
  month: string;
  /** `allowance`, `tax_free_allowance`, `pre_tax_deduction`, `post_tax_deduction`, `special_deduction`, `other_tax_deduction`. */
  kind: string;
  code: string;
  name: string;
  amount_fen: number;
  note: string | null;
  created_by: number | null;
  created_at: string;
}

/** A monthly payroll run of an org node: `draft`, `computing`, `computed`, `approved`, `paid`, `failed`. */
export interface PayrollRunTable {
  id: Generated<number>;
  org_code: string;
  month: string;
  status: string;
  phase: string | null;
  cursor_worker_id: Generated<number>;
  progress_done: Generated<number>;
  progress_total: number | null;
  slip_count: Generated<number>;
  error_count: Generated<number>;
  gross_fen: Generated<number>;
  employee_insurance_fen: Generated<number>;
  employer_insurance_fen: Generated<number>;
  tax_fen: Generated<number>;
  net_fen: Generated<number>;
  /** JSON: the rule versions the run used (pay tables, insurance rules, tax rule). */
  rules_used: string | null;
  /** The month's pay inputs in the subtree when the computation started (see `payInputsFingerprint`). */
  inputs_fingerprint: string | null;
  is_demo: Generated<number>;
  error: string | null;
  created_by: number | null;
  created_by_name: string | null;
  computed_by: number | null;
  approved_by: number | null;
  approved_by_name: string | null;
  paid_by: number | null;
  created_at: string;
  updated_at: string;
  computed_at: string | null;
  approved_at: string | null;
  paid_at: string | null;
}

/** One worker's slip in a run; immutable once `is_final` (its run approved). */
/** The `payslips` view: a slip as readers see it (an entry with its outcome's fields). Read-only. */
export interface PayslipTable extends Omit<PayslipClassTable, 'id' | 'hash'> {
  id: number;
  run_id: number;
  worker_id: number;
  org_code: string;
  month: string;
  is_final: number;
  class_id: number;
  /** When the run was computed. */
  created_at: string;
}

/**
 * A computing run's scratch map from a slip's inputs, as the keyed insert reads them in SQL, to the
 * outcome (class) computed for them (see migration 2026120702).
 */
export interface PayrollRunKeyTable {
  run_id: number;
  rules_id: number;
  band: string;
  grade_key: number;
  base_fen: number;
  prior: number;
  class_id: number;
}

/**
 * Per-worker payroll state kept by triggers (migration 2026120704): the latest pension enrolment and
 * the latest final slip, read by the payroll run's keyed insert.
 */
export interface PayrollWorkerStateTable {
  worker_id: number;
  pension_start: string | null;
  pension_end: string | null;
  pension_base_fen: number | null;
  final_month: string | null;
  final_class_id: number | null;
}

/** One worker's slip of a run: which outcome (class) it got. Final entries are immutable. */
export interface PayslipEntryTable {
  id: Generated<number>;
  run_id: number;
  worker_id: number;
  org_code: string;
  month: string;
  is_final: Generated<number>;
  class_id: number;
}

/**
 * A computed slip outcome shared by every worker with the same result: amounts, line list, rule
 * versions and the cumulative tax figures after the month. Content-addressed by `hash`; never changed.
 */
export interface PayslipClassTable {
  id: Generated<number>;
  hash: string;
  band: string;
  level: number;
  /** The slip's line list in `payslip_line_sets`. */
  lines_hash: string;
  gross_fen: number;
  employee_insurance_fen: number;
  employer_insurance_fen: number;
  tax_fen: number;
  net_fen: number;
  pay_table_ref: string;
  insurance_rule_ref: string;
  tax_rule_ref: string;
  /** Cumulative tax figures of the year including this month (累计预扣法). */
  tax_months: number;
  cum_gross_fen: number;
  cum_tax_free_fen: number;
  cum_insurance_fen: number;
  cum_special_fen: number;
  cum_other_fen: number;
  cum_tax_fen: number;
}

/** A slip line list (compact JSON tuples), content-addressed by a hash of its JSON; never changed. */
export interface PayslipLineSetTable {
  hash: string;
  lines: string;
}

/** A worker's opening tax balances of a year (期初累计), January up to `through_month` inclusive; unique per worker and year. */
export interface PayrollTaxOpeningTable {
  id: Generated<number>;
  worker_id: number;
  org_code: string;
  year: number;
  /** `YYYY-MM`. */
  through_month: string;
  /** Months employed so far this year (the cumulative deduction of 5,000 yuan a month counts these). */
  tax_months: number;
  cum_gross_fen: number;
  cum_tax_free_fen: number;
  cum_insurance_fen: number;
  cum_special_fen: number;
  cum_other_fen: number;
  cum_tax_fen: number;
  note: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** Why a worker got no slip in a run. */
export interface PayslipErrorTable {
  id: Generated<number>;
  run_id: number;
  worker_id: number;
  org_code: string;
  code: string;
  message: string;
  details: string | null;
}

export type PayrollRunRow = Selectable<PayrollRunTable>;
export type PayslipRow = Selectable<PayslipTable>;
export type NewPayslipClass = Insertable<PayslipClassTable>;
export type NewPayslipError = Insertable<PayslipErrorTable>;

/** An assessment cycle (考核周期) opened by a region for its subtree; `template` is an AssessmentTemplate's JSON. */
export interface AssessmentCycleTable {
  id: Generated<number>;
  org_code: string;
  name: string;
  /** `annual`, `half_year` or `quarter`. */
  period: string;
  year: number;
  /** The half (1–2) or quarter (1–4) of `year`; null for an annual cycle. */
  part: number | null;
  template: string;
  /** JSON `{groupKey: 'street_office' | 'community_lead' | 'peers'}`: who fills each sheet group. */
  sheet_raters: string;
  /** `open`, `computed`, `publicity`, `final`. */
  status: string;
  publicity_days: number;
  publicity_until: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  computed_at: string | null;
  finalised_at: string | null;
}

/** A worker assessed in a cycle, snapshotted when the cycle opens. */
export interface AssessmentParticipantTable {
  cycle_id: number;
  worker_id: number;
  worker_name: string;
  post: string;
  /** The worker's community. */
  org_code: string;
  street_code: string;
  /** JSON list of the template's veto item keys entered by the street. */
  vetoes: string;
  /** A total (hundredths) decided by a person when a rater group is missing. */
  decided_total: number | null;
  note: string | null;
  updated_at: string;
}

/** A community's residents' ballot in a cycle. */
export interface AssessmentCommunityTable {
  cycle_id: number;
  community_code: string;
  street_code: string;
  /** `codes` (single-use ballot codes) or `open` (one ballot per device, rate-limited per IP). */
  ballot_mode: string;
  /** `pending`, `open` or `closed`. */
  ballot_status: string;
  /** The public link token of open mode. */
  link_token: string | null;
  codes_issued: number;
  opened_at: string | null;
  closed_at: string | null;
}

/** An approval of a cycle's results for one org (community, street, then the cycle's region). */
export interface AssessmentApprovalTable {
  cycle_id: number;
  org_code: string;
  level: number;
  approved_by: number | null;
  approved_by_name: string | null;
  approved_at: string;
}

/** One rater's scores for one worker in one sheet group; `rater_key` is `u:<userId>` or `w:<workerId>`. */
export interface AssessmentSheetTable {
  id: Generated<number>;
  cycle_id: number;
  worker_id: number;
  org_code: string;
  group_key: string;
  rater_key: string;
  rater_user_id: number | null;
  /** JSON `{dimensionKey: hundredths}`. */
  scores: string;
  updated_at: string;
}

/** A single-use ballot code: its hash and whether it was used, nothing else. */
export interface AssessmentBallotCodeTable {
  code_hash: string;
  cycle_id: number;
  community_code: string;
  used: number;
}

/** A device that voted in open mode: the hash of its cookie token only. */
export interface AssessmentBallotDeviceTable {
  cycle_id: number;
  token_hash: string;
}

/** Open mode: ballots cast from one client IP in a community (an HMAC of the IP; no ballot id, no time). */
export interface AssessmentBallotIpCountTable {
  cycle_id: number;
  community_code: string;
  ip_hash: string;
  ballots: number;
}

/** An anonymous ballot; `cast_hour` is the hour it was cast (`YYYY-MM-DDTHH`), never the exact time. */
export interface AssessmentBallotTable {
  id: Generated<number>;
  cycle_id: number;
  community_code: string;
  voter_kind: string;
  cast_hour: string;
  /** Screened (ID and phone numbers masked) before storage. */
  comment: string | null;
}

export interface AssessmentBallotRatingTable {
  ballot_id: number;
  cycle_id: number;
  worker_id: number;
  /** `satisfied`, `basically_satisfied` or `dissatisfied`. */
  choice: string;
}

/** A worker's computed result in a cycle, with the explanation of the rules that produced it. */
export interface AssessmentCycleResultTable {
  cycle_id: number;
  worker_id: number;
  org_code: string;
  street_code: string;
  /** JSON GroupScore[]. */
  groups: string;
  flags: string;
  total: number | null;
  band: string | null;
  final_result: string | null;
  /** JSON DecisionReason[] (plus appeal adjustments). */
  reasons: string;
  explanation: string;
  updated_at: string;
}

/** A worker's appeal (申诉) against a result during publicity. */
/** An issued honours decision (表彰决定) of a cycle by a region or street. */
export interface AssessmentHonourTable {
  id: Generated<number>;
  cycle_id: number;
  org_code: string;
  title: string;
  document_no: string | null;
  decided_on: string;
  member_count: number;
  created_by: number | null;
  created_by_name: string | null;
  created_at: string;
}

/** A worker commended by an honours decision (a snapshot of their final result). */
export interface AssessmentHonourMemberTable {
  honour_id: number;
  worker_id: number;
  org_code: string;
  worker_name: string;
  total: number | null;
  rank: number;
}

export interface AssessmentAppealTable {
  id: Generated<number>;
  cycle_id: number;
  worker_id: number;
  org_code: string;
  text: string;
  /** `pending`, `upheld` or `rejected`. */
  status: string;
  response: string | null;
  adjusted_result: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: number | null;
}

/** A version of a region's exit rules (JSON `ExitRules`); the newest at the nearest ancestor applies. */
export interface ExitRuleSetTable {
  id: Generated<number>;
  org_code: string;
  effective_from: string;
  rules: string;
  created_by: number | null;
  created_at: string;
}

/** An exit case (退出案件): proposed by a run, then notice → handover → contract ended → exited, or withdrawn. */
export interface ExitCaseTable {
  id: Generated<number>;
  worker_id: number;
  org_code: string;
  worker_name: string;
  rule_key: string;
  rule_name: string;
  action: string;
  /** The worker's exit reason (EXIT_REASONS) once exited: from the rule's kind and action. */
  exit_reason: string;
  state: string;
  due_date: string;
  explanation: string;
  also_matched: string;
  /** JSON `[{key, nameZh, done}]`. */
  handover: string;
  notice_date: string | null;
  handover_date: string | null;
  terminated_date: string | null;
  exited_date: string | null;
  contract_id: number | null;
  documents: string | null;
  withdrawn_reason: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface ExitCaseEventTable {
  id: Generated<number>;
  case_id: number;
  from_state: string | null;
  to_state: string;
  at: string;
  effective_date: string | null;
  actor_id: number | null;
  actor_name: string | null;
  note: string | null;
}

/** The disciplinary sanction register (处分登记); reasons are encrypted (disciplinary records are personal information). */
export interface WorkerSanctionTable {
  id: Generated<number>;
  worker_id: number;
  /** The worker's org when the sanction was recorded, for scope. */
  org_code: string;
  /** SANCTION_KINDS code. */
  kind: string;
  decided_on: string;
  /** End of the influence period (影响期); null when none is set. */
  ends_on: string | null;
  authority: string;
  document_no: string | null;
  reason_enc: string;
  /** 'in_force' | 'revoked'. */
  status: string;
  revoked_reason_enc: string | null;
  revoked_at: string | null;
  revoked_by: number | null;
  recorded_by: number | null;
  created_at: string;
  updated_at: string;
}
