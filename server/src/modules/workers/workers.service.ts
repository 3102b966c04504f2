import type { OpContext } from '../../context.ts';
import type { WorkerUpdate } from '../../db/schema.ts';
import { AppError, isUniqueViolation } from '../../lib/errors.ts';
import { ID_PROBLEM_MESSAGES, maskIdNumber, parseIdNumber, type ParsedIdNumber } from '../../lib/id-card.ts';
import { maskPhone, normalisePhone } from '../../lib/mask.ts';
import { ageOn, nowIso } from '../../lib/time.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import { postCategoryOf } from '../meta/enums.ts';
import { findOrgInScope, getOrgNames } from '../orgs/orgs.service.ts';
import * as repo from './workers.repo.ts';
import type { TWorker, TWorkerCreate, TWorkerListQuery, TWorkerSummary, TWorkerUpdate } from './workers.schema.ts';

type Row = NonNullable<Awaited<ReturnType<typeof repo.getWorkerInScope>>>;

export const ID_NUMBER_PURPOSE = 'id_number';
export const PHONE_PURPOSE = 'phone';

function presentSummary(r: Row): TWorkerSummary {
  return {
    id: Number(r.id),
    name: r.name,
    idNumberMasked: r.id_number_masked,
    gender: r.gender,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date),
    orgCode: r.org_code,
    orgName: r.org_name,
    post: r.post,
    postCategory: postCategoryOf(r.post),
    status: r.status,
    education: r.education,
    phoneMasked: r.phone_masked,
  };
}

async function presentWorker(ctx: OpContext, r: Row): Promise<TWorker> {
  const streetCode = r.org_code.length === 12 ? r.org_code.slice(0, 9) : r.org_code.length === 9 ? r.org_code : null;
  const names = streetCode ? await getOrgNames(ctx, [streetCode]) : new Map<string, string>();
  return {
    ...presentSummary(r),
    streetCode,
    streetName: streetCode ? (names.get(streetCode) ?? null) : null,
    politicalStatus: r.political_status,
    workStartDate: r.work_start_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function fieldError(field: string, zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', {
    message: zh,
    messageEn: en,
    details: { issues: [{ field, message: zh, messageEn: en }] },
  });
}

/** Parses an ID number or throws a field error such as "身份证号：校验位错误". */
export function parseIdNumberOrThrow(raw: string): ParsedIdNumber {
  const parsed = parseIdNumber(raw);
  if ('problem' in parsed) {
    const m = ID_PROBLEM_MESSAGES[parsed.problem];
    throw fieldError('idNumber', `身份证号：${m.zh}`, `idNumber: ${m.en}`);
  }
  return parsed;
}

function parsePhoneOrThrow(raw: string): string {
  const phone = normalisePhone(raw);
  if (!phone) throw fieldError('phone', '手机号：格式错误，应为11位手机号或带区号的固定电话', 'phone: not a valid phone number');
  return phone;
}

/** Workers may be placed on a street or a community in the caller's scope. */
async function assertPlacementOrg(ctx: OpContext, orgCode: string) {
  const org = await findOrgInScope(ctx, orgCode);
  if (!org) throw fieldError('orgCode', '所属组织：不存在或不在您的管辖范围内', 'orgCode: not found in your scope');
  if (org.level < 4) throw fieldError('orgCode', '所属组织：须为街道（乡镇）或社区（村）', 'orgCode: must be a street or a community');
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

export async function findWorkers(ctx: OpContext, query: TWorkerListQuery) {
  let orgLevel: number | undefined;
  if (query.orgCode) {
    const org = await findOrgInScope(ctx, query.orgCode);
    if (!org) return { items: [], total: 0 };
    orgLevel = org.level;
  }
  let name: string | undefined;
  let idNumberHash: string | undefined;
  if (query.q) {
    const parsed = parseIdNumber(query.q);
    if ('value' in parsed) idNumberHash = ctx.deps.cipher.blindIndex(ID_NUMBER_PURPOSE, parsed.value);
    else name = query.q;
  }
  const { items, total } = await repo.findWorkers(
    ctx.deps.db.kysely,
    ctx.scope,
    { orgCode: query.orgCode, orgLevel, status: query.status, post: query.post, name, idNumberHash },
    query.pageSize,
    (query.page - 1) * query.pageSize,
  );
  return { items: items.map(presentSummary), total };
}

export async function getWorker(ctx: OpContext, id: number): Promise<TWorker> {
  const row = await repo.getWorkerInScope(ctx.deps.db.kysely, ctx.scope, id);
  if (!row) throw AppError.notFound();
  return presentWorker(ctx, row);
}

/** Registers a worker; the ID number gives gender and birth date, and must not be on any roll yet. */
export async function createWorker(ctx: OpContext, input: TWorkerCreate): Promise<TWorker> {
  const id = parseIdNumberOrThrow(input.idNumber);
  const phone = input.phone ? parsePhoneOrThrow(input.phone) : null;
  await assertPlacementOrg(ctx, input.orgCode);
  const { cipher } = ctx.deps;
  const hash = cipher.blindIndex(ID_NUMBER_PURPOSE, id.value);
  await assertIdNumberFree(ctx, hash);
  const now = nowIso();
  const db = ctx.deps.db.kysely;
  let newId: number;
  try {
    newId = await db.transaction().execute(async (trx) => {
      const wid = await repo.insertWorker(trx, {
        name: input.name,
        id_number_enc: cipher.encrypt(id.value),
        id_number_hash: hash,
        id_number_masked: maskIdNumber(id.value),
        gender: id.gender,
        birth_date: id.birthDate,
        org_code: input.orgCode,
        post: input.post,
        status: input.status,
        phone_enc: phone ? cipher.encrypt(phone) : null,
        phone_hash: phone ? cipher.blindIndex(PHONE_PURPOSE, phone) : null,
        phone_masked: phone ? maskPhone(phone) : null,
        education: input.education ?? null,
        political_status: input.politicalStatus ?? null,
        work_start_date: input.workStartDate ?? null,
        created_at: now,
        updated_at: now,
      });
      await appendAudit(trx, ctx, {
        action: 'worker.create',
        entityType: 'worker',
        entityId: wid,
        orgCode: input.orgCode,
        after: {
          name: input.name,
          idNumber: maskIdNumber(id.value),
          orgCode: input.orgCode,
          post: input.post,
          status: input.status,
          phone: phone ? maskPhone(phone) : null,
        },
      });
      return wid;
    });
  } catch (err) {
    if (isUniqueViolation(err)) await assertIdNumberFree(ctx, hash);
    throw err;
  }
  return getWorker(ctx, newId);
}

/** Edits a worker; personal data appears in the audit log masked only. */
export async function updateWorker(ctx: OpContext, workerId: number, patch: TWorkerUpdate): Promise<TWorker> {
  const db = ctx.deps.db.kysely;
  const current = await repo.getWorkerInScope(db, ctx.scope, workerId);
  if (!current) throw AppError.notFound();
  const { cipher } = ctx.deps;
  const set: WorkerUpdate = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const change = (key: string, oldV: unknown, newV: unknown) => {
    before[key] = oldV;
    after[key] = newV;
  };
  if (patch.idNumber !== undefined) {
    const id = parseIdNumberOrThrow(patch.idNumber);
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
  }
  if (patch.phone !== undefined) {
    const phone = patch.phone ? parsePhoneOrThrow(patch.phone) : null;
    Object.assign(set, {
      phone_enc: phone ? cipher.encrypt(phone) : null,
      phone_hash: phone ? cipher.blindIndex(PHONE_PURPOSE, phone) : null,
      phone_masked: phone ? maskPhone(phone) : null,
    });
    change('phone', current.phone_masked, phone ? maskPhone(phone) : null);
  }
  if (patch.orgCode !== undefined && patch.orgCode !== current.org_code) {
    await assertPlacementOrg(ctx, patch.orgCode);
    set.org_code = patch.orgCode;
    change('orgCode', current.org_code, patch.orgCode);
  }
  const plain = [
    ['name', 'name', current.name],
    ['post', 'post', current.post],
    ['status', 'status', current.status],
    ['education', 'education', current.education],
    ['politicalStatus', 'political_status', current.political_status],
    ['workStartDate', 'work_start_date', current.work_start_date],
  ] as const;
  for (const [key, col, oldV] of plain) {
    const newV = patch[key];
    if (newV !== undefined && newV !== oldV) {
      (set as Record<string, unknown>)[col] = newV;
      change(key, oldV, newV);
    }
  }
  if (Object.keys(set).length === 0) return presentWorker(ctx, current);
  set.updated_at = nowIso();
  try {
    await db.transaction().execute(async (trx) => {
      await repo.updateWorker(trx, workerId, set);
      await appendAudit(trx, ctx, {
        action: 'worker.update',
        entityType: 'worker',
        entityId: workerId,
        orgCode: set.org_code ?? current.org_code,
        before,
        after,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE_ID_NUMBER');
    throw err;
  }
  return getWorker(ctx, workerId);
}

/** Decrypts personal data for one worker in scope; every reveal is audited (PIPL). */
export async function revealWorkerData(ctx: OpContext, workerId: number, fields: ('idNumber' | 'phone')[]) {
  const db = ctx.deps.db.kysely;
  const row = await repo.getWorkerSecretsInScope(db, ctx.scope, workerId);
  if (!row) throw AppError.notFound();
  const out: { idNumber?: string; phone?: string | null } = {};
  if (fields.includes('idNumber')) out.idNumber = ctx.deps.cipher.decrypt(row.id_number_enc);
  if (fields.includes('phone')) out.phone = row.phone_enc ? ctx.deps.cipher.decrypt(row.phone_enc) : null;
  await recordAudit(ctx, { action: 'worker.reveal', entityType: 'worker', entityId: workerId, orgCode: row.org_code, after: { fields } });
  return out;
}
