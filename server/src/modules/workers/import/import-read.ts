/**
 * Reading and checking an upload's rows for the dry run, in chunks: each row parsed, checked
 * without the database and its blind indexes computed (import-check.ts), then, in this thread,
 * which alone holds the encryption key, its staged create built (encrypted) when it passed. The
 * parse, checks and blind indexes run in this thread for small files, and on a reading thread
 * (import-read.worker.ts, given the blind-index key only) for large ones, where they overlap with
 * this thread's encryption, database checks and staging of the previous chunks. Both give the
 * same chunks and the same errors (an ImportFileError thrown on the reading thread stays an
 * ImportFileError with the same problem, message and details).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DataCipher } from '../../../lib/crypto.ts';
import { AppError } from '../../../lib/errors.ts';
import { ImportFileError } from '../../../lib/excel/errors.ts';
import type { HeaderDetection } from '../../../lib/excel/header-map.ts';
import { checkRows, type CheckedResultRow, type ReadRequest, type SerialisedError, type ToMain, type ToReader } from './import-check.ts';
import { stageNewWorker, type StagedCreate } from './import-stage.ts';

export type { ReadRequest } from './import-check.ts';

/**
 * Uploads at least this large may be read on a reading thread. Starting one (a fresh V8 isolate
 * that loads exceljs) costs more than it saves on a file of a few thousand rows.
 */
export const READER_THREAD_MIN_BYTES = 1024 * 1024;

/**
 * Whether a dry run of `fileSize` bytes should read on a reading thread: a large file, and a core
 * to spare (the last minute's load leaves one free). The thread costs about a third more CPU in
 * all (a cold isolate, rows copied between threads); on a 2-core machine whose other core is busy
 * the bench measured it slower than reading in this thread.
 */
export function shouldUseReaderThread(fileSize: number): boolean {
  return fileSize >= READER_THREAD_MIN_BYTES && (os.loadavg()[0] ?? 0) + 1 <= os.availableParallelism();
}

/** One data row, checked, hashed and (when it passed) staged. */
export interface ReadResultRow extends CheckedResultRow {
  /** The staged create (see import-stage.ts) when the row passed; used if nobody holds the ID number yet. */
  create: StagedCreate | null;
}

function deserialiseError(e: SerialisedError): Error {
  if (e.kind === 'file') {
    const { problem: _problem, ...extra } = e.details;
    return new ImportFileError(e.problem, e.message, e.messageEn, extra);
  }
  if (e.kind === 'app') return new AppError(e.code, { message: e.message, messageEn: e.messageEn, details: e.details });
  const err = new Error(`import reading thread: ${e.message}`);
  if (e.stack) err.stack = e.stack;
  return err;
}

/** Adds to each row that passed its staged create (encrypted here: the encryption key stays in this thread). */
function stage(rows: CheckedResultRow[], cipher: DataCipher, today: string): ReadResultRow[] {
  return rows.map((r) => {
    const create = r.check.ok && r.idNumberHash ? stageNewWorker(cipher, r.check.row, r.idNumberHash, today, r.phoneHash) : null;
    return { ...r, create };
  });
}

/**
 * `checkRows` (on a reading thread when `thread` is set, see READER_THREAD_MIN_BYTES), each chunk
 * then hashed and staged with `cipher` in this thread.
 */
export async function* readCheckedRows(
  request: ReadRequest,
  cipher: DataCipher,
  onHeader: (header: HeaderDetection) => void,
  options: { thread: boolean },
): AsyncGenerator<ReadResultRow[], { sheetName: string }> {
  const chunks = options.thread ? checkRowsOnThread(request, onHeader) : checkRows(request, onHeader);
  for (;;) {
    const next = await chunks.next();
    if (next.done) return next.value;
    yield stage(next.value, cipher, request.today);
  }
}

const WORKER_URL = new URL('./import-read.worker.mjs', import.meta.url);

/** `checkRows` on a reading thread. Stopping early (return/throw in the consumer) terminates the thread. */
async function* checkRowsOnThread(
  request: ReadRequest,
  onHeader: (header: HeaderDetection) => void,
): AsyncGenerator<CheckedResultRow[], { sheetName: string }> {
  // No execArgv: the thread registers tsx itself (an inherited `--import tsx` would load it twice).
  const worker = new Worker(WORKER_URL, {
    workerData: request,
    execArgv: [],
    // A young generation as large as the server's (--max-semi-space-size=64, see scripts/start.mjs):
    // the parse churns through short-lived cell objects.
    resourceLimits: { maxYoungGenerationSizeMb: 192 },
  });
  const queue: ToMain[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: ToMain) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (err) => {
    failure ??= err;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`import reading thread exited (code ${code}) before finishing`);
    notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.type === 'header') onHeader(message.header);
      else if (message.type === 'rows') {
        // Taken: the thread may read on while this chunk is being processed.
        worker.postMessage({ type: 'taken' } satisfies ToReader);
        yield message.rows;
      } else if (message.type === 'done') return { sheetName: message.sheetName };
      else throw deserialiseError(message.error);
    }
  } finally {
    worker.removeAllListeners();
    // Errors after this point (e.g. termination) are of no interest.
    worker.on('error', () => undefined);
    await worker.terminate();
  }
}
