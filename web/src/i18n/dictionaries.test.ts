import { describe, expect, it } from 'vitest';
import { translate } from './core';
import { en } from './en';
import { zhCN } from './zh-CN';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('English has exactly the Chinese keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('both languages use the same placeholders', () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });

  it('interpolates parameters', () => {
    expect(translate('zh-CN', 'home.standardNote', { n: 18 })).toBe('按每万人18名');
    expect(translate('en', 'common.total', { n: 3 })).toBe('3 in total');
  });
});
