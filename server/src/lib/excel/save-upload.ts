/**
 * Saves an upload's body (the file's bytes) to a private temporary file, refusing it as soon as it
 * passes `maxBytes` and hashing it on the way (the import's audit entry records the SHA-256). On any
 * failure the partial file is removed and the rest of the body drained, so the client gets the error.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomToken } from '../crypto.ts';
import { importFileErrors } from './errors.ts';

export interface SavedUpload {
  path: string;
  size: number;
  sha256: string;
}

export async function saveUpload(body: Readable, options: { dir: string; suffix: string; maxBytes: number }): Promise<SavedUpload> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const stored = path.join(options.dir, `${Date.now()}-${randomToken(9)}.${options.suffix}`);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      body,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > options.maxBytes) return done(importFileErrors.tooLarge(size, options.maxBytes));
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      fs.createWriteStream(stored, { mode: 0o600 }),
    );
  } catch (err) {
    await rm(stored, { force: true });
    body.resume();
    throw err;
  }
  return { path: stored, size, sha256: hash.digest('hex') };
}
