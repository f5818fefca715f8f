// The check worker's side (dist/check-worker.js): runs checks over undici and the providers'
// code in its own thread, one HTTP client per settings (a replaced one closed once its checks
// have ended: ClientPerSettings), and answers each request by its id.
// Keys arrive with each request, in memory, and are forgotten with it. Every result is
// validated here (validatedCheck), once, before it is posted: the main thread stores and shows
// the structured clone as it comes, without building the result schemas there (issue 14).
import type { MessagePort } from 'node:worker_threads';
import { checkAccountUnvalidated, validatedCheck } from './check';
import type { AccountChecker, CheckContext, DetailedCheck } from './checker';
import type { CheckRequest, WorkerMessage } from './checkWorker';
import { ClientPerSettings } from './clientPerSettings';
import { HttpClient } from './http';
import { safeText } from './safeText';

/** A check over the worker's client, its result not validated yet (a test worker may pass its own). */
export type WorkerCheck = (req: CheckRequest, http: HttpClient, ctx: CheckContext) => ReturnType<AccountChecker>;

const checkOverClient: WorkerCheck = (req, http, ctx) => checkAccountUnvalidated(req.account, req.keys, { http, ...ctx });

export function serveChecks(port: Pick<MessagePort, 'on' | 'postMessage'>, runCheck: WorkerCheck = checkOverClient): void {
  const send = (m: WorkerMessage): void => port.postMessage(m);
  const clients = new ClientPerSettings((settings) => {
    const http = new HttpClient(settings);
    if (http.proxyProblem) send({ type: 'proxyProblem', problem: http.proxyProblem });
    return http;
  });

  const run = async (req: CheckRequest): Promise<void> => {
    const secrets = [req.keys.key, req.keys.adminKey].filter((s): s is string => !!s);
    // One clock for the check and its validation.
    const ctx: CheckContext = { thresholds: req.thresholds, now: () => new Date() };
    let check: DetailedCheck;
    try {
      // Error results too, though our code builds them: no number that is not one (NaN, a
      // string) reaches the main thread as money.
      check = validatedCheck(await clients.run(req.http, (http) => runCheck(req, http, ctx)), req.account, req.keys, ctx);
    } catch (e) {
      // A check classifies every failure itself; this is a bug, said once, redacted.
      send({ type: 'failed', id: req.id, message: safeText(e instanceof Error ? e.message : String(e), 'data', { secrets }) });
      return;
    }
    send({ type: 'result', id: req.id, check });
  };

  port.on('message', (req: CheckRequest) => {
    if (req?.type === 'check') void run(req);
  });
  send({ type: 'ready' });
}
