import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, PG_ADMIN_URL, TEST_DATABASES } from './databases.ts';

const hasPostgres = TEST_DATABASES.includes('postgres');

describe('test databases', () => {
  it.skipIf(!hasPostgres)('postgres: a fresh database per call, usable, and gone after drop()', async () => {
    const a = await createTestDatabaseUrl('postgres');
    const b = await createTestDatabaseUrl('postgres');
    const names = [a, b].map((d) => new URL(d.databaseUrl as string).pathname.slice(1));
    expect(names[0]).toMatch(/^sg_test_/);
    expect(names[0]).not.toBe(names[1]);

    const client = new pg.Client({ connectionString: a.databaseUrl });
    await client.connect();
    try {
      await client.query('CREATE TABLE t (id serial PRIMARY KEY, name text NOT NULL)');
      await client.query('INSERT INTO t (name) VALUES ($1)', ['社区工作者']);
      const { rows } = await client.query<{ id: number; name: string }>('SELECT id, name FROM t');
      expect(rows).toEqual([{ id: 1, name: '社区工作者' }]);
      const enc = await client.query<{ server_encoding: string }>('SHOW server_encoding');
      expect(enc.rows[0]?.server_encoding).toBe('UTF8');
    } finally {
      // Left connected on purpose: drop() must terminate open connections (WITH (FORCE)).
      client.on('error', () => {});
    }

    // The other database does not see the table.
    const other = new pg.Client({ connectionString: b.databaseUrl });
    await other.connect();
    try {
      const { rows } = await other.query("SELECT to_regclass('public.t') AS t");
      expect(rows[0]).toEqual({ t: null });
    } finally {
      await other.end();
    }

    await a.drop();
    await b.drop();
    await client.end().catch(() => {});

    const admin = new pg.Client({ connectionString: PG_ADMIN_URL as string });
    await admin.connect();
    try {
      const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });

  it('sqlite: a distinct temp file per call, removed by drop()', async () => {
    const a = await createTestDatabaseUrl('sqlite');
    const b = await createTestDatabaseUrl('sqlite');
    expect(a.databaseUrl).toBeUndefined();
    expect(a.sqliteFile).not.toBe(':memory:');
    expect(a.sqliteFile).not.toBe(b.sqliteFile);
    expect(path.isAbsolute(a.sqliteFile)).toBe(true);

    for (const [i, file] of [a.sqliteFile, b.sqliteFile].entries()) {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (v INTEGER)');
      db.prepare('INSERT INTO t (v) VALUES (?)').run(i);
      db.close();
    }
    const check = new Database(a.sqliteFile, { readonly: true });
    expect(check.prepare('SELECT v FROM t').all()).toEqual([{ v: 0 }]);
    check.close();

    await a.drop();
    await b.drop();
    expect(existsSync(a.sqliteFile)).toBe(false);
    expect(existsSync(b.sqliteFile)).toBe(false);
  });
});
