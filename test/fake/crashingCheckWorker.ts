// A check worker that dies mid-check: the real one (serveChecks), except that a request for
// the account "crash" throws an uncaught error — carrying the request's key — 100 ms after the
// real check has started. Used by the CheckWorker tests, on plain Node and in VS Code.
import { parentPort } from 'node:worker_threads';
import { serveChecks } from '../../src/core/checkThread';
import type { CheckRequest } from '../../src/core/checkWorker';

if (!parentPort) throw new Error('a worker thread only');
parentPort.on('message', (req: CheckRequest) => {
  if (req.account.id === 'crash') setTimeout(() => { throw new Error(`worker blew up holding ${req.keys.key}`); }, 100);
});
serveChecks(parentPort);
