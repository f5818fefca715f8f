// A check worker that dies mid-check: the real one (serveChecks), except that a request for
// the account "crash" throws an uncaught error — carrying the request's key — once the real
// check has started: in the same turn of the event loop (setImmediate), so before any answer
// can arrive however fast the provider is (a fixed delay raced a fast fake provider).
// Used by the CheckWorker tests, on plain Node and in VS Code.
import { parentPort } from 'node:worker_threads';
import { serveChecks } from '../../src/core/checkThread';
import type { CheckRequest } from '../../src/core/checkWorker';

if (!parentPort) throw new Error('a worker thread only');
parentPort.on('message', (req: CheckRequest) => {
  if (req.account.id === 'crash') setImmediate(() => { throw new Error(`worker blew up holding ${req.keys.key}`); });
});
serveChecks(parentPort);
