import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { configureForBackgroundCheckpoints, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';

export type Dialect = 'sqlite' | 'postgres';

/** A connected database: the Kysely instance plus what callers need to know about the engine. */
export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle when on SQLite, for bulk loads that need prepared statements. */
  sqlite?: SQLite.Database;
  /** The pg pool when on PostgreSQL. */
  pool?: pg.Pool;
  /** SQLite files: the background checkpointer of the write-ahead log (see wal-checkpointer.ts). */
  checkpointer?: WalCheckpointer;
  close(): Promise<void>;
}

// bigint (int8) and numeric counts come back as strings from pg by default; our ids and counts fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));

/**
 * SQLite transactions take the write lock up front (`BEGIN IMMEDIATE`), so a second process
 * (the CLI beside the server) waits out the busy timeout instead of failing with "database is
 * locked" when its read snapshot turns stale at the first write (WAL's deferred-upgrade rule).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** SQLite file; `:memory:` for tests. */
  sqliteFile?: string;
  poolSize?: number;
}

/**
 * Opens SQLite (WAL, foreign keys on, busy timeout; a file's log checkpointed on a background
 * thread) or a PostgreSQL pool, per the options.
 */
export function openDatabase(options: OpenDatabaseOptions): Db {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection that the server ends (restart, failover, a dropped test database) is an
    // 'error' event on the pool: without a handler it would end the process. The pool replaces it.
    pool.on('error', (err: Error & { code?: string }) => {
      if (err.code !== '57P01') console.error(`PostgreSQL: an idle connection failed (${err.message}); the pool opens a new one`);
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kysely,
      dialect: 'postgres',
      pool,
      close: () => kysely.destroy(),
    };
  }
  const file = options.sqliteFile ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  let checkpointer: WalCheckpointer | undefined;
  if (file !== ':memory:') {
    configureForBackgroundCheckpoints(sqlite);
    checkpointer = startWalCheckpointer(file, {
      onFailure: (message) => console.error(`SQLite background checkpoints stopped (${message}); SQLite checkpoints by itself again`),
      fallback: () => sqlite.pragma('wal_autocheckpoint = 1000'),
    });
  }
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return {
    kysely,
    dialect: 'sqlite',
    sqlite,
    ...(checkpointer ? { checkpointer } : {}),
    close: async () => {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

/** Verifies the connection answers. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db.kysely);
}

/**
 * Refreshes SQLite's query-planner statistics (`PRAGMA optimize`, which runs a bounded ANALYZE
 * where tables changed). Without them SQLite may walk a wide index (birth date) instead of the
 * narrow org-code range of a street. Run at start and after bulk loads. On PostgreSQL it runs a
 * (sampled) ANALYZE, so a bulk load is not planned without statistics until autovacuum runs.
 */
export async function optimizeDatabase(db: Db): Promise<void> {
  if (!db.sqlite) {
    // PostgreSQL samples a bounded number of rows per table, so this stays cheap at national scale;
    // without it a bulk load is planned blind until autovacuum gets round to it.
    await sql`analyze`.execute(db.kysely);
    return;
  }
  db.sqlite.pragma('analysis_limit = 1000');
  db.sqlite.pragma('optimize = 0x10002');
}
