/**
 * Flattening of exceljs cell values into the four things an import cares about. exceljs types
 * describe the in-memory model; the streaming reader hands out looser shapes (null rich-text runs,
 * formula results that are still serial numbers), so this works on `unknown` and checks shapes.
 */
import { normaliseCellText } from './text.ts';

/** A cell as the import sees it: text (normalised), a number, a date (UTC midnight), or nothing. */
export type PlainCellValue = string | number | Date | null;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

/** Concatenated text of a rich-text value, a hyperlink's text, or a plain string; null otherwise. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isRecord(value) && Array.isArray(value.richText)) {
    return value.richText.map((run: unknown) => (isRecord(run) && typeof run.text === 'string' ? run.text : '')).join('');
  }
  return null;
}

/**
 * Converts an exceljs cell value: rich text flattened, hyperlinks → their text, formulas → their
 * cached result, errors (#N/A…) → null, booleans → 'TRUE'/'FALSE', strings normalised with
 * `normaliseCellText` (and null when that leaves nothing). `isDateFormat` says whether the cell's
 * number format is a date one, so a formula's numeric result can become a Date as plain cells do.
 */
export function toPlainCellValue(value: unknown, isDateFormat = false, date1904 = false): PlainCellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  const text = textOf(value);
  if (text !== null) return normaliseCellText(text) || null;
  if (!isRecord(value)) return null;
  if ('error' in value) return null;
  if ('hyperlink' in value || 'text' in value) return toPlainCellValue(value.text);
  if ('formula' in value || 'sharedFormula' in value || 'result' in value) {
    const result = value.result;
    if (typeof result === 'number' && isDateFormat) return excelSerialToDate(result, date1904);
    return toPlainCellValue(result);
  }
  return null;
}

/** The Date (UTC) of an Excel serial day number, as exceljs produces for date-formatted cells. */
export function excelSerialToDate(serial: number, date1904 = false): Date {
  return new Date(Math.round((serial - (date1904 ? 24107 : 25569)) * 86_400_000));
}

/**
 * Whether an Excel number format shows a date: it contains d, m or y outside quoted literals,
 * escapes and [colour]/[locale] sections (built-in date formats 14–22 and 45–47 are listed too).
 */
export function isDateNumberFormat(format: string | undefined, builtInId?: number): boolean {
  if (builtInId !== undefined && ((builtInId >= 14 && builtInId <= 22) || (builtInId >= 45 && builtInId <= 47))) return true;
  if (!format || format === 'General' || format === '@') return false;
  const stripped = format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return /[dmy]/i.test(stripped) && !/^[#0.,%]/.test(stripped.trim());
}
