// The check worker's side (dist/check-worker.js): runs checks over undici and the providers'
// code in its own thread, one HTTP client per settings, and answers each request by its id.
// Keys arrive with each request, in memory, and are forgotten with it.
import type { MessagePort } from 'node:worker_threads';
import { checkAccountDetailed } from './check';
import type { DetailedCheck } from './checker';
import type { CheckRequest, WorkerMessage } from './checkWorker';
import { HttpClient, type HttpSettings } from './http';
import { safeText } from './safeText';

/** Requests already under way finish on a replaced client; it is closed after they had time to. */
const CLOSE_REPLACED_AFTER_MS = 60_000;

export function serveChecks(port: Pick<MessagePort, 'on' | 'postMessage'>): void {
  let current: { settings: string; http: HttpClient } | undefined;
  const send = (m: WorkerMessage): void => port.postMessage(m);

  const clientFor = (settings: HttpSettings): HttpClient => {
    const key = JSON.stringify(settings);
    if (current?.settings === key) return current.http;
    const old = current?.http;
    if (old) setTimeout(() => void old.close(), CLOSE_REPLACED_AFTER_MS).unref();
    current = { settings: key, http: new HttpClient(settings) };
    if (current.http.proxyProblem) send({ type: 'proxyProblem', problem: current.http.proxyProblem });
    return current.http;
  };

  const run = async (req: CheckRequest): Promise<void> => {
    let check: DetailedCheck;
    try {
      check = await checkAccountDetailed(req.account, req.keys, { http: clientFor(req.http), thresholds: req.thresholds });
    } catch (e) {
      // checkAccountDetailed classifies every failure itself; this is a bug, said once, redacted.
      const secrets = [req.keys.key, req.keys.adminKey].filter((s): s is string => !!s);
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
