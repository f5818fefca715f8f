// Side-by-side numbers for issue 14, printed as "what | ours | reference, same run | ratio":
//  - `llm-balance check --json --force`, one OpenRouter account, whole process, against a minimal
//    node:http script making the same two requests (alternating runs, median and spread);
//  - `--help` and `history`, whole process, against `node -e 0`;
//  - main-thread cost of the first check: require(engine.js) + CPU of a first check of 10 accounts;
//  - 200 accounts checked at once against the slowest provider's latency;
//  - peak RSS of one CLI check.
// Run from scripts/bench.mjs after the build; `node scripts/bench-cli.mjs [runs]` alone too.
import { spawnSync, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const runs = Number(process.argv[2] ?? 9);
const KEY = 'sk-or-v1-bench-0123456789abcdef0123';

const prod = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-benchcli-'));
spawnSync('node', ['esbuild.mjs', '--production', `--outdir=${prod}`], { cwd: root, stdio: 'inherit' });
const { FakeProviderServer } = require(path.join(root, 'out/test/fake/server.js'));
const server = new FakeProviderServer();
await server.start();
server.route('GET', '/api/v1/credits', { body: { data: { total_credits: 100, total_usage: 12.5 } } });
server.route('GET', '/api/v1/key', { body: { data: { limit: null, usage: 12.5 } } });
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-benchcli-state-'));
const env = { PATH: process.env.PATH ?? '', OPENROUTER_API_KEY: KEY, OPENROUTER_BASE_URL: `${server.url}/api/v1`, LLM_BALANCE_STATE_DIR: state };

// The reference: the same two requests with node:http, print the JSON, exit.
const reference = path.join(prod, 'reference.js');
fs.writeFileSync(reference, `const http = require('node:http');
const get = (p) => new Promise((ok, no) => http.get(process.env.OPENROUTER_BASE_URL + p, { headers: { authorization: 'Bearer ' + process.env.OPENROUTER_API_KEY } }, (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => ok(JSON.parse(b))); }).on('error', no));
Promise.all([get('/credits'), get('/key')]).then((x) => console.log(JSON.stringify(x)));
`);

/** Wall time of one whole process, ms, and its peak RSS in MB. */
function timed(args) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    execFile(process.execPath, args, { env, cwd: root }, (err) => {
      const ms = performance.now() - t;
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ ms });
    });
  });
}
/** Async, so the fake server in this process keeps answering (spawnSync would block it). */
function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, encoding: 'utf8', ...opts }, (err, stdout, stderr) => resolve({ status: err ? (err.code ?? 99) : 0, stdout, stderr }));
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

async function sideBySide(ours, ref) {
  const a = [], b = [];
  await timed(ours); await timed(ref); // warm the file cache
  for (let i = 0; i < runs; i++) {
    a.push((await timed(ours)).ms);
    b.push((await timed(ref)).ms);
  }
  return { ours: median(a), ref: median(b), oursSpread: spread(a), refSpread: spread(b) };
}

const rows = [];
const row = (what, r, refName) => rows.push([what, `${r.ours.toFixed(0)} ms (${r.oursSpread})`, `${refName}: ${r.ref.toFixed(0)} ms (${r.refSpread})`, `${(r.ours / r.ref).toFixed(2)}×`]);
const cli = path.join(prod, 'cli.js');
row(`\`check --json --force\`, 1 account, whole process, median of ${runs} alternating`, await sideBySide([cli, 'check', '--json', '--force', '--state-dir', state], [reference]), 'node:http script, same 2 requests');
row(`\`--help\`, whole process`, await sideBySide([cli, '--help'], ['-e', '0']), '`node -e 0`');
row(`\`history --json\`, whole process`, await sideBySide([cli, 'history', '--json', '--state-dir', state], ['-e', '0']), '`node -e 0`');

// Peak RSS of one CLI check (the child's own maxRSS, as the kernel counts it).
const rss = await run('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'check', '--json', '--force', '--state-dir', state]);
const rssMb = Number(rss.stderr.trim().split('\n').pop()) / 1024;
const refRss = await run('/usr/bin/time', ['-f', '%M', process.execPath, reference]);
const refRssMb = Number(refRss.stderr.trim().split('\n').pop()) / 1024;
rows.push(['peak RSS of one CLI check', `${rssMb.toFixed(1)} MB`, `node:http script: ${refRssMb.toFixed(1)} MB`, `${(rssMb / refRssMb).toFixed(2)}×`]);

// First check on a fresh thread: what a main thread would be blocked for (require + CPU of 10 checks).
for (let i = 0; i < 10; i++) {
  server.route('GET', `/first${i}/credits`, { body: { data: { total_credits: 100, total_usage: i } } });
  server.route('GET', `/first${i}/key`, { body: { data: { limit: null, usage: i } } });
}
const firstProbe = `
const Module = require('module');
const orig = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) { return req === 'vscode' ? req : orig.call(this, req, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: {} };
const { performance } = require('node:perf_hooks');
const cpu0 = process.cpuUsage(); const t0 = performance.now();
const E = require(process.argv[1]);
const requireMs = performance.now() - t0;
const { MemoryStore } = require(process.argv[2]);
const http = new E.HttpClient({ env: {} });
const engine = new E.CheckScheduler({ check: E.checkOver(http), store: new MemoryStore(), cacheTtlMs: 60000, keys: () => ({ key: '${KEY}' }) });
const accounts = Array.from({ length: 10 }, (_, i) => ({ id: 'a' + i, provider: 'openrouter', baseUrl: process.argv[3] + '/first' + i }));
Promise.all(accounts.map((a) => engine.checkOne(a))).then(async (rs) => {
  const c = process.cpuUsage(cpu0);
  if (rs.some((r) => r.level !== 'ok')) throw new Error('a check was not ok');
  console.log(JSON.stringify({ requireMs, cpuMs: (c.user + c.system) / 1000 }));
  await http.close();
});`;
const first = [];
for (let i = 0; i < 5; i++) {
  const r = await run(process.execPath, ['-e', firstProbe, path.join(prod, 'engine.js'), path.join(root, 'out/src/core/kv.js'), server.url]);
  if (r.status !== 0) throw new Error(r.stderr);
  first.push(JSON.parse(r.stdout));
}
const firstCpu = first.map((f) => f.cpuMs);
rows.push(['first check, 10 accounts: require(engine.js) + CPU, same thread (median of 5)', `${median(firstCpu).toFixed(0)} ms CPU (${spread(firstCpu)}), require ${median(first.map((f) => f.requireMs)).toFixed(0)} ms`, 'goal: 20 ms of main-thread time', `${(median(firstCpu) / 20).toFixed(2)}× the goal`]);

// Scale: 200 accounts at once; providers answer after 100–300 ms, the slowest 300 ms.
const { CheckScheduler } = require(path.join(root, 'out/src/core/checkScheduler.js'));
const { HttpClient } = require(path.join(root, 'out/src/core/http.js'));
const { checkOver } = require(path.join(root, 'out/src/core/check.js'));
const { MemoryStore } = require(path.join(root, 'out/src/core/kv.js'));
const slowest = 300;
for (let i = 0; i < 200; i++) {
  const delayMs = i === 199 ? slowest : 100 + (i % 200);
  server.route('GET', `/s${i}/credits`, { delayMs, body: { data: { total_credits: 100, total_usage: 1 } } });
  server.route('GET', `/s${i}/key`, { delayMs, body: { data: { limit: null, usage: 1 } } });
}
const http = new HttpClient({ env: {} });
const engine = new CheckScheduler({ check: checkOver(http), store: new MemoryStore(), cacheTtlMs: 60_000, keys: () => ({ key: KEY }) });
const t0 = performance.now();
const results = await Promise.all(Array.from({ length: 200 }, (_, i) => engine.checkOne({ id: `s${i}`, provider: 'openrouter', baseUrl: `${server.url}/s${i}` })));
const scaleMs = performance.now() - t0;
if (results.some((r) => r.level !== 'ok')) throw new Error('a scale check was not ok');
rows.push(['200 accounts checked at once', `${scaleMs.toFixed(0)} ms`, `slowest provider + 50 ms: ${slowest + 50} ms`, `${(scaleMs / (slowest + 50)).toFixed(2)}×`]);
await http.close();
await server.stop();

console.log('| what | ours | reference, same run | ratio |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
fs.rmSync(prod, { recursive: true, force: true });
fs.rmSync(state, { recursive: true, force: true });
