import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

/** Where a public token leads: a ballot code (codes mode) or a community's open link. */
export interface BallotTarget {
  cycleId: number;
  communityCode: string;
  /** Set for a ballot code. */
  codeHash: string | null;
  used: boolean;
}

export interface BallotToInsert {
  cycleId: number;
  communityCode: string;
  voterKind: string;
  castHour: string;
  comment: string | null;
  ratings: { workerId: number; choice: string }[];
  /** Codes mode: the code whose used flag must flip from 0 to 1. */
  codeHash: string | null;
  /** Open mode: the device token hash that may vote once. */
  deviceHash: string | null;
  /** Open mode: the client IP's hash and how many ballots that IP may cast in the community. */
  ipLimit?: { ipHash: string; max: number } | null;
}

export type CastOutcome = 'ok' | 'not_open' | 'closed' | 'code_used' | 'device_used' | 'ip_limit';

/** Thrown inside a ballot's transaction to undo what it already wrote (a claimed device) and refuse it. */
class Refusal extends Error {
  constructor(readonly outcome: Exclude<CastOutcome, 'ok'>) {
    super(outcome);
  }
}

export async function findCodeTarget(db: Db, codeHash: string): Promise<BallotTarget | null> {
  const r = await db
    .selectFrom('assessment_ballot_codes')
    .select(['cycle_id', 'community_code', 'used'])
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  return r ? { cycleId: Number(r.cycle_id), communityCode: r.community_code, codeHash, used: Number(r.used) === 1 } : null;
}

export async function findLinkTarget(db: Db, linkToken: string): Promise<BallotTarget | null> {
  const r = await db
    .selectFrom('assessment_communities')
    .select(['cycle_id', 'community_code'])
    .where('link_token', '=', linkToken)
    .executeTakeFirst();
  return r ? { cycleId: Number(r.cycle_id), communityCode: r.community_code, codeHash: null, used: false } : null;
}

/**
 * Casts one ballot in one short transaction (any engine): checks the community's ballot is open, flips
 * the code's used flag with `update … where used = 0` (or claims the device and counts the ballot against
 * its IP with an upsert that only increments below the cap), inserts the ballot and its ratings. A replay
 * loses the race on the flag and is refused, so no ballot is ever counted twice. On
 * PostgreSQL the community row is read `for share`, so a ballot racing the close waits for it and is
 * refused, and a close never commits while a ballot that saw the ballot open is still being written.
 */
export async function castBallotKysely(db: Db, dialect: Dialect, b: BallotToInsert): Promise<CastOutcome> {
  try {
    return await castInTransaction(db, dialect, b);
  } catch (err) {
    if (err instanceof Refusal) return err.outcome;
    throw err;
  }
}

async function castInTransaction(db: Db, dialect: Dialect, b: BallotToInsert): Promise<CastOutcome> {
  return db.transaction().execute(async (trx) => {
    let statusQuery = trx
      .selectFrom('assessment_communities')
      .select(['ballot_status'])
      .where('cycle_id', '=', b.cycleId)
      .where('community_code', '=', b.communityCode);
    if (dialect === 'postgres') statusQuery = statusQuery.forShare();
    const c = await statusQuery.executeTakeFirst();
    if (!c || c.ballot_status === 'pending') return 'not_open';
    if (c.ballot_status !== 'open') return 'closed';
    if (b.codeHash) {
      const r = await trx
        .updateTable('assessment_ballot_codes')
        .set({ used: 1 })
        .where('code_hash', '=', b.codeHash)
        .where('used', '=', 0)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return 'code_used';
    }
    if (b.deviceHash) {
      const r = await trx
        .insertInto('assessment_ballot_devices')
        .values({ cycle_id: b.cycleId, token_hash: b.deviceHash })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return 'device_used';
    }
    if (b.ipLimit) {
      const { ipHash, max } = b.ipLimit;
      const r = await trx
        .insertInto('assessment_ballot_ip_counts')
        .values({ cycle_id: b.cycleId, community_code: b.communityCode, ip_hash: ipHash, ballots: 1 })
        .onConflict((oc) =>
          oc
            .columns(['cycle_id', 'community_code', 'ip_hash'])
            .doUpdateSet((eb) => ({ ballots: eb('assessment_ballot_ip_counts.ballots', '+', 1) }))
            .where('assessment_ballot_ip_counts.ballots', '<', max),
        )
        .executeTakeFirst();
      // Over the cap: undo the device claim too, so the refused phone is not marked as having voted.
      if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) throw new Refusal('ip_limit');
    }
    const inserted = await trx
      .insertInto('assessment_ballots')
      .values({ cycle_id: b.cycleId, community_code: b.communityCode, voter_kind: b.voterKind, cast_hour: b.castHour, comment: b.comment })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (b.ratings.length > 0) {
      await trx
        .insertInto('assessment_ballot_ratings')
        .values(b.ratings.map((r) => ({ ballot_id: Number(inserted.id), cycle_id: b.cycleId, worker_id: r.workerId, choice: r.choice })))
        .execute();
    }
    return 'ok';
  });
}

interface Prepared {
  findCode: SQLite.Statement<[string], { cycle_id: number; community_code: string; used: number }>;
  castOne: (b: BallotToInsert) => CastOutcome;
  castBatch: (batch: BallotToInsert[]) => (CastOutcome | { error: unknown })[];
}

const prepared = new WeakMap<SQLite.Database, Prepared>();

function prepare(sqlite: SQLite.Database): Prepared {
  const status = sqlite.prepare<[number, string], { ballot_status: string }>(
    'select ballot_status from assessment_communities where cycle_id = ? and community_code = ?',
  );
  const useCode = sqlite.prepare<[string]>('update assessment_ballot_codes set used = 1 where code_hash = ? and used = 0');
  const claimDevice = sqlite.prepare<[number, string]>(
    'insert into assessment_ballot_devices (cycle_id, token_hash) values (?, ?) on conflict do nothing',
  );
  const countIp = sqlite.prepare<[number, string, string, number]>(
    `insert into assessment_ballot_ip_counts (cycle_id, community_code, ip_hash, ballots) values (?, ?, ?, 1)
     on conflict (cycle_id, community_code, ip_hash) do update set ballots = ballots + 1 where ballots < ?`,
  );
  const insertBallot = sqlite.prepare<[number, string, string, string, string | null]>(
    'insert into assessment_ballots (cycle_id, community_code, voter_kind, cast_hour, comment) values (?, ?, ?, ?, ?)',
  );
  const insertRating = sqlite.prepare<[number, number, number, string]>(
    'insert into assessment_ballot_ratings (ballot_id, cycle_id, worker_id, choice) values (?, ?, ?, ?)',
  );
  // One ballot; inside a batch it runs as a savepoint, so a failure undoes that ballot only.
  const castOne = sqlite.transaction((b: BallotToInsert): CastOutcome => {
    const c = status.get(b.cycleId, b.communityCode);
    if (!c || c.ballot_status === 'pending') return 'not_open';
    if (c.ballot_status !== 'open') return 'closed';
    if (b.codeHash && useCode.run(b.codeHash).changes !== 1) return 'code_used';
    if (b.deviceHash && claimDevice.run(b.cycleId, b.deviceHash).changes !== 1) return 'device_used';
    // Throwing rolls back this ballot's savepoint, the device claim with it.
    if (b.ipLimit && countIp.run(b.cycleId, b.communityCode, b.ipLimit.ipHash, b.ipLimit.max).changes !== 1) {
      throw new Refusal('ip_limit');
    }
    const ballotId = Number(insertBallot.run(b.cycleId, b.communityCode, b.voterKind, b.castHour, b.comment).lastInsertRowid);
    for (const r of b.ratings) insertRating.run(ballotId, b.cycleId, r.workerId, r.choice);
    return 'ok';
  });
  // A ballot that fails (a constraint, say) rolls back its own savepoint and is reported alone.
  const castBatch = sqlite.transaction((batch: BallotToInsert[]): (CastOutcome | { error: unknown })[] =>
    batch.map((b) => {
      try {
        return castOne(b);
      } catch (error) {
        return error instanceof Refusal ? error.outcome : { error };
      }
    }),
  );
  return {
    findCode: sqlite.prepare('select cycle_id, community_code, used from assessment_ballot_codes where code_hash = ?'),
    castOne: (b) => {
      try {
        return castOne.immediate(b);
      } catch (error) {
        if (error instanceof Refusal) return error.outcome;
        throw error;
      }
    },
    castBatch: (batch) => castBatch.immediate(batch),
  };
}

function preparedFor(sqlite: SQLite.Database): Prepared {
  let p = prepared.get(sqlite);
  if (!p) {
    p = prepare(sqlite);
    prepared.set(sqlite, p);
  }
  return p;
}

/** `findCodeTarget` through a prepared statement (the ballot page and submission are hot paths). */
export function findCodeTargetSqlite(sqlite: SQLite.Database, codeHash: string): BallotTarget | null {
  const r = preparedFor(sqlite).findCode.get(codeHash);
  return r ? { cycleId: Number(r.cycle_id), communityCode: r.community_code, codeHash, used: Number(r.used) === 1 } : null;
}

interface Pending {
  ballot: BallotToInsert;
  resolve: (outcome: CastOutcome | null) => void;
  reject: (err: unknown) => void;
}

/** Most ballots committed together. */
const MAX_GROUP = 256;
const queues = new WeakMap<SQLite.Database, Pending[]>();

/**
 * The SQLite fast path, with group commit: ballots that arrive while the event loop is busy are cast in
 * one write transaction (at the next `setImmediate`), each as its own savepoint with the same checks as
 * `castBallotKysely`, and every caller answered only after the commit. On a disk where a commit costs
 * ~0.1–0.7 ms this multiplies throughput without weakening any guarantee: a ballot is all or nothing,
 * a code flips from unused to used once, and nothing is acknowledged before it is durable in the WAL.
 * Resolves null when the shared connection is inside another (asynchronous) transaction; the caller
 * then falls back to Kysely, which waits for the connection instead of joining that transaction.
 */
export function castBallotSqlite(sqlite: SQLite.Database, b: BallotToInsert): Promise<CastOutcome | null> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(sqlite);
    if (!queue) {
      queue = [];
      queues.set(sqlite, queue);
    }
    queue.push({ ballot: b, resolve, reject });
    if (queue.length === 1) setImmediate(() => flush(sqlite));
  });
}

function flush(sqlite: SQLite.Database): void {
  const queue = queues.get(sqlite) ?? [];
  const batch = queue.splice(0, MAX_GROUP);
  if (queue.length > 0) setImmediate(() => flush(sqlite));
  if (batch.length === 0) return;
  try {
    if (!sqlite.open || sqlite.inTransaction) {
      for (const p of batch) p.resolve(null);
      return;
    }
    const outcomes = preparedFor(sqlite).castBatch(batch.map((p) => p.ballot));
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (typeof o === 'string') p.resolve(o);
      else p.reject(o.error);
    });
  } catch (err) {
    for (const p of batch) p.reject(err);
  }
}
