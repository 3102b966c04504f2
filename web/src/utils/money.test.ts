import { describe, expect, it } from 'vitest';
import { fenToYuanInput, parseYuanToFen } from './money';

const fen = (text: string) => {
  const r = parseYuanToFen(text);
  return r.ok ? r.fen : r.problem;
};

describe('parseYuanToFen', () => {
  it('converts yuan strings to integer fen from the digits', () => {
    expect(fen('1234.5')).toBe(123_450);
    expect(fen('1,234.56')).toBe(123_456);
    expect(fen('0.05')).toBe(5);
    expect(fen('300')).toBe(30_000);
    expect(fen('￥1,000')).toBe(100_000);
    expect(fen('１２．３')).toBe(1_230);
  });

  it('is exact where floating point is not', () => {
    expect((fen('0.1') as number) + (fen('0.2') as number)).toBe(30);
    expect(fen('1.15')).toBe(115);
    expect(Math.round(1.005 * 100)).toBe(100); // the float trap the parser avoids
    expect(fen('1.01')).toBe(101);
  });

  it('refuses ambiguous or inexact amounts', () => {
    expect(fen('1.234')).toBe('decimals');
    expect(fen('')).toBe('empty');
    expect(fen('-1')).toBe('format');
    expect(fen('1,23')).toBe('format');
    expect(fen('12.')).toBe('format');
    expect(fen('abc')).toBe('format');
    expect(fen('99999999999999999')).toBe('too_large');
  });

  it('formats fen back for editing', () => {
    expect(fenToYuanInput(123_450)).toBe('1234.50');
    expect(fenToYuanInput(5)).toBe('0.05');
  });
});
