/**
 * Streaming reading of uploaded workbooks. Nothing here builds the whole workbook in memory: rows
 * come from exceljs's streaming reader one at a time, after the package passed the ZIP guard.
 * CSV files (including CSV renamed to .xlsx) are routed to the CSV reader by their bytes.
 */
import type ExcelJS from 'exceljs';
import { isDateNumberFormat, toPlainCellValue, type PlainCellValue } from './cell-value.ts';
import { DEFAULT_MAX_FILE_BYTES, getReadableSpreadsheetOrThrow } from './detect-file.ts';
import { importFileErrors } from './errors.ts';
import { mapRows, type ParsedRow, type RawRow } from './header-map.ts';
import { readCsvRecords, readCsvRows } from './read-csv.ts';
import { DEFAULT_MAX_ROWS, type ReadRowsOptions, type ReadRowsSummary } from './read-options.ts';
import { forEachWorksheet, isHiddenState, streamSelectedWorksheet, type SheetEntry } from './workbook-stream.ts';
import { guardXlsxPackage, type ZipLimits } from './zip-guard.ts';

/** Re-exported so that importers need only this module. */
export type { HeaderDetection, ParsedRow } from './header-map.ts';
export type { ReadRowsOptions, ReadRowsSummary } from './read-options.ts';
export { readCsvRows };

/** One sheet as listed by `openWorkbook`. */
export interface SheetSummary {
  /** 0-based position in the workbook's tab order (what `sheet: number` selects). */
  index: number;
  name: string;
  isHidden: boolean;
  /** Rows that have at least one value, title and header rows included (-1 when not counted). */
  rowCount: number;
  /** Number of the last row with a value (0 for an empty sheet). */
  lastRowNumber: number;
}

/** What `openWorkbook` returns: the file kind and its sheets in tab order. */
export interface WorkbookSummary {
  kind: 'xlsx' | 'csv';
  sheets: SheetSummary[];
}

/** Options of `openWorkbook`: a name hint for detection and the limits. */
export interface OpenWorkbookOptions {
  /** Count each sheet's rows (reads the whole file); without it only names and visibility are listed. */
  countRows?: boolean;
  fileName?: string;
  maxBytes?: number;
  zipLimits?: Partial<ZipLimits>;
}

/** A streamed exceljs row as a raw row of plain values (empty cells left out). */
export function toRawRow(row: ExcelJS.Row, date1904: boolean): RawRow {
  const values: PlainCellValue[] = [null];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    const raw = cell.value;
    // The number format matters only for a formula's numeric result (plain date cells are Dates).
    const isDate = typeof raw === 'object' && raw !== null && !(raw instanceof Date) && isDateNumberFormat(cell.numFmt);
    const value = toPlainCellValue(raw, isDate, date1904);
    if (value !== null) values[column] = value;
  });
  return { rowNumber: row.number, values };
}

function hasValues(row: RawRow): boolean {
  return row.values.some((v) => v !== null && v !== undefined);
}

/**
 * Reads the data rows of one sheet of an uploaded .xlsx (or CSV, recognised by its bytes) as a
 * stream: checks the file (format, size, ZIP guard), finds the header among the first 20 non-empty
 * rows, and yields one ParsedRow per non-empty row below it. Throws ImportFileError for file-level
 * problems, including missing/duplicate columns and more than `maxRows` data rows (after yielding
 * the first `maxRows`). `onHeader` (before the first row) and the return value give the header.
 */
export async function* readRows(path: string, options: ReadRowsOptions): AsyncGenerator<ParsedRow, ReadRowsSummary> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const file = await getReadableSpreadsheetOrThrow(path, { fileName: options.fileName, maxBytes });
  if (file.kind === 'csv') return yield* readCsvRows(path, options);

  await guardXlsxPackage(path, options.zipLimits);
  let sheetName = '';
  const raw = streamSelectedWorksheet<RawRow>(path, {
    maxBytes,
    sheet: options.sheet,
    async *visit(sheet, { date1904 }) {
      sheetName = sheet.name;
      let nonEmpty = 0;
      for await (const row of sheet.rows()) {
        const values = toRawRow(row, date1904);
        if (!hasValues(values)) continue;
        nonEmpty += 1;
        yield values;
      }
      if (nonEmpty === 0) throw importFileErrors.empty(sheet.name);
    },
  });
  const header = yield* mapRows(raw, { ...options, maxRows: options.maxRows ?? DEFAULT_MAX_ROWS });
  return { header, sheetName };
}

/**
 * Lists the sheets of an uploaded workbook in tab order with their row counts, streaming every
 * sheet once (about as long as reading it). A CSV file is one sheet named after the file.
 */
export async function openWorkbook(path: string, options: OpenWorkbookOptions = {}): Promise<WorkbookSummary> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const file = await getReadableSpreadsheetOrThrow(path, { fileName: options.fileName, maxBytes });
  const countRows = options.countRows ?? true;
  if (file.kind === 'csv') {
    const name = (options.fileName ?? path).replace(/^.*[/\\]/, '').replace(/\.[^.]*$/, '');
    if (!countRows) return { kind: 'csv', sheets: [{ index: 0, name, isHidden: false, rowCount: -1, lastRowNumber: -1 }] };
    let rowCount = 0;
    let lastRowNumber = 0;
    for await (const row of readCsvRecords(path, { maxBytes })) {
      if (!hasValues(row)) continue;
      rowCount += 1;
      lastRowNumber = row.rowNumber;
    }
    return { kind: 'csv', sheets: [{ index: 0, name, isHidden: false, rowCount, lastRowNumber }] };
  }

  await guardXlsxPackage(path, options.zipLimits);
  const counts = new Map<string, { rowCount: number; lastRowNumber: number }>();
  let order: SheetEntry[] = [];
  await forEachWorksheet(path, {
    maxBytes,
    accept: (name, context) => {
      order = context.order;
      if (!countRows) counts.set(name, { rowCount: -1, lastRowNumber: -1 });
      return countRows;
    },
    async visit(sheet) {
      const count = { rowCount: 0, lastRowNumber: 0 };
      counts.set(sheet.name, count);
      for await (const row of sheet.rows()) {
        if (!row.hasValues) continue;
        count.rowCount += 1;
        count.lastRowNumber = row.number;
      }
    },
  });

  const listed: SheetEntry[] = order.length > 0 ? order : [...counts.keys()].map((name) => ({ name }));
  const sheets: SheetSummary[] = [];
  listed.forEach((entry, index) => {
    const count = counts.get(entry.name);
    if (count) sheets.push({ index, name: entry.name, isHidden: isHiddenState(entry.state), ...count });
  });
  return { kind: 'xlsx', sheets };
}
