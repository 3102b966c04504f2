import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBlindIndexer, createDataCipher, loadOrCreateMasterKey, parseKey } from './crypto.ts';

describe('data cipher', () => {
  const cipher = createDataCipher(randomBytes(32));

  it('round-trips and never repeats a ciphertext', () => {
    const a = cipher.encrypt('11010519491231002X');
    const b = cipher.encrypt('11010519491231002X');
    expect(a).not.toBe(b);
    expect(a).not.toContain('1101051949');
    expect(cipher.decrypt(a)).toBe('11010519491231002X');
  });

  it('detects tampering (GCM tag)', () => {
    const token = cipher.encrypt('secret');
    const raw = Buffer.from(token.slice(3), 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => cipher.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
  });

  it('cannot decrypt with another key', () => {
    const other = createDataCipher(randomBytes(32));
    expect(() => other.decrypt(cipher.encrypt('x'))).toThrow();
  });

  it('gives a deterministic blind index separated by purpose', () => {
    expect(cipher.blindIndex('id', 'a')).toBe(cipher.blindIndex('id', 'a'));
    expect(cipher.blindIndex('id', 'a')).not.toBe(cipher.blindIndex('phone', 'a'));
  });

  it('hands out a copy of its blind-index key alone: the same tokens elsewhere, and nothing decrypts with it', () => {
    const token = cipher.blindIndex('id', '11010519491231002X');
    const key = cipher.blindIndexKey();
    expect(createBlindIndexer(key).blindIndex('id', '11010519491231002X')).toBe(token);
    expect(() => createDataCipher(Buffer.from(key)).decrypt(cipher.encrypt('x'))).toThrow();
    key.fill(0);
    expect(cipher.blindIndex('id', '11010519491231002X')).toBe(token);
  });
});

describe('master key', () => {
  it('is created once with mode 0600 and then reused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-key-'));
    const k1 = loadOrCreateMasterKey(dir, undefined);
    const k2 = loadOrCreateMasterKey(dir, undefined);
    expect(k1.equals(k2)).toBe(true);
    expect(fs.statSync(path.join(dir, 'keys', 'data.key')).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true });
  });

  it('accepts hex and base64 keys from the environment and rejects short ones', () => {
    const key = randomBytes(32);
    expect(parseKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseKey(key.toString('base64')).equals(key)).toBe(true);
    expect(() => parseKey('abcd')).toThrow(/32 bytes/);
  });
});
