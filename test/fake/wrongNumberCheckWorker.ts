// A check worker whose check (for the account "nan") makes a result with NaN as its balance:
// the real serveChecks must post an error in its place. Other accounts are checked as usual.
import { parentPort } from 'node:worker_threads';
import { checkAccountDetailed } from '../../src/core/check';
import { serveChecks } from '../../src/core/checkThread';

if (!parentPort) throw new Error('a worker thread only');
serveChecks(parentPort, async (req, http) => {
  const check = await checkAccountDetailed(req.account, req.keys, { http, thresholds: req.thresholds });
  return req.account.id === 'nan' ? { ...check, result: { ...check.result, balance: Number.NaN } } : check;
});
