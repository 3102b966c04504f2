import { describe, expect, it } from 'vitest';
import { parseYuanAmount } from './money.ts';

const fen = (input: string | number) => {
  const r = parseYuanAmount(input);
  return r.ok ? r.fen : r.problem;
};

describe('parseYuanAmount (yuan → integer fen, no floating point)', () => {
  it('reads decimal strings digit by digit', () => {
    expect(fen('1234.5')).toBe(123_450);
    expect(fen('1234.56')).toBe(123_456);
    expect(fen('0')).toBe(0);
    expect(fen('0.05')).toBe(5);
    expect(fen('300')).toBe(30_000);
    expect(fen('007.10')).toBe(710);
  });

  it('adds 0.1 and 0.2 exactly, where floats give 0.30000000000000004', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect((fen('0.1') as number) + (fen('0.2') as number)).toBe(30);
    expect(fen('1.15')).toBe(115); // 1.15 × 100 = 114.99999999999999 in floating point
    expect(fen('4.35')).toBe(435); // 4.35 × 100 = 434.99999999999994
  });

  it('accepts thousands separators, currency marks and full-width digits', () => {
    expect(fen('1,234.56')).toBe(123_456);
    expect(fen('12,345,678')).toBe(1_234_567_800);
    expect(fen('￥300')).toBe(30_000);
    expect(fen('¥ 1,000.5')).toBe(100_050);
    expect(fen('300元')).toBe(30_000);
    expect(fen('１２３．４')).toBe(12_340);
    expect(fen('1，234')).toBe(123_400);
  });

  it('reads spreadsheet numbers through their shortest decimal form', () => {
    expect(fen(1234.56)).toBe(123_456);
    expect(fen(0.1)).toBe(10);
    expect(fen(1.15)).toBe(115);
    expect(fen(88800)).toBe(8_880_000);
    expect(fen(0.1 + 0.2)).toBe('decimals');
  });

  it('refuses what is not an exact amount of fen', () => {
    expect(fen('1.234')).toBe('decimals');
    expect(fen('0.001')).toBe('decimals');
    expect(fen('')).toBe('empty');
    expect(fen('  ')).toBe('empty');
    expect(fen('-5')).toBe('format');
    expect(fen(-5)).toBe('format');
    expect(fen('1,23')).toBe('format');
    expect(fen('1,2345')).toBe('format');
    expect(fen('12.')).toBe('format');
    expect(fen('.5')).toBe('format');
    expect(fen('1e3')).toBe('format');
    expect(fen('abc')).toBe('format');
    expect(fen(1e21)).toBe('too_large');
    expect(fen('99999999999999999')).toBe('too_large');
  });
});
