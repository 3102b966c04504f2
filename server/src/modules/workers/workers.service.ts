import type { OpContext, Tx } from '../../context.ts';
import type { NewWorker, WorkerUpdate } from '../../db/schema.ts';
import type { DataCipher } from '../../lib/crypto.ts';
import { AppError, isUniqueViolation } from '../../lib/errors.ts';
import { ID_PROBLEM_MESSAGES, maskIdNumber, parseIdNumber, upgradeLegacyIdNumber, type ParsedIdNumber } from '../../lib/id-card.ts';
import { nameInitials } from '../../lib/pinyin.ts';
import { maskPhone, normalisePhone } from '../../lib/mask.ts';
import { nowIso } from '../../lib/time.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { rebandWorkerOnPostChange } from '../grades/grades.reband.ts';
import { findOrgInScope } from '../orgs/orgs.service.ts';
import { ID_NUMBER_PURPOSE, PHONE_PURPOSE } from './workers.blind-index.ts';
import { maskAddress, recordWorkerChange } from './workers.history.ts';
import { isStatusEditable, postsOf, resolvePosts } from './workers.lifecycle.ts';
import { presentWorker, presentWorkerSummary, type WorkerRow } from './workers.presenter.ts';
import * as repo from './workers.repo.ts';
import {
  WORKER_SORT_COLUMNS,
  type TWorker,
  type TWorkerAssignment,
  type TWorkerCreate,
  type TWorkerHistoryEntry,
  type TWorkerListQuery,
  type TWorkerUpdate,
} from './workers.schema.ts';

export { ID_NUMBER_PURPOSE, PHONE_PURPOSE } from './workers.blind-index.ts';

/** A validation error naming one field; `zh` is the full message, e.g. "身份证号：校验位错误". */
export function fieldError(field: string, zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', {
    message: zh,
    messageEn: en,
    details: { issues: [{ field, message: zh, messageEn: en }] },
  });
}

/** Today as `YYYY-MM-DD` (UTC, like every timestamp). */
export function todayDate(): string {
  return nowIso().slice(0, 10);
}

/** Parses an ID number (a 15-digit legacy number is upgraded first) or throws a field error such as "身份证号：校验位错误". */
export function parseIdNumberOrThrow(raw: string): ParsedIdNumber {
  const parsed = parseIdNumber(upgradeLegacyIdNumber(raw) ?? raw);
  if ('problem' in parsed) {
    const m = ID_PROBLEM_MESSAGES[parsed.problem];
    throw fieldError('idNumber', `身份证号：${m.zh}`, `idNumber: ${m.en}`);
  }
  return parsed;
}

/** Normalises a phone number or throws a field error such as "手机号：格式错误…". */
export function parsePhoneOrThrow(field: string, label: string, raw: string): string {
  const phone = normalisePhone(raw);
  if (!phone) throw fieldError(field, `${label}：格式错误，应为11位手机号或带区号的固定电话`, `${field}: not a valid phone number`);
  return phone;
}

/** Rejects a gender or birth date the user typed that disagrees with the ID number. */
function assertMatchesIdNumber(
  id: { gender: string; birthDate: string },
  input: { gender?: string | undefined; birthDate?: string | undefined },
) {
  if (input.gender !== undefined && input.gender !== id.gender) {
    throw fieldError('gender', '性别：与身份证号不符', 'gender: does not match the ID number');
  }
  if (input.birthDate !== undefined && input.birthDate !== id.birthDate) {
    throw fieldError('birthDate', '出生日期：与身份证号不符', 'birthDate: does not match the ID number');
  }
}

/** Workers may be placed on a street or a community in the caller's scope. */
export async function assertPlacementOrg(ctx: OpContext, orgCode: string, field = 'orgCode', label = '所属组织') {
  const org = await findOrgInScope(ctx, orgCode);
  if (!org) throw fieldError(field, `${label}：不存在或不在您的管辖范围内`, `${field}: not found in your scope`);
  if (org.level < 4) throw fieldError(field, `${label}：须为街道（乡镇）或社区（村）`, `${field}: must be a street or a community`);
}

async function assertIdNumberFree(ctx: OpContext, hash: string, exceptId?: number) {
  if (await repo.isIdNumberTakenUnscoped(ctx.deps.db.kysely, hash, exceptId)) {
    throw new AppError('DUPLICATE_ID_NUMBER', {
      message: '身份证号：该身份证号已在册（同一人不能同时在两个社区登记）',
      messageEn: 'idNumber: already registered (a person cannot be on two rolls at once)',
      details: { issues: [{ field: 'idNumber', message: '该身份证号已在册' }] },
    });
  }
}

function resolvePostsOrThrow(
  current: { post: string; posts: string[] } | null,
  input: { post?: string | undefined; posts?: string[] | undefined },
) {
  const r = resolvePosts(current, input);
  if ('problem' in r) throw fieldError('post', r.problem, r.problemEn);
  return r;
}

/**
 * Plain record fields: API key, column, and how the value appears in the audit log and the
 * history (personal data masked).
 */
export const PLAIN_FIELDS = [
  ['name', 'name'],
  ['education', 'education'],
  ['politicalStatus', 'political_status'],
  ['workStartDate', 'work_start_date'],
  ['formerName', 'former_name'],
  ['ethnicity', 'ethnicity'],
  ['partyJoinDate', 'party_join_date'],
  ['educationMode', 'education_mode'],
  ['school', 'school'],
  ['major', 'major'],
  ['address', 'address', maskAddress],
  ['hukou', 'hukou', maskAddress],
  ['emergencyContactName', 'emergency_contact_name'],
  ['joinCommunityDate', 'join_community_date'],
  ['qualificationLevel', 'qualification_level'],
  ['certificateNo', 'certificate_no'],
  ['certificateDate', 'certificate_date'],
  ['probationEndDate', 'probation_end_date'],
] as const satisfies readonly (readonly [keyof TWorkerUpdate, keyof NewWorker, ((v: string | null) => string | null)?])[];

function blankToNull<T>(v: T): T | null {
  return v === '' ? null : v;
}

function encryptedPhone(ctx: OpContext, phone: string | null) {
  return phone ? { enc: ctx.deps.cipher.encrypt(phone), masked: maskPhone(phone) } : { enc: null, masked: null };
}

/** A filtered page in scope; `exactTotal` counts every match (exports), else counts stop at the cap. */
export async function findWorkers(
  ctx: OpContext,
  query: TWorkerListQuery,
  options: { exactTotal?: boolean; after?: { orgCode: string; id: number } } = {},
) {
  let orgLevel: number | undefined;
  if (query.orgCode) {
    const org = await findOrgInScope(ctx, query.orgCode);
    if (!org) return { items: [], total: 0, totalCapped: false };
    orgLevel = org.level;
  }
  let name: string | undefined;
  let initials: string | undefined;
  let idNumberHash: string | undefined;
  if (query.q) {
    const parsed = parseIdNumber(upgradeLegacyIdNumber(query.q) ?? query.q);
    if ('value' in parsed) idNumberHash = ctx.deps.cipher.blindIndex(ID_NUMBER_PURPOSE, parsed.value);
    else if (/^[a-z]+$/i.test(query.q)) initials = query.q.toLowerCase();
    else name = query.q;
  }
  if (query.ageMin !== undefined && query.ageMax !== undefined && query.ageMin > query.ageMax) {
    throw fieldError('ageMax', '年龄上限：不能小于年龄下限', 'ageMax: must not be below ageMin');
  }
  const today = nowIso().slice(0, 10);
  const yearsAgo = (years: number) => `${String(Number(today.slice(0, 4)) - years).padStart(4, '0')}${today.slice(4)}`;
  const { items, total, totalCapped } = await repo.findWorkers(
    ctx.deps.db.kysely,
    ctx.scope,
    {
      orgCode: query.orgCode,
      orgLevel,
      status: query.status,
      post: query.post,
      name,
      initials,
      idNumberHash,
      education: query.education,
      politicalStatus: query.politicalStatus,
      qualificationLevel: query.qualificationLevel,
      // Age a on today ⇔ born in (today − (a+1) years, today − a years].
      bornOnOrBefore: query.ageMin !== undefined ? yearsAgo(query.ageMin) : undefined,
      bornAfter: query.ageMax !== undefined ? yearsAgo(query.ageMax + 1) : undefined,
      contractEndBefore: query.contractEndBefore,
      prefixRanges: ctx.deps.db.dialect === 'sqlite',
      onRollOnly: query.onRoll === '1',
      after: options.after,
      sort: options.after ? undefined : query.sort ? { column: WORKER_SORT_COLUMNS[query.sort], order: query.order ?? 'asc' } : undefined,
    },
    query.pageSize,
    options.after ? 0 : (query.page - 1) * query.pageSize,
    options.exactTotal ? null : repo.LIST_COUNT_CAP,
  );
  return { items: items.map(presentWorkerSummary), total, totalCapped };
}

/** One worker in scope, or NOT_FOUND (existence outside the scope does not leak). */
export async function getWorkerRowOrThrow(ctx: OpContext, id: number): Promise<WorkerRow> {
  const row = await repo.getWorkerInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return row;
}

export async function getWorker(ctx: OpContext, id: number): Promise<TWorker> {
  return presentWorker(ctx, await getWorkerRowOrThrow(ctx, id));
}

/** Placements of one worker in scope, oldest first. */
export async function findWorkerAssignments(ctx: OpContext, id: number): Promise<TWorkerAssignment[]> {
  await getWorkerRowOrThrow(ctx, id);
  const rows = await repo.findAssignmentsInScope(ctx.deps.db.kysely, ctx.scope, id);
  return rows.map((r) => ({ orgCode: r.org_code, orgName: r.org_name, fromDate: r.from_date, toDate: r.to_date, reason: r.reason }));
}

/** The change history of one worker in scope, newest first (the per-worker history tab). */
export async function findWorkerHistory(ctx: OpContext, workerId: number, page: number, pageSize: number) {
  await getWorkerRowOrThrow(ctx, workerId);
  const { items, total } = await repo.findHistoryInScope(ctx.deps.db.kysely, ctx.scope, workerId, pageSize, (page - 1) * pageSize);
  const presented: TWorkerHistoryEntry[] = items.map((r) => ({
    id: Number(r.id),
    ts: r.ts,
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    actorName: r.actor_name,
    action: r.action,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    orgCode: r.org_code,
  }));
  return { items: presented, total };
}

/** The validated parts of a new worker (phones normalised, posts resolved, ID parsed). */
export interface NewWorkerInput extends Omit<TWorkerCreate, 'post' | 'posts' | 'idNumber' | 'phone' | 'emergencyContactPhone'> {
  post: string;
  posts: string[];
}

/**
 * The row and the masked history/audit view of a new worker from already validated input. Shared
 * by `createWorker` and the import, so both store a worker the same way.
 */
export function buildNewWorker(
  cipher: DataCipher,
  input: NewWorkerInput,
  id: ParsedIdNumber,
  phones: { phone: string | null; emergencyPhone: string | null },
  now: string,
  /** The ID number's blind index when the caller has it already. */
  idNumberHash?: string,
): { row: NewWorker; after: Record<string, unknown>; startDate: string } {
  const { phone, emergencyPhone } = phones;
  const status = input.status ?? 'active';
  const startDate = input.joinCommunityDate ?? input.workStartDate ?? now.slice(0, 10);
  const emergency = emergencyPhone
    ? { enc: cipher.encrypt(emergencyPhone), masked: maskPhone(emergencyPhone) }
    : { enc: null, masked: null };
  const row: NewWorker = {
    name: input.name,
    name_initials: nameInitials(input.name),
    id_number_enc: cipher.encrypt(id.value),
    id_number_hash: idNumberHash ?? cipher.blindIndex(ID_NUMBER_PURPOSE, id.value),
    id_number_masked: maskIdNumber(id.value),
    gender: id.gender,
    birth_date: id.birthDate,
    org_code: input.orgCode,
    post: input.post,
    posts: JSON.stringify(input.posts),
    status,
    status_date: startDate,
    phone_enc: phone ? cipher.encrypt(phone) : null,
    phone_hash: phone ? cipher.blindIndex(PHONE_PURPOSE, phone) : null,
    phone_masked: phone ? maskPhone(phone) : null,
    emergency_contact_phone_enc: emergency.enc,
    emergency_contact_phone_masked: emergency.masked,
    created_at: now,
    updated_at: now,
  };
  const after: Record<string, unknown> = {
    name: input.name,
    idNumber: maskIdNumber(id.value),
    orgCode: input.orgCode,
    post: input.post,
    posts: input.posts,
    status,
    phone: phone ? maskPhone(phone) : null,
    emergencyContactPhone: emergency.masked,
  };
  for (const [key, col, mask] of PLAIN_FIELDS) {
    if (key === 'name') continue;
    const v = blankToNull(input[key]) ?? null;
    (row as Record<string, unknown>)[col] = v;
    after[key] = mask ? mask(v) : v;
  }
  for (const key of Object.keys(after)) if (after[key] === null) delete after[key];
  return { row, after, startDate };
}

/**
 * Registers a worker; the ID number gives gender and birth date (what the user typed must agree),
 * and must not be on any roll yet. Opens the first placement and writes the history.
 */
export async function createWorker(ctx: OpContext, input: TWorkerCreate): Promise<TWorker> {
  const id = parseIdNumberOrThrow(input.idNumber);
  assertMatchesIdNumber(id, input);
  const phone = input.phone ? parsePhoneOrThrow('phone', '手机号', input.phone) : null;
  const emergencyPhone = input.emergencyContactPhone
    ? parsePhoneOrThrow('emergencyContactPhone', '紧急联系人电话', input.emergencyContactPhone)
    : null;
  const { post, posts } = resolvePostsOrThrow(null, { post: input.post, posts: input.posts });
  await assertPlacementOrg(ctx, input.orgCode);
  const hash = ctx.deps.cipher.blindIndex(ID_NUMBER_PURPOSE, id.value);
  await assertIdNumberFree(ctx, hash);
  const { row, after, startDate } = buildNewWorker(ctx.deps.cipher, { ...input, post, posts }, id, { phone, emergencyPhone }, nowIso());
  const db = ctx.deps.db.kysely;
  let newId: number;
  try {
    newId = await db.transaction().execute(async (trx) => {
      const wid = await repo.insertWorker(trx, row);
      await repo.insertAssignment(trx, {
        worker_id: wid,
        org_code: input.orgCode,
        from_date: startDate,
        to_date: null,
        reason: null,
        created_at: row.created_at,
      });
      await recordWorkerChange(trx, ctx, { action: 'create', workerId: wid, orgCode: input.orgCode, before: {}, after });
      return wid;
    });
  } catch (err) {
    if (isUniqueViolation(err)) await assertIdNumberFree(ctx, hash);
    throw err;
  }
  return getWorker(ctx, newId);
}

/**
 * Edits a worker's record. `alsoInTransaction` runs in the same transaction after the change and its
 * history are written (a correction request marks itself approved there; throwing rolls all back).
 * The status may only be confirmed from probation to active here (other
 * changes go through `changeWorkerStatus`); a new org is recorded as a transfer effective today.
 * Personal data appears in the audit log and the history masked only.
 */
export async function updateWorker(
  ctx: OpContext,
  workerId: number,
  patch: TWorkerUpdate,
  options: { alsoInTransaction?: (trx: Tx) => Promise<void> } = {},
): Promise<TWorker> {
  const db = ctx.deps.db.kysely;
  const current = await getWorkerRowOrThrow(ctx, workerId);
  const { cipher } = ctx.deps;
  const set: WorkerUpdate = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const change = (key: string, oldV: unknown, newV: unknown) => {
    before[key] = oldV;
    after[key] = newV;
  };
  const today = todayDate();
  if (patch.status !== undefined && !isStatusEditable(current.status, patch.status)) {
    throw fieldError(
      'status',
      '状态：请通过“变更状态”办理（POST /workers/{id}/status，须填写生效日期和原因）',
      'status: use POST /workers/{id}/status for this change (effective date and reason required)',
    );
  }
  let idFacts = { gender: current.gender, birthDate: current.birth_date };
  if (patch.idNumber !== undefined) {
    const id = parseIdNumberOrThrow(patch.idNumber);
    idFacts = { gender: id.gender, birthDate: id.birthDate };
    assertMatchesIdNumber(idFacts, patch);
    const hash = cipher.blindIndex(ID_NUMBER_PURPOSE, id.value);
    await assertIdNumberFree(ctx, hash, workerId);
    Object.assign(set, {
      id_number_enc: cipher.encrypt(id.value),
      id_number_hash: hash,
      id_number_masked: maskIdNumber(id.value),
      gender: id.gender,
      birth_date: id.birthDate,
    });
    change('idNumber', current.id_number_masked, maskIdNumber(id.value));
  } else {
    assertMatchesIdNumber(idFacts, patch);
  }
  if (patch.phone !== undefined) {
    const phone = patch.phone ? parsePhoneOrThrow('phone', '手机号', patch.phone) : null;
    Object.assign(set, {
      phone_enc: phone ? cipher.encrypt(phone) : null,
      phone_hash: phone ? cipher.blindIndex(PHONE_PURPOSE, phone) : null,
      phone_masked: phone ? maskPhone(phone) : null,
    });
    change('phone', current.phone_masked, phone ? maskPhone(phone) : null);
  }
  if (patch.emergencyContactPhone !== undefined) {
    const phone = patch.emergencyContactPhone
      ? parsePhoneOrThrow('emergencyContactPhone', '紧急联系人电话', patch.emergencyContactPhone)
      : null;
    const e = encryptedPhone(ctx, phone);
    set.emergency_contact_phone_enc = e.enc;
    set.emergency_contact_phone_masked = e.masked;
    change('emergencyContactPhone', current.emergency_contact_phone_masked, e.masked);
  }
  if (patch.post !== undefined || patch.posts !== undefined) {
    const held = { post: current.post, posts: postsOf(current.post, current.posts) };
    const next = resolvePostsOrThrow(held, { post: patch.post, posts: patch.posts });
    if (next.post !== held.post) {
      set.post = next.post;
      change('post', held.post, next.post);
    }
    if (next.posts.join(',') !== held.posts.join(',')) {
      set.posts = JSON.stringify(next.posts);
      change('posts', held.posts, next.posts);
    }
  }
  if (patch.status !== undefined && patch.status !== current.status) {
    set.status = patch.status;
    set.status_date = today;
    change('status', current.status, patch.status);
    change('statusDate', current.status_date, today);
  }
  const moved = patch.orgCode !== undefined && patch.orgCode !== current.org_code;
  if (moved) {
    await assertPlacementOrg(ctx, patch.orgCode!);
    set.org_code = patch.orgCode!;
    change('orgCode', current.org_code, patch.orgCode);
  }
  for (const [key, col, mask] of PLAIN_FIELDS) {
    const raw = patch[key];
    if (raw === undefined) continue;
    const newV = blankToNull(raw);
    const oldV = (current as Record<string, unknown>)[col] as string | null;
    if (newV !== oldV) {
      (set as Record<string, unknown>)[col] = newV;
      change(key, mask ? mask(oldV) : oldV, mask ? mask(newV) : newV);
    }
  }
  if (typeof set.name === 'string') set.name_initials = nameInitials(set.name);
  if (moved && set.join_community_date === undefined) {
    set.join_community_date = today;
    change('joinCommunityDate', current.join_community_date, today);
  }
  if (Object.keys(set).length === 0) {
    if (options.alsoInTransaction) await db.transaction().execute(options.alsoInTransaction);
    return presentWorker(ctx, current);
  }
  set.updated_at = nowIso();
  try {
    await db.transaction().execute(async (trx) => {
      await repo.updateWorker(trx, workerId, set);
      if (set.post !== undefined || set.posts !== undefined) {
        // A post in another band (正职/副职/其他) re-bands the current grade, effective today.
        const posts = set.posts ? (JSON.parse(set.posts) as string[]) : postsOf(current.post, current.posts);
        const postChange = { workerId, orgCode: set.org_code ?? current.org_code, post: set.post ?? current.post, posts };
        await rebandWorkerOnPostChange(trx, ctx, postChange, today);
      }
      if (moved) {
        await repo.closeOpenAssignment(trx, workerId, set.join_community_date ?? today);
        await repo.insertAssignment(trx, {
          worker_id: workerId,
          org_code: set.org_code!,
          from_date: set.join_community_date ?? today,
          to_date: null,
          reason: '修改所属组织',
          created_at: set.updated_at!,
        });
      }
      await recordWorkerChange(trx, ctx, { action: 'update', workerId, orgCode: set.org_code ?? current.org_code, before, after });
      await options.alsoInTransaction?.(trx);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE_ID_NUMBER');
    throw err;
  }
  return getWorker(ctx, workerId);
}

export type RevealField = 'idNumber' | 'phone' | 'emergencyContactPhone';

/**
 * Keyed fingerprints (blind indexes under `purpose`) of a worker's phone numbers, to tell whether
 * they changed without showing them; nothing is revealed, so nothing is audited.
 */
export async function getWorkerPhoneFingerprints(ctx: OpContext, workerId: number, purpose: string) {
  const row = await repo.getWorkerSecretsInScope(ctx.deps.db.kysely, ctx.scope, workerId);
  if (!row) throw AppError.notFound();
  const { cipher } = ctx.deps;
  const fingerprint = (enc: string | null) => cipher.blindIndex(purpose, enc ? cipher.decrypt(enc) : '');
  return { phone: fingerprint(row.phone_enc), emergencyContactPhone: fingerprint(row.emergency_contact_phone_enc) };
}

/** Decrypts personal data for one worker in scope; every reveal is audited (PIPL). */
export async function revealWorkerData(ctx: OpContext, workerId: number, fields: RevealField[]) {
  const db = ctx.deps.db.kysely;
  const row = await repo.getWorkerSecretsInScope(db, ctx.scope, workerId);
  if (!row) throw AppError.notFound();
  const { cipher } = ctx.deps;
  const out: { idNumber?: string; phone?: string | null; emergencyContactPhone?: string | null } = {};
  if (fields.includes('idNumber')) out.idNumber = cipher.decrypt(row.id_number_enc);
  if (fields.includes('phone')) out.phone = row.phone_enc ? cipher.decrypt(row.phone_enc) : null;
  if (fields.includes('emergencyContactPhone')) {
    out.emergencyContactPhone = row.emergency_contact_phone_enc ? cipher.decrypt(row.emergency_contact_phone_enc) : null;
  }
  await recordAudit(ctx, { action: 'worker.reveal', entityType: 'worker', entityId: workerId, orgCode: row.org_code, after: { fields } });
  return out;
}
