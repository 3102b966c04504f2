/**
 * Chinese resident ID numbers (公民身份号码, GB 11643-1999): 6-digit area code, 8-digit birth date,
 * 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export interface ParsedIdNumber {
  /** Normalised 18-character form, upper-case X. */
  value: string;
  birthDate: string;
  gender: 'M' | 'F';
  areaCode: string;
}

export type IdNumberProblem = 'format' | 'birth_date' | 'check_digit';

export const ID_PROBLEM_MESSAGES: Record<IdNumberProblem, { zh: string; en: string }> = {
  format: { zh: '格式错误，应为18位（末位可为X）', en: 'must be 18 characters (last may be X)' },
  birth_date: { zh: '出生日期无效', en: 'the birth date is invalid' },
  check_digit: { zh: '校验位错误', en: 'the check digit is wrong' },
};

/** Computes the check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Converts full-width digits/X and strips spaces, so pasted values from Office documents validate. */
export function normaliseIdInput(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[xＸｘ]/g, 'X')
    .replace(/[\s\u3000]/g, '');
}

function isValidDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Validates and parses an ID number; returns the problem instead of throwing. */
export function parseIdNumber(raw: string, today: Date = new Date()): ParsedIdNumber | { problem: IdNumberProblem } {
  const value = normaliseIdInput(raw);
  if (!/^\d{17}[\dX]$/.test(value)) return { problem: 'format' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  if (!isValidDate(y, m, d) || Date.UTC(y, m - 1, d) > today.getTime()) return { problem: 'birth_date' };
  if (idCheckChar(value.slice(0, 17)) !== value[17]) return { problem: 'check_digit' };
  return {
    value,
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    gender: Number(value[16]) % 2 === 1 ? 'M' : 'F',
    areaCode: value.slice(0, 6),
  };
}

/** Masks an ID number for display: first 3 and last 4 kept (PIPL: show no more than needed). */
export function maskIdNumber(value: string): string {
  return `${value.slice(0, 3)}${'*'.repeat(Math.max(0, value.length - 7))}${value.slice(-4)}`;
}

/** Builds a valid ID number from its parts (used by the demo generator and test factories). */
export function buildIdNumber(areaCode: string, birthDate: string, sequence: number, gender: 'M' | 'F'): string {
  let seq = sequence % 1000;
  if ((seq % 2 === 1) !== (gender === 'M')) seq = (seq + 1) % 1000;
  const first17 = `${areaCode}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/**
 * Upgrades a 15-digit first-generation ID number (GB 11643-1999 appendix) to the 18-digit form:
 * '19' is inserted before the two-digit birth year and the check character is computed.
 * Returns null when the input is not 15 digits; the result still needs `parseIdNumber`.
 */
export function upgradeLegacyIdNumber(raw: string): string | null {
  const value = normaliseIdInput(raw);
  if (!/^\d{15}$/.test(value)) return null;
  const first17 = `${value.slice(0, 6)}19${value.slice(6)}`;
  return first17 + idCheckChar(first17);
}
