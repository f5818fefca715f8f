// Runs the checks (undici, the providers' code, their answers' parsing) in a worker thread, so
// that the extension host's main thread — which every other extension shares — only sends a
// request and stores the answer. Started on the first check; a worker that dies mid-check
// ends that check as an error and the next check starts a new one; a worker that cannot
// start (or keeps dying) gives way to checks in this thread, said once in the log. No check
// waits forever: each has a time limit well past the HTTP one.
import type { Worker } from 'node:worker_threads';
import type { AccountChecker, AccountKeys, CheckContext, DetailedCheck } from './checker';
import type { HttpSettings } from './http';
import { httpTimeoutMs, MAX_TIMER_MS } from './httpTimeout';
import { errorResult } from './errorResult';
import type { Account, ErrorKind } from './model';
import { redact } from './redact';
import { msg, type Message } from './message';
import type { ThresholdSettings } from './thresholds';

/** main → worker. The keys travel in memory with each request, never in workerData, argv or env. */
export interface CheckRequest {
  type: 'check';
  id: number;
  account: Account;
  keys: AccountKeys;
  http: HttpSettings;
  thresholds: ThresholdSettings;
}

/** worker → main. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; check: DetailedCheck }
  /** A bug in the check (it classifies every failure itself); the message is redacted. */
  | { type: 'failed'; id: number; message: string }
  | { type: 'proxyProblem'; problem: string };

export interface CheckWorkerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface CheckWorkerOptions {
  /** The worker's script (dist/check-worker.js). */
  file: string;
  log: CheckWorkerLog;
  /**
   * Checks in this thread with these HTTP settings, for when the worker cannot run; asked for
   * each such check, it decides whether the settings need a new client (InThreadChecks).
   */
  fallback: (http: HttpSettings) => AccountChecker;
  /** A check without an answer this long ends as a timeout; default ten HTTP time limits and 5 s. */
  answerWithinMs?: number;
}

interface Pending {
  request: CheckRequest;
  ctx: CheckContext;
  resolve: (check: DetailedCheck) => void;
  timer: NodeJS.Timeout;
}

/** Start failures and crashes in a row (no answer between them) before checks stay in this thread. */
const MAX_FAILED_STARTS = 3;

export class CheckWorker {
  /** The HTTP settings of the next checks (proxy, strict TLS, time limit). */
  http: HttpSettings = {};
  private worker: Worker | undefined;
  private ready = false;
  private lastError: string | undefined;
  private failedStarts = 0;
  private fellBack = false;
  private disposed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly opts: CheckWorkerOptions) {}

  /** The CheckScheduler's `check`. */
  readonly check: AccountChecker = (account, keys, ctx) => {
    if (this.fellBack || this.disposed) return this.checkInThread(account, keys, ctx);
    const worker = this.worker ?? this.start();
    if (!worker) return this.checkInThread(account, keys, ctx);
    const request: CheckRequest = { type: 'check', id: this.nextId++, account, keys, http: this.http, thresholds: ctx.thresholds };
    return new Promise<DetailedCheck>((resolve) => {
      // The time limit as the worker's HttpClient reads it (a NaN setting made this fire at once).
      const limit = this.opts.answerWithinMs ?? Math.min(httpTimeoutMs(this.http.timeoutMs) * 10 + 5_000, MAX_TIMER_MS);
      const timer = setTimeout(() => this.overdue(request.id, limit), limit);
      this.pending.set(request.id, { request, ctx, resolve, timer });
      worker.ref();
      worker.postMessage(request);
    });
  };

  /** The worker's thread id while one runs (the log names it too). */
  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /** Stops the worker; checks under way end as errors. Later checks run in this thread. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    if (w) await w.terminate();
  }

  private start(): Worker | undefined {
    let worker: Worker;
    try {
      // Required here, not on import: activation has no use for it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
      worker = new Worker(this.opts.file, { name: 'llm-balance checks' });
    } catch (e) {
      this.fellBack = true;
      this.opts.log.error(`The check worker could not be created (${this.describe(e)}): checks run in this window's main thread from now on.`);
      return undefined;
    }
    this.worker = worker;
    this.ready = false;
    this.lastError = undefined;
    worker.on('message', (m: WorkerMessage) => this.receive(worker, m));
    worker.on('error', (e) => {
      this.lastError = this.describe(e);
    });
    worker.on('exit', (code) => this.exited(worker, code));
    return worker;
  }

  private receive(worker: Worker, m: WorkerMessage): void {
    if (m.type === 'ready') {
      this.ready = true;
      this.opts.log.info(`Checks run in a worker thread (thread ${worker.threadId}).`);
      return;
    }
    if (m.type === 'proxyProblem') {
      this.opts.log.warn(`Proxy: ${m.problem} Accounts on localhost are still checked.`);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.settle(m.id);
    this.failedStarts = 0;
    // Validated in the worker before it was posted (checkThread.ts); a structured clone keeps every number as it was.
    if (m.type === 'result') p.resolve(m.check);
    else p.resolve(failure(p, 'bad_response', msg('The check failed: {0}', m.message)));
    if (this.pending.size === 0) worker.unref();
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const cut = [...this.pending.values()];
    for (const p of cut) this.settle(p.request.id);
    if (this.disposed) {
      for (const p of cut) p.resolve(failure(p, 'network', msg('The check was stopped: LLM Balance shut down before the provider answered.')));
      return;
    }
    const why = `exit code ${code}${this.lastError ? `: ${this.lastError}` : ''}`;
    this.failedStarts++;
    const giveUp = this.failedStarts >= MAX_FAILED_STARTS;
    if (giveUp) this.fellBack = true;
    const after = giveUp ? 'It failed too often: checks run in this window\'s main thread from now on.' : 'The next check starts a new worker.';
    if (!this.ready) {
      // Nothing was sent to a provider yet: these checks simply run here instead.
      this.opts.log.error(`The check worker could not start (${why}); ${cut.length} check(s) run in this window's main thread. ${after}`);
      for (const p of cut) void this.checkInThread(p.request.account, p.request.keys, p.ctx).then(p.resolve);
      return;
    }
    this.opts.log.error(`The check worker stopped (${why}) with ${cut.length} check(s) under way; they end as errors. ${after}`);
    for (const p of cut) p.resolve(failure(p, 'network', msg("The check was cut off: LLM Balance's check worker stopped before the provider answered. The next check tries again.")));
  }

  /** A check with no answer in time: the worker is not to be trusted, it is replaced at once. */
  private overdue(id: number, limitMs: number): void {
    const p = this.pending.get(id);
    const w = this.worker;
    if (!p || !w) return;
    const secs = Math.ceil(limitMs / 1000);
    this.opts.log.error(`A check had no answer from the check worker within ${secs} s; the worker is restarted.`);
    // Checks sent from now on go to a new worker; the others under way in this one end with it.
    this.worker = undefined;
    const cut = [...this.pending.values()];
    for (const q of cut) this.settle(q.request.id);
    p.resolve(failure(p, 'timeout', msg('No answer within {0} s; the check worker is restarted.', secs)));
    for (const q of cut) if (q !== p) q.resolve(failure(q, 'network', msg("The check was cut off: LLM Balance's check worker was restarted. The next check tries again.")));
    void w.terminate();
  }

  private settle(id: number): void {
    const p = this.pending.get(id);
    if (p) clearTimeout(p.timer);
    this.pending.delete(id);
  }

  private checkInThread(account: Account, keys: AccountKeys, ctx: CheckContext): Promise<DetailedCheck> {
    return this.opts.fallback(this.http)(account, keys, ctx);
  }

  /** An error's text for the log, with the keys of every check under way taken out. */
  private describe(e: unknown): string {
    const secrets = [...this.pending.values()].flatMap((p) => [p.request.keys.key, p.request.keys.adminKey]);
    return redact(e instanceof Error ? e.message : String(e), secrets);
  }
}

/** The result of a check that did not come back: an error, the last good numbers are kept by the engine. */
function failure(p: Pending, kind: ErrorKind, message: Message): DetailedCheck {
  return { result: errorResult(p.request.account, p.request.keys, { kind, message }, p.ctx) };
}
