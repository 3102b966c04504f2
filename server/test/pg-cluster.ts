/**
 * A throwaway PostgreSQL cluster for the test suite: `initdb` into a temp folder, `pg_ctl start` on a free
 * loopback port, and stop + delete it afterwards (also when the process exits on Ctrl-C / SIGTERM).
 *
 * Debian keeps the binaries under /usr/lib/postgresql/<version>/bin (not on PATH), and PostgreSQL refuses
 * to run as root, so when we are root the cluster runs as the `postgres` system user (`runuser`), with
 * its data directory in a temp folder owned by that user.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ThrowawayCluster {
  /** Superuser connection URL, e.g. `postgres://postgres@127.0.0.1:54321/postgres`. */
  url: string;
  /** Stops the server and deletes its data directory. Safe to call more than once. */
  stop(): Promise<void>;
}

const DEBIAN_PG_ROOT = '/usr/lib/postgresql';
const DIR_PREFIX = 'shegong-pg-';
const SUPERUSER = 'postgres';

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function hasPgTools(dir: string): boolean {
  return existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'));
}

/**
 * The directory holding `initdb` and `pg_ctl`: the newest /usr/lib/postgresql/<version>/bin, else the
 * first PATH entry that has both. `null` when PostgreSQL is not installed.
 */
export function findPgBin(): string | null {
  try {
    const versions = readdirSync(DEBIAN_PG_ROOT)
      .filter((v) => hasPgTools(path.join(DEBIAN_PG_ROOT, v, 'bin')))
      .sort((a, b) => compareVersions(b, a));
    if (versions[0] !== undefined) return path.join(DEBIAN_PG_ROOT, versions[0], 'bin');
  } catch {
    // no Debian layout
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && hasPgTools(dir)) return dir;
  }
  return null;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

interface RunAs {
  /** Run through `runuser -u postgres --` (we are root). */
  asPostgres: boolean;
  cwd: string;
}

function commandLine(bin: string, args: string[], runAs: RunAs): [string, string[]] {
  return runAs.asPostgres ? ['runuser', ['-u', SUPERUSER, '--', bin, ...args]] : [bin, args];
}

function run(bin: string, args: string[], runAs: RunAs): Promise<{ code: number | null; output: string }> {
  const [cmd, argv] = commandLine(bin, args, runAs);
  return new Promise((resolve, reject) => {
    // stdin ignored; the postmaster started by pg_ctl redirects its own stdio to the log file.
    const child = spawn(cmd, argv, { cwd: runAs.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function runSync(bin: string, args: string[], runAs: RunAs): number | null {
  const [cmd, argv] = commandLine(bin, args, runAs);
  return spawnSync(cmd, argv, { cwd: runAs.cwd, stdio: 'ignore', timeout: 30_000 }).status;
}

function postgresIds(): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', SUPERUSER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', SUPERUSER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `running as root, but there is no "${SUPERUSER}" system user to run PostgreSQL as ` +
        '(PostgreSQL refuses to run as root; the Debian postgresql package creates this user)',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A base folder for the cluster's temp dir that the user running PostgreSQL can reach. */
function tempBase(asPostgres: boolean): string {
  const base = os.tmpdir();
  if (!asPostgres || base === '/tmp') return base;
  const ok = spawnSync('runuser', ['-u', SUPERUSER, '--', 'test', '-x', base], { cwd: '/' }).status === 0;
  return ok ? base : '/tmp';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stop and delete clusters left behind by test runs that were killed without a chance to clean up. */
function reapOrphans(base: string, pgBin: string, asPostgres: boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(base).filter((e) => e.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    const dir = path.join(base, entry);
    try {
      const owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8').trim());
      if (!owner || isAlive(owner)) continue;
      if (existsSync(path.join(dir, 'data', 'postmaster.pid'))) {
        runSync(path.join(pgBin, 'pg_ctl'), ['stop', '-D', path.join(dir, 'data'), '-m', 'immediate', '-w'], {
          asPostgres,
          cwd: '/',
        });
      }
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours to judge (unreadable, or being created right now): leave it
    }
  }
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * initdb + pg_ctl start a fresh cluster on a free 127.0.0.1 port (trust auth, superuser `postgres`,
 * locale C, UTF8, fsync off, max_connections 200, Unix socket in the temp dir).
 */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const pgBin = findPgBin();
  if (!pgBin) throw new Error('PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin or on PATH');
  const asPostgres = process.getuid?.() === 0;
  const ids = asPostgres ? postgresIds() : undefined;
  const base = tempBase(asPostgres);
  reapOrphans(base, pgBin, asPostgres);

  const dir = mkdtempSync(path.join(base, DIR_PREFIX));
  writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const runAs: RunAs = { asPostgres, cwd: dir };
  const pgCtl = path.join(pgBin, 'pg_ctl');

  let started = false;
  let stopped = false;
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // Synchronous last-resort cleanup: Vitest exits straight away on Ctrl-C without running global teardown.
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    if (started) runSync(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w'], runAs);
    removeDir();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    detach();
    // Let other handlers (Vitest's) finish their exit; make sure we do exit if there are none.
    if (process.exitCode === undefined) process.exitCode = 128 + (os.constants.signals[signal] ?? 2);
    setTimeout(() => process.exit(), 200);
  };
  const detach = () => {
    process.off('exit', stopSync);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };
  process.on('exit', stopSync);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    const init = await run(
      path.join(pgBin, 'initdb'),
      ['-D', dataDir, '-U', SUPERUSER, '--locale=C', '-E', 'UTF8', '--auth=trust', '--no-sync'],
      runAs,
    );
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output}`);

    // Appending keeps the file's owner (postgres) when we are root.
    appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# shegong throwaway test cluster',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'max_connections = 200',
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );

    // The port was free a moment ago; someone may take it meanwhile, so retry a few times.
    let port = 0;
    let lastError = '';
    for (let attempt = 0; attempt < 5 && !started; attempt++) {
      port = await freePort();
      const res = await run(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '120', '-o', `-p ${port}`], runAs);
      if (res.code === 0) {
        started = true;
        break;
      }
      lastError = `pg_ctl start failed (exit ${res.code}):\n${res.output}\n--- ${logFile} ---\n${tail(logFile)}`;
      // A postmaster that half-started would hold the data directory.
      if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
        await run(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w'], runAs);
      }
      if (!/already in use|could not bind|could not create any TCP\/IP sockets/i.test(tail(logFile, 50))) break;
    }
    if (!started) throw new Error(lastError);

    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    return {
      url,
      async stop() {
        if (stopped) return;
        stopped = true;
        detach();
        if (started) {
          const res = await run(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], runAs);
          if (res.code !== 0) await run(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w'], runAs);
        }
        removeDir();
      },
    };
  } catch (err) {
    stopSync();
    detach();
    throw err;
  }
}
