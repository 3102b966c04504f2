import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encryption of personal data at rest (AES-256-GCM) and blind indexes (HMAC-SHA256) so encrypted
 * values can still be looked up by equality. Both keys derive from one 32-byte master key.
 */
export interface DataCipher {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  /** Deterministic keyed hash for equality lookups; `purpose` separates namespaces (id numbers, phones). */
  blindIndex(purpose: string, value: string): string;
  /**
   * A copy of the blind-index (MAC) key alone, for a worker thread that computes blind indexes
   * (`createBlindIndexer`): with it equality tokens can be made, but nothing encrypted or decrypted.
   */
  blindIndexKey(): Uint8Array;
}

/** Blind indexes without the encryption key (see `DataCipher.blindIndexKey`). */
export interface BlindIndexer {
  blindIndex(purpose: string, value: string): string;
}

/** The blind indexer of a MAC key: the same tokens as the `DataCipher` it came from. */
export function createBlindIndexer(macKey: Uint8Array): BlindIndexer {
  const key = Buffer.from(macKey);
  return {
    blindIndex(purpose, value) {
      return createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest('hex');
    },
  };
}

const VERSION = 'v1';

export function createDataCipher(masterKey: Buffer): DataCipher {
  if (masterKey.length !== 32) throw new Error('The data key must be 32 bytes');
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'shegong/enc/v1', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'shegong/mac/v1', 32));
  const indexer = createBlindIndexer(macKey);
  // IVs come from a pool filled 4,096 at a time: one randomBytes call per value costs more than
  // the encryption itself when an import encrypts 100,000 ID numbers.
  let pool = Buffer.alloc(0);
  let offset = 0;
  const nextIv = (): Buffer => {
    if (offset + 12 > pool.length) {
      pool = randomBytes(12 * 4096);
      offset = 0;
    }
    const iv = pool.subarray(offset, offset + 12);
    offset += 12;
    return iv;
  };
  return {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${VERSION}:${Buffer.concat([iv, tag, ct]).toString('base64')}`;
    },
    decrypt(token) {
      const [version, body] = token.split(':', 2);
      if (version !== VERSION || !body) throw new Error('Unknown ciphertext format');
      const raw = Buffer.from(body, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex: indexer.blindIndex,
    blindIndexKey: () => Uint8Array.from(macKey),
  };
}

/** Parses a key given as 64 hex characters or base64 of 32 bytes. */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('SHEGONG_DATA_KEY must be 32 bytes as 64 hex characters or base64');
  return key;
}

/**
 * The master key: `SHEGONG_DATA_KEY` when set, else `<dataDir>/keys/data.key`, created on first
 * start with mode 0600. Losing the key file makes encrypted personal data unreadable: back it up.
 */
export function loadOrCreateMasterKey(dataDir: string, envKey: string | undefined): Buffer {
  if (envKey) return parseKey(envKey);
  const file = path.join(dataDir, 'keys', 'data.key');
  if (fs.existsSync(file)) return parseKey(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** URL-safe random token. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
