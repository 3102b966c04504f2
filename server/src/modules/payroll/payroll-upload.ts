/**
 * Small synchronous spreadsheet uploads of the payroll module (opening tax balances, monthly
 * inputs): the request body is the file itself (.xlsx or CSV), stored to a private temporary
 * file, read with the shared row reader (header found by synonyms, file-level problems as
 * ImportFileError), then deleted. Rows are checked all together and written all or nothing.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { OpContext } from '../../context.ts';
import type { PlainCellValue } from '../../lib/excel/cell-value.ts';
import { saveUpload } from '../../lib/excel/save-upload.ts';
import { readRows, type ParsedRow } from '../../lib/excel/read-sheet.ts';
import { normaliseCellText } from '../../lib/excel/text.ts';
import { AppError } from '../../lib/errors.ts';
import { ID_PROBLEM_MESSAGES, parseIdNumber, upgradeLegacyIdNumber } from '../../lib/id-card.ts';
import { ID_NUMBER_PURPOSE } from '../workers/workers.service.ts';
import { parseYuanAmount, YUAN_AMOUNT_MESSAGES } from './rules/money.ts';
import type { TImportResult } from './payroll-openings.schema.ts';

/** Rows one synchronous payroll upload may hold (a city's workforce). */
export const MAX_PAYROLL_UPLOAD_ROWS = 50_000;
const MAX_PAYROLL_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Columns of an upload: canonical key → header titles (the first is the label in messages). */
export type UploadColumns = Record<string, readonly string[]>;

/** Reads every data row of an uploaded sheet; the stored copy is removed whatever happens. */
export async function readUploadedRows(
  ctx: OpContext,
  body: Readable,
  options: { columns: UploadColumns; requiredKeys: readonly string[]; fileName?: string | undefined },
): Promise<ParsedRow[]> {
  const dir = path.join(ctx.deps.config.dataDir, 'imports');
  const stored = (await saveUpload(body, { dir, suffix: 'payroll.upload', maxBytes: MAX_PAYROLL_UPLOAD_BYTES })).path;
  try {
    const rows: ParsedRow[] = [];
    for await (const row of readRows(stored, {
      headerSynonyms: options.columns,
      requiredKeys: options.requiredKeys,
      maxRows: MAX_PAYROLL_UPLOAD_ROWS,
      maxBytes: MAX_PAYROLL_UPLOAD_BYTES,
      ...(options.fileName ? { fileName: options.fileName } : {}),
    })) {
      if (!row.isBlank) rows.push(row);
    }
    return rows;
  } finally {
    await rm(stored, { force: true });
  }
}

/** Throws unless the route handed over a stream (the body of an upload is the file's bytes). */
export function assertUploadBody(body: unknown): asserts body is Readable {
  if (!body || typeof (body as Readable).pipe !== 'function') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      message: '请以 application/octet-stream 上传文件本身',
      messageEn: 'Send the file itself as application/octet-stream',
    });
  }
}

/** Collects row errors worded `第N行 列名：…`, the style of every import of the product. */
export class RowErrors {
  readonly items: TImportResult['errors'] = [];
  constructor(private readonly columns: UploadColumns) {}

  add(rowNumber: number, key: string | null, message: string): void {
    const label = key === null ? null : (this.columns[key]?.[0] ?? key);
    this.items.push({ rowNumber, column: label, message: `第${rowNumber}行 ${label === null ? '' : `${label}：`}${message}` });
  }

  /** All or nothing: a commit with any row error writes nothing and answers 400 listing every row. */
  throwIfAny(totalRows: number): void {
    if (this.items.length === 0) return;
    const first = this.items.slice(0, 3).map((e) => e.message);
    throw new AppError('VALIDATION_FAILED', {
      message: `导入未完成：${totalRows} 行中有 ${this.items.length} 处错误，未写入任何数据。${first.join('；')}${this.items.length > 3 ? ' 等' : ''}`,
      messageEn: `Nothing imported: ${this.items.length} row errors`,
      details: {
        issues: this.items.map((e) => ({ field: e.column ?? '', row: e.rowNumber, message: e.message })),
        errors: this.items,
      },
    });
  }
}

/**
 * The 姓名 and 身份证号 cells of a row (keys `name`, `idNumber`): both required, the ID number
 * checked (a 15-digit legacy number upgraded) and turned into its blind index for the lookup.
 */
export function checkPersonCells(
  ctx: OpContext,
  errors: RowErrors,
  row: { rowNumber: number; cells: Record<string, PlainCellValue | undefined> },
): { name: string; hash: string | null } {
  const name = cellText(row.cells.name);
  if (name === '') errors.add(row.rowNumber, 'name', '必填');
  const idText = cellText(row.cells.idNumber);
  let hash: string | null = null;
  if (idText === '') errors.add(row.rowNumber, 'idNumber', '必填');
  else {
    const id = parseIdNumber(upgradeLegacyIdNumber(idText) ?? idText);
    if ('problem' in id) errors.add(row.rowNumber, 'idNumber', ID_PROBLEM_MESSAGES[id.problem].zh);
    else hash = ctx.deps.cipher.blindIndex(ID_NUMBER_PURPOSE, id.value);
  }
  return { name, hash };
}

/** A cell as trimmed text ('' when empty); dates as `YYYY-MM-DD`. */
export function cellText(value: PlainCellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return normaliseCellText(String(value)).trim();
}

/** A yuan cell → fen, or the problem in words; empty is refused unless `emptyIsZero`. */
export function cellFen(
  value: PlainCellValue | undefined,
  emptyIsZero: boolean,
): { ok: true; fen: number } | { ok: false; message: string } {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    return emptyIsZero ? { ok: true, fen: 0 } : { ok: false, message: YUAN_AMOUNT_MESSAGES.empty };
  }
  if (value instanceof Date) return { ok: false, message: YUAN_AMOUNT_MESSAGES.format };
  const r = parseYuanAmount(value);
  return r.ok ? r : { ok: false, message: YUAN_AMOUNT_MESSAGES[r.problem] };
}

/** A month cell: `2026-06`, `2026/6`, `2026年6月`, `202606`, an Excel date, or a bare month number with `year`. */
export function cellMonth(value: PlainCellValue | undefined, year: number | null): string | null {
  if (value instanceof Date) return value.toISOString().slice(0, 7);
  const text = cellText(value);
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:[-/.]\d{1,2}日?)?$/.exec(text) ?? /^(\d{4})(\d{2})$/.exec(text);
  if (m) {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? `${m[1]}-${String(month).padStart(2, '0')}` : null;
  }
  m = /^(\d{1,2})\s*月?$/.exec(text);
  if (m && year !== null) {
    const month = Number(m[1]);
    return month >= 1 && month <= 12 ? `${year}-${String(month).padStart(2, '0')}` : null;
  }
  return null;
}
