/**
 * The "download the file with the errors marked" half of an import: a copy of the upload in which
 * each bad cell is filled light red and carries a note with the message, and each bad row gets the
 * messages in an extra 错误说明 column, so the clerk fixes the file in Excel and uploads it again.
 * Reads and writes as streams (100k rows stay flat in memory); the original's styles are not kept
 * apart from number formats and column widths, merged cells are not kept; values, rows and sheets are.
 */
import { basename, extname } from 'node:path';
import type ExcelJS from 'exceljs';
import { excel } from './exceljs.ts';
import { DEFAULT_MAX_FILE_BYTES, getReadableSpreadsheetOrThrow } from './detect-file.ts';
import type { HeaderDetection } from './header-map.ts';
import { readCsvRecords } from './read-csv.ts';
import { forEachWorksheet, resolveSheetName, type StreamedSheet } from './workbook-stream.ts';
import { guardXlsxPackage, type ZipLimits } from './zip-guard.ts';

/** One problem found in a row; `key` null (or a key without a column) marks the row only. */
export interface RowIssue {
  rowNumber: number;
  key: string | null;
  message: string;
}

/** The parts of a detected header the marked copy needs. */
export type MarkHeader = Pick<HeaderDetection, 'rowNumber' | 'columns' | 'columnCount'> & Partial<Pick<HeaderDetection, 'headers'>>;

/** What `writeMarkedCopy` marked. */
export interface MarkedCopyResult {
  markedRows: number;
  markedCells: number;
  /** Row numbers that had issues but do not exist in the sheet (nothing could be marked). */
  missingRows: number[];
}

/** Title of the column that lists a row's messages in the marked copy. */
export const ERROR_COLUMN_HEADER = '错误说明';
const BAD_CELL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const ERROR_TEXT_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

/** A source cell's value in a form the streaming writer renders safely: formulas become their results. */
function copyableValue(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (!isRecord(value)) return null;
  if (Array.isArray(value.richText)) {
    return value.richText.map((run: unknown) => (isRecord(run) && typeof run.text === 'string' ? run.text : '')).join('');
  }
  if (typeof value.error === 'string') return { error: value.error } as ExcelJS.CellErrorValue;
  if ('formula' in value || 'sharedFormula' in value || 'result' in value) return copyableValue(value.result);
  if ('text' in value) return copyableValue(value.text);
  return null;
}

function indexIssues(issues: readonly RowIssue[]): Map<number, RowIssue[]> {
  const byRow = new Map<number, RowIssue[]>();
  for (const issue of issues) {
    const list = byRow.get(issue.rowNumber);
    if (list) list.push(issue);
    else byRow.set(issue.rowNumber, [issue]);
  }
  return byRow;
}

class Marker {
  readonly errorColumn: number;
  private readonly byRow: Map<number, RowIssue[]>;
  private readonly labels = new Map<number, string>();
  private readonly seenRows = new Set<number>();
  markedRows = 0;
  markedCells = 0;

  constructor(
    issues: readonly RowIssue[],
    private readonly header: MarkHeader,
  ) {
    this.byRow = indexIssues(issues);
    this.errorColumn = header.columnCount + 1;
  }

  /** Marks one output row of the target sheet (the header row gets the 错误说明 title). */
  mark(rowNumber: number, row: ExcelJS.Row): void {
    if (rowNumber === this.header.rowNumber) {
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        if (typeof cell.value === 'string') this.labels.set(column, cell.value.replace(/\s+/g, '').replace(/^\*/, ''));
      });
      const title = row.getCell(this.errorColumn);
      title.value = ERROR_COLUMN_HEADER;
      title.font = { bold: true, color: { argb: 'FF9C0006' } };
      return;
    }
    const issues = this.byRow.get(rowNumber);
    if (!issues) return;
    this.seenRows.add(rowNumber);
    this.markedRows += 1;

    const byColumn = new Map<number, string[]>();
    const lines: string[] = [];
    for (const issue of issues) {
      const column = issue.key !== null && Object.hasOwn(this.header.columns, issue.key) ? this.header.columns[issue.key] : undefined;
      if (column === undefined) {
        lines.push(issue.message);
        continue;
      }
      const label = this.header.headers?.[issue.key ?? ''] ?? this.labels.get(column) ?? issue.key ?? '';
      lines.push(label ? `${label}：${issue.message}` : issue.message);
      byColumn.set(column, [...(byColumn.get(column) ?? []), issue.message]);
    }
    for (const [column, messages] of byColumn) {
      const cell = row.getCell(column);
      cell.fill = BAD_CELL_FILL;
      cell.note = messages.join('\n');
      this.markedCells += 1;
    }
    const summary = row.getCell(this.errorColumn);
    summary.value = lines.join('；');
    summary.font = ERROR_TEXT_FONT;
  }

  missingRows(): number[] {
    return [...this.byRow.keys()].filter((n) => !this.seenRows.has(n) && n !== this.header.rowNumber).sort((a, b) => a - b);
  }
}

function safeSheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';
}

async function copyXlsxSheets(
  srcPath: string,
  writer: ExcelJS.stream.xlsx.WorkbookWriter,
  sheet: string | number | undefined,
  marker: Marker,
  maxBytes: number,
): Promise<void> {
  let target: string | undefined;
  await forEachWorksheet(srcPath, {
    maxBytes,
    accept: () => true,
    async visit(source: StreamedSheet, { order }) {
      target ??= resolveSheetName(order, sheet);
      const state = order.find((s) => s.name === source.name)?.state;
      const isTarget = source.name === target;
      const out = writer.addWorksheet(source.name, state === 'hidden' || state === 'veryHidden' ? { state } : {});
      let isFirstRow = true;
      for await (const row of source.rows()) {
        if (isFirstRow) {
          isFirstRow = false;
          source.columns?.forEach((column, index) => {
            if (column.width) out.getColumn(index + 1).width = column.width;
          });
          if (isTarget) out.getColumn(marker.errorColumn).width = 48;
        }
        const outRow = out.getRow(row.number);
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          const value = copyableValue(cell.value);
          if (value === null) return;
          const target = outRow.getCell(column);
          target.value = value;
          const numFmt = cell.numFmt;
          if (numFmt) target.numFmt = numFmt;
          else if (value instanceof Date) target.numFmt = 'yyyy-mm-dd';
        });
        if (isTarget) marker.mark(row.number, outRow);
        outRow.commit();
      }
      out.commit();
    },
  });
}

async function copyCsv(srcPath: string, writer: ExcelJS.stream.xlsx.WorkbookWriter, marker: Marker, maxBytes: number): Promise<void> {
  const out = writer.addWorksheet(safeSheetName(basename(srcPath, extname(srcPath))));
  out.getColumn(marker.errorColumn).width = 48;
  for await (const record of readCsvRecords(srcPath, { maxBytes })) {
    const outRow = out.getRow(record.rowNumber);
    record.values.forEach((value, column) => {
      if (column > 0 && value !== null && value !== undefined) outRow.getCell(column).value = value;
    });
    marker.mark(record.rowNumber, outRow);
    outRow.commit();
  }
  out.commit();
}

/**
 * Writes to `destPath` an .xlsx copy of the uploaded `srcPath` (an .xlsx, or a CSV which becomes one
 * sheet) with the issues marked on `sheet` (name or 0-based tab index; default the first visible):
 * bad cells light red with a note, all of a row's messages in a 错误说明 column after the header's last
 * column. Every sheet's values and row numbers are kept. Issues on rows absent from the sheet are
 * listed in the result's `missingRows`.
 */
export async function writeMarkedCopy(
  srcPath: string,
  destPath: string,
  sheet: string | number | undefined,
  issues: readonly RowIssue[],
  header: MarkHeader,
  options: { maxBytes?: number; zipLimits?: Partial<ZipLimits> } = {},
): Promise<MarkedCopyResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const file = await getReadableSpreadsheetOrThrow(srcPath, { maxBytes });
  if (file.kind === 'xlsx') await guardXlsxPackage(srcPath, options.zipLimits);
  const marker = new Marker(issues, header);
  const writer = new excel.stream.xlsx.WorkbookWriter({ filename: destPath, useStyles: true, useSharedStrings: false });
  try {
    if (file.kind === 'csv') await copyCsv(srcPath, writer, marker, maxBytes);
    else await copyXlsxSheets(srcPath, writer, sheet, marker, maxBytes);
  } finally {
    await writer.commit();
  }
  return { markedRows: marker.markedRows, markedCells: marker.markedCells, missingRows: marker.missingRows() };
}
