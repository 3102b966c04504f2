/**
 * Import templates: the workbook a street office downloads, fills in and uploads again. Headers
 * match the import's synonyms (required ones marked `*`, which the reader ignores), coded columns
 * get drop-down lists, and a second sheet explains how to fill it in.
 */
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { normaliseCellText } from './text.ts';

/** One column of an import template. */
export interface TemplateColumn {
  /** Canonical key (what the reader maps the column to). */
  key: string;
  /** Header text, e.g. 身份证号; a required column is written `*身份证号` in red. */
  header: string;
  required: boolean;
  /** Column width in characters (default from the header and example, at least 12). */
  width?: number;
  /** Allowed values, offered as a drop-down list. */
  allowed?: readonly string[];
  /** Value for the example row (row 2, grey italic). */
  example?: string;
  /** Shown as a note on the header cell and in the instructions. */
  note?: string;
  /** `text` keeps long digit strings such as ID numbers intact; `date` shows yyyy-mm-dd. */
  format?: 'text' | 'date';
}

/** Optional settings of `buildTemplate`. */
export interface TemplateOptions {
  /** Name of the data sheet (default 数据). */
  sheetName?: string;
  /** Last row that gets drop-down validation (default 10001, i.e. 10,000 data rows). */
  lastValidatedRow?: number;
}

/** Name of the instructions sheet. */
export const INSTRUCTIONS_SHEET = '填写说明';
/** Name of the hidden sheet holding drop-down lists too long to write inline. */
export const CODES_SHEET = '代码表';
/** Excel refuses list validations whose inline source is longer than this. */
const MAX_INLINE_LIST_CHARS = 255;
const REQUIRED_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFF0000' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
const EXAMPLE_FONT: Partial<ExcelJS.Font> = { italic: true, color: { argb: 'FF808080' } };

// exceljs has sheet-level data validations (one rule for a whole range) but does not type them.
interface SheetDataValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.charCodeAt(0) > 0xff ? 2 : 1;
  return width;
}

/** Whether the values can be written inline as `"a,b,c"` (short enough, no commas or quotes). */
function fitsInline(values: readonly string[]): boolean {
  return values.every((v) => !/[",]/.test(v)) && values.join(',').length + 2 <= MAX_INLINE_LIST_CHARS;
}

/**
 * Builds the import template and writes it to a file path or a stream: sheet 1 with bold headers
 * (required ones `*`-prefixed in red), a frozen header row, drop-downs on rows 2..10001 for columns
 * with `allowed` values (lists too long for Excel's 255-character inline limit reference a hidden
 * 代码表 sheet), an example row in grey italic; sheet 填写说明 with the instructions and a column guide.
 */
export async function buildTemplate(
  dest: string | Writable,
  columns: readonly TemplateColumn[],
  instructions: readonly string[],
  options: TemplateOptions = {},
): Promise<void> {
  const lastRow = options.lastValidatedRow ?? 10_001;
  // Loaded here, not at the top: the import's reading thread imports this module for
  // `isTemplateExampleRow` and should not pay for loading exceljs (about 0.25 s).
  const { excel } = await import('./exceljs.ts');
  const workbook = new excel.Workbook();
  workbook.creator = 'shegong';
  const sheet = workbook.addWorksheet(options.sheetName ?? '数据', { views: [{ state: 'frozen', ySplit: 1 }] });
  const guide = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  let codes: ExcelJS.Worksheet | undefined;
  let codesColumn = 0;

  const headerRow = sheet.getRow(1);
  const exampleRow = sheet.getRow(2);
  columns.forEach((column, index) => {
    const n = index + 1;
    const letter = columnLetter(n);
    const cell = headerRow.getCell(n);
    cell.value = column.required ? `*${column.header}` : column.header;
    cell.font = column.required ? REQUIRED_FONT : HEADER_FONT;
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    if (column.note) cell.note = column.note;

    const sheetColumn = sheet.getColumn(n);
    sheetColumn.width = column.width ?? Math.max(12, displayWidth(column.header) + 4, displayWidth(column.example ?? '') + 2);
    if (column.format === 'text') sheetColumn.numFmt = '@';
    if (column.format === 'date') sheetColumn.numFmt = 'yyyy-mm-dd';

    if (column.example !== undefined) {
      const example = exampleRow.getCell(n);
      example.value = column.example;
      example.font = EXAMPLE_FONT;
    }

    const allowed = column.allowed ?? [];
    if (allowed.length === 0) return;
    let formula: string;
    if (fitsInline(allowed)) {
      formula = `"${allowed.join(',')}"`;
    } else {
      codes ??= workbook.addWorksheet(CODES_SHEET, { state: 'hidden' });
      codesColumn += 1;
      const codeLetter = columnLetter(codesColumn);
      codes.getCell(1, codesColumn).value = column.header;
      allowed.forEach((value, i) => (codes!.getCell(i + 2, codesColumn).value = value));
      formula = `'${CODES_SHEET}'!$${codeLetter}$2:$${codeLetter}$${allowed.length + 1}`;
    }
    (sheet as unknown as SheetDataValidations).dataValidations.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: !column.required,
      formulae: [formula],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: '输入有误',
      error: `请从下拉列表中选择${column.header}`,
    });
  });
  headerRow.height = 22;
  const exampleNote = exampleRow.getCell(1);
  if (columns.some((c) => c.example !== undefined)) {
    exampleNote.note = '这是示例行，请删除或覆盖后再填写数据';
  }

  guide.getColumn(1).width = 18;
  guide.getColumn(2).width = 10;
  guide.getColumn(3).width = 60;
  guide.addRow([INSTRUCTIONS_SHEET]).font = { bold: true, size: 14 };
  instructions.forEach((line, i) => {
    const row = guide.addRow([`${i + 1}. ${line}`]);
    guide.mergeCells(row.number, 1, row.number, 3);
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  guide.addRow([]);
  guide.addRow(['列名', '是否必填', '说明']).font = { bold: true };
  for (const column of columns) {
    const details = [
      column.note,
      column.allowed?.length ? `可选值：${column.allowed.join('、')}` : undefined,
      column.example ? `示例：${column.example}` : undefined,
    ]
      .filter((s): s is string => Boolean(s))
      .join('；');
    const row = guide.addRow([column.header, column.required ? '必填' : '选填', details]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }

  if (typeof dest === 'string') await workbook.xlsx.writeFile(dest);
  else await workbook.xlsx.write(dest);
}

/**
 * Whether a parsed row is the template's untouched example row (all example values present and
 * equal after normalisation), so an import can skip it instead of reporting or importing it.
 */
export function isTemplateExampleRow(cells: Record<string, unknown>, columns: readonly TemplateColumn[]): boolean {
  const withExample = columns.filter((c) => c.example !== undefined);
  if (withExample.length === 0) return false;
  return withExample.every((c) => {
    const value = cells[c.key];
    return typeof value === 'string' && value === normaliseCellText(c.example ?? '');
  });
}
