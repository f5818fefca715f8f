// `npm run bench`: prints numbers, asserts nothing.
//  1. bundle sizes (production build) and the cold require time of the extension's main bundle;
//  2. 50 accounts checked concurrently against the fake server (49 answer after 200 ms, one
//     never answers): wall time for the 49, time until the hung one is given up, CPU per
//     check, peak RSS;
//  3. activate() measured inside the real VS Code (code-server);
//  4. the panel's first paint (scripts/bench-panel.mjs), when present;
//  5. `serve` with 200 accounts (scripts/bench-serve.mjs): scrape latency and RSS.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const line = (label, value) => console.log(`${label.padEnd(46)} ${value}`);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

console.log('# Bundles (production build)');
const prod = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-prod-'));
sh('node', ['esbuild.mjs', '--production', `--outdir=${prod}`]);
for (const f of fs.readdirSync(prod).sort()) line(`  ${f}`, kb(fs.statSync(path.join(prod, f)).size));

// Cold require of the main bundle in a fresh process, with a stand-in for the vscode module.
const probe = `
const Module = require('module');
const orig = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) { return req === 'vscode' ? req : orig.call(this, req, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: {} };
const t = process.hrtime.bigint();
require(process.argv[1]);
console.log(Number(process.hrtime.bigint() - t) / 1e6);
`;
const requireTimes = [];
for (let i = 0; i < 5; i++) requireTimes.push(Number(sh('node', ['-e', probe, path.join(prod, 'extension.js')]).trim()));
requireTimes.sort((a, b) => a - b);
line('  cold require(extension.js), median of 5', `${requireTimes[2].toFixed(2)} ms`);
const engineTimes = [];
for (let i = 0; i < 3; i++) engineTimes.push(Number(sh('node', ['-e', probe, path.join(prod, 'engine.js')]).trim()));
engineTimes.sort((a, b) => a - b);
line('  cold require(engine.js, lazy), median of 3', `${engineTimes[1].toFixed(2)} ms`);

console.log('\n# 50 accounts, 49 answer after 200 ms, one never answers');
const { FakeProviderServer } = require(path.join(root, 'out/test/fake/server.js'));
const { BalanceEngine } = require(path.join(root, 'out/src/core/engine.js'));
const { HttpClient } = require(path.join(root, 'out/src/core/http.js'));
const { checkOver } = require(path.join(root, 'out/src/core/check.js'));
const { MemoryStore } = require(path.join(root, 'out/src/core/kv.js'));
const server = new FakeProviderServer();
await server.start();
for (let i = 0; i < 50; i++) {
  const base = `/acct${i}`;
  const reply = i === 49 ? { hang: true } : { delayMs: 200, body: { data: { total_credits: 100, total_usage: i } } };
  server.route('GET', `${base}/credits`, reply);
  server.route('GET', `${base}/key`, i === 49 ? { hang: true } : { delayMs: 200, body: { data: { limit: null, usage: i } } });
}
const timeoutMs = 10_000;
const http = new HttpClient({ timeoutMs, env: {} });
const engine = new BalanceEngine({ check: checkOver(http), store: new MemoryStore(), cacheTtlMs: 60_000, keys: () => ({ key: 'sk-test-bench-0123456789' }) });
const accounts = Array.from({ length: 50 }, (_, i) => ({ id: `acct${i}`, provider: 'openrouter', baseUrl: `${server.url}/acct${i}` }));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const done = [];
await Promise.all(accounts.map((a) => engine.checkOne(a).then((r) => done.push({ id: a.id, ms: performance.now() - t0, r }))));
const cpu = process.cpuUsage(cpu0);
const fast = done.filter((d) => d.id !== 'acct49');
const hung = done.find((d) => d.id === 'acct49');
line('  wall time until all 49 answered', `${Math.max(...fast.map((d) => d.ms)).toFixed(0)} ms (sum of delays would be ${49 * 200} ms)`);
line('  49 results ok', `${fast.filter((d) => d.r.level === 'ok').length}`);
line(`  hung account given up after (timeout ${timeoutMs / 1000} s)`, `${hung.ms.toFixed(0)} ms, ${hung.r.errorKind}`);
line('  CPU time per check (user+system)', `${((cpu.user + cpu.system) / 1000 / 50).toFixed(2)} ms`);
line('  peak RSS', `${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
// A second, forced round in the same process: steady state, connections and code warm.
const warm0 = process.cpuUsage();
const w0 = performance.now();
const warm = [];
await Promise.all(accounts.slice(0, 49).map((a) => engine.checkOne(a, { force: true }).then(() => warm.push(performance.now() - w0))));
const warmCpu = process.cpuUsage(warm0);
line('  warm round: wall time for the 49', `${Math.max(...warm).toFixed(0)} ms`);
line('  warm round: CPU time per check', `${((warmCpu.user + warmCpu.system) / 1000 / 49).toFixed(2)} ms`);
await http.close();
await server.stop();

console.log('\n# activate() inside the real VS Code (code-server)');
try {
  sh('bash', ['scripts/install-test-host.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const log = path.join(root, 'test-results', 'bench-activation.log');
  const out = path.join(root, 'test-results', 'bench-activation.json');
  fs.rmSync(out, { force: true });
  spawnSync('node', ['scripts/run-integration.mjs', '--tests', path.join(root, 'out/test/bench/activation.js'), '--log', log, '--timeout', '180'], { cwd: root, encoding: 'utf8' });
  const ms = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')).activationMs : undefined;
  line('  activate() (performance.now inside activate)', typeof ms === 'number' ? `${ms.toFixed(2)} ms` : 'not measured (see test-results/bench-activation.log)');
} catch (e) {
  line('  activate()', `not measured: ${e.message.split('\n')[0]}`);
}

console.log('\n# Panel inside the real VS Code (10 accounts, 90 days of history)');
try {
  const out = path.join(root, 'test-results', 'bench-panel-vscode.json');
  fs.rmSync(out, { force: true });
  spawnSync('node', ['scripts/run-integration.mjs', '--tests', path.join(root, 'out/test/bench/panel.js'), '--log', path.join(root, 'test-results', 'bench-panel.log'), '--timeout', '240'], { cwd: root, encoding: 'utf8' });
  const r = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : { error: 'no report' };
  if (r.marks) {
    line('  webview first contentful paint (loading shell)', `${r.marks.fcp} ms after the webview's navigation start`);
    line('  cards rendered / painted', `${r.marks.rendered} / ${r.marks['first-paint']} ms`);
    line('  command to painted, wall clock', `${r.commandToPaintedMs} ms (webview creation included)`);
    line('  points per account after thinning', `${r.pointsPerAccount}`);
  } else line('  not measured', r.error ?? 'see test-results/bench-panel.log');
} catch (e) {
  line('  not measured', e.message.split('\n')[0]);
}

if (fs.existsSync(path.join(root, 'scripts/bench-panel.mjs'))) {
  console.log('\n# Panel in a plain Chromium page (scripts/bench-panel.mjs)');
  const r = spawnSync('node', ['scripts/bench-panel.mjs'], { cwd: root, encoding: 'utf8' });
  process.stdout.write(r.stdout + r.stderr);
}
console.log('\n# Issue 14, side by side (scripts/bench-cli.mjs)');
{
  const r = spawnSync('node', ['scripts/bench-cli.mjs'], { cwd: root, encoding: 'utf8' });
  process.stdout.write(r.stdout + r.stderr);
}
if (fs.existsSync(path.join(root, 'scripts/bench-serve.mjs'))) {
  console.log('\n# llm-balance serve with 200 accounts (scripts/bench-serve.mjs)');
  const r = spawnSync('node', ['scripts/bench-serve.mjs'], { cwd: root, encoding: 'utf8' });
  process.stdout.write(r.stdout + r.stderr);
}
if (fs.existsSync(path.join(root, 'scripts/bench-first-check.mjs'))) {
  console.log('\n# First check in the extension host: checks in the worker vs in the main thread (scripts/bench-first-check.mjs)');
  const r = spawnSync('node', ['scripts/bench-first-check.mjs'], { cwd: root, encoding: 'utf8' });
  process.stdout.write(r.stderr);
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  console.log('| what | ours | reference, same run | ratio |\n|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.what} | ${row.ours} | ${row.reference} | ${row.ratio} (goal ${row.goal}) |`);
}
fs.rmSync(prod, { recursive: true, force: true });
