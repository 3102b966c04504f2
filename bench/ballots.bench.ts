/**
 * The residents' ballot endpoint under load (issue 5: at least 3,000 ballots a second on SQLite, none
 * lost or counted twice). A real server listens on loopback; a load generator in a worker thread (its own
 * event loop, so it does not steal the server's) posts one ballot per single-use code over keep-alive
 * connections, then replays some used codes. Afterwards the database must hold exactly one ballot per
 * code, with every rating, and every replay must have been refused with 409.
 * `BENCH_BALLOTS` (default 30,000) and `BENCH_CONNECTIONS` (default 64) tune it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../server/src/app.ts';
import { prepareDatabase } from '../server/src/bootstrap.ts';
import { loadConfig } from '../server/src/config.ts';
import { systemContext, type Deps } from '../server/src/context.ts';
import { openDatabase } from '../server/src/db/database.ts';
import { createDataCipher } from '../server/src/lib/crypto.ts';
import { buildIdNumber } from '../server/src/lib/id-card.ts';
import { openCycle } from '../server/src/modules/assessment/assessment.service.ts';
import { castBallot, issueBallotCodes, openCommunityBallot } from '../server/src/modules/assessment/ballots.service.ts';
import { createWorker } from '../server/src/modules/workers/workers.service.ts';

const BALLOTS = Number(process.env.BENCH_BALLOTS ?? 30_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const REPLAYS = Math.min(2000, BALLOTS);
const WORKERS_IN_COMMUNITY = 8;
const COMMUNITY = '330106001001';

function emit(line: Record<string, unknown>) {
  console.log(JSON.stringify(line));
}

/** Plain JS for the worker thread: keep-alive HTTP clients, each taking the next code until none are left. */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, codes, body, connections } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
function post(code) {
  return new Promise((resolve) => {
    const health = code === 'health';
    const req = http.request({ host: '127.0.0.1', port, method: health ? 'GET' : 'POST', path: health ? '/api/v1/health' : '/api/v1/public/ballots/' + code, agent,
      headers: health ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(health ? undefined : body);
  });
}
async function run(list) {
  let next = 0;
  const statuses = {};
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < list.length) {
      const s = await post(list[next++]);
      statuses[s] = (statuses[s] || 0) + 1;
    }
  }));
  return { ms: performance.now() - started, statuses };
}
(async () => {
  const ceiling = await run(Array.from({ length: 10000 }, () => 'health'));
  const votes = await run(codes);
  const replays = await run(codes.slice(0, workerData.replays));
  parentPort.postMessage({ ceiling, votes, replays });
  agent.destroy();
})();
`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-ballots-'));
  const db = openDatabase({ sqliteFile: path.join(dir, 'bench.db') });
  const deps: Deps = {
    db,
    cipher: createDataCipher(randomBytes(32)),
    config: { ...loadConfig({}), dataDir: dir, webDist: path.join(dir, 'no-web') },
  };
  await prepareDatabase(deps);
  const sys = systemContext(deps, 'bench');
  const now = new Date().toISOString();
  for (const [code, parent, level, name] of [
    ['33', 'CN', 1, '浙江省'],
    ['3301', '33', 2, '杭州市'],
    ['330106', '3301', 3, '西湖区'],
    ['330106001', '330106', 4, '北山街道'],
    [COMMUNITY, '330106001', 5, '保俶塔社区'],
  ] as const) {
    await db.kysely
      .insertInto('orgs')
      .values({ code, parent_code: parent, level, name, population: null, households: null, created_at: now, updated_at: now })
      .execute();
  }
  const workerIds: number[] = [];
  for (let i = 0; i < WORKERS_IN_COMMUNITY; i++) {
    const w = await createWorker(sys, {
      name: `测评对象${i + 1}`,
      idNumber: buildIdNumber('330106', '1990-05-17', 100 + i * 2, 'F'),
      orgCode: COMMUNITY,
      post: 'full_time_staff',
      status: 'active',
    } as Parameters<typeof createWorker>[1]);
    workerIds.push(w.id);
  }
  const cycle = await openCycle(sys, { orgCode: '330106', name: '压测考核', year: 2026 });
  const codes: string[] = [];
  const issueStarted = performance.now();
  for (let left = BALLOTS; left > 0; left -= 5000) {
    const issued = await issueBallotCodes(sys, cycle.id, COMMUNITY, Math.min(5000, left), 'http://127.0.0.1');
    codes.push(...issued.codes.map((c) => c.replaceAll('-', '')));
  }
  emit({ bench: 'ballots.issue_codes', db: 'sqlite', codes: codes.length, ms: Math.round(performance.now() - issueStarted) });
  await openCommunityBallot(sys, cycle.id, COMMUNITY, 'codes');

  const app = await buildApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const choices = ['satisfied', 'basically_satisfied', 'dissatisfied'];
  const body = JSON.stringify({
    voterKind: 'ordinary_resident',
    ratings: workerIds.map((id, i) => ({ workerId: id, choice: choices[i % 3] })),
    comment: '工作认真负责，联系电话13812345678',
  });
  type Run = { ms: number; statuses: Record<string, number> };
  const result = await new Promise<{ ceiling: Run; votes: Run; replays: Run }>((resolve, reject) => {
    const worker = new Worker(LOAD_GENERATOR, {
      eval: true,
      workerData: { port, codes, body, connections: CONNECTIONS, replays: REPLAYS },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await app.close();

  // The same ballots without HTTP: the service and the database path alone, 64 at a time.
  const direct: string[] = [];
  for (let left = BALLOTS; left > 0; left -= 5000) {
    direct.push(...(await issueBallotCodes(sys, cycle.id, COMMUNITY, Math.min(5000, left), 'http://127.0.0.1')).codes);
  }
  const anonymous = { ...sys, actor: null, systemName: undefined };
  const parsed = JSON.parse(body) as unknown;
  let next = 0;
  let directOk = 0;
  const directStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < direct.length) {
        await castBallot(anonymous, direct[next++]!, parsed, undefined);
        directOk++;
      }
    }),
  );
  const directMs = performance.now() - directStarted;

  const ballots = Number(
    (
      await db.kysely
        .selectFrom('assessment_ballots')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const ratings = Number(
    (
      await db.kysely
        .selectFrom('assessment_ballot_ratings')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const used = Number(
    (
      await db.kysely
        .selectFrom('assessment_ballot_codes')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('used', '=', 1)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const accepted = result.votes.statuses['201'] ?? 0;
  const refusedReplays = result.replays.statuses['409'] ?? 0;
  const total = BALLOTS + directOk;
  const ok =
    accepted === BALLOTS &&
    directOk === BALLOTS &&
    ballots === total &&
    used === total &&
    ratings === total * WORKERS_IN_COMMUNITY &&
    refusedReplays === REPLAYS;
  emit({
    bench: 'ballots.http_ceiling',
    db: 'sqlite',
    note: 'GET /api/v1/health through the same stack and load generator',
    requestsPerSecond: Math.round((10000 * 1000) / result.ceiling.ms),
  });
  emit({
    bench: 'ballots.cast',
    db: 'sqlite',
    ballots: BALLOTS,
    connections: CONNECTIONS,
    ms: Math.round(result.votes.ms),
    ballotsPerSecond: Math.round((BALLOTS * 1000) / result.votes.ms),
    statuses: result.votes.statuses,
  });
  emit({
    bench: 'ballots.replay',
    db: 'sqlite',
    replays: REPLAYS,
    ms: Math.round(result.replays.ms),
    perSecond: Math.round((REPLAYS * 1000) / result.replays.ms),
    statuses: result.replays.statuses,
  });
  emit({
    bench: 'ballots.cast_service',
    db: 'sqlite',
    ballots: BALLOTS,
    concurrency: CONNECTIONS,
    ms: Math.round(directMs),
    ballotsPerSecond: Math.round((BALLOTS * 1000) / directMs),
  });
  emit({ bench: 'ballots.verify', db: 'sqlite', ballotsStored: ballots, ratingsStored: ratings, codesUsed: used, ok });
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (!ok) {
    console.error('ballot counts do not match: lost or double-counted ballots');
    process.exitCode = 1;
  }
}

await main();
