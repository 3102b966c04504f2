import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.ts';
import { startWalCheckpointer, WAL_CHECKPOINT_BYTES } from './wal-checkpointer.ts';

const dirs: string[] = [];
const open: Db[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-wal-'));
  dirs.push(dir);
  return path.join(dir, 'test.db');
}

function openFileDb(file: string): Db {
  const db = openDatabase({ sqliteFile: file });
  open.push(db);
  return db;
}

/** Writes about `mb` MiB of rows in one transaction (the log holds them until a checkpoint). */
function writeMegabytes(db: Db, mb: number, from = 0): void {
  const raw = db.sqlite!;
  raw.exec('create table if not exists blobs (id integer primary key, body blob not null)');
  const insert = raw.prepare('insert into blobs (id, body) values (?, ?)');
  const body = Buffer.alloc(64 * 1024, 7);
  raw.transaction(() => {
    for (let i = 0; i < mb * 16; i++) insert.run(from + i, body);
  })();
}

describe('background WAL checkpoints', () => {
  it('copies a long log back into the database file on its thread, not in the writing call', async () => {
    const file = tempFile();
    const db = openFileDb(file);
    writeMegabytes(db, 12);
    // The commit left the pages in the log: the writing connection did not checkpoint them itself.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(12 * 1024 * 1024);
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    await expect.poll(() => fs.statSync(file).size, { timeout: 10_000, interval: 100 }).toBeGreaterThan(12 * 1024 * 1024);
    expect(db.checkpointer?.isThreadStarted).toBe(true);
    expect(db.checkpointer?.lastResult?.checkpointed).toBe(db.checkpointer?.lastResult?.log);
  });

  it('keeps every row while writes go on beside the checkpoints', async () => {
    const file = tempFile();
    const db = openFileDb(file);
    for (let round = 0; round < 6; round++) {
      writeMegabytes(db, 3, round * 1000);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await db.close();
    open.splice(open.indexOf(db), 1);
    const again = openFileDb(file);
    expect(again.sqlite!.prepare('select count(*) from blobs').pluck().get()).toBe(6 * 3 * 16);
    expect(again.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('starts no thread for a database whose log stays short, nor for one in memory', async () => {
    const db = openFileDb(tempFile());
    writeMegabytes(db, 1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(WAL_CHECKPOINT_BYTES).toBeGreaterThan(2 * 1024 * 1024);
    expect(db.checkpointer?.isThreadStarted).toBe(false);
    expect(openFileDb(':memory:').checkpointer).toBeUndefined();
  });

  it('falls back to SQLite checkpointing by itself when the thread cannot work', async () => {
    const file = tempFile();
    // A log with no database file beside it: the thread cannot open the database.
    fs.writeFileSync(`${file}-wal`, Buffer.alloc(WAL_CHECKPOINT_BYTES + 1));
    const failures: string[] = [];
    let fellBack = false;
    const checkpointer = startWalCheckpointer(file, {
      intervalMs: 20,
      onFailure: (m) => failures.push(m),
      fallback: () => (fellBack = true),
    });
    try {
      await expect.poll(() => fellBack, { timeout: 5000 }).toBe(true);
      expect(failures).toHaveLength(1);
    } finally {
      await checkpointer.stop();
    }
  });
});
