// `llm-balance serve` (SPEC §12): the monitor loop of `check` on a timer, with the latest
// results served to Prometheus (/metrics), to people and the extension's `team` provider
// (/api/v1/balances) and to health checks (/healthz).
import { createHash, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { CheckScheduler } from '../core/checkScheduler';
import { HttpClient } from '../core/http';
import { checkOver } from '../core/check';
import { NotificationLedger } from '../core/ledger';
import { CONTENT_TYPES, negotiateFormat, renderMetrics, type ExpositionFormat } from '../core/metrics';
import type { BalanceResult } from '../core/model';
import { expandTeamChecks } from '../core/providers/team';
import { redact } from '../core/redact';
import { englishOnly } from '../core/message';
import { loadConfig } from './config';
import { DEFAULT_LISTEN, defaultStateDir, UsageError } from './usage';

import { PRUNE_UNUSED_MS, saveFailedBeforeAlerts, withStateSession } from './stateSession';
import { checkTimed } from './exposition';
import { notify, type SentNotification } from './notify';

export const TOKEN_ENV = 'LLM_BALANCE_SERVE_TOKEN';
const MIN_TOKEN_LENGTH = 16;
const MAX_CONNECTIONS = 64;

export interface ServeFlags {
  listen?: string;
  interval?: string;
  config?: string;
  stateDir?: string;
}

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) throw new UsageError(`--listen must be HOST:PORT (e.g. ${DEFAULT_LISTEN} or [::1]:9464), got "${text}".`);
  return { host: (m[1] ?? m[2])!, port };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** --interval in minutes: 30 by default; fractions allowed (down to 3 s) for trials and tests. */
export function parseInterval(text: string | undefined): number {
  if (text === undefined) return 30;
  const n = Number(text);
  if (!text.trim() || !Number.isFinite(n) || n < 0.05 || n > 1440) throw new UsageError(`--interval must be minutes between 0.05 and 1440, got "${text}".`);
  return n;
}

function sameSecret(given: string, expected: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and no early exit on a length mismatch.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface Snapshot {
  checkedAt: string;
  accounts: BalanceResult[];
  summary: object;
  notificationsSent: SentNotification[];
}

export interface ServeDeps {
  /** Resolves when the process is told to stop (SIGTERM / SIGINT in production). */
  stopSignal: Promise<void>;
  log: (msg: string) => void;
  /** The `check --json` summary (main.ts owns it). */
  summarize: (results: readonly BalanceResult[]) => object;
  ensureWritable: (dir: string) => Promise<void>;
}

export async function runServe(flags: ServeFlags, env: NodeJS.ProcessEnv, deps: ServeDeps): Promise<number> {
  const listen = parseListen(flags.listen ?? DEFAULT_LISTEN);
  const intervalMs = parseInterval(flags.interval) * 60_000;
  const token = env[TOKEN_ENV]?.trim() || undefined;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) throw new UsageError(`${TOKEN_ENV} must be at least ${MIN_TOKEN_LENGTH} characters.`);
  if (!isLoopbackHost(listen.host) && !token) {
    throw new UsageError(`Listening on ${listen.host} exposes the balances beyond this machine: set ${TOKEN_ENV} (a bearer token of ${MIN_TOKEN_LENGTH}+ characters) or listen on 127.0.0.1.`);
  }
  const config = await loadConfig(flags.config, env);
  const stateDir = path.resolve(flags.stateDir ?? defaultStateDir(env));
  await deps.ensureWritable(stateDir);
  const log = deps.log;
  for (const w of config.warnings) log(w);
  const httpClient = new HttpClient({ timeoutMs: config.timeoutMs, env });
  if (httpClient.proxyProblem) log(`${httpClient.proxyProblem} Accounts on localhost are still checked.`);
  const thresholds = { thresholds: config.thresholds, percent: config.percent };
  const keyed = config.accounts.filter((a) => a.account.enabled !== false);
  const accounts = keyed.map((a) => a.account);
  const keysById = new Map(keyed.map((a) => [a.account.id, a.keys]));
  const secrets = keyed.flatMap((a) => [a.keys.key, a.keys.adminKey]).filter((s): s is string => !!s);

  let snapshot: Snapshot | undefined;
  const durations = new Map<string, number>();
  let lastRoundError: string | undefined;
  const rendered = new Map<ExpositionFormat, string>();
  let renderedFor: Snapshot | undefined;
  let rounds = 0;

  // One state session per round, as `check` runs it: locked while it lasts (a `check` run in
  // between takes its turn), read afresh, the ledger saved before any alert goes out.
  const round = async (): Promise<void> => {
    try {
      await withStateSession(stateDir, { log }, async (session) => {
        // A little under the interval, so that each round really checks; failing accounts still back off.
        const scheduler = new CheckScheduler({ check: checkOver(httpClient), store: session.state, cacheTtlMs: intervalMs * 0.9, thresholds, keys: (a) => keysById.get(a.id) ?? {} });
        const { checked, durations: measured } = await checkTimed(scheduler, accounts, {});
        const expanded = expandTeamChecks(checked);
        const results = expanded.map((c) => c.result);
        for (const [id, d] of measured) durations.set(id, d);
        session.history.record(expanded.filter((c) => c.fresh).map((c) => c.result));
        await scheduler.prune(config.accounts.map((a) => a.account.id), { unusedForMs: PRUNE_UNUSED_MS });
        const sent = await notify(results, {
          ledger: new NotificationLedger(session.state, config.cooldownHours),
          accounts, cooldownHours: config.cooldownHours, force: false, env, history: session.history, log, timeoutMs: config.timeoutMs,
          beforeDelivery: () => session.saveState().catch((e: unknown) => {
            throw saveFailedBeforeAlerts(session.dir, e);
          }),
          alertRules: config.alertRules,
        });
        // The numbers are served even when saving fails; the failure is logged and shown at /healthz.
        snapshot = { checkedAt: new Date().toISOString(), accounts: results.map(englishOnly), summary: deps.summarize(results), notificationsSent: sent };
        await session.save();
      });
      lastRoundError = undefined;
    } catch (e) {
      lastRoundError = redact(e instanceof Error ? e.message : String(e), secrets);
      log(`check round failed: ${lastRoundError}`);
    } finally {
      rounds++;
    }
  };

  // Slow clients cannot hold it: headers within 5 s, a whole request within 10 s (checked every
  // second, not Node's default 30 s), idle sockets closed, and at most 64 connections.
  const server = http.createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000, maxHeaderSize: 8192, connectionsCheckingInterval: 1_000 }, (req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      log(`request failed: ${redact(e instanceof Error ? e.message : String(e), secrets)}`);
      if (!res.headersSent) reply(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    }
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.timeout = 15_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      // A client that never reads the answer does not keep the socket either.
      setTimeout(() => socket.destroy(), 1_000).unref();
    } else socket.destroy();
  });

  function reply(res: http.ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return reply(res, 400, 'text/plain; charset=utf-8', 'bad request\n');
    }
    const known = pathname === '/metrics' || pathname === '/healthz' || pathname === '/api/v1/balances';
    if (!known) return reply(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics, /api/v1/balances or /healthz\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
    if (pathname === '/healthz') {
      const body = { status: lastRoundError ? 'degraded' : snapshot ? 'ok' : 'starting', checkedAt: snapshot?.checkedAt ?? null, rounds, ...(lastRoundError ? { error: lastRoundError } : {}) };
      return reply(res, 200, 'application/json; charset=utf-8', JSON.stringify(body) + '\n');
    }
    if (token) {
      const auth = req.headers.authorization ?? '';
      const given = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
      if (!sameSecret(given, token)) return reply(res, 401, 'text/plain; charset=utf-8', 'unauthorized: send Authorization: Bearer <LLM_BALANCE_SERVE_TOKEN>\n', { 'www-authenticate': 'Bearer realm="llm-balance"' });
    }
    if (!snapshot) return reply(res, 503, 'text/plain; charset=utf-8', 'the first check is still running\n', { 'retry-after': '5' });
    if (pathname === '/api/v1/balances') return reply(res, 200, 'application/json; charset=utf-8', JSON.stringify(snapshot) + '\n');
    const format = negotiateFormat(req.headers.accept);
    // Rendered once per round and format: scrapes far outnumber checks.
    let text = rendered.get(format);
    if (!text || renderedFor !== snapshot) {
      if (renderedFor !== snapshot) rendered.clear();
      renderedFor = snapshot;
      text = renderMetrics({ results: snapshot.accounts, durations }, format);
      rendered.set(format, text);
    }
    return reply(res, 200, CONTENT_TYPES[format], text, { vary: 'Accept' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`Cannot listen on ${listen.host}:${listen.port}: ${e.code ?? e.message}.`)));
    server.listen(listen.port, listen.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  log(`serving http://${shown}:${bound.port}/metrics, checking ${accounts.length} account(s) every ${intervalMs / 60_000} min`);

  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // Chained timeouts: a slow round delays the next instead of overlapping it.
  const loop = (): void => {
    if (stopping) return;
    running = round().finally(() => {
      if (!stopping) timer = setTimeout(loop, intervalMs);
    });
  };
  loop();

  await deps.stopSignal;
  stopping = true;
  if (timer) clearTimeout(timer);
  log('stopping: finishing the running check');
  await running;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
  await httpClient.close();
  // Every round saved its state before it ended; nothing is left open.
  log('stopped');
  return 0;
}
