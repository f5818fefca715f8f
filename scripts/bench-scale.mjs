// Issue 14's scale goal: 200 accounts checked at once in about the slowest provider's latency
// + 50 ms. The fake providers run in a process of their own (as real providers are elsewhere)
// and answer after 100-300 ms. Besides the engine's wall time it prints where the time goes:
// the same 400 requests through our HttpClient alone, through bare undici and through node:http
// (what this machine can do at all in the same run), the process's CPU time, and the event
// loop's worst stall.
// Human text on stderr; the JSON rows for scripts/bench.mjs last on stdout.
// Needs `npm run build && npx tsc -p . --outDir out`. `node scripts/bench-scale.mjs [rounds]`.
import * as nodeHttp from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startFakeProviders } from './fake-provider-process.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { CheckScheduler } = require(path.join(root, 'out/src/core/checkScheduler.js'));
const { checkOver } = require(path.join(root, 'out/src/core/check.js'));
const { HttpClient } = require(path.join(root, 'out/src/core/http.js'));
const { MemoryStore } = require(path.join(root, 'out/src/core/kv.js'));
const undici = require('undici');

const ACCOUNTS = 200;
const SLOWEST = 300;
const rounds = Number(process.argv[2] ?? 5);
const KEY = 'sk-test-bench-scale-0123456789abcdef';
const delayOf = (i) => (i === ACCOUNTS - 1 ? SLOWEST : 100 + (i % 200));
const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const routes = [];
for (let i = 0; i < ACCOUNTS; i++) {
  routes.push({ method: 'GET', path: `/s${i}/credits`, delayMs: delayOf(i), body: { data: { total_credits: 100, total_usage: 1 } } });
  routes.push({ method: 'GET', path: `/s${i}/key`, delayMs: delayOf(i), body: { data: { limit: null, usage: 1 } } });
}
const fake = await startFakeProviders(routes);
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ id: `s${i}`, provider: 'openrouter', baseUrl: `${fake.url}/s${i}` }));
const urls = accounts.flatMap((a) => [`${a.baseUrl}/credits`, `${a.baseUrl}/key`]);

/** Wall time, CPU time and worst event-loop stall of one run of fn. */
async function measure(fn) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, stallMs: loop.max / 1e6 };
}

const results = { engine: [], http: [], undici: [], nodeHttp: [] };
for (let round = 0; round < rounds; round++) {
  // A new client and engine per round: each round opens its 400 connections, as one CLI run does.
  {
    const http = new HttpClient({ env: {} });
    const engine = new CheckScheduler({ check: checkOver(http), store: new MemoryStore(), cacheTtlMs: 60_000, keys: () => ({ key: KEY }) });
    let checked;
    results.engine.push(await measure(async () => {
      checked = await Promise.all(accounts.map((a) => engine.checkOne(a)));
    }));
    if (checked.some((r) => r.level !== 'ok')) throw new Error(`a check was not ok: ${JSON.stringify(checked.find((r) => r.level !== 'ok'))}`);
    await http.close();
  }
  {
    const http = new HttpClient({ env: {} });
    results.http.push(await measure(() => Promise.all(urls.map((u) => http.json(u, { headers: { authorization: `Bearer ${KEY}` } })))));
    await http.close();
  }
  {
    const agent = new undici.Agent({ keepAliveTimeout: 4_000 });
    results.undici.push(await measure(() => Promise.all(urls.map(async (u) => {
      const r = await undici.request(u, { dispatcher: agent, headers: { authorization: `Bearer ${KEY}` } });
      await r.body.json();
    }))));
    await agent.close();
  }
  {
    const agent = new nodeHttp.Agent({ keepAlive: true });
    const get = (u) => new Promise((resolve, reject) => {
      nodeHttp.get(u, { agent, headers: { authorization: `Bearer ${KEY}` } }, (r) => {
        let body = '';
        r.on('data', (c) => (body += c));
        r.on('end', () => resolve(JSON.parse(body)));
      }).on('error', reject);
    });
    results.nodeHttp.push(await measure(() => Promise.all(urls.map(get))));
    agent.destroy();
  }
}
await fake.stop();

const goal = SLOWEST + 50;
const row = (name, xs) => {
  const ms = median(xs.map((x) => x.ms));
  log(`${name.padEnd(44)} ${ms.toFixed(0)} ms wall (${Math.min(...xs.map((x) => x.ms)).toFixed(0)}–${Math.max(...xs.map((x) => x.ms)).toFixed(0)}), ` +
    `${median(xs.map((x) => x.cpuMs)).toFixed(0)} ms CPU, worst loop stall ${median(xs.map((x) => x.stallMs)).toFixed(0)} ms`);
  return ms;
};
log(`# ${ACCOUNTS} accounts at once, 2 requests each, providers answer after 100-${SLOWEST} ms (median of ${rounds} rounds)`);
const engineMs = row('engine.checkOne × 200 (zod, thresholds, cache)', results.engine);
row('HttpClient.json × 400 (our HTTP stack alone)', results.http);
const undiciMs = row('undici.request × 400 (the library alone)', results.undici);
row('node:http × 400 (no library)', results.nodeHttp);
console.log(JSON.stringify({
  what: `${ACCOUNTS} accounts checked at once (slowest provider ${SLOWEST} ms; median of ${rounds})`,
  ours: `${engineMs.toFixed(0)} ms`,
  reference: `slowest provider + 50 ms: ${goal} ms`,
  ratio: `${(engineMs / goal).toFixed(2)}×`,
  goal: '≤ 1.00×',
}));
console.log(JSON.stringify({
  what: `${ACCOUNTS} accounts: the engine against bare undici making the same 400 requests, same run`,
  ours: `${engineMs.toFixed(0)} ms`,
  reference: `undici.request × 400: ${undiciMs.toFixed(0)} ms`,
  ratio: `${(engineMs / undiciMs).toFixed(2)}×`,
  goal: 'what the engine adds to the HTTP library',
}));
