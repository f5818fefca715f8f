// Issue 14's CLI numbers, side by side in one run (production build, alternating runs, median
// and spread):
//  - `llm-balance check --json --force`, one OpenRouter account, whole process, against a
//    minimal node:http script making the same two requests (goal ≤ 1.5×);
//  - `--help` and `history` against `node -e 0`;
//  - peak RSS of one CLI check;
//  - where a check's time goes: the same process stopped at successive points (node alone,
//    the command line parsed, the check command loaded), when it calls process.exit() against
//    when it has ended, a check without the code cache, and the same two requests made by a
//    bare undici script with V8's defaults and with Liftoff only, and undici at its fastest
//    (bundled with the builtins the CLI defers, code-cached, Liftoff only): the floor any check
//    that keeps undici stands on;
//  - wall times from bare runs, CPU times from separate runs under perf stat (alternating).
//  - 200 accounts at once: scripts/bench-scale.mjs, whose rows it passes on (`--no-scale` skips it).
// Human text on stderr; the JSON rows for scripts/bench.mjs last on stdout.
// Needs `npx tsc -p . --outDir out` (for the fake providers). `node scripts/bench-cli.mjs [runs] [--no-scale]`.
import { spawnSync, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { deferredBuiltins } from './deferred-builtins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 11);
const withScale = !process.argv.includes('--no-scale');
const KEY = 'sk-or-v1-bench-0123456789abcdef0123';
const log = (s) => process.stderr.write(`${s}\n`);

const prod = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-benchcli-'));
const built = spawnSync('node', ['esbuild.mjs', '--production', `--outdir=${prod}`], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) throw new Error('the production build failed');
const { FakeProviderServer } = require(path.join(root, 'out/test/fake/server.js'));
const server = new FakeProviderServer();
await server.start();
server.route('GET', '/api/v1/credits', { body: { data: { total_credits: 100, total_usage: 12.5 } } });
server.route('GET', '/api/v1/key', { body: { data: { limit: null, usage: 12.5 } } });
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-benchcli-state-'));
const env = {
  PATH: process.env.PATH ?? '', HOME: state, XDG_CACHE_HOME: path.join(state, 'cache'),
  OPENROUTER_API_KEY: KEY, OPENROUTER_BASE_URL: `${server.url}/api/v1`,
};
const noCache = { ...env, LLM_BALANCE_NO_CODE_CACHE: '1' };

// The reference: the same two requests with node:http, print the JSON, exit.
const reference = path.join(prod, 'reference.js');
fs.writeFileSync(reference, `const http = require('node:http');
const get = (p) => new Promise((ok, no) => http.get(process.env.OPENROUTER_BASE_URL + p, { headers: { authorization: 'Bearer ' + process.env.OPENROUTER_API_KEY } }, (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => ok(JSON.parse(b))); }).on('error', no));
Promise.all([get('/credits'), get('/key')]).then((x) => console.log(JSON.stringify(x)));
`);

// A bare undici script: the same two requests through its request API (its whole index), then close.
const bareUndici = path.join(prod, 'bare-undici.js');
fs.writeFileSync(bareUndici, `const { Agent, request } = require(${JSON.stringify(require.resolve('undici', { paths: [root] }))});
const agent = new Agent();
const get = (p) => request(process.env.OPENROUTER_BASE_URL + p, { dispatcher: agent, headers: { authorization: 'Bearer ' + process.env.OPENROUTER_API_KEY } }).then((r) => r.body.json());
Promise.all([get('/credits'), get('/key')]).then((x) => console.log(JSON.stringify(x))).finally(() => agent.close());
`);
// The floor with undici at its fastest: the same script bundled (its request API only, as
// src/core/http.ts loads it, with the builtins the CLI defers deferred), compiled through a V8
// code cache under Liftoff only, with the builtins loaded first, then process.exit(): what the
// CLI does for undici, without the CLI.
const floorSource = path.join(prod, 'floor-undici-src.js');
fs.writeFileSync(floorSource, `const dispatcher = require('undici/lib/dispatcher/dispatcher');
Object.assign(dispatcher.prototype, { request: require('undici/lib/api/api-request') });
const Agent = require('undici/lib/dispatcher/agent');
module.exports = () => {
  const agent = new Agent();
  const base = new URL(process.env.OPENROUTER_BASE_URL);
  const get = (p) => agent.request({ origin: base.origin, path: base.pathname + p, method: 'GET', headers: { authorization: 'Bearer ' + process.env.OPENROUTER_API_KEY } }).then((r) => r.body.json());
  return Promise.all([get('/credits'), get('/key')]).then((x) => console.log(JSON.stringify(x))).finally(() => agent.close());
};
`);
const floorBundle = path.join(prod, 'floor-undici.bundle.js');
const esbuild = require('esbuild');
// With the CLI's own deferred builtins: undici requires node:http2 and node:assert on load, which
// `check` never uses (esbuild.mjs); a floor that paid for them stood ~20 ms above what the CLI pays.
await esbuild.build({ entryPoints: [floorSource], bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, outfile: floorBundle, nodePaths: [path.join(root, 'node_modules')], logLevel: 'warning', plugins: [deferredBuiltins] });
const floorUndici = path.join(prod, 'floor-undici.js');
fs.writeFileSync(floorUndici, `const fs = require('fs'), vm = require('vm'), Module = require('module');
for (const id of ${JSON.stringify(['node:zlib'])}.concat(require(${JSON.stringify(path.join(root, 'out/src/cli/v8Flags.js'))}).CHECK_BUILTINS)) require(id);
require('v8').setFlagsFromString('--liftoff-only');
const file = ${JSON.stringify(floorBundle)}, cacheFile = ${JSON.stringify(path.join(state, 'floor-undici.v8'))};
const bytes = fs.readFileSync(file);
let cachedData; try { cachedData = fs.readFileSync(cacheFile); } catch {}
const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData });
const mod = new Module(file, module); mod.filename = file;
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, ${JSON.stringify(prod)});
mod.exports().then(() => {
  if (!cachedData || script.cachedDataRejected) fs.writeFileSync(cacheFile, script.createCachedData());
  process.exit(0);
});
`);

// When the CLI calls process.exit(), in ms since the epoch: what follows is V8 and libuv winding down.
const exitStamp = path.join(prod, 'exit-stamp.js');
const exitFile = path.join(state, 'exit.txt');
fs.writeFileSync(exitStamp, `const exit = process.exit;
process.exit = (code) => { require('fs').writeFileSync(${JSON.stringify(exitFile)}, String(Date.now())); return exit(code); };
`);

const cpuFile = path.join(state, 'cpu.txt');
// perf's task-clock counts the child's CPU to the microsecond; /usr/bin/time only to 10 ms.
const perf = spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', '-o', cpuFile, '--', 'true']).status === 0;
/** The child's CPU time in ms, from what perf or /usr/bin/time wrote. */
function cpuOf(text) {
  if (perf) return Number(text.split('\n').find((l) => l.includes('task-clock')).split(',')[0]);
  const [user, sys] = text.trim().split('\n').pop().split(' ').map(Number);
  return (user + sys) * 1000;
}
/**
 * Async, so the fake server in this process keeps answering (spawnSync would block it). With
 * `cpu`, the child runs under perf stat (or /usr/bin/time) for its CPU time (user + system, every
 * thread), which on a shared machine says more than the wall clock does; without, it runs bare
 * for its wall time. Not both in one run: under perf stat a check took ~45 ms longer and the
 * node:http script ~20 ms, since perf's cost grows with a process's threads (libuv's pool, V8's
 * workers), so perf's wall times made our ratio look worse than it is.
 */
function run(args, runEnv = env, cmd = process.execPath, { cpu = false } = {}) {
  return new Promise((resolve) => {
    const t = performance.now();
    const started = Date.now();
    const [timer, ...timerArgs] = !cpu ? [cmd] : perf ? ['perf', 'stat', '-x,', '-e', 'task-clock', '-o', cpuFile, '--', cmd] : ['/usr/bin/time', '-f', '%U %S', '-o', cpuFile, cmd];
    execFile(timer, [...timerArgs, ...args], { env: runEnv, cwd: root, encoding: 'utf8' }, (err, stdout, stderr) => {
      const ms = performance.now() - t;
      const cpuMs = cpu ? cpuOf(fs.readFileSync(cpuFile, 'utf8')) : undefined;
      let exitAtMs;
      if (args.includes(exitStamp)) {
        exitAtMs = Number(fs.readFileSync(exitFile, 'utf8')) - started;
        fs.rmSync(exitFile);
      }
      resolve({ ms, cpuMs, status: err ? (err.code ?? 99) : 0, stdout, stderr, exitAtMs });
    });
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

/** Alternating runs of several commands; each must end with its expected status. */
async function alternate(cases) {
  const times = cases.map(() => []);
  const cpu = cases.map(() => []);
  const exits = cases.map(() => []);
  for (const c of cases) await run(c.args, c.env); // warm the file cache and the code cache
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of cases.entries()) {
      // Wall time from a bare run, CPU time from the next one under perf.
      const r = await run(c.args, c.env);
      const rc = await run(c.args, c.env, undefined, { cpu: true });
      for (const x of [r, rc]) if (x.status !== (c.status ?? 0)) throw new Error(`${c.args.join(' ')} exited ${x.status}:\n${x.stderr}`);
      times[k].push(r.ms);
      cpu[k].push(rc.cpuMs);
      if (r.exitAtMs !== undefined) exits[k].push(r.exitAtMs);
    }
  }
  return times.map((xs, k) => ({ ms: median(xs), spread: spread(xs), cpuMs: median(cpu[k]), exitAtMs: exits[k].length ? median(exits[k]) : undefined }));
}

const cli = path.join(prod, 'cli.js');
const check = [cli, 'check', '--json', '--force', '--state-dir', state];
const rows = [];
const row = (what, ours, ref, refName, goal) => rows.push({
  what,
  ours: `${ours.ms.toFixed(0)} ms (${ours.spread}); CPU ${ours.cpuMs.toFixed(0)} ms`,
  reference: `${refName}: ${ref.ms.toFixed(0)} ms (${ref.spread}); CPU ${ref.cpuMs.toFixed(0)} ms`,
  ratio: `${(ours.ms / ref.ms).toFixed(2)}× (CPU ${(ours.cpuMs / ref.cpuMs).toFixed(2)}×)`,
  goal,
});

log(`# CLI bench, ${runs} alternating runs; load average at the start: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
// A cold start once: no code cache yet (this run writes it).
fs.rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
const cold = await run(check);
fs.rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true });
const coldCpu = await run(check, env, undefined, { cpu: true });
for (const x of [cold, coldCpu]) if (x.status !== 0) throw new Error(`check failed:\n${x.stderr}`);

const [oursCheck, refCheck, bare, help, parsedOnly, uncached, timedExit, undiciDefault, undiciLiftoff, undiciFloor] = await alternate([
  { args: check },
  { args: [reference] },
  { args: ['-e', '0'] },
  { args: [cli, '--help'] },
  // The launcher reads it itself (no commander), loads dist/checkCommand.js, then stops at the
  // first flag check: exit 3.
  { args: [cli, 'check', '--format', 'none'], status: 3 },
  { args: check, env: noCache },
  { args: ['--require', exitStamp, ...check] },
  { args: [bareUndici] },
  { args: ['--liftoff-only', bareUndici] },
  { args: [floorUndici] },
]);
row(`\`check --json --force\`, 1 account, whole process, median of ${runs} alternating`, oursCheck, refCheck, 'node:http script, same 2 requests', '≤ 1.50×');
row('`--help`, whole process', help, bare, '`node -e 0`', 'never loads the HTTP stack');
const [history, bare2] = await alternate([{ args: [cli, 'history', '--json', '--state-dir', state] }, { args: ['-e', '0'] }]);
row('`history --json`, whole process', history, bare2, '`node -e 0`', 'never loads the HTTP stack');
row('`check` without the V8 code cache (LLM_BALANCE_NO_CODE_CACHE=1)', uncached, oursCheck, 'with it', 'the cache pays');
row('a bare undici script, same 2 requests, Liftoff only', undiciLiftoff, refCheck, 'node:http script', 'what undici alone costs');
row('undici at its fastest: that script bundled, V8 code cache, Liftoff, builtins first, process.exit()', undiciFloor, refCheck, 'node:http script', 'the floor for any check with undici');
row(`\`check --json --force\` against that floor`, oursCheck, undiciFloor, 'undici at its fastest', 'what the CLI adds to undici');

// Peak RSS (the child's own maxRSS, as the kernel counts it).
const peak = async (args) => {
  await run(['/usr/bin/time', '-f', '%M', '-o', `${cpuFile}.rss`, process.execPath, ...args], env, '/usr/bin/env');
  return Number(fs.readFileSync(`${cpuFile}.rss`, 'utf8').trim().split('\n').pop()) / 1024;
};
const rssMb = median([await peak(check), await peak(check), await peak(check)]);
const refRssMb = median([await peak([reference]), await peak([reference]), await peak([reference])]);
rows.push({ what: 'peak RSS of one CLI check (median of 3)', ours: `${rssMb.toFixed(1)} MB`, reference: `node:http script: ${refRssMb.toFixed(1)} MB`, ratio: `${(rssMb / refRssMb).toFixed(2)}×`, goal: 'printed' });

log(`# Where one check's time goes (medians of ${runs}, whole processes)`);
const step = (label, a, b) => log(`  ${label.padEnd(48)} ${(a.ms - (b?.ms ?? 0)).toFixed(0).padStart(4)} ms wall ${(a.cpuMs - (b?.cpuMs ?? 0)).toFixed(0).padStart(4)} ms CPU`);
step('node itself (node -e 0)', bare);
step('+ cli.js, its builtins, dist/checkCommand.js (exit 3)', parsedOnly, bare);
step('+ state, undici, 2 requests, save, output', oursCheck, parsedOnly);
step('= check', oursCheck);
step('(--help: cli.js and commander, above node)', help, bare);
log(`    of which after process.exit() (V8 and libuv winding down): ${(timedExit.ms - timedExit.exitAtMs).toFixed(0)} ms (exit called at ${timedExit.exitAtMs.toFixed(0)} ms of ${timedExit.ms.toFixed(0)})`);
step('the same check without the code cache', uncached);
step('the node:http reference', refCheck);
step('a bare undici script, V8 defaults', undiciDefault);
step('a bare undici script, Liftoff only', undiciLiftoff);
step('undici at its fastest (bundled, code cache, Liftoff)', undiciFloor);
log(`  the first run ever (writes the cache): ${cold.ms.toFixed(0)} ms wall, ${coldCpu.cpuMs.toFixed(0)} ms CPU`);
for (const f of fs.readdirSync(prod).filter((f) => f.endsWith('.js')).sort()) log(`  ${f.padEnd(22)} ${(fs.statSync(path.join(prod, f)).size / 1024).toFixed(0)} KB`);

await server.stop();
fs.rmSync(prod, { recursive: true, force: true });
fs.rmSync(state, { recursive: true, force: true });

log(`  load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
const scale = withScale ? spawnSync(process.execPath, [path.join(root, 'scripts/bench-scale.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }) : { status: 0, stdout: '' };
if (scale.status !== 0) throw new Error('scripts/bench-scale.mjs failed');
for (const r of rows) console.log(JSON.stringify(r));
process.stdout.write(scale.stdout);
