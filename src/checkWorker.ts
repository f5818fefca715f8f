// Entry of dist/check-worker.js, the extension's check worker (see core/checkWorker.ts).
import { parentPort } from 'node:worker_threads';
import { serveChecks } from './core/checkThread';

if (!parentPort) throw new Error('check-worker.js runs as a worker thread.');
serveChecks(parentPort);
