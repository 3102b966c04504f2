import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';

// argon2id (the library default algorithm) with OWASP's recommended minimum: 19 MiB, 2 passes.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Password policy (等保 level-2 practice): at least 10 characters, at least three of lower-case,
 * upper-case, digits and symbols, not containing the username. Returns the problems in Chinese.
 */
export function checkPasswordPolicy(password: string, username: string): { zh: string; en: string }[] {
  const problems: { zh: string; en: string }[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push({ zh: `密码至少${PASSWORD_MIN_LENGTH}位`, en: `at least ${PASSWORD_MIN_LENGTH} characters` });
  }
  if (password.length > 128) problems.push({ zh: '密码不能超过128位', en: 'at most 128 characters' });
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) {
    problems.push({ zh: '须包含大写字母、小写字母、数字、符号中的至少三类', en: 'use at least three of lower, upper, digits, symbols' });
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({ zh: '密码不能包含用户名', en: 'must not contain the username' });
  }
  return problems;
}

const ALPHABETS = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#%^*-_=+'];

/** A random password of 16 characters that satisfies the policy (no look-alike characters). */
export function generatePassword(length = 16): string {
  const chars: string[] = ALPHABETS.map((a) => a[randomInt(a.length)]!);
  const all = ALPHABETS.join('');
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
