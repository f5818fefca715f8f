// Issue 14's memory goal: a simulated month of polling (10 accounts, every minute, a fast
// clock) grows the heap by less than 5 MB. Drives the real engine, the history store (saved
// to disk every simulated hour, as it is compacted then) and decideAlerts with its ledger,
// against the fake providers over loopback in their own process: every simulated minute is a
// real check of all 10 accounts (DeepSeek: one request each, 432,000 over the month), whose
// balances drain, cross the warning and critical lines and are topped up. The heap is measured
// after a forced GC.
// Then `serve`'s rounds (state session on disk, engine, history, prune, notify) with 200
// accounts, to tell a leak from a heap that is merely sized up: `serve`'s RSS once grew
// 101 → 148 MB over 2,000 checks.
// Human text on stderr; the JSON rows for scripts/bench.mjs last on stdout.
// Needs `npm run build && npx tsc -p . --outDir out`.
//   node scripts/bench-memory.mjs [--days 30] [--serve-rounds 30]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startFakeProviders } from './fake-provider-process.mjs';

if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => require(path.join(root, 'out/src', p));
const { CheckScheduler } = out('core/checkScheduler.js');
const { checkOver } = out('core/check.js');
const { HttpClient } = out('core/http.js');
const { MemoryStore } = out('core/kv.js');
const { HistoryStore } = out('core/history.js');
const { NotificationLedger } = out('core/ledger.js');
const { decideAlerts } = out('core/decideAlerts.js');
const { DEFAULT_ALERT_RULES } = out('core/alertRules.js');
const { withStateSession, PRUNE_UNUSED_MS } = out('cli/stateSession.js');
const { checkTimed } = out('cli/exposition.js');
const { notify } = out('cli/notify.js');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const DAYS = arg('--days', 30);
const SERVE_ROUNDS = arg('--serve-rounds', 30);
const ACCOUNTS = 10;
const MINUTE = 60_000;
const KEY = 'sk-test-bench-memory-0123456789abcdef';
const log = (s) => process.stderr.write(`${s}\n`);
const mb = (bytes) => bytes / 1024 / 1024;
function heapAfterGc() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

const routes = [];
for (let i = 0; i < ACCOUNTS; i++) {
  // 40 $ that drain at 0.5-1.4 cents a check: warning, critical and a top-up every 2-5 days.
  routes.push({ method: 'GET', path: `/m${i}/user/balance`, draining: { credits: 40, perRequest: 0.005 + i * 0.001, topUpBelow: 3, topUp: 50, shape: 'deepseek' } });
}
const SERVE_ACCOUNTS = 200;
for (let i = 0; i < SERVE_ACCOUNTS; i++) {
  routes.push({ method: 'GET', path: `/v${i}/credits`, body: { data: { total_credits: 100, total_usage: 1 + i / 100 } } });
  routes.push({ method: 'GET', path: `/v${i}/key`, body: { data: { limit: null, usage: 1 } } });
}
const fake = await startFakeProviders(routes);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-bench-memory-'));
const rows = [];

// ---- a month of polling ----
{
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = () => now;
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ id: `m${i}`, provider: 'deepseek', label: `Account ${i}`, baseUrl: `${fake.url}/m${i}` }));
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const store = new MemoryStore();
  // A 2 s request timeout (a setting users may choose): each request's timer is alive that long
  // in real time, so the final measure waits that out rather than count live timers as growth.
  const http = new HttpClient({ env: {}, timeoutMs: 2_000 });
  const engine = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: MINUTE, keys: () => ({ key: KEY }), now: () => new Date(now) });
  const history = new HistoryStore(path.join(dir, 'history.json'), { now: clock, retentionDays: 90 });
  await history.load();
  const ledger = new NotificationLedger(store, 24, clock);
  let checks = 0;
  let alerts = 0;
  const levels = new Set();
  const round = async () => {
    const checked = await engine.checkReported(accounts);
    const results = checked.map((c) => c.result);
    for (const r of results) levels.add(r.level);
    checks += checked.filter((c) => c.fresh).length;
    history.record(checked.filter((c) => c.fresh).map((c) => c.result));
    const decided = await decideAlerts(results, {
      ledger, rules: DEFAULT_ALERT_RULES, thresholds: undefined, account: (id) => byId.get(id), cooldownHours: 24, history: () => history, now,
    });
    for (const d of decided) history.addEvent({ t: now, accountId: d.r.accountId, label: d.r.label, kind: 'notification', level: d.level, message: d.message, channel: 'bench' });
    alerts += decided.length;
  };
  await round();
  const before = heapAfterGc();
  const curve = [];
  const t0 = performance.now();
  for (let day = 1; day <= DAYS; day++) {
    for (let m = 0; m < 24 * 60; m++) {
      now += MINUTE;
      await round();
      if (m % 60 === 59) await history.save();
    }
    curve.push(mb(heapAfterGc()));
    // A month takes minutes of real HTTP (22 min on this machine under heavy load): say where it is.
    if (day % 5 === 0) log(`  … day ${day} of ${DAYS}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const wallS = (performance.now() - t0) / 1000;
  await http.close();
  await new Promise((r) => setTimeout(r, 2_500));
  const after = heapAfterGc();
  const points = history.accounts().reduce((n, id) => n + history.seriesView(id).length, 0);
  if (checks < DAYS * 24 * 60 * ACCOUNTS) throw new Error(`only ${checks} fresh checks: the simulated clock did not make every minute due`);
  // Day 5 at the latest, the fastest-draining account is critical.
  if (DAYS >= 5 && (!levels.has('warning') || !levels.has('critical'))) throw new Error(`the balances never crossed the lines (levels seen: ${[...levels].join(', ')})`);
  log(`# ${DAYS} simulated days: ${ACCOUNTS} accounts checked every minute, ${checks} checks (as many requests over loopback) in ${wallS.toFixed(0)} s`);
  log(`  heap after GC: ${mb(before).toFixed(2)} MB after the first round, ${mb(after).toFixed(2)} MB after the month: ${(mb(after - before)).toFixed(2)} MB more`);
  log(`  growth curve, MB at the end of each day (live request timers included): ${curve.map((x) => x.toFixed(1)).join(' ')}`);
  log(`  history holds ${points} points (thinned), ${history.events(1000).length} events; ${alerts} alerts decided; levels seen: ${[...levels].join(', ')}`);
  rows.push({
    what: `heap growth over ${DAYS} simulated days (10 accounts, every minute, real HTTP), after GC`,
    ours: `${mb(after - before).toFixed(2)} MB (${mb(before).toFixed(1)} → ${mb(after).toFixed(1)} MB)`,
    reference: 'goal: < 5 MB',
    ratio: `${(mb(after - before) / 5).toFixed(2)}× the goal`,
    goal: '< 1.00×',
  });
}

// ---- serve's rounds ----
if (SERVE_ROUNDS > 0) {
  const stateDir = path.join(dir, 'serve');
  const accounts = Array.from({ length: SERVE_ACCOUNTS }, (_, i) => ({ id: `v${i}`, provider: 'openrouter', label: `Account ${i}`, baseUrl: `${fake.url}/v${i}` }));
  const http = new HttpClient({ env: {} });
  const thresholds = { thresholds: { USD: { warning: 10, critical: 5 } }, percent: { warning: 20, critical: 10 } };
  const round = () => withStateSession(stateDir, { log }, async (session) => {
    // As serve.ts runs a round: a little under the interval, so that every round checks.
    const engine = new CheckScheduler({ check: checkOver(http), store: session.state, cacheTtlMs: 0, thresholds, keys: () => ({ key: KEY }) });
    const { checked } = await checkTimed(engine, accounts, {});
    if (checked.some((c) => c.result.level !== 'ok')) throw new Error('a serve check was not ok');
    session.history.record(checked.filter((c) => c.fresh).map((c) => c.result));
    await engine.prune(accounts.map((a) => a.id), { unusedForMs: PRUNE_UNUSED_MS });
    await notify(checked.map((c) => c.result), {
      ledger: new NotificationLedger(session.state, 24), accounts, thresholds, cooldownHours: 24, force: false, env: {}, history: session.history, log, timeoutMs: 10_000,
    });
    await session.save();
  });
  await round();
  const first = { heap: heapAfterGc(), rss: process.memoryUsage().rss };
  const curve = [];
  for (let i = 1; i <= SERVE_ROUNDS; i++) {
    await round();
    if (i % 5 === 0) curve.push(`${i * SERVE_ACCOUNTS}: ${mb(heapAfterGc()).toFixed(1)}/${mb(process.memoryUsage().rss).toFixed(0)}`);
  }
  const last = { heap: heapAfterGc(), rss: process.memoryUsage().rss };
  await http.close();
  log(`# serve's rounds: ${SERVE_ROUNDS} rounds of ${SERVE_ACCOUNTS} accounts (${SERVE_ROUNDS * SERVE_ACCOUNTS} checks), state on disk`);
  log(`  heap after GC ${mb(first.heap).toFixed(2)} → ${mb(last.heap).toFixed(2)} MB; RSS ${mb(first.rss).toFixed(0)} → ${mb(last.rss).toFixed(0)} MB`);
  log(`  checks: heap/RSS MB ${curve.join(', ')}`);
  rows.push({
    what: `serve rounds: heap after GC over ${SERVE_ROUNDS * SERVE_ACCOUNTS} checks of ${SERVE_ACCOUNTS} accounts`,
    ours: `${mb(last.heap - first.heap).toFixed(2)} MB (${mb(first.heap).toFixed(1)} → ${mb(last.heap).toFixed(1)} MB; RSS ${mb(first.rss).toFixed(0)} → ${mb(last.rss).toFixed(0)} MB)`,
    reference: 'a leak grows with every round',
    ratio: `${(mb(last.heap - first.heap) / SERVE_ROUNDS * 1000).toFixed(0)} KB per round`,
    goal: 'flat',
  });
}

await fake.stop();
fs.rmSync(dir, { recursive: true, force: true });
for (const r of rows) console.log(JSON.stringify(r));
