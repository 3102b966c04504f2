import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, generatePassword, hashPassword, verifyPassword } from './password.ts';

describe('password policy', () => {
  it('accepts a strong password', () => {
    expect(checkPasswordPolicy('Strong-Pass-2026', 'zhangsan')).toEqual([]);
  });
  it('rejects short, single-class and username-containing passwords', () => {
    expect(checkPasswordPolicy('Ab1!', 'u').map((p) => p.en)).toContain('at least 10 characters');
    expect(checkPasswordPolicy('abcdefghijklmn', 'u')).toHaveLength(1);
    expect(checkPasswordPolicy('Zhangsan-2026!', 'zhangsan').map((p) => p.zh)).toContain('密码不能包含用户名');
  });
  it('generates passwords that satisfy it', () => {
    for (let i = 0; i < 50; i++) expect(checkPasswordPolicy(generatePassword(), 'admin')).toEqual([]);
  });
});

describe('argon2id hashing', () => {
  it('verifies the right password only', async () => {
    const h = await hashPassword('Strong-Pass-2026');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'Strong-Pass-2026')).toBe(true);
    expect(await verifyPassword(h, 'strong-pass-2026')).toBe(false);
    expect(await verifyPassword('garbage', 'x')).toBe(false);
  });
});
