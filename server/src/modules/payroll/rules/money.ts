import { z } from 'zod';

/**
 * Money is an integer number of fen (分, 1/100 yuan) held in a JS number that must stay a safe
 * integer. Amounts are never multiplied by floating-point rates: a rate is an integer of basis
 * points (bp, 1/10,000: 2000 bp = 20%) or of per-mille (‰, 1/1,000: 1350 = ×1.35), the product is
 * formed exactly and divided once, with an explicit rounding unit and mode.
 */
export type Fen = number;

/** A non-negative amount of fen, for rule sets. */
export const ZFen = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The denominators of the two rate units. */
export const BP_PER_ONE = 10_000;
export const PERMILLE_PER_ONE = 1_000;

/** What a result is rounded to: 分, 角 or 元. */
export const ROUNDING_UNITS = { fen: 1, jiao: 10, yuan: 100 } as const;
export type RoundingUnit = keyof typeof ROUNDING_UNITS;

/**
 * How a remainder is rounded, applied to the magnitude so that −x rounds like x:
 * `halfUp` 四舍五入 (half away from zero), `down` 舍去 (towards zero), `up` 进位 (away from zero).
 */
export const ROUNDING_MODES = ['halfUp', 'down', 'up'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

export const ZRounding = z.object({
  unit: z.enum(['fen', 'jiao', 'yuan']),
  mode: z.enum(ROUNDING_MODES),
});
export type Rounding = z.infer<typeof ZRounding>;

/** 四舍五入到分: the default wherever a rule set does not say otherwise. */
export const FEN_HALF_UP: Rounding = { unit: 'fen', mode: 'halfUp' };

function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a safe integer, got ${n}`);
}

/** `numerator / denominator` rounded to an integer by `mode`; exact for any safe integers (BigInt when a product would overflow). */
export function divRound(numerator: number, denominator: number, mode: RoundingMode): number {
  assertSafeInteger(numerator, 'numerator');
  assertSafeInteger(denominator, 'denominator');
  if (denominator <= 0) throw new RangeError(`denominator must be positive, got ${denominator}`);
  const remainder = numerator % denominator;
  let quotient = (numerator - remainder) / denominator;
  if (remainder === 0) return quotient;
  const sign = numerator < 0 ? -1 : 1;
  const twiceRemainder = 2 * Math.abs(remainder);
  if (mode === 'up' || (mode === 'halfUp' && twiceRemainder >= denominator)) quotient += sign;
  return quotient === 0 ? 0 : quotient; // no -0
}

function divRoundBig(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  const remainder = numerator % denominator;
  let quotient = numerator / denominator;
  if (remainder === 0n) return quotient;
  const sign = numerator < 0n ? -1n : 1n;
  const abs = remainder < 0n ? -remainder : remainder;
  if (mode === 'up' || (mode === 'halfUp' && 2n * abs >= denominator)) quotient += sign;
  return quotient;
}

/**
 * `amountFen × numerator / denominator`, rounded once to `rounding.unit` by `rounding.mode`.
 * The one primitive behind every rate: no intermediate rounding, no floating point.
 */
export function mulRatio(amountFen: Fen, numerator: number, denominator: number, rounding: Rounding = FEN_HALF_UP): Fen {
  assertSafeInteger(amountFen, 'amountFen');
  assertSafeInteger(numerator, 'numerator');
  assertSafeInteger(denominator, 'denominator');
  const unit = ROUNDING_UNITS[rounding.unit];
  const product = amountFen * numerator;
  const divisor = denominator * unit;
  if (Number.isSafeInteger(product) && Number.isSafeInteger(divisor)) return divRound(product, divisor, rounding.mode) * unit;
  const result = divRoundBig(BigInt(amountFen) * BigInt(numerator), BigInt(denominator) * BigInt(unit), rounding.mode) * BigInt(unit);
  const n = Number(result);
  assertSafeInteger(n, 'result');
  return n;
}

/** `amountFen × rateBp / 10,000` (basis points: 800 bp = 8%), rounded as given. */
export function mulRate(amountFen: Fen, rateBp: number, rounding: Rounding = FEN_HALF_UP): Fen {
  return mulRatio(amountFen, rateBp, BP_PER_ONE, rounding);
}

/** `amountFen × permille / 1,000` (per-mille: 1350 = ×1.35), rounded as given. */
export function mulPermille(amountFen: Fen, permille: number, rounding: Rounding = FEN_HALF_UP): Fen {
  return mulRatio(amountFen, permille, PERMILLE_PER_ONE, rounding);
}

/** An amount of fen rounded to whole jiao or yuan (a no-op for `fen`). */
export function roundTo(fen: Fen, unit: RoundingUnit, mode: RoundingMode = 'halfUp'): Fen {
  return mulRatio(fen, 1, 1, { unit, mode });
}

/** Whole yuan to fen, for rule defaults written in yuan (`yuan(3400)` = 340,000 fen). */
export function yuan(wholeYuan: number): Fen {
  assertSafeInteger(wholeYuan, 'wholeYuan');
  const fen = wholeYuan * 100;
  assertSafeInteger(fen, 'fen');
  return fen;
}

/** Parses a decimal yuan string with at most two decimals ("3400", "-12.5", "0.05") into fen, without floating point. */
export function yuanStringToFen(text: string): Fen {
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a yuan amount with at most two decimals: "${text}"`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  assertSafeInteger(fen, 'fen');
  return m[1] && fen !== 0 ? -fen : fen;
}

/** Fen as a yuan string with two decimals: 123456 → "1234.56" (or "1,234.56" with `grouping`), −5 → "-0.05". */
export function fenToYuanString(fen: Fen, options: { grouping?: boolean } = {}): string {
  assertSafeInteger(fen, 'fen');
  const abs = Math.abs(fen);
  let whole = String(Math.floor(abs / 100));
  if (options.grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fen < 0 ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** The sum of fen amounts (exact; throws if it leaves the safe-integer range). */
export function sumFen(amounts: readonly Fen[]): Fen {
  let total = 0;
  for (const a of amounts) total += a;
  assertSafeInteger(total, 'sum');
  return total;
}

/** A per-mille coefficient as a decimal string without trailing zeros: 1200 → "1.2", 600 → "0.6", 1000 → "1". */
export function permilleToString(permille: number): string {
  assertSafeInteger(permille, 'permille');
  const abs = Math.abs(permille);
  const frac = String(abs % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${permille < 0 ? '-' : ''}${Math.floor(abs / 1000)}${frac ? `.${frac}` : ''}`;
}

/** Why `parseYuanAmount` refused a text. */
export type YuanAmountProblem = 'empty' | 'format' | 'decimals' | 'too_large';

export const YUAN_AMOUNT_MESSAGES: Record<YuanAmountProblem, string> = {
  empty: '不能为空',
  format: '应为不小于0的金额（元），如 1234.5 或 1,234.56',
  decimals: '最多两位小数（元）',
  too_large: '金额过大',
};

/**
 * Parses a non-negative amount in yuan as users type or spreadsheets hold it — "1234.5", "1,234.56",
 * "￥300", "300元", full-width digits, or a spreadsheet number — into integer fen from its decimal
 * digits, never by multiplying a float (`0.1` → 10 exactly). More than two decimals is refused
 * rather than rounded: a payroll amount is never guessed.
 */
export function parseYuanAmount(input: string | number): { ok: true; fen: Fen } | { ok: false; problem: YuanAmountProblem } {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return { ok: false, problem: 'format' };
    // The shortest round-trip decimal of the double: what the spreadsheet showed (1234.56 → "1234.56").
    text = String(input);
    if (/e/i.test(text)) return { ok: false, problem: input >= 1 ? 'too_large' : 'decimals' };
  } else {
    text = input
      .replace(/[\uFF10-\uFF19]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
      .replace(/[，]/g, ',')
      .replace(/[．。]/g, '.')
      .replace(/[\s\u3000]/g, '')
      .replace(/^[¥￥]/, '')
      .replace(/元$/, '');
  }
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
