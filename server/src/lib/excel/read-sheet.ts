/**
 * Streaming reading of uploaded workbooks. Nothing here builds the whole workbook in memory: rows
 * come one at a time from the streaming .xlsx reader (xlsx-reader.ts), which opens the package
 * through its ZIP central directory under the ZIP limits and inflates only the parts it reads.
 * CSV files (including CSV renamed to .xlsx) are routed to the CSV reader by their bytes.
 */
import { DEFAULT_MAX_FILE_BYTES, getReadableSpreadsheetOrThrow } from './detect-file.ts';
import { importFileErrors } from './errors.ts';
import { mapRows, type ParsedRow, type RawRow } from './header-map.ts';
import { readCsvRecords, readCsvRows } from './read-csv.ts';
import { DEFAULT_MAX_ROWS, type ReadRowsOptions, type ReadRowsSummary } from './read-options.ts';
import { isHiddenState, resolveSheetName } from './sheet-select.ts';
import { openXlsxPackage, streamSheetRows, type XlsxPackage, type XlsxSheet } from './xlsx-reader.ts';
import type { ZipLimits } from './zip-guard.ts';

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

function hasValues(row: RawRow): boolean {
  return row.values.some((v) => v !== null && v !== undefined);
}

/** The sheet a selector designates (see `resolveSheetName`), with its worksheet part. */
function selectSheet(pkg: XlsxPackage, selector: string | number | undefined): XlsxSheet & { part: string } {
  const name = resolveSheetName(pkg.sheets, selector);
  const sheet = pkg.sheets.find((s) => s.name === name)!;
  if (sheet.part === null) throw importFileErrors.corrupt(`工作表“${name}”的内容缺失`, `the part of sheet "${name}" is missing`);
  return { ...sheet, part: sheet.part };
}

/**
 * Reads the data rows of one sheet of an uploaded .xlsx (or CSV, recognised by its bytes) as a
 * stream: checks the file (format, size, ZIP limits), finds the header among the first 20 non-empty
 * rows, and yields one ParsedRow per non-empty row below it. Throws ImportFileError for file-level
 * problems, including missing/duplicate columns and more than `maxRows` data rows (after yielding
 * the first `maxRows`). `onHeader` (before the first row) and the return value give the header.
 */
export async function* readRows(path: string, options: ReadRowsOptions): AsyncGenerator<ParsedRow, ReadRowsSummary> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const file = await getReadableSpreadsheetOrThrow(path, { fileName: options.fileName, maxBytes });
  if (file.kind === 'csv') return yield* readCsvRows(path, options);

  const pkg = openXlsxPackage(path, options.zipLimits);
  const sheet = selectSheet(pkg, options.sheet);
  async function* raw(): AsyncGenerator<RawRow, void> {
    let nonEmpty = 0;
    for await (const row of streamSheetRows(pkg, sheet.part)) {
      nonEmpty += 1;
      yield row;
    }
    if (nonEmpty === 0) throw importFileErrors.empty(sheet.name);
  }
  const header = yield* mapRows(raw(), { ...options, maxRows: options.maxRows ?? DEFAULT_MAX_ROWS });
  return { header, sheetName: sheet.name };
}

/**
 * Lists the sheets of an uploaded workbook in tab order, from workbook.xml; with `countRows`, also
 * their row counts, streaming every sheet once (about as long as reading it). A CSV file is one
 * sheet named after the file.
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

  const pkg = openXlsxPackage(path, options.zipLimits);
  const sheets: SheetSummary[] = [];
  for (const [index, entry] of pkg.sheets.entries()) {
    const count = { rowCount: -1, lastRowNumber: -1 };
    if (countRows) {
      count.rowCount = 0;
      count.lastRowNumber = 0;
      if (entry.part !== null) {
        for await (const row of streamSheetRows(pkg, entry.part)) {
          count.rowCount += 1;
          count.lastRowNumber = row.rowNumber;
        }
      }
    }
    sheets.push({ index, name: entry.name, isHidden: isHiddenState(entry.state), ...count });
  }
  return { kind: 'xlsx', sheets };
}
