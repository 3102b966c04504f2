/**
 * The worker import: upload → dry run (every row checked, validated rows staged encrypted) →
 * preview → commit (all or nothing, in one transaction) → the marked copy for files with errors.
 * Dry runs and commits run as background jobs with live progress; the CLI runs the same code.
 */
import fs from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { OpContext } from '../../../context.ts';
import type { ImportJobRow, NewImportIssue, NewWorkerImportRow, WorkerRow, WorkerUpdate } from '../../../db/schema.ts';
import { randomToken } from '../../../lib/crypto.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../../../lib/excel/detect-file.ts';
import { importFileErrors } from '../../../lib/excel/errors.ts';
import { saveUpload } from '../../../lib/excel/save-upload.ts';
import type { HeaderDetection } from '../../../lib/excel/header-map.ts';
import { writeMarkedCopy, type RowIssue } from '../../../lib/excel/mark-errors.ts';
import { openWorkbook } from '../../../lib/excel/read-sheet.ts';
import { buildTemplate } from '../../../lib/excel/template.ts';
import { AppError } from '../../../lib/errors.ts';
import { getJobProgress, runJob, setJobProgress, type JobProgress } from '../../../lib/jobs.ts';
import { maskPhone } from '../../../lib/mask.ts';
import { nameInitials } from '../../../lib/pinyin.ts';
import { isCodeInScope, isCodeUnder } from '../../../lib/scope.ts';
import { nowIso } from '../../../lib/time.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { rebandWorkerOnPostChange } from '../../grades/grades.reband.ts';
import { findOrgInScope } from '../../orgs/orgs.service.ts';
import { postsOf } from '../workers.lifecycle.ts';
import * as workersRepo from '../workers.repo.ts';
import { historyValue } from '../workers.history.ts';
import { PHONE_PURPOSE, PLAIN_FIELDS } from '../workers.service.ts';
import { columnLabel, WORKER_IMPORT_COLUMNS, WORKER_IMPORT_INSTRUCTIONS } from './import-columns.ts';
import { readCheckedRows, shouldUseReaderThread, type ReadResultRow } from './import-read.ts';
import type { CheckedRow, PlacementOrg, RowProblem } from './import-row.ts';
import { STAGED_COLUMNS, type StagedCreate } from './import-stage.ts';
import * as repo from './import.repo.ts';

/** Data rows one upload may hold. */
export const MAX_IMPORT_ROWS = 100_000;
/** Rows checked against the database together (one query for existing ID numbers per chunk). */
const CHUNK_ROWS = 2_000;
/** An unfinished job's upload is deleted after this long. */
export const IMPORT_RETENTION_MS = 24 * 3600 * 1000;

export type ImportStatus = 'validating' | 'validated' | 'invalid' | 'committing' | 'committed' | 'failed' | 'cancelled';

export interface ImportJobView {
  id: number;
  status: ImportStatus;
  orgCode: string;
  fileName: string;
  fileSize: number;
  fileKind: string | null;
  sheets: { index: number; name: string; isHidden: boolean; rowCount: number }[];
  sheetName: string | null;
  updateExisting: boolean;
  progress: JobProgress | null;
  counts: {
    totalRows: number;
    errorRows: number;
    errors: number;
    warnings: number;
    create: number;
    update: number;
    unchanged: number;
    skip: number;
  };
  columns: { key: string; label: string; header: string }[];
  unknownColumns: string[];
  error: { code: string; message: string; details?: unknown } | null;
  canCommit: boolean;
  createdAt: string;
  createdByName: string | null;
  validatedAt: string | null;
  committedAt: string | null;
}

const jobKey = (id: number) => `import:${id}`;

function importDir(ctx: OpContext): string {
  return path.join(ctx.deps.config.dataDir, 'imports');
}

function presentJob(row: ImportJobRow): ImportJobView {
  const header = row.header ? (JSON.parse(row.header) as HeaderDetection) : null;
  const errorCount = Number(row.error_count);
  return {
    id: Number(row.id),
    status: row.status as ImportStatus,
    orgCode: row.org_code,
    fileName: row.file_name,
    fileSize: Number(row.file_size),
    fileKind: row.file_kind,
    sheets: row.sheets ? JSON.parse(row.sheets) : [],
    sheetName: row.sheet_name,
    updateExisting: Number(row.update_existing) === 1,
    progress: getJobProgress(jobKey(Number(row.id))) ?? null,
    counts: {
      totalRows: Number(row.total_rows),
      errorRows: Number(row.error_rows),
      errors: errorCount,
      warnings: Number(row.warning_count),
      create: Number(row.create_count),
      update: Number(row.update_count),
      unchanged: Number(row.unchanged_count),
      skip: Number(row.skip_count),
    },
    columns: header
      ? Object.entries(header.columns)
          .sort((a, b) => a[1] - b[1])
          .map(([key]) => ({ key, label: columnLabel(key), header: header.headers[key] ?? '' }))
      : [],
    // A 序号 column is in every roster and means nothing to import: not worth a warning.
    unknownColumns: header ? header.unknownColumns.map((c) => c.header).filter((h) => !/^(序号|编号|No\.?)$/i.test(h)) : [],
    error: row.error ? JSON.parse(row.error) : null,
    canCommit: row.status === 'validated' && errorCount === 0 && Number(row.create_count) + Number(row.update_count) > 0,
    createdAt: row.created_at,
    createdByName: row.created_by_name,
    validatedAt: row.validated_at,
    committedAt: row.committed_at,
  };
}

async function getJobRowOrThrow(ctx: OpContext, id: number): Promise<ImportJobRow> {
  const row = await repo.getJobInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row || row.kind !== 'workers') throw AppError.notFound();
  return row;
}

export async function getImportJob(ctx: OpContext, id: number): Promise<ImportJobView> {
  return presentJob(await getJobRowOrThrow(ctx, id));
}

export async function listImportJobs(ctx: OpContext, page: number, pageSize: number) {
  const { items, total } = await repo.findJobsInScope(ctx.deps.db.kysely, ctx.scope, 'workers', pageSize, (page - 1) * pageSize);
  return { items: items.map(presentJob), total };
}

export async function listImportIssues(
  ctx: OpContext,
  id: number,
  severity: 'error' | 'warning' | undefined,
  page: number,
  pageSize: number,
) {
  await getJobRowOrThrow(ctx, id);
  const { items, total } = await repo.findIssues(ctx.deps.db.kysely, id, severity, pageSize, (page - 1) * pageSize);
  return {
    items: items.map((i) => ({
      rowNumber: i.row_number,
      field: i.field,
      column: i.field ? columnLabel(i.field) : null,
      severity: i.severity as 'error' | 'warning',
      message: i.message,
      /** "第12行 身份证号：校验位错误" */
      text: `第${i.row_number}行 ${i.message}`,
    })),
    total,
  };
}

/** What the commit will do, row by row (masked). */
export async function previewImport(ctx: OpContext, id: number, action: string | undefined, page: number, pageSize: number) {
  await getJobRowOrThrow(ctx, id);
  const { items, total } = await repo.findStagedPreview(ctx.deps.db.kysely, id, action, pageSize, (page - 1) * pageSize);
  return {
    items: items.map((r) => {
      if (r.action === 'create') {
        return {
          rowNumber: r.row_number,
          action: r.action as 'create',
          workerId: null,
          name: r.name ?? '',
          idNumberMasked: r.id_number_masked ?? '',
          orgCode: r.org_code ?? '',
          changes: [],
          view: <Record<string, string | null>>{
            gender: r.gender,
            birthDate: r.birth_date,
            post: r.post,
            posts: (JSON.parse(r.posts ?? '[]') as string[]).join('、'),
            phone: r.phone_masked,
            education: r.education,
            politicalStatus: r.political_status,
            workStartDate: r.work_start_date,
          },
        };
      }
      const payload = JSON.parse(r.payload) as StagedUpdate;
      return {
        rowNumber: r.row_number,
        action: r.action as 'update' | 'unchanged' | 'skip',
        workerId: r.worker_id === null ? null : Number(r.worker_id),
        name: payload.name,
        idNumberMasked: payload.idNumberMasked,
        orgCode: payload.orgCode,
        changes: Object.keys(payload.after).map((f) => ({ field: f, old: payload.before[f] ?? null, new: payload.after[f] ?? null })),
        view: {} as Record<string, string | null>,
      };
    }),
    total,
  };
}

/** Writes the import template (.xlsx) to a stream. */
export async function writeImportTemplate(dest: Writable): Promise<void> {
  await buildTemplate(dest, WORKER_IMPORT_COLUMNS, WORKER_IMPORT_INSTRUCTIONS, { sheetName: '社区工作者' });
}

interface UploadInput {
  fileName: string;
  orgCode: string;
  updateExisting: boolean;
  sheet?: string | number | undefined;
}

function sanitiseFileName(name: string): string {
  const base = name
    .replace(/^.*[/\\]/, '')
    // eslint-disable-next-line no-control-regex -- control characters are what is being removed
    .replace(/[\u0000-\u001f]/g, '')
    .trim();
  return (base || 'upload').slice(0, 120);
}

/**
 * Saves an upload (streamed, at most `maxBytes`, mode 0600) and starts its dry run. The file is
 * checked for its format before the job exists, so a wrong file gets its error at once.
 */
export async function startImport(
  ctx: OpContext,
  body: Readable,
  input: UploadInput,
  options: { maxBytes?: number; wait?: boolean } = {},
): Promise<ImportJobView> {
  const org = await findOrgInScope(ctx, input.orgCode);
  if (!org) {
    body.resume();
    throw new AppError('VALIDATION_FAILED', {
      message: '导入单位：不存在或不在您的管辖范围内',
      messageEn: 'orgCode: not found in your scope',
      details: { issues: [{ field: 'orgCode', message: '导入单位：不存在或不在您的管辖范围内' }] },
    });
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { path: stored, size, sha256 } = await saveUpload(body, { dir: importDir(ctx), suffix: 'upload', maxBytes });
  const fileName = sanitiseFileName(input.fileName);
  let sheets;
  try {
    const summary = await openWorkbook(stored, { fileName, maxBytes, countRows: false });
    sheets = summary;
  } catch (err) {
    await rm(stored, { force: true });
    throw err;
  }
  const now = nowIso();
  const id = await repo.insertJob(ctx.deps.db.kysely, {
    kind: 'workers',
    org_code: org.code,
    created_by: ctx.actor?.id ?? null,
    created_by_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
    status: 'validating',
    phase: 'queued',
    file_name: fileName,
    file_size: size,
    file_sha256: sha256,
    file_kind: sheets.kind,
    stored_path: stored,
    sheets: JSON.stringify(sheets.sheets.map(({ index, name, isHidden, rowCount }) => ({ index, name, isHidden, rowCount }))),
    sheet_name: null,
    update_existing: input.updateExisting ? 1 : 0,
    created_at: now,
    updated_at: now,
  });
  const run = runJob(jobKey(id), () => validateJob(ctx, id, input.sheet));
  if (options.wait) await run;
  return getImportJob(ctx, id);
}

/** Checks the file again, e.g. with another sheet or after choosing to update existing workers. */
export async function revalidateImport(
  ctx: OpContext,
  id: number,
  input: { sheet?: string | number | undefined; updateExisting?: boolean | undefined },
  options: { wait?: boolean } = {},
): Promise<ImportJobView> {
  const job = await getJobRowOrThrow(ctx, id);
  if (!job.stored_path || !['validated', 'invalid', 'failed'].includes(job.status)) {
    throw new AppError('CONFLICT', {
      message: `该导入当前状态为“${STATUS_LABELS[job.status as ImportStatus] ?? job.status}”，不能重新校验`,
      messageEn: `This import is ${job.status} and cannot be checked again`,
    });
  }
  const ok = await repo.transitionJob(ctx.deps.db.kysely, id, ['validated', 'invalid', 'failed'], {
    status: 'validating',
    phase: 'queued',
    update_existing: input.updateExisting === undefined ? job.update_existing : input.updateExisting ? 1 : 0,
    updated_at: nowIso(),
  });
  if (!ok) throw new AppError('CONFLICT');
  const sheet = input.sheet ?? job.sheet_name ?? undefined;
  const run = runJob(jobKey(id), () => validateJob(ctx, id, sheet));
  if (options.wait) await run;
  return getImportJob(ctx, id);
}

const STATUS_LABELS: Record<ImportStatus, string> = {
  validating: '校验中',
  validated: '已校验',
  invalid: '文件无法导入',
  committing: '导入中',
  committed: '已导入',
  failed: '失败',
  cancelled: '已取消',
};

function errorJson(err: unknown): string {
  if (err instanceof AppError) return JSON.stringify({ code: err.code, message: err.message, details: err.details });
  return JSON.stringify({ code: 'INTERNAL', message: '处理文件时发生内部错误，请稍后重试或联系管理员' });
}

/** Staged update: the columns to set and the masked before/after for history and preview. */
interface StagedUpdate {
  set: WorkerUpdate;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  name: string;
  idNumberMasked: string;
  orgCode: string;
}

interface ValidationState {
  seen: Map<string, number>;
  totalRows: number;
  errorRows: number;
  errors: number;
  warnings: number;
  create: number;
  update: number;
  unchanged: number;
  skip: number;
}

/** The dry run: reads the file as a stream, checks every row, stages the valid ones. */
async function validateJob(ctx: OpContext, id: number, sheet: string | number | undefined): Promise<void> {
  const db = ctx.deps.db.kysely;
  const job = await repo.getJobUnscoped(db, id);
  if (!job?.stored_path) return;
  const key = jobKey(id);
  setJobProgress(key, { phase: 'reading', done: 0, total: null });
  await repo.clearJobRows(db, id);
  const target = await findOrgInScope(ctx, job.org_code);
  const state: ValidationState = {
    seen: new Map(),
    totalRows: 0,
    errorRows: 0,
    errors: 0,
    warnings: 0,
    create: 0,
    update: 0,
    unchanged: 0,
    skip: 0,
  };
  let header: HeaderDetection | null = null;
  let sheetName: string | null = null;
  try {
    if (!target) throw AppError.notFound();
    const place = (o: PlacementOrg): PlacementOrg => ({ code: o.code, name: o.name, level: o.level, parent_code: o.parent_code });
    const orgs = await repo.findPlacementOrgsUnder(db, target.code, target.level);
    // The file is parsed and its rows checked (on a reading thread for a large file when a core is
    // free) a chunk ahead of this one.
    const chunks = readCheckedRows(
      {
        path: job.stored_path,
        fileName: job.file_name,
        sheet,
        maxRows: MAX_IMPORT_ROWS,
        chunkRows: CHUNK_ROWS,
        today: nowIso().slice(0, 10),
        target: place(target),
        orgs: orgs.map(place),
        blindIndexKey: ctx.deps.cipher.blindIndexKey(),
      },
      ctx.deps.cipher,
      (h) => {
        header = h;
      },
      { thread: shouldUseReaderThread(Number(job.file_size)) },
    );
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        sheetName = next.value.sheetName;
        break;
      }
      await checkChunk(ctx, job, next.value, state);
      setJobProgress(key, { phase: 'checking', done: state.totalRows, total: null });
    }
    if (state.totalRows === 0) throw importFileErrors.empty(sheetName ?? undefined);
    await repo.updateJob(db, id, {
      status: 'validated',
      phase: null,
      sheet_name: sheetName,
      header: JSON.stringify(header),
      ...counts(state),
      error: null,
      validated_at: nowIso(),
      updated_at: nowIso(),
    });
  } catch (err) {
    await repo.clearJobRows(db, id);
    const fileLevel = err instanceof AppError;
    if (!fileLevel) console.error('import validation failed', err);
    await repo.updateJob(db, id, {
      status: fileLevel ? 'invalid' : 'failed',
      phase: null,
      header: header ? JSON.stringify(header) : null,
      total_rows: 0,
      error_rows: 0,
      error_count: 0,
      warning_count: 0,
      create_count: 0,
      update_count: 0,
      unchanged_count: 0,
      skip_count: 0,
      error: errorJson(err),
      updated_at: nowIso(),
    });
  }
}

function counts(s: ValidationState) {
  return {
    total_rows: s.totalRows,
    error_rows: s.errorRows,
    error_count: s.errors,
    warning_count: s.warnings,
    create_count: s.create,
    update_count: s.update,
    unchanged_count: s.unchanged,
    skip_count: s.skip,
  };
}

/** Checks a chunk of rows against the file so far and the database, then stages it. */
async function checkChunk(ctx: OpContext, job: ImportJobRow, rows: ReadResultRow[], state: ValidationState): Promise<void> {
  const db = ctx.deps.db.kysely;
  const jobId = Number(job.id);
  const issues: NewImportIssue[] = [];
  const staged: NewWorkerImportRow[] = [];
  const checked: { row: CheckedRow; hash: string; create: StagedCreate }[] = [];
  const creates: repo.NewStagedCreate[] = [];
  const fail = (rowNumber: number, problems: RowProblem[]) => {
    state.errorRows += 1;
    state.errors += problems.length;
    for (const p of problems) issues.push({ job_id: jobId, row_number: rowNumber, field: p.field, severity: 'error', message: p.message });
  };

  for (const { rowNumber, check: r, idNumberHash: hash, create } of rows) {
    state.totalRows += 1;
    const first = hash === null ? undefined : state.seen.get(hash);
    if (hash !== null && first === undefined) state.seen.set(hash, rowNumber);
    const problems = r.ok ? [] : [...r.problems];
    if (first !== undefined) problems.push({ field: 'idNumber', message: `身份证号：与第${first}行重复` });
    if (!r.ok || problems.length > 0 || hash === null || create === null) {
      fail(rowNumber, problems);
      continue;
    }
    checked.push({ row: r.row, hash, create });
  }

  const existing = new Map<string, WorkerRow>();
  for (const w of await repo.findWorkersByIdHashesUnscoped(
    db,
    checked.map((c) => c.hash),
  ))
    existing.set(w.id_number_hash, w as WorkerRow);

  const updateExisting = Number(job.update_existing) === 1;
  for (const { row, hash, create } of checked) {
    const current = existing.get(hash);
    const base = { job_id: jobId, row_number: row.rowNumber, id_number_hash: hash };
    if (!current) {
      creates.push({ job_id: jobId, row_number: row.rowNumber, values: create });
      state.create += 1;
      continue;
    }
    const inScope = isCodeInScope(current.org_code, ctx.scope) && isCodeUnder(current.org_code, job.org_code);
    if (!inScope) {
      fail(row.rowNumber, [
        { field: 'idNumber', message: '身份证号：该人员已在其他单位在册（同一人不能同时在两个社区登记），如确需调入请联系原单位办理调动' },
      ]);
      continue;
    }
    const who = { name: current.name, idNumberMasked: current.id_number_masked, orgCode: current.org_code };
    if (!updateExisting) {
      state.warnings += 1;
      state.skip += 1;
      issues.push({
        job_id: jobId,
        row_number: row.rowNumber,
        field: 'idNumber',
        severity: 'warning',
        message: `身份证号：${current.name}已在册，本行跳过（如需用本表更新档案，请选择“更新已有人员”）`,
      });
      staged.push({
        ...base,
        action: 'skip',
        worker_id: current.id,
        expected_updated_at: null,
        payload: JSON.stringify({ ...who, before: {}, after: {}, set: {} }),
      });
      continue;
    }
    const diff = diffForUpdate(ctx, current, row);
    if ('problems' in diff) {
      fail(row.rowNumber, diff.problems);
      continue;
    }
    if (Object.keys(diff.set).length === 0) {
      state.unchanged += 1;
      staged.push({
        ...base,
        action: 'unchanged',
        worker_id: current.id,
        expected_updated_at: null,
        payload: JSON.stringify({ ...who, before: {}, after: {}, set: {} }),
      });
      continue;
    }
    const payload: StagedUpdate = { ...who, ...diff };
    staged.push({
      ...base,
      action: 'update',
      worker_id: current.id,
      expected_updated_at: current.updated_at,
      payload: JSON.stringify(payload),
    });
    state.update += 1;
  }

  await repo.insertChunk(ctx.deps.db, { issues, rows: staged, creates });
}

/** What an import row changes on an existing worker; empty cells change nothing. */
function diffForUpdate(
  ctx: OpContext,
  current: WorkerRow,
  row: CheckedRow,
): { set: WorkerUpdate; before: Record<string, unknown>; after: Record<string, unknown> } | { problems: RowProblem[] } {
  const { cipher } = ctx.deps;
  const problems: RowProblem[] = [];
  const set: WorkerUpdate = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (row.orgCode !== current.org_code && row.values.community !== undefined) {
    problems.push({ field: 'community', message: '所属社区：与档案不一致；人员调动请在系统中办理“调动”，以保留任职记录' });
  }
  if (row.values.status !== undefined && row.values.status !== current.status) {
    problems.push({ field: 'status', message: '人员状态：与档案不一致；状态变更请在系统中办理“变更状态”' });
  }
  if (problems.length > 0) return { problems };
  for (const [key, col, mask] of PLAIN_FIELDS) {
    const v = row.values[key];
    if (v === undefined || key === 'probationEndDate') continue;
    const old = (current as unknown as Record<string, string | null>)[col] ?? null;
    if (v !== old) {
      (set as Record<string, unknown>)[col] = v;
      before[key] = mask ? mask(old) : old;
      after[key] = mask ? mask(v) : v;
    }
  }
  if (typeof set.name === 'string') set.name_initials = nameInitials(set.name);
  const held = postsOf(current.post, current.posts);
  if (row.post !== current.post || row.posts.join(',') !== held.join(',')) {
    set.post = row.post;
    set.posts = JSON.stringify(row.posts);
    before.posts = held;
    after.posts = row.posts;
  }
  if (row.phone && cipher.blindIndex(PHONE_PURPOSE, row.phone) !== current.phone_hash) {
    Object.assign(set, {
      phone_enc: cipher.encrypt(row.phone),
      phone_hash: cipher.blindIndex(PHONE_PURPOSE, row.phone),
      phone_masked: maskPhone(row.phone),
    });
    before.phone = current.phone_masked;
    after.phone = maskPhone(row.phone);
  }
  if (row.emergencyPhone) {
    const old = current.emergency_contact_phone_enc ? cipher.decrypt(current.emergency_contact_phone_enc) : null;
    if (old !== row.emergencyPhone) {
      set.emergency_contact_phone_enc = cipher.encrypt(row.emergencyPhone);
      set.emergency_contact_phone_masked = maskPhone(row.emergencyPhone);
      before.emergencyContactPhone = current.emergency_contact_phone_masked;
      after.emergencyContactPhone = maskPhone(row.emergencyPhone);
    }
  }
  return { set, before, after };
}

/**
 * Commits a validated import in one transaction: creates (with their first placement and a history
 * row each), updates (with per-field history), and one audit entry for the whole import. Refuses,
 * changing nothing, when any staged row no longer fits (an ID number registered meanwhile, a
 * worker edited since the dry run).
 */
export async function commitImport(ctx: OpContext, id: number, options: { wait?: boolean } = {}): Promise<ImportJobView> {
  const job = await getJobRowOrThrow(ctx, id);
  const view = presentJob(job);
  if (!view.canCommit) {
    const reason =
      job.status !== 'validated'
        ? `该导入当前状态为“${STATUS_LABELS[job.status as ImportStatus] ?? job.status}”，不能确认导入`
        : view.counts.errors > 0
          ? `还有 ${view.counts.errors} 处错误（${view.counts.errorRows} 行），请下载标注文件改正后重新上传`
          : '没有需要新增或更新的人员';
    throw new AppError('CONFLICT', { message: reason, messageEn: 'This import cannot be committed' });
  }
  const ok = await repo.transitionJob(ctx.deps.db.kysely, id, ['validated'], {
    status: 'committing',
    phase: 'writing',
    updated_at: nowIso(),
  });
  if (!ok) throw new AppError('CONFLICT', { message: '该导入正在处理或已导入', messageEn: 'This import is already being committed' });
  const run = runJob(jobKey(id), () => runCommit(ctx, job));
  if (options.wait) await run;
  return getImportJob(ctx, id);
}

function staleError(rows: { row_number: number }[], what: string): AppError {
  const list = rows.map((r) => `第${r.row_number}行`).join('、');
  return new AppError('CONFLICT', {
    message: `${list}${rows.length >= 10 ? '等' : ''}${what}，未写入任何数据；请重新校验后再导入`,
    messageEn: 'Some rows changed since the dry run; nothing was written. Check the file again.',
  });
}

async function runCommit(ctx: OpContext, job: ImportJobRow): Promise<void> {
  const db = ctx.deps.db.kysely;
  const id = Number(job.id);
  const key = jobKey(id);
  const total = Number(job.create_count) + Number(job.update_count);
  let done = 0;
  setJobProgress(key, { phase: 'writing', done, total });
  const now = nowIso();
  const today = now.slice(0, 10);
  try {
    await db.transaction().execute(async (trx) => {
      const taken = await repo.findCreatesNowTaken(trx, id, 10);
      if (taken.length > 0) throw staleError(taken, '的身份证号在校验后已被登记');
      const stale = await repo.findUpdatesNowStale(trx, id, 10);
      if (stale.length > 0) throw staleError(stale, '对应人员的档案在校验后被修改过');

      let after = 0;
      let lastWorkerId: number | undefined;
      if (Number(job.create_count) > 0) {
        lastWorkerId = ctx.deps.db.dialect === 'sqlite' ? await repo.findLastWorkerIdUnscoped(trx) : undefined;
        await repo.insertStagedCreates(trx, id, STAGED_COLUMNS, now);
        done += Number(job.create_count);
        setJobProgress(key, { phase: 'writing', done, total });
      }
      if (Number(job.create_count) > 0) {
        await repo.insertCreatedAssignments(trx, id, today, now, lastWorkerId);
        await repo.insertCreatedHistory(trx, id, now, {
          id: ctx.actor?.id ?? null,
          name: ctx.actor?.displayName ?? ctx.systemName ?? null,
        });
      }

      after = 0;
      for (;;) {
        const page = await repo.findStagedPage(trx, id, 'update', after, 1_000);
        if (page.length === 0) break;
        after = Number(page[page.length - 1]!.id);
        const history = [];
        for (const r of page) {
          const p = JSON.parse(r.payload) as StagedUpdate;
          await workersRepo.updateWorker(trx, Number(r.worker_id), { ...p.set, updated_at: now });
          if (p.set.post !== undefined && p.set.posts !== undefined) {
            // As in a single edit: a post in another band (正职/副职/其他) re-bands the current grade.
            const posts = JSON.parse(p.set.posts as string) as string[];
            await rebandWorkerOnPostChange(trx, ctx, { workerId: Number(r.worker_id), orgCode: p.orgCode, post: p.set.post, posts }, today);
          }
          for (const field of Object.keys(p.after)) {
            history.push({
              worker_id: Number(r.worker_id),
              org_code: p.orgCode,
              ts: now,
              actor_id: ctx.actor?.id ?? null,
              actor_name: ctx.actor?.displayName ?? ctx.systemName ?? null,
              action: 'update',
              field,
              old_value: historyValue(p.before[field]),
              new_value: historyValue(p.after[field]),
            });
          }
        }
        for (let i = 0; i < history.length; i += repo.INSERT_BATCH)
          await workersRepo.insertHistory(trx, history.slice(i, i + repo.INSERT_BATCH));
        done += page.length;
        setJobProgress(key, { phase: 'writing', done, total });
      }

      await appendAudit(trx, ctx, {
        action: 'worker.import',
        entityType: 'import_job',
        entityId: id,
        orgCode: job.org_code,
        after: {
          fileName: job.file_name,
          fileSha256: job.file_sha256,
          sheet: job.sheet_name,
          created: Number(job.create_count),
          updated: Number(job.update_count),
          unchanged: Number(job.unchanged_count),
          skipped: Number(job.skip_count),
        },
      });
      await repo.deleteStagedRows(trx, id);
      await repo.updateJob(trx, id, { status: 'committed', phase: null, committed_at: now, updated_at: now, error: null });
    });
    if (job.stored_path) await rm(job.stored_path, { force: true });
    await db.updateTable('import_jobs').set({ stored_path: null }).where('id', '=', id).execute();
  } catch (err) {
    if (!(err instanceof AppError)) console.error('import commit failed', err);
    await repo.updateJob(db, id, { status: 'failed', phase: null, error: errorJson(err), updated_at: nowIso() });
  }
}

/** Cancels an import that has not been committed; its upload is deleted. */
export async function cancelImport(ctx: OpContext, id: number): Promise<ImportJobView> {
  const job = await getJobRowOrThrow(ctx, id);
  const ok = await repo.transitionJob(ctx.deps.db.kysely, id, ['validated', 'invalid', 'failed'], {
    status: 'cancelled',
    stored_path: null,
    updated_at: nowIso(),
  });
  if (!ok) {
    throw new AppError('CONFLICT', {
      message: `该导入当前状态为“${STATUS_LABELS[job.status as ImportStatus] ?? job.status}”，不能取消`,
      messageEn: `This import is ${job.status} and cannot be cancelled`,
    });
  }
  await repo.clearJobRows(ctx.deps.db.kysely, id);
  if (job.stored_path) await rm(job.stored_path, { force: true });
  return getImportJob(ctx, id);
}

/**
 * Writes the upload with every bad cell marked and commented, plus a 错误说明 column, to a temp
 * file and returns its path (the caller streams and deletes it). Only errors are marked.
 */
export async function writeMarkedImportCopy(ctx: OpContext, id: number): Promise<{ path: string; fileName: string }> {
  const job = await getJobRowOrThrow(ctx, id);
  if (!job.stored_path || !job.header || Number(job.error_count) === 0) {
    throw new AppError('NOT_FOUND', { message: '该导入没有可下载的错误标注文件', messageEn: 'This import has no marked copy' });
  }
  const issues: RowIssue[] = [];
  let after = 0;
  for (;;) {
    const page = await repo.findErrorPage(ctx.deps.db.kysely, id, after, 5_000);
    if (page.length === 0) break;
    after = Number(page[page.length - 1]!.id);
    for (const i of page) issues.push({ rowNumber: i.row_number, key: i.field, message: i.message });
  }
  const header = JSON.parse(job.header) as HeaderDetection;
  const dest = path.join(importDir(ctx), `${Date.now()}-${randomToken(9)}.marked.xlsx`);
  await writeMarkedCopy(job.stored_path, dest, job.sheet_name ?? undefined, issues, header);
  const baseName = job.file_name.replace(/\.[^.]*$/, '');
  return { path: dest, fileName: `${baseName}-错误标注.xlsx` };
}

/**
 * At start-up: jobs a stopped process left validating or committing are marked failed (a commit
 * is one transaction, so nothing of it was written), and expired uploads are deleted.
 */
export async function recoverImportJobs(ctx: OpContext): Promise<void> {
  const db = ctx.deps.db.kysely;
  for (const job of await repo.findInterruptedJobsUnscoped(db)) {
    await repo.clearJobRows(db, Number(job.id));
    await repo.updateJob(db, Number(job.id), {
      status: 'failed',
      phase: null,
      error: JSON.stringify({ code: 'INTERRUPTED', message: '服务重启，本次处理已中断，未写入任何数据；请重新校验或重新上传' }),
      updated_at: nowIso(),
    });
  }
  const cutoff = Date.now() - IMPORT_RETENTION_MS;
  const expired = await db
    .selectFrom('import_jobs')
    .select(['id', 'stored_path'])
    .where('status', 'in', ['validated', 'invalid', 'failed'])
    .where('stored_path', 'is not', null)
    .where('updated_at', '<', new Date(cutoff).toISOString())
    .execute();
  for (const job of expired) {
    await repo.clearJobRows(db, Number(job.id));
    await repo.updateJob(db, Number(job.id), {
      status: 'cancelled',
      stored_path: null,
      error: JSON.stringify({ code: 'EXPIRED', message: '上传超过24小时未导入，文件已删除' }),
      updated_at: nowIso(),
    });
  }
  const dir = importDir(ctx);
  const files = await fs.promises.readdir(dir).catch(() => [] as string[]);
  for (const f of files) {
    const p = path.join(dir, f);
    const s = await stat(p).catch(() => null);
    if (s && s.mtimeMs < cutoff) await rm(p, { force: true });
  }
}
