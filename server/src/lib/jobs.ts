/**
 * In-process background jobs (imports, later payroll runs). A job's durable state lives in its
 * own table; this registry only tracks what is running in this process, its live progress (a
 * commit runs inside one transaction, so its progress cannot be read from the database), and lets
 * tests and shutdown wait for running jobs to finish.
 */

/** Live progress of a running job, shown by the UI and the CLI. */
export interface JobProgress {
  phase: string;
  done: number;
  /** Null while the total is unknown (reading a workbook as a stream). */
  total: number | null;
}

const running = new Map<string, Promise<void>>();
const progress = new Map<string, JobProgress>();
const queue: (() => void)[] = [];
let active = 0;
/** At most this many jobs run at once per process; others wait their turn. */
const MAX_CONCURRENT = 2;

function next(): void {
  while (active < MAX_CONCURRENT && queue.length > 0) {
    active += 1;
    queue.shift()!();
  }
}

/**
 * Runs `fn` in the background under `key` (e.g. `import:12`). `fn` must record its own failure in
 * its table; anything it throws is logged here and never crashes the process. A key already
 * running is not started twice.
 */
export function runJob(key: string, fn: () => Promise<void>, onError: (err: unknown) => void = console.error): Promise<void> {
  const existing = running.get(key);
  if (existing) return existing;
  const promise = new Promise<void>((resolve) => {
    queue.push(() => {
      fn()
        .catch(onError)
        .finally(() => {
          active -= 1;
          running.delete(key);
          progress.delete(key);
          resolve();
          next();
        });
    });
    next();
  });
  running.set(key, promise);
  return promise;
}

export function isJobRunning(key: string): boolean {
  return running.has(key);
}

export function setJobProgress(key: string, value: JobProgress): void {
  progress.set(key, value);
}

export function getJobProgress(key: string): JobProgress | undefined {
  return progress.get(key);
}

/** Resolves when every job started so far (and any they start) has finished. */
export async function waitForJobs(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running.values()]);
}
