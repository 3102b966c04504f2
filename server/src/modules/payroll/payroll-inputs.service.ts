/**
 * Monthly pay inputs beyond the single save of payroll.service.ts: deleting one, and entering a
 * month's inputs from a spreadsheet (all or nothing, row errors `第N行 列名：…`). A month whose
 * slip is approved for the worker is closed: corrections go into a later month.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { OpContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { nowIso } from '../../lib/time.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { findWorkersByIdHashesInScope } from './payroll-openings.repo.ts';
import type { TImportResult } from './payroll-openings.schema.ts';
import * as repo from './payroll-inputs.repo.ts';
import { PAY_INPUT_KINDS } from './payroll.schema.ts';
import {
  assertUploadBody,
  cellFen,
  checkPersonCells,
  cellText,
  readUploadedRows,
  RowErrors,
  type UploadColumns,
} from './payroll-upload.ts';

type PayInputKind = (typeof PAY_INPUT_KINDS)[number];

/** The Chinese names of input kinds, as the screen and the import sheet show them. */
export const PAY_INPUT_KIND_NAMES: Record<PayInputKind, string> = {
  allowance: '津贴',
  tax_free_allowance: '免税补贴',
  pre_tax_deduction: '税前扣款',
  post_tax_deduction: '税后扣款',
  special_deduction: '专项附加扣除',
  other_tax_deduction: '其他扣除',
};

/** Largest single input, as the form's schema allows (1,000,000 yuan). */
const MAX_INPUT_FEN = 100_000_000;

/** Deletes one monthly input in scope; refused once the worker's slip of that month is approved. */
export async function deletePayInput(ctx: OpContext, id: number): Promise<void> {
  const db = ctx.deps.db.kysely;
  const input = await repo.getPayInputInScope(db, ctx.scope, id);
  if (!input) throw AppError.notFound();
  const workerId = Number(input.worker_id);
  if (await repo.isMonthFinalUnscoped(db, workerId, input.month)) {
    throw new AppError('CONFLICT', {
      message: `${input.month} 的工资已审批，录入项不能再删除；如需更正请在以后月份录入调整项`,
      messageEn: 'That month is approved; enter an adjustment in a later month',
    });
  }
  await db.transaction().execute(async (trx) => {
    await repo.deletePayInput(trx, id);
    await appendAudit(trx, ctx, {
      action: 'payroll.input.delete',
      entityType: 'worker',
      entityId: workerId,
      orgCode: input.org_code,
      before: { id, month: input.month, kind: input.kind, code: input.code, name: input.name, amountFen: Number(input.amount_fen) },
    });
  });
}

/** Columns of the monthly-input sheet; 金额 in yuan with at most two decimals. */
export const PAY_INPUT_COLUMNS: UploadColumns = {
  name: ['姓名'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '证件号码'],
  kind: ['类别', '项目类别', '类型'],
  itemName: ['项目名称', '项目', '名称'],
  code: ['代码', '项目代码'],
  amount: ['金额', '金额(元)'],
  note: ['备注', '说明'],
};
const REQUIRED = ['name', 'idNumber', 'kind', 'itemName', 'amount'] as const;

const KIND_BY_NAME = new Map<string, PayInputKind>([
  ...Object.entries(PAY_INPUT_KIND_NAMES).map(([k, v]) => [v, k as PayInputKind] as const),
  ...PAY_INPUT_KINDS.map((k) => [k, k] as const),
  ['补贴', 'allowance'],
  ['津补贴', 'allowance'],
  ['扣款', 'post_tax_deduction'],
  ['专项附加', 'special_deduction'],
]);

/** A stable code for an item named only in Chinese: the same name maps to the same code, so a re-import replaces. */
function codeForName(name: string): string {
  return `item_${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
}

/**
 * Enters a month's inputs from an .xlsx or CSV sheet (workers by ID number, in scope). Each row
 * replaces the worker's input of the same kind and code in that month, as a single save does.
 */
export async function importPayInputs(
  ctx: OpContext,
  body: Readable | undefined,
  options: { month: string; isDryRun: boolean; fileName?: string | undefined },
): Promise<TImportResult> {
  assertUploadBody(body);
  const rows = await readUploadedRows(ctx, body, { columns: PAY_INPUT_COLUMNS, requiredKeys: REQUIRED, fileName: options.fileName });
  const errors = new RowErrors(PAY_INPUT_COLUMNS);
  const checked: {
    rowNumber: number;
    hash: string;
    name: string;
    kind: PayInputKind;
    code: string;
    itemName: string;
    fen: number;
    note: string | null;
  }[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const c = row.cells;
    const before = errors.items.length;
    const { name, hash } = checkPersonCells(ctx, errors, row);
    const kindText = cellText(c.kind);
    const kind = KIND_BY_NAME.get(kindText);
    if (!kind) {
      errors.add(
        row.rowNumber,
        'kind',
        kindText === '' ? '必填' : `“${kindText}”不是有效类别，应为 ${Object.values(PAY_INPUT_KIND_NAMES).join('、')}`,
      );
    }
    const itemName = cellText(c.itemName);
    if (itemName === '') errors.add(row.rowNumber, 'itemName', '必填');
    else if (itemName.length > 40) errors.add(row.rowNumber, 'itemName', '不能超过40个字');
    const codeText = cellText(c.code).toLowerCase();
    if (codeText !== '' && !/^[a-z][a-z0-9_]{0,39}$/.test(codeText))
      errors.add(row.rowNumber, 'code', '应为小写字母开头的字母、数字、下划线');
    const amount = cellFen(c.amount, false);
    if (!amount.ok) errors.add(row.rowNumber, 'amount', amount.message);
    else if (amount.fen > MAX_INPUT_FEN) errors.add(row.rowNumber, 'amount', '单项金额不能超过 1,000,000 元');
    const note = cellText(c.note);
    if (note.length > 200) errors.add(row.rowNumber, 'note', '不能超过200个字');
    if (errors.items.length > before || hash === null || !kind || !amount.ok) continue;
    const code = codeText || codeForName(itemName);
    const key = `${hash}|${kind}|${code}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.add(row.rowNumber, 'itemName', `与第${first}行是同一人的同一项目`);
      continue;
    }
    seen.set(key, row.rowNumber);
    checked.push({ rowNumber: row.rowNumber, hash, name, kind, code, itemName, fen: amount.fen, note: note || null });
  }

  const db = ctx.deps.db.kysely;
  const workers = new Map<string, { id: number; name: string; org_code: string }>();
  for (const w of await findWorkersByIdHashesInScope(
    db,
    ctx.scope,
    checked.map((c) => c.hash),
  )) {
    workers.set(w.id_number_hash, { id: Number(w.id), name: w.name, org_code: w.org_code });
  }
  const closed = await repo.findWorkersFinalInMonthUnscoped(
    db,
    [...workers.values()].map((w) => w.id),
    options.month,
  );
  const matched: ((typeof checked)[number] & { worker: { id: number; org_code: string } })[] = [];
  for (const c of checked) {
    const worker = workers.get(c.hash);
    if (!worker) errors.add(c.rowNumber, 'idNumber', '未找到该人员，或不在您的管辖范围内');
    else if (worker.name !== c.name) errors.add(c.rowNumber, 'name', `与身份证号对应人员的姓名（${worker.name}）不一致`);
    else if (closed.has(worker.id))
      errors.add(c.rowNumber, null, `${c.name} ${options.month} 的工资已审批，不能再录入；请在以后月份录入调整项`);
    else matched.push({ ...c, worker });
  }

  errors.items.sort((a, b) => a.rowNumber - b.rowNumber);
  const result: TImportResult = { isDryRun: options.isDryRun, totalRows: rows.length, saved: 0, errors: errors.items };
  if (options.isDryRun) return result;
  errors.throwIfAny(rows.length);
  if (matched.length === 0) return result;
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await repo.upsertPayInputs(
      trx,
      matched.map((m) => ({
        worker_id: m.worker.id,
        org_code: m.worker.org_code,
        month: options.month,
        kind: m.kind,
        code: m.code,
        name: m.itemName,
        amount_fen: m.fen,
        note: m.note,
        created_by: ctx.actor?.id ?? null,
        created_at: now,
      })),
    );
    for (const m of matched) {
      await appendAudit(trx, ctx, {
        action: 'payroll.input.import',
        entityType: 'worker',
        entityId: m.worker.id,
        orgCode: m.worker.org_code,
        after: { month: options.month, kind: m.kind, code: m.code, name: m.itemName, amountFen: m.fen, rowNumber: m.rowNumber },
      });
    }
  });
  return { ...result, saved: matched.length };
}
