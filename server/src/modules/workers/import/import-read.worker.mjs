// Entry point of the import's reading thread. The server runs TypeScript through tsx's loader, which
// a worker thread does not inherit: register it here, then load the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./import-read.worker.ts');
