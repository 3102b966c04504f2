import { describe, expect, it } from 'vitest';
import { checkPassword, ID_NUMBER_PATTERN, passwordOk } from './validation';

describe('password policy', () => {
  it('needs at least 10 characters', () => {
    expect(checkPassword('Ab1!', 'zhang').length).toBe(false);
    expect(checkPassword('Ab1!Ab1!Ab', 'zhang').length).toBe(true);
  });

  it('needs 3 of the 4 character classes', () => {
    expect(checkPassword('abcdefghij', 'u').classCount).toBe(1);
    expect(passwordOk('abcdefgh12', 'u')).toBe(false);
    expect(passwordOk('abcdefgH12', 'u')).toBe(true);
    expect(passwordOk('abcdefgh1!', 'u')).toBe(true);
  });

  it('must not contain the username, case-insensitively', () => {
    expect(passwordOk('Xzhang2025!', 'zhang')).toBe(false);
    expect(passwordOk('XZHANG2025!', 'zhang')).toBe(false);
    expect(passwordOk('Wang#2025xyz', 'zhang')).toBe(true);
  });
});

describe('ID number format', () => {
  it('accepts 17 digits plus a digit or X', () => {
    expect(ID_NUMBER_PATTERN.test('11010519491231002X')).toBe(true);
    expect(ID_NUMBER_PATTERN.test('110105194912310021')).toBe(true);
    expect(ID_NUMBER_PATTERN.test('11010519491231002')).toBe(false);
    expect(ID_NUMBER_PATTERN.test('1101051949123100Y1')).toBe(false);
  });
});
