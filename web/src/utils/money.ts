/**
 * Money in the UI: amounts are typed in yuan and sent to the API as integer fen, converted from
 * the decimal digits (never `yuan * 100` on a float, which turns 1.15 into 114.99999999999999).
 * Mirrors `parseYuanAmount` of the server's payroll rules.
 */

export type YuanAmountProblem = 'empty' | 'format' | 'decimals' | 'too_large';

/** Parses a non-negative yuan amount ("1234.5", "1,234.56", "￥300", full-width digits) into fen; more than two decimals is refused. */
export function parseYuanToFen(input: string): { ok: true; fen: number } | { ok: false; problem: YuanAmountProblem } {
  const text = input
    .replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/，/g, ',')
    .replace(/[．。]/g, '.')
    .replace(/[\s\u3000]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  if (text === '') return { ok: false, problem: 'empty' };
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, problem: 'format' };
  const decimals = m[2] ?? '';
  if (decimals.length > 2) return { ok: false, problem: 'decimals' };
  const whole = m[1]!.replaceAll(',', '');
  if (whole.length > 13) return { ok: false, problem: 'too_large' };
  const fen = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return { ok: false, problem: 'too_large' };
  return { ok: true, fen };
}

/** Fen as a plain yuan string for an input box: 123450 → "1234.50". */
export function fenToYuanInput(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
