/**
 * Normalisation of what people type into spreadsheet cells: full-width characters from Chinese
 * input methods, stray ideographic and non-breaking spaces, zero-width characters pasted from web
 * pages and chat apps, and the many ways a date gets written.
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// Ideographic space, NBSP and the typographic spaces Word likes to insert.
const ODD_SPACES = /[\u3000\u00A0\u1680\u2000-\u200A\u202F\u205F]/g;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const NEEDS_NORMALISING = /[\s\u200B-\u200D\u2060\u00AD\uFF01-\uFF5E]/;

/** Full-width ASCII (digits, letters, punctuation such as `，：（）`) → half-width; nothing else changes. */
export function toHalfWidth(text: string): string {
  return text.replace(FULL_WIDTH_ASCII, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}

/**
 * Normalises one cell's text: full-width ASCII → half-width, U+3000/NBSP → space, zero-width
 * characters removed, line endings → `\n`, runs of spaces/tabs collapsed, each line and the whole trimmed.
 */
export function normaliseCellText(value: string): string {
  // Most cells (names, ID numbers, dates, 汉族) hold nothing any step below would change: every
  // character those steps touch is whitespace (\s), zero-width or full-width ASCII.
  if (!NEEDS_NORMALISING.test(value)) return value;
  return toHalfWidth(value.replace(ZERO_WIDTH, ''))
    .replace(ODD_SPACES, ' ')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/**
 * Normalises a header cell for synonym matching: cell normalisation plus no whitespace at all
 * (including line breaks inside the cell), no `*` required markers, no trailing `(必填)`/`(选填)`,
 * ASCII lower-cased. `（必填）` is covered because full-width brackets become half-width first.
 */
export function normaliseHeaderText(value: string): string {
  return normaliseCellText(value)
    .replace(/\s+/g, '')
    .replace(/\*/g, '')
    .replace(/[([【]?(必填|选填|可选|非必填)[)\]】]?$/u, '')
    .replace(/[:：]$/u, '')
    .toLowerCase();
}

/** Outcome of `parseFlexibleDate`: an ISO date, or why not (Chinese, with English). */
export type FlexibleDateResult = { ok: true; value: string } | { ok: false; message: string; messageEn: string };

/** Options of `parseFlexibleDate`. */
export interface FlexibleDateOptions {
  /** Accept a year and month (`2024-3`, `2024年3月`, `202403`) as the first day of that month. */
  allowMonth?: boolean;
  /** The workbook uses the 1904 date system (old Mac Excel); affects serial numbers only. */
  date1904?: boolean;
}

/** Largest serial Excel accepts: 9999-12-31 in the 1900 date system. */
export const MAX_EXCEL_SERIAL = 2958465;

const DAY_MS = 86_400_000;
// Serial 0 in the 1900 system is 1899-12-31 for serials below 60 and (because Lotus 1-2-3 treated 1900
// as a leap year) effectively 1899-12-30 from serial 61 on. Serial 60 is the nonexistent 1900-02-29.
const EPOCH_1900_LOW = Date.UTC(1899, 11, 31);
const EPOCH_1900_HIGH = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isoFromUtcMs(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function quote(raw: string): string {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  return `“${shown}”`;
}

function unrecognised(raw: string): FlexibleDateResult {
  return { ok: false, message: `日期格式无法识别：${quote(raw)}`, messageEn: `Unrecognised date: "${raw}"` };
}

function nonexistent(raw: string): FlexibleDateResult {
  return { ok: false, message: `日期不存在：${quote(raw)}`, messageEn: `No such date: "${raw}"` };
}

/** Converts an Excel serial day number to `YYYY-MM-DD` (time of day ignored), or explains why not. */
export function excelSerialToIsoDate(serial: number, date1904 = false): FlexibleDateResult {
  const raw = String(serial);
  if (!Number.isFinite(serial)) return unrecognised(raw);
  const day = Math.floor(serial);
  if (date1904) {
    if (day < 0 || day > MAX_EXCEL_SERIAL - 1462) return outOfSerialRange(raw);
    return { ok: true, value: isoFromUtcMs(EPOCH_1904 + day * DAY_MS) };
  }
  if (day < 1 || day > MAX_EXCEL_SERIAL) return outOfSerialRange(raw);
  if (day === 60) {
    return {
      ok: false,
      message: `日期不存在：Excel 序列号 60 对应 1900-02-29（Excel 的历史遗留错误）`,
      messageEn: 'No such date: Excel serial 60 is the nonexistent 1900-02-29',
    };
  }
  return { ok: true, value: isoFromUtcMs((day < 60 ? EPOCH_1900_LOW : EPOCH_1900_HIGH) + day * DAY_MS) };
}

function outOfSerialRange(raw: string): FlexibleDateResult {
  return {
    ok: false,
    message: `日期格式无法识别：${quote(raw)}（作为 Excel 日期序列号超出范围 1～${MAX_EXCEL_SERIAL}）`,
    messageEn: `Unrecognised date: "${raw}" (as an Excel serial it is outside 1..${MAX_EXCEL_SERIAL})`,
  };
}

function fromParts(raw: string, y: number, m: number, d: number): FlexibleDateResult {
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31) return unrecognised(raw);
  const ms = Date.UTC(y, m - 1, d);
  const dt = new Date(ms);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return nonexistent(raw);
  return { ok: true, value: `${y}-${pad2(m)}-${pad2(d)}` };
}

function fromMonth(raw: string, y: number, m: number, opts: FlexibleDateOptions): FlexibleDateResult {
  if (!opts.allowMonth) {
    return {
      ok: false,
      message: `日期不完整：${quote(raw)}，请填写到日，如 2024-03-01`,
      messageEn: `Incomplete date: "${raw}"; include the day, e.g. 2024-03-01`,
    };
  }
  return fromParts(raw, y, m, 1);
}

// Full dates: 2024-03-01, 2024/3/1, 2024.3.1, optionally followed by a time (exports from other systems).
const YMD = /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const YMD_CN = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/u;
const YM = /^(\d{4})\s*[-/.]\s*(\d{1,2})$/;
const YM_CN = /^(\d{4})\s*年\s*(\d{1,2})\s*月?$/u;

/**
 * Parses a cell into an ISO date `YYYY-MM-DD`. Accepts a JS Date (its UTC calendar day, which is
 * how exceljs represents date cells), an Excel serial number (1900 system with its 1900-02-29 bug,
 * 1..2958465, also as a digit string such as "45352"), `2024-03-01`, `2024/3/1`, `2024.3.1`,
 * `2024年3月1日`, `20240301` (string or number), full-width variants, and — only with
 * `allowMonth` — `2024-3`/`2024年3月`/`202403` as the first of the month. Never throws.
 */
export function parseFlexibleDate(value: unknown, opts: FlexibleDateOptions = {}): FlexibleDateResult {
  if (value === null || value === undefined) return { ok: false, message: '日期为空', messageEn: 'The date is empty' };
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) return { ok: false, message: '日期无效', messageEn: 'Invalid date' };
    return fromParts(isoFromUtcMs(ms), value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number') {
    const isDigitPattern =
      Number.isInteger(value) && ((value >= 100_000 && value <= 999_999) || (value >= 10_000_000 && value <= 99_991_231));
    if (isDigitPattern) return parseDigits(String(value), opts);
    return excelSerialToIsoDate(value, opts.date1904);
  }
  if (typeof value !== 'string') return unrecognised(String(value));

  const raw = normaliseCellText(value);
  if (raw === '') return { ok: false, message: '日期为空', messageEn: 'The date is empty' };
  if (/^\d+$/.test(raw)) return parseDigits(raw, opts);
  if (/^\d+\.\d+$/.test(raw) && !/^\d{4}\.\d{1,2}$/.test(raw)) {
    // "45352.5": a serial with a time of day, as pasted from a General-formatted cell.
    const n = Number(raw);
    if (n < 100_000) return excelSerialToIsoDate(n, opts.date1904);
  }

  let m = YMD.exec(raw) ?? YMD_CN.exec(raw);
  if (m) return fromParts(raw, Number(m[1]), Number(m[2]), Number(m[3]));
  m = YM.exec(raw) ?? YM_CN.exec(raw);
  if (m) return fromMonth(raw, Number(m[1]), Number(m[2]), opts);
  return unrecognised(raw);
}

function parseDigits(raw: string, opts: FlexibleDateOptions): FlexibleDateResult {
  switch (raw.length) {
    case 8:
      return fromParts(raw, Number(raw.slice(0, 4)), Number(raw.slice(4, 6)), Number(raw.slice(6, 8)));
    case 6: {
      // 202403 is far more likely a year-month than the serial for a day in the year 2454.
      const month = Number(raw.slice(4, 6));
      if (month >= 1 && month <= 12) return fromMonth(raw, Number(raw.slice(0, 4)), month, opts);
      return excelSerialToIsoDate(Number(raw), opts.date1904);
    }
    default:
      if (raw.length <= 7) return excelSerialToIsoDate(Number(raw), opts.date1904);
      return unrecognised(raw);
  }
}
