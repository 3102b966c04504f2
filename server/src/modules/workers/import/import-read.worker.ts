/**
 * The reading thread of a large import's dry run: runs `checkRows` (parse with exceljs or the CSV
 * reader, check each row without the database) and hands each chunk to the main thread, which
 * hashes, encrypts, checks against the database and stages the previous one meanwhile. No key
 * material and no database connection come to this thread. At most `MAX_IN_FLIGHT` chunks wait
 * untaken, so a large file never sits in memory as a whole. Started through
 * import-read.worker.mjs by `readCheckedRows`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkRows, serialiseError, type ReadRequest, type ToMain, type ToReader } from './import-check.ts';

/** Chunks posted but not yet taken by the main thread, before this thread waits. */
const MAX_IN_FLIGHT = 3;

const port = parentPort!;
let inFlight = 0;
let wake: (() => void) | null = null;

port.on('message', (message: ToReader) => {
  if (message.type === 'taken') {
    inFlight -= 1;
    wake?.();
    wake = null;
  }
});

function post(message: ToMain): void {
  port.postMessage(message);
}

async function run(): Promise<void> {
  const chunks = checkRows(workerData as ReadRequest, (header) => post({ type: 'header', header }));
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      post({ type: 'done', sheetName: next.value.sheetName });
      return;
    }
    post({ type: 'rows', rows: next.value });
    inFlight += 1;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  }
}

// Done either way: the port no longer keeps the thread alive (the main thread also terminates it).
run().then(
  () => port.unref(),
  (err: unknown) => {
    post({ type: 'error', error: serialiseError(err) });
    port.unref();
  },
);
