/**
 * Opening tax balances (期初累计). Under the cumulative withholding method (累计预扣法, 国家税务总局
 * 公告2018年第61号) each month's tax is computed from the year's cumulative income and deductions.
 * When a city starts using shegong mid-year, or a worker's earlier months were paid by the old
 * system under the same withholding agent, those cumulative figures through a month are entered
 * here (one row per worker and year), by form or by spreadsheet, so the withholding continues
 * correctly. An opening may not cover a month shegong has already paid (approved) for the worker.
 */
import type { Readable } from 'node:stream';
import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { pageOffset, type Page } from '../../lib/paging.ts';
import { NATION_CODE } from '../../lib/scope.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { findOrgInScope } from '../orgs/orgs.service.ts';
import { getWorkerRowOrThrow } from '../workers/workers.service.ts';
import * as repo from './payroll-openings.repo.ts';
import type { TImportResult, TTaxOpening, TTaxOpeningQuery, TTaxOpeningSave } from './payroll-openings.schema.ts';
import {
  assertUploadBody,
  cellFen,
  checkPersonCells,
  cellMonth,
  cellText,
  readUploadedRows,
  RowErrors,
  type UploadColumns,
} from './payroll-upload.ts';

function presentOpening(r: repo.TaxOpeningRecord): TTaxOpening {
  return {
    id: Number(r.id),
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    orgCode: r.org_code,
    orgName: r.org_name,
    year: Number(r.year),
    throughMonth: r.through_month,
    taxMonths: Number(r.tax_months),
    cumGrossFen: Number(r.cum_gross_fen),
    cumTaxFreeFen: Number(r.cum_tax_free_fen),
    cumInsuranceFen: Number(r.cum_insurance_fen),
    cumSpecialFen: Number(r.cum_special_fen),
    cumOtherFen: Number(r.cum_other_fen),
    cumTaxFen: Number(r.cum_tax_fen),
    note: r.note,
    updatedAt: r.updated_at,
  };
}

/** Amounts only: what an audit entry of an opening records (no personal data). */
function auditValues(x: Omit<TTaxOpeningSave, 'note'> & { note?: string | null | undefined }) {
  return {
    year: x.year,
    throughMonth: x.throughMonth,
    taxMonths: x.taxMonths,
    cumGrossFen: x.cumGrossFen,
    cumTaxFreeFen: x.cumTaxFreeFen,
    cumInsuranceFen: x.cumInsuranceFen,
    cumSpecialFen: x.cumSpecialFen,
    cumOtherFen: x.cumOtherFen,
    cumTaxFen: x.cumTaxFen,
  };
}

/** A page of the opening balances of a year in the caller's scope, optionally under one org node. */
export async function findTaxOpenings(ctx: OpContext, query: TTaxOpeningQuery): Promise<Page<TTaxOpening>> {
  if (query.orgCode && query.orgCode !== NATION_CODE) {
    const org = await findOrgInScope(ctx, query.orgCode);
    if (!org) return { items: [], total: 0 };
  }
  const orgCode = query.orgCode === NATION_CODE ? undefined : query.orgCode;
  const { items, total } = await repo.findTaxOpeningsInScope(
    ctx.deps.db.kysely,
    ctx.scope,
    { year: query.year, orgCode },
    { limit: query.pageSize, offset: pageOffset(query) },
  );
  return { items: items.map(presentOpening), total };
}

/** The rules between the fields of one opening; returns `[field, message]` pairs. */
function checkOpening(x: Pick<TTaxOpeningSave, 'year' | 'throughMonth' | 'taxMonths'>): [keyof TTaxOpeningSave, string][] {
  const problems: [keyof TTaxOpeningSave, string][] = [];
  const monthYear = Number(x.throughMonth.slice(0, 4));
  const monthNumber = Number(x.throughMonth.slice(5, 7));
  if (monthYear !== x.year) problems.push(['throughMonth', `应在${x.year}年内`]);
  if (x.taxMonths > monthNumber) problems.push(['taxMonths', `不能超过截至月份的月数（${monthNumber}）`]);
  return problems;
}

const FIELD_LABELS_ZH: Partial<Record<keyof TTaxOpeningSave, string>> = {
  throughMonth: '截至月份',
  taxMonths: '累计月数',
};

function finalMonthConflict(workerName: string, finalMonth: string, throughMonth: string): string {
  return `${workerName} ${finalMonth} 的工资已在本系统审批，不能再录入截至 ${throughMonth} 的期初累计（期初只用于本系统首次发放之前的月份）`;
}

/**
 * Enters or replaces one worker's opening balances of a year. Refused when shegong has already
 * approved a slip of the worker in that year at or before `throughMonth` (it would count twice).
 */
export async function saveTaxOpening(ctx: OpContext, workerId: number, input: TTaxOpeningSave): Promise<TTaxOpening> {
  const worker = await getWorkerRowOrThrow(ctx, workerId);
  const problems = checkOpening(input);
  if (problems.length > 0) {
    const issues = problems.map(([field, message]) => ({ field, message: `${FIELD_LABELS_ZH[field] ?? field}：${message}` }));
    throw new AppError('VALIDATION_FAILED', {
      message: issues.map((i) => i.message).join('；'),
      messageEn: `Invalid: ${issues.map((i) => i.field).join(', ')}`,
      details: { issues },
    });
  }
  const db = ctx.deps.db.kysely;
  const finals = await repo.findFirstFinalMonthsUnscoped(db, [workerId], `${input.year}-01`, input.throughMonth);
  const finalMonth = finals.get(workerId);
  if (finalMonth !== undefined) {
    throw new AppError('CONFLICT', {
      message: finalMonthConflict(worker.name, finalMonth, input.throughMonth),
      messageEn: `Pay of ${finalMonth} is already approved in shegong; an opening through ${input.throughMonth} would count it twice`,
      details: { field: 'throughMonth', finalMonth },
    });
  }
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const before = await repo.getTaxOpeningInScope(trx, ctx.scope, workerId, input.year);
    await repo.upsertTaxOpening(trx, {
      worker_id: workerId,
      org_code: worker.org_code,
      year: input.year,
      through_month: input.throughMonth,
      tax_months: input.taxMonths,
      cum_gross_fen: input.cumGrossFen,
      cum_tax_free_fen: input.cumTaxFreeFen,
      cum_insurance_fen: input.cumInsuranceFen,
      cum_special_fen: input.cumSpecialFen,
      cum_other_fen: input.cumOtherFen,
      cum_tax_fen: input.cumTaxFen,
      note: input.note ?? null,
      created_by: ctx.actor?.id ?? null,
      created_at: now,
      updated_at: now,
    });
    await appendAudit(trx, ctx, {
      action: 'payroll.taxOpening.save',
      entityType: 'worker',
      entityId: workerId,
      orgCode: worker.org_code,
      before: before ? auditValues(presentOpening(before)) : null,
      after: auditValues(input),
    });
  });
  const saved = await repo.getTaxOpeningInScope(db, ctx.scope, workerId, input.year);
  if (!saved) throw AppError.notFound();
  return presentOpening(saved);
}

// ---------------------------------------------------------------- import

/** Columns of the opening-balance sheet; amounts in yuan with at most two decimals. */
export const TAX_OPENING_COLUMNS: UploadColumns = {
  name: ['姓名'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '证件号码'],
  year: ['年度', '所属年度', '纳税年度'],
  throughMonth: ['截至月份', '截止月份', '截至月'],
  taxMonths: ['累计月数', '已任职月数', '累计任职月数'],
  cumGross: ['累计收入', '累计收入额', '累计应发'],
  cumTaxFree: ['累计免税收入'],
  cumInsurance: ['累计专项扣除', '累计专项扣除(社保公积金)', '累计社保公积金'],
  cumSpecial: ['累计专项附加扣除'],
  cumOther: ['累计其他扣除', '累计依法确定的其他扣除'],
  cumTax: ['累计已预扣税额', '累计已预扣预缴税额', '累计已扣税额'],
};
const REQUIRED = ['name', 'idNumber', 'year', 'throughMonth', 'taxMonths', 'cumGross', 'cumInsurance', 'cumTax'] as const;
const AMOUNT_KEYS = [
  ['cumGross', 'cumGrossFen'],
  ['cumTaxFree', 'cumTaxFreeFen'],
  ['cumInsurance', 'cumInsuranceFen'],
  ['cumSpecial', 'cumSpecialFen'],
  ['cumOther', 'cumOtherFen'],
  ['cumTax', 'cumTaxFen'],
] as const;

interface CheckedOpening {
  rowNumber: number;
  hash: string;
  name: string;
  values: Omit<TTaxOpeningSave, 'note'>;
}

/**
 * Imports opening balances from an .xlsx or CSV sheet (one row per worker and year; workers found
 * by their ID number's blind index, in the caller's scope). Every row is checked first; any error
 * writes nothing and reports every row as `第N行 列名：…`. `dryRun` checks only.
 */
export async function importTaxOpenings(
  ctx: OpContext,
  body: Readable | undefined,
  options: { isDryRun: boolean; fileName?: string | undefined },
): Promise<TImportResult> {
  assertUploadBody(body);
  const rows = await readUploadedRows(ctx, body, { columns: TAX_OPENING_COLUMNS, requiredKeys: REQUIRED, fileName: options.fileName });
  const errors = new RowErrors(TAX_OPENING_COLUMNS);
  const checked: CheckedOpening[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const c = row.cells;
    const before = errors.items.length;
    const { name, hash } = checkPersonCells(ctx, errors, row);
    const yearText = cellText(c.year).replace(/年$/, '');
    const year = /^\d{4}$/.test(yearText) && Number(yearText) >= 2000 && Number(yearText) <= 2100 ? Number(yearText) : null;
    if (year === null) errors.add(row.rowNumber, 'year', yearText === '' ? '必填' : `“${yearText}”不是有效年度，应为四位年份如 2026`);
    const throughMonth = cellMonth(c.throughMonth, year);
    if (throughMonth === null) {
      const text = cellText(c.throughMonth);
      errors.add(row.rowNumber, 'throughMonth', text === '' ? '必填' : `“${text}”不是有效月份，应如 2026-06`);
    }
    const monthsText = cellText(c.taxMonths);
    const taxMonths = /^\d{1,2}$/.test(monthsText) ? Number(monthsText) : null;
    if (taxMonths === null || taxMonths < 1 || taxMonths > 12) {
      errors.add(row.rowNumber, 'taxMonths', monthsText === '' ? '必填' : '应为 1–12 的整数');
    }
    const amounts: Record<string, number> = {};
    for (const [key, field] of AMOUNT_KEYS) {
      const r = cellFen(c[key], !REQUIRED.includes(key as (typeof REQUIRED)[number]));
      if (r.ok) amounts[field] = r.fen;
      else errors.add(row.rowNumber, key, r.message);
    }
    if (errors.items.length > before || hash === null || year === null || throughMonth === null || taxMonths === null) continue;
    const values = { year, throughMonth, taxMonths, ...amounts } as Omit<TTaxOpeningSave, 'note'>;
    const problems = checkOpening(values);
    for (const [field, message] of problems) errors.add(row.rowNumber, field, message);
    if (problems.length > 0) continue;
    const key = `${hash}|${year}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.add(row.rowNumber, 'idNumber', `与第${first}行是同一人同一年度`);
      continue;
    }
    seen.set(key, row.rowNumber);
    checked.push({ rowNumber: row.rowNumber, hash, name, values });
  }

  const db = ctx.deps.db.kysely;
  const workers = new Map<string, { id: number; name: string; org_code: string }>();
  for (const w of await repo.findWorkersByIdHashesInScope(
    db,
    ctx.scope,
    checked.map((c) => c.hash),
  )) {
    workers.set(w.id_number_hash, { id: Number(w.id), name: w.name, org_code: w.org_code });
  }
  const matched: (CheckedOpening & { worker: { id: number; name: string; org_code: string } })[] = [];
  for (const c of checked) {
    const worker = workers.get(c.hash);
    if (!worker) errors.add(c.rowNumber, 'idNumber', '未找到该人员，或不在您的管辖范围内');
    else if (worker.name !== c.name) errors.add(c.rowNumber, 'name', `与身份证号对应人员的姓名（${worker.name}）不一致`);
    else matched.push({ ...c, worker });
  }
  // A month shegong already approved may not be covered by an opening (per year: the months differ).
  for (const year of new Set(matched.map((m) => m.values.year))) {
    const ofYear = matched.filter((m) => m.values.year === year);
    const finals = await repo.findFirstFinalMonthsUnscoped(
      db,
      ofYear.map((m) => m.worker.id),
      `${year}-01`,
      `${year}-12`,
    );
    for (const m of ofYear) {
      const finalMonth = finals.get(m.worker.id);
      if (finalMonth !== undefined && finalMonth <= m.values.throughMonth) {
        errors.add(m.rowNumber, 'throughMonth', finalMonthConflict(m.worker.name, finalMonth, m.values.throughMonth));
      }
    }
  }

  errors.items.sort((a, b) => a.rowNumber - b.rowNumber);
  const result: TImportResult = { isDryRun: options.isDryRun, totalRows: rows.length, saved: 0, errors: errors.items };
  if (options.isDryRun) return result;
  errors.throwIfAny(rows.length);
  if (matched.length === 0) return result;

  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    for (const m of matched) {
      await repo.upsertTaxOpening(trx, {
        worker_id: m.worker.id,
        org_code: m.worker.org_code,
        year: m.values.year,
        through_month: m.values.throughMonth,
        tax_months: m.values.taxMonths,
        cum_gross_fen: m.values.cumGrossFen,
        cum_tax_free_fen: m.values.cumTaxFreeFen,
        cum_insurance_fen: m.values.cumInsuranceFen,
        cum_special_fen: m.values.cumSpecialFen,
        cum_other_fen: m.values.cumOtherFen,
        cum_tax_fen: m.values.cumTaxFen,
        note: null,
        created_by: ctx.actor?.id ?? null,
        created_at: now,
        updated_at: now,
      });
      await appendAudit(trx, ctx, {
        action: 'payroll.taxOpening.import',
        entityType: 'worker',
        entityId: m.worker.id,
        orgCode: m.worker.org_code,
        after: { ...auditValues(m.values), rowNumber: m.rowNumber, fileName: options.fileName ?? null },
      });
    }
  });
  return { ...result, saved: matched.length };
}
