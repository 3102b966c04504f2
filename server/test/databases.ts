/**
 * Per-test databases for integration tests, so that no test shares state with another.
 *
 *   describeEachDatabase('workers API', (kind) => {
 *     let db: TestDatabase;
 *     beforeEach(async () => { db = await createTestDatabaseUrl(kind); });
 *     afterEach(async () => { await db.drop(); });
 *     ...
 *   });
 *
 * For `postgres` a fresh `sg_test_<random>` database is created on the server the global setup provided
 * (throwaway cluster or DATABASE_URL); for `sqlite` a fresh file path under os.tmpdir() is handed out.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';

export type DatabaseKind = 'sqlite' | 'postgres';
/** Alias used by test/factories.ts. */
export type TestDbKind = DatabaseKind;

export interface TestDatabase {
  /** PostgreSQL connection URL of the fresh database; undefined for sqlite. */
  databaseUrl?: string;
  /** SQLite database file (fresh, not yet created); ':memory:' for postgres (unused there). */
  sqliteFile: ':memory:' | string;
  /** Delete the database (postgres: DROP DATABASE … WITH (FORCE); sqlite: remove the file and its -wal/-shm). */
  drop(): Promise<void>;
}

/** Superuser URL of the PostgreSQL server for this run, or null when PostgreSQL tests are skipped. */
export const PG_ADMIN_URL: string | null = inject('pgAdminUrl') ?? null;

/** The database kinds integration tests run against: sqlite always, postgres when available. */
export const TEST_DATABASES: DatabaseKind[] = PG_ADMIN_URL ? ['sqlite', 'postgres'] : ['sqlite'];

function uniqueSuffix(): string {
  return `${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  if (!PG_ADMIN_URL) throw new Error('PostgreSQL is not available in this test run (see the SKIPPED line)');
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * `collation` (PostgreSQL only) sets LC_COLLATE/LC_CTYPE of the new database; the default is C, like
 * our own clusters. A database created by a DBA usually has another (tests of that case use C.UTF-8).
 */
export async function createTestDatabaseUrl(kind: DatabaseKind, options: { collation?: string } = {}): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const sqliteFile = path.join(os.tmpdir(), `sg_test_${uniqueSuffix()}.sqlite`);
    return {
      sqliteFile,
      async drop() {
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(sqliteFile + suffix, { force: true });
      },
    };
  }

  const name = `sg_test_${uniqueSuffix()}`;
  // template0 + explicit encoding/locale: independent of whatever sits in template1 on a shared server,
  // and safe to run concurrently (template1 refuses to be copied while someone is connected to it).
  const collation = (options.collation ?? 'C').replace(/'/g, "''");
  await withAdmin((c) =>
    c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '${collation}' LC_CTYPE '${collation}'`),
  );
  const url = new URL(PG_ADMIN_URL as string);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    databaseUrl: url.toString(),
    sqliteFile: ':memory:',
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(async (c) => {
        try {
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } catch (err) {
          // PostgreSQL < 13 has no WITH (FORCE): terminate the connections by hand.
          if ((err as { code?: string }).code !== '42601') throw err;
          await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
          await c.query(`DROP DATABASE IF EXISTS "${name}"`);
        }
      });
    },
  };
}

/**
 * `describe(`${name} [${kind}]`, () => fn(kind))` for every kind in TEST_DATABASES. When PostgreSQL is
 * absent, the postgres variant is still declared but skipped, so it shows up as skipped in the counts.
 */
export function describeEachDatabase(name: string, fn: (kind: DatabaseKind) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    const title = `${name} [${kind}]`;
    describe.skipIf(!TEST_DATABASES.includes(kind))(title, () => fn(kind));
  }
}
