import { describe, expect, it } from 'vitest';
import { nameInitials } from './pinyin.ts';

describe('nameInitials', () => {
  it('gives the pinyin initials of a name', () => {
    expect(nameInitials('张三')).toBe('zs');
    expect(nameInitials('欧阳娜娜')).toBe('oynn');
  });
  it('reads surnames as surnames', () => {
    expect(nameInitials('单雄信')).toBe('sxx');
    expect(nameInitials('曾国藩')).toBe('zgf');
  });
  it('keeps Latin letters and drops punctuation', () => {
    expect(nameInitials('阿依·Mary')).toBe('aymary');
  });
});
