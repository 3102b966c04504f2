import { describe, expect, it } from 'vitest';
import { buildIdNumber, idCheckChar, maskIdNumber, normaliseIdInput, parseIdNumber, upgradeLegacyIdNumber } from './id-card.ts';

describe('parseIdNumber (GB 11643)', () => {
  // 11010519491231002X is the standard's published example.
  it('accepts the standard example with an X check character', () => {
    const r = parseIdNumber('11010519491231002X');
    expect(r).toEqual({ value: '11010519491231002X', birthDate: '1949-12-31', gender: 'F', areaCode: '110105' });
  });

  it('derives gender from the 17th digit', () => {
    const male = buildIdNumber('330106', '1990-01-01', 11, 'M');
    const r = parseIdNumber(male);
    expect('gender' in r && r.gender).toBe('M');
  });

  it('rejects a wrong check digit', () => {
    expect(parseIdNumber('110105194912310021')).toEqual({ problem: 'check_digit' });
  });

  it('rejects impossible dates and future births', () => {
    const feb30 = '33010619900230001';
    expect(parseIdNumber(feb30 + idCheckChar(feb30))).toEqual({ problem: 'birth_date' });
    const future = '33010630000101001';
    expect(parseIdNumber(future + idCheckChar(future))).toEqual({ problem: 'birth_date' });
  });

  it('rejects wrong lengths and letters', () => {
    expect(parseIdNumber('12345')).toEqual({ problem: 'format' });
    expect(parseIdNumber('1101051949123100AX')).toEqual({ problem: 'format' });
  });

  it('accepts full-width digits, lower-case x and spaces as typed in Office documents', () => {
    expect(normaliseIdInput('１１０１０５ 19491231002ｘ')).toBe('11010519491231002X');
    expect('value' in parseIdNumber(' 11010519491231002x ')).toBe(true);
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 4 characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
  });
});

describe('upgradeLegacyIdNumber (GB 11643 appendix)', () => {
  it('inserts 19 before the birth year and computes the check character', () => {
    // 110105491231002 is the 15-digit form of the standard's example 11010519491231002X.
    expect(upgradeLegacyIdNumber('110105491231002')).toBe('11010519491231002X');
    const upgraded = upgradeLegacyIdNumber('330106880229371')!;
    expect(upgraded).toBe(buildIdNumber('330106', '1988-02-29', 371, 'M'));
    expect(parseIdNumber(upgraded)).toMatchObject({ birthDate: '1988-02-29', gender: 'M' });
  });

  it('accepts full-width digits and spaces, and leaves other lengths alone', () => {
    expect(upgradeLegacyIdNumber(' １１０１０５ 491231002')).toBe('11010519491231002X');
    expect(upgradeLegacyIdNumber('11010519491231002X')).toBeNull();
    expect(upgradeLegacyIdNumber('11010549123100X')).toBeNull();
    expect(upgradeLegacyIdNumber('12345')).toBeNull();
  });

  it('leaves an impossible birth date for parseIdNumber to reject', () => {
    expect(parseIdNumber(upgradeLegacyIdNumber('330106880230371')!)).toEqual({ problem: 'birth_date' });
  });
});
