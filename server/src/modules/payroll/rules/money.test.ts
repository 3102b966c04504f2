import { describe, expect, it } from 'vitest';
import {
  divRound,
  fenToYuanString,
  mulPermille,
  mulRate,
  mulRatio,
  permilleToString,
  roundTo,
  sumFen,
  yuan,
  yuanStringToFen,
} from './money.ts';

describe('divRound', () => {
  it('rounds half away from zero, towards zero, and away from zero', () => {
    // 5 / 2 = 2.5; −5 / 2 = −2.5
    expect(divRound(5, 2, 'halfUp')).toBe(3);
    expect(divRound(-5, 2, 'halfUp')).toBe(-3);
    expect(divRound(5, 2, 'down')).toBe(2);
    expect(divRound(-5, 2, 'down')).toBe(-2);
    expect(divRound(5, 2, 'up')).toBe(3);
    expect(divRound(-5, 2, 'up')).toBe(-3);
    // 7 / 3 = 2.33…: only `up` moves it
    expect(divRound(7, 3, 'halfUp')).toBe(2);
    expect(divRound(7, 3, 'up')).toBe(3);
    expect(divRound(6, 3, 'up')).toBe(2);
  });

  it('never returns −0 and rejects a non-positive denominator', () => {
    expect(Object.is(divRound(-1, 10, 'down'), 0)).toBe(true);
    expect(() => divRound(1, 0, 'halfUp')).toThrow(RangeError);
  });
});

describe('mulRate (basis points)', () => {
  it('applies a rate to the fen, half-up', () => {
    // 4,854.00 yuan × 8% = 388.32 yuan exactly
    expect(mulRate(485_400, 800)).toBe(38_832);
    // 6,525.00 × 0.5% = 32.625 → 32.63 (half-up) / 32.62 (down) / 32.63 (up)
    expect(mulRate(652_500, 50)).toBe(3_263);
    expect(mulRate(652_500, 50, { unit: 'fen', mode: 'down' })).toBe(3_262);
    expect(mulRate(652_500, 50, { unit: 'fen', mode: 'up' })).toBe(3_263);
  });

  it('rounds once to the jiao or the yuan, not fen first', () => {
    // 1,234.56 × 12% = 148.1472 yuan → jiao half-up 148.1, yuan half-up 148
    expect(mulRate(123_456, 1_200, { unit: 'jiao', mode: 'halfUp' })).toBe(14_810);
    expect(mulRate(123_456, 1_200, { unit: 'yuan', mode: 'halfUp' })).toBe(14_800);
    expect(mulRate(123_456, 1_200, { unit: 'yuan', mode: 'up' })).toBe(14_900);
    // 0.12 yuan × 100% to the jiao, half-up: 1.2 jiao → 1 jiao = 0.10 yuan
    expect(mulRate(12, 10_000, { unit: 'jiao', mode: 'halfUp' })).toBe(10);
    // 14.50 yuan to the yuan, half-up → 15
    expect(mulRate(1_450, 10_000, { unit: 'yuan', mode: 'halfUp' })).toBe(1_500);
  });

  it('stays exact where floating point would not (0.1 + 0.2 style cases)', () => {
    // 1.005 yuan = 100.5 fen; float 1.005*100 = 100.49999…; here 201 fen × 5000 bp = 100.5 → 101
    expect(mulRate(201, 5_000)).toBe(101);
    // 3,400 yuan × 1.35 = 4,590 yuan
    expect(mulPermille(340_000, 1_350)).toBe(459_000);
  });

  it('handles products beyond 2^53 through BigInt, exactly', () => {
    // 9e13 fen × 1200 bp = 1.08e17 (unsafe) / 10,000 = 1.08e13 fen
    expect(mulRate(90_000_000_000_000, 1_200)).toBe(10_800_000_000_000);
    expect(mulRatio(90_000_000_000_001, 1, 2, { unit: 'fen', mode: 'halfUp' })).toBe(45_000_000_000_001);
  });

  it('rounds negative amounts by magnitude', () => {
    // −0.05 yuan × 50% = −0.025 → −0.03 half-up (away from zero)
    expect(mulRate(-5, 5_000)).toBe(-3);
    expect(mulRate(-5, 5_000, { unit: 'fen', mode: 'down' })).toBe(-2);
  });

  it('rejects non-integer amounts and rates', () => {
    expect(() => mulRate(10.5, 100)).toThrow(RangeError);
    expect(() => mulRate(100, 0.5)).toThrow(RangeError);
  });
});

describe('roundTo', () => {
  it('rounds fen to jiao and yuan by each mode', () => {
    expect(roundTo(12_345, 'fen')).toBe(12_345);
    expect(roundTo(12_345, 'jiao', 'halfUp')).toBe(12_350); // 123.45 → 123.5
    expect(roundTo(12_344, 'jiao', 'halfUp')).toBe(12_340); // 123.44 → 123.4
    expect(roundTo(12_345, 'yuan', 'halfUp')).toBe(12_300); // 123.45 → 123
    expect(roundTo(12_350, 'yuan', 'halfUp')).toBe(12_400); // 123.50 → 124
    expect(roundTo(12_301, 'yuan', 'up')).toBe(12_400);
    expect(roundTo(12_399, 'yuan', 'down')).toBe(12_300);
    expect(roundTo(-12_350, 'yuan', 'halfUp')).toBe(-12_400);
  });
});

describe('formatting and parsing', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(fenToYuanString(123_456)).toBe('1234.56');
    expect(fenToYuanString(123_456_789, { grouping: true })).toBe('1,234,567.89');
    expect(fenToYuanString(5)).toBe('0.05');
    expect(fenToYuanString(-5)).toBe('-0.05');
    expect(fenToYuanString(0)).toBe('0.00');
  });

  it('parses yuan strings and whole yuan without floating point', () => {
    expect(yuanStringToFen('3400')).toBe(340_000);
    expect(yuanStringToFen('1.00')).toBe(100);
    expect(yuanStringToFen('0.5')).toBe(50);
    expect(yuanStringToFen('-12.34')).toBe(-1_234);
    expect(() => yuanStringToFen('1.005')).toThrow(RangeError);
    expect(() => yuanStringToFen('abc')).toThrow(RangeError);
    expect(yuan(3_400)).toBe(340_000);
    expect(() => yuan(1.5)).toThrow(RangeError);
  });

  it('formats per-mille coefficients and sums fen', () => {
    expect(permilleToString(1_200)).toBe('1.2');
    expect(permilleToString(600)).toBe('0.6');
    expect(permilleToString(1_000)).toBe('1');
    expect(permilleToString(1_355)).toBe('1.355');
    expect(permilleToString(0)).toBe('0');
    expect(sumFen([1, 2, 3])).toBe(6);
    expect(() => sumFen([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
