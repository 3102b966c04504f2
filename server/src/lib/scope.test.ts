import { describe, expect, it } from 'vitest';
import { ancestorCodes, isCodeInScope, levelOfCode, prefixUpperBound } from './scope.ts';

describe('scope by division code', () => {
  it('levels follow code length', () => {
    expect(['CN', '33', '3301', '330106', '330106001', '330106001001', '3301x'].map(levelOfCode)).toEqual([0, 1, 2, 3, 4, 5, null]);
  });
  it('subtree membership is a prefix test', () => {
    const street = { orgCode: '330106001', level: 4 };
    expect(isCodeInScope('330106001002', street)).toBe(true);
    expect(isCodeInScope('330106002001', street)).toBe(false);
    expect(isCodeInScope('330106', street)).toBe(false);
    expect(isCodeInScope('440101001001', { orgCode: 'CN', level: 0 })).toBe(true);
  });
  it('upper bound of a prefix excludes the next sibling', () => {
    expect(prefixUpperBound('3301')).toBe('3302');
    expect(prefixUpperBound('3309')).toBe('330:');
    expect('330999999999' < prefixUpperBound('3309')).toBe(true);
  });
  it('lists ancestors from the province down', () => {
    expect(ancestorCodes('330106001001')).toEqual(['33', '3301', '330106', '330106001']);
  });
});
