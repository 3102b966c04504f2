/**
 * The real product server for browser tests: `node server/bin/server.mjs` from the repository root, on a
 * free port, with a fresh data directory (so a fresh SQLite database, migrated and seeded on first start).
 *
 *   const server = await startServer();
 *   await page.goto(server.url);
 *   const creds = fs.readFileSync(server.credentialsFile, 'utf8');
 *   ...
 *   await server.stop();
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './browser.ts';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** SHEGONG_DATA_DIR of this server (a fresh temp folder). */
  dataDir: string;
  /** `<dataDir>/initial-credentials.txt`, written by the server on first start (format: the server's). */
  credentialsFile: string;
  /** Everything the server printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Kills the server (SIGTERM, then SIGKILL after 10 s) and deletes dataDir unless keepDataDir was set. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /**
   * Extra environment. DATABASE_URL is removed from the inherited environment, so the server uses
   * SQLite in its data dir; pass `env: { DATABASE_URL }` to run it on PostgreSQL.
   */
  env?: Record<string, string | undefined>;
  /** How long to wait for `GET /api/v1/health` to answer 200. Default 120 s. */
  timeoutMs?: number;
  /** Keep the data directory after stop() (for debugging). Also when SHEGONG_KEEP_TEST_DATA=1. */
  keepDataDir?: boolean;
  /** Echo the server's output to this process's stderr as it comes (also when SHEGONG_E2E_SERVER_LOG=1). */
  echo?: boolean;
}

function freePort(): Promise<number> {
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

const MAX_OUTPUT = 1_000_000;

// Servers run in their own process group (so Ctrl-C at the terminal does not reach them); kill them
// when this test process ends without stop() — normal exit, crash, Ctrl-C or SIGTERM from Vitest.
const running = new Set<() => void>();
let hooksInstalled = false;
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const killAll = () => {
    for (const kill of running) kill();
    running.clear();
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      killAll();
      if (process.exitCode === undefined) process.exitCode = 128 + (os.constants.signals[sig] ?? 2);
      setTimeout(() => process.exit(), 200);
    });
  }
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shegong-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  Object.assign(env, options.env, { PORT: String(port), SHEGONG_DATA_DIR: dataDir, HOST: '127.0.0.1' });
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const echo = options.echo ?? process.env.SHEGONG_E2E_SERVER_LOG === '1';
  const keepDataDir = options.keepDataDir ?? process.env.SHEGONG_KEEP_TEST_DATA === '1';

  // Own process group, so stop() also ends anything the server spawns.
  const child = spawn(process.execPath, [path.join('server', 'bin', 'server.mjs')], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (d: Buffer) => {
    const s = d.toString();
    if (output.length < MAX_OUTPUT) output += s;
    if (echo) process.stderr.write(s);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let exited = false;
  let exitInfo = '';
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.on('error', (err) => {
      exited = true;
      exitInfo = err.message;
      resolve();
    });
  });

  const killGroup = (signal: NodeJS.Signals) => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => {
    killGroup('SIGKILL');
    if (!keepDataDir) {
      try {
        rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // best effort while exiting
      }
    }
  };
  installExitHooks();
  running.add(onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    running.delete(onExit);
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
    await exitPromise;
    clearTimeout(timer);
    killGroup('SIGKILL'); // stragglers in the group
    if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const tail = () => output.trimEnd().split('\n').slice(-40).join('\n');
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let lastProblem = 'no answer yet';
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`server exited before becoming healthy (${exitInfo}). Output:\n${tail()}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) break;
      lastProblem = `GET /api/v1/health answered ${res.status}`;
    } catch (err) {
      lastProblem = (err as Error).message;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server at ${url} not healthy after ${options.timeoutMs ?? 120_000} ms (${lastProblem}). Output:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    dataDir,
    credentialsFile: path.join(dataDir, 'initial-credentials.txt'),
    output: () => output,
    stop,
  };
}
