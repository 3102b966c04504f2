/**
 * Keeps an SQLite database's write-ahead log short from a background thread, so the request thread
 * never copies it back itself. By default SQLite checkpoints inside the COMMIT of whichever write
 * pushed the log past 1,000 pages: the 100,000-row import's commit spent 0.65 s of its 3.3 s
 * there, and better-sqlite3 runs that synchronously, so every other request waited too. Here the
 * request connection's own automatic checkpoint is only a safety net (`SAFETY_CHECKPOINT_PAGES`),
 * and a thread with a connection of its own runs `wal_checkpoint(PASSIVE)` whenever the log has
 * grown past `WAL_CHECKPOINT_BYTES` since its last pass. PASSIVE never waits for readers or
 * writers, so neither side blocks the other (WAL allows one checkpointer beside them).
 *
 * The thread starts on first need: most databases (every test's) never grow a log that long.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/** A log this long (SQLite's own default: 1,000 pages of 4 KiB) gets checkpointed. */
export const WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024;
/** The request connection checkpoints by itself only past this (256 MiB), should the thread fall behind or fail. */
export const SAFETY_CHECKPOINT_PAGES = 65_536;
/** After a checkpoint resets the log, the file is cut back to this size (a 150 MB import need not leave a 150 MB log). */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

const WORKER_URL = new URL('./wal-checkpointer.worker.mjs', import.meta.url);

/** What the checkpoint thread answered to its last request. */
export interface CheckpointResult {
  /** Frames in the log, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export interface WalCheckpointer {
  /** Whether the thread has been started (it starts when the log first grows long). */
  readonly isThreadStarted: boolean;
  /** The last checkpoint's result, or null before the first. */
  readonly lastResult: CheckpointResult | null;
  /** Stops the thread (waiting for a checkpoint under way); the database can then be closed. */
  stop(): Promise<void>;
}

/** Settings of the request connection that go with a background checkpointer. */
export function configureForBackgroundCheckpoints(sqlite: { pragma(source: string): unknown }): void {
  sqlite.pragma(`wal_autocheckpoint = ${SAFETY_CHECKPOINT_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
}

/**
 * Watches `<file>-wal` (every `intervalMs`) and checkpoints it on a background thread when it has
 * grown past `thresholdBytes` and changed since the last pass. If the thread cannot start or fails,
 * `onFailure` is told once and `fallback` runs (the caller restores SQLite's own checkpoints).
 */
export function startWalCheckpointer(
  file: string,
  options: { intervalMs?: number; thresholdBytes?: number; onFailure?: (message: string) => void; fallback?: () => void } = {},
): WalCheckpointer {
  const walPath = `${file}-wal`;
  const threshold = options.thresholdBytes ?? WAL_CHECKPOINT_BYTES;
  let worker: Worker | null = null;
  let isBusy = false;
  let isStopped = false;
  let hasFailed = false;
  let lastCheckedMtime = -1;
  let lastResult: CheckpointResult | null = null;
  let settle: (() => void) | null = null;

  const fail = (message: string) => {
    if (hasFailed) return;
    hasFailed = true;
    clearInterval(timer);
    options.onFailure?.(message);
    options.fallback?.();
    void worker?.terminate();
    worker = null;
  };

  const startThread = (): Worker => {
    const w = new Worker(WORKER_URL, { workerData: { file }, execArgv: [] });
    w.unref();
    w.on('message', (m: { type: 'done'; log: number; checkpointed: number } | { type: 'error'; message: string }) => {
      isBusy = false;
      if (m.type === 'done') lastResult = { log: m.log, checkpointed: m.checkpointed };
      else fail(m.message);
      settle?.();
    });
    w.on('error', (err) => {
      isBusy = false;
      fail(err.message);
      settle?.();
    });
    w.on('exit', () => {
      isBusy = false;
      if (!isStopped) fail('the checkpoint thread exited');
      settle?.();
    });
    return w;
  };

  const check = () => {
    if (isBusy || isStopped || hasFailed) return;
    fs.stat(walPath, (err, st) => {
      if (err || isBusy || isStopped || hasFailed) return;
      if (st.size < threshold || st.mtimeMs === lastCheckedMtime) return;
      lastCheckedMtime = st.mtimeMs;
      try {
        worker ??= startThread();
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
        return;
      }
      isBusy = true;
      worker.postMessage('checkpoint');
    });
  };
  const timer = setInterval(check, options.intervalMs ?? 250);
  timer.unref();

  return {
    get isThreadStarted() {
      return worker !== null;
    },
    get lastResult() {
      return lastResult;
    },
    async stop() {
      if (isStopped) return;
      isStopped = true;
      clearInterval(timer);
      const w = worker;
      if (!w) return;
      if (isBusy) await new Promise<void>((resolve) => (settle = resolve));
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage('stop');
      const timeout = setTimeout(() => void w.terminate(), 5000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
