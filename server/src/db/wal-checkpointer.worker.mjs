// The background WAL checkpointer's thread (see wal-checkpointer.ts). Plain JavaScript, so that it
// starts without a TypeScript loader. It holds its own connection and, on each 'checkpoint'
// message, copies the write-ahead log back into the database file without blocking anyone
// (PRAGMA wal_checkpoint(PASSIVE)).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const port = parentPort;
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
} catch (err) {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  port.close();
}

port.on('message', (message) => {
  if (message === 'checkpoint') {
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)');
      port.postMessage({ type: 'done', busy: result.busy, log: result.log, checkpointed: result.checkpointed });
    } catch (err) {
      port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  } else if (message === 'stop') {
    db?.close();
    port.close();
  }
});
