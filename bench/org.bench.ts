/**
 * The org tree at national scale (665k nodes): the import of the whole nation into an empty
 * database (cold) and again (idempotent), then tree search and children listing latencies through
 * the HTTP layer (`app.inject`, so routing, validation and serialisation are included) for a
 * nation-wide administrator and a city administrator (杭州市).
 *
 * SQLite always (a fresh file in a temp dir); PostgreSQL when `DATABASE_URL` is set (a scratch
 * database is created on that server and dropped afterwards) or when PostgreSQL is installed (a
 * throwaway cluster). One JSON line per measurement on stdout; notes on stderr.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type App } from '../server/src/app.ts';
import { prepareDatabase } from '../server/src/bootstrap.ts';
import { loadConfig } from '../server/src/config.ts';
import { systemContext, type Deps } from '../server/src/context.ts';
import { openDatabase, type Dialect } from '../server/src/db/database.ts';
import { createDataCipher } from '../server/src/lib/crypto.ts';
import { importChinaDivision } from '../server/src/modules/orgs/org-import.service.ts';
import { createUser } from '../server/src/modules/users/users.service.ts';
import { findPgBin, startThrowawayCluster } from '../server/test/pg-cluster.ts';

const PASSWORD = 'Bench-Passw0rd!2024';
const CITY = '3301';
const QUERY_COUNT = 200;

/** Name substrings, name prefixes (single characters too) and code prefixes, national and local. */
const SEARCH_TEXTS = [
  '西湖',
  '北山街道',
  '社区',
  '人民',
  '花园',
  '幸福',
  '新村',
  '中心',
  '红旗',
  '东风',
  '阳光',
  '和平',
  '建设',
  '湖滨',
  '城关',
  '解放',
  '光明',
  '留下',
  '转塘',
  '文新',
  '杭州',
  '北京',
  '朝阳',
  '南京',
  '武林',
  '新',
  '东',
  '西溪',
  '三墩',
  '龙井',
  '330106',
  '3301',
  '33',
  '110105',
  '440305',
  '330106002',
  '4401',
  '510104',
  '3301060',
  '1101',
];

/** Parents whose children are listed: nation, provinces, cities, districts, streets. */
const NATION_PARENTS = [
  'CN',
  '33',
  '11',
  '44',
  '3301',
  '1101',
  '4401',
  '5101',
  '330106',
  '110105',
  '440106',
  '330106002',
  '110105001',
  '440106001',
];
const CITY_PARENTS = ['3301', '330102', '330105', '330106', '330108', '330110', '330106002', '330106004', '330106010', '330108001'];

function emit(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

function note(text: string): void {
  process.stderr.write(`  ${text}\n`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? 0;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

async function login(app: App, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  const cookie = res.cookies.find((c) => c.name === 'sg_session');
  if (res.statusCode !== 200 || !cookie) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return `sg_session=${cookie.value}`;
}

/** Times GET requests (after one warm-up round) and reports p50/p95/max. */
async function timeRequests(app: App, bench: string, db: Dialect, actor: string, cookie: string, urls: string[], count: number) {
  for (const url of urls) await app.inject({ method: 'GET', url, headers: { cookie } });
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const url = urls[i % urls.length]!;
    const started = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    times.push(performance.now() - started);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    hits += (res.json() as { items: unknown[] }).items.length;
  }
  times.sort((a, b) => a - b);
  emit({
    bench,
    db,
    actor,
    queries: count,
    p50: round(percentile(times, 0.5)),
    p95: round(percentile(times, 0.95)),
    max: round(times.at(-1) ?? 0),
    avgItems: Math.round(hits / count),
  });
}

/** Imports the nation twice, then measures search and children listing as a nation and a city administrator. */
async function benchDatabase(kind: Dialect, target: { databaseUrl?: string; sqliteFile?: string }, dataDir: string) {
  const db = openDatabase({ databaseUrl: target.databaseUrl, ...(target.sqliteFile ? { sqliteFile: target.sqliteFile } : {}) });
  const deps: Deps = {
    db,
    cipher: createDataCipher(randomBytes(32)),
    config: { ...loadConfig({}), dataDir, databaseUrl: target.databaseUrl },
  };
  let app: App | null = null;
  try {
    await prepareDatabase(deps);
    const ctx = systemContext(deps, 'bench');

    const cold = await importChinaDivision(ctx, { under: undefined });
    emit({ bench: 'org.import.nation', db: kind, rows: cold.total, ms: cold.ms, inserted: cold.inserted, updated: cold.updated });
    const again = await importChinaDivision(ctx, { under: undefined });
    emit({ bench: 'org.import.nation.again', db: kind, rows: again.total, ms: again.ms, inserted: again.inserted, updated: again.updated });

    await createUser(ctx, {
      username: 'bench_nation',
      displayName: '全国管理员',
      role: 'sys_admin',
      orgCode: 'CN',
      password: PASSWORD,
      mustChangePassword: false,
    });
    await createUser(ctx, {
      username: 'bench_city',
      displayName: '杭州市管理员',
      role: 'region_admin',
      orgCode: CITY,
      password: PASSWORD,
      mustChangePassword: false,
    });
    app = await buildApp(deps);
    const actors = [
      { actor: 'nation', cookie: await login(app, 'bench_nation'), parents: NATION_PARENTS },
      { actor: 'city', cookie: await login(app, 'bench_city'), parents: CITY_PARENTS },
    ];
    const searchUrls = SEARCH_TEXTS.map((q) => `/api/v1/orgs?q=${encodeURIComponent(q)}&pageSize=20`);
    for (const a of actors) {
      await timeRequests(app, 'org.search', kind, a.actor, a.cookie, searchUrls, QUERY_COUNT);
      const childUrls = a.parents.map((code) => `/api/v1/orgs/${code}/children?pageSize=200`);
      await timeRequests(app, 'org.children', kind, a.actor, a.cookie, childUrls, QUERY_COUNT);
    }
  } finally {
    await app?.close();
    await db.close();
  }
}

/** A scratch database on an existing server (DATABASE_URL): created for the bench, dropped after. */
async function withScratchDatabase(adminUrl: string, fn: (url: string) => Promise<void>) {
  const name = `sg_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = openDatabase({ databaseUrl: adminUrl, poolSize: 1 });
  // An idle connection may be cut when a throwaway cluster stops; that is no failure of the bench.
  admin.pool!.on('error', () => {});
  try {
    await admin.pool!.query(`create database "${name}" template template0 encoding 'UTF8'`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      await fn(url.toString());
    } finally {
      await admin.pool!.query(`drop database if exists "${name}" with (force)`);
    }
  } finally {
    await admin.close();
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-org-'));
  try {
    note('SQLite: importing the nation into a fresh file');
    await benchDatabase('sqlite', { sqliteFile: path.join(tmp, 'shegong.db') }, tmp);

    const given = process.env.DATABASE_URL;
    if (given) {
      note('PostgreSQL: scratch database on DATABASE_URL');
      await withScratchDatabase(given, (url) => benchDatabase('postgres', { databaseUrl: url }, tmp));
    } else if (findPgBin()) {
      note('PostgreSQL: throwaway cluster');
      const cluster = await startThrowawayCluster();
      try {
        await withScratchDatabase(cluster.url, (url) => benchDatabase('postgres', { databaseUrl: url }, tmp));
      } finally {
        await cluster.stop();
      }
    } else {
      note('PostgreSQL: skipped (no DATABASE_URL and no initdb found)');
      emit({ bench: 'org', db: 'postgres', skipped: 'no DATABASE_URL and no PostgreSQL installed' });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
