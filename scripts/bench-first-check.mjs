// Issue 14's first-check figure, in the real extension host (code-server): the main thread's
// time for a window's first check of 10 accounts — require of the engine plus every moment the
// event loop was busy until the results were in — with the checks in the worker (ours) and,
// alternating in the same run, in the main thread as before (reference). Production bundles;
// the fake providers answer from this process, so they cost the extension host nothing.
//
//   node scripts/bench-first-check.mjs [runs] [--profile DIR] [--baseline REV]   (default 7 of each; needs `npm run build` + tsc out)
//
// --baseline REV also measures the worker way of git revision REV's production build (e.g. main),
// alternating with ours in the same extension host: a before/after that one machine's load
// cannot tilt.
//
// --profile DIR writes a CPU profile of the extension host's main thread for each worker-way run
// (open it in Chrome DevTools or VS Code), of unminified bundles; the sampling slows those runs, so
// no rows are printed.
//
// Human text on stderr; the table's rows as JSON lines on stdout, last (scripts/bench.mjs reads them).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { values: opts, positionals } = parseArgs({ allowPositionals: true, options: { profile: { type: 'string' }, baseline: { type: 'string' } } });
const runs = Number(positionals[0] ?? 7);
const profileDir = opts.profile ? path.resolve(opts.profile) : undefined;
if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
const say = (s) => process.stderr.write(`[bench-first-check] ${s}\n`);
const GOAL_MS = 20;

const prod = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-bench-first-'));
// Profiled runs use the unminified bundles, whose functions and modules a profile can name.
const built = spawnSync('node', ['esbuild.mjs', ...(profileDir ? [] : ['--production']), `--outdir=${path.join(prod, 'dist')}`], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (built.status !== 0) throw new Error('the production build failed');
let baselineDist;
if (opts.baseline) {
  // The revision's sources beside this checkout's node_modules, built the same way.
  const src = path.join(prod, 'baseline-src');
  fs.mkdirSync(src);
  const tar = spawnSync('sh', ['-c', `git archive --format=tar "$0" | tar -x -C "$1"`, opts.baseline, src], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (tar.status !== 0) throw new Error(`git archive ${opts.baseline} failed`);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(src, 'node_modules'));
  baselineDist = path.join(prod, 'baseline-dist');
  const b = spawnSync('node', ['esbuild.mjs', '--production', `--outdir=${baselineDist}`], { cwd: src, stdio: ['ignore', 'inherit', 'inherit'] });
  if (b.status !== 0) throw new Error(`the production build of ${opts.baseline} failed`);
}
const testsPath = path.join(root, 'out/test/bench/firstCheck.js');
if (!fs.existsSync(testsPath)) throw new Error(`no ${testsPath}: compile first (npx tsc -p . --outDir out)`);

const { FakeProviderServer } = require(path.join(root, 'out/test/fake/server.js'));
const server = new FakeProviderServer();
await server.start();
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const outFile = path.join(results, 'bench-first-check.json');
fs.rmSync(outFile, { force: true });
fs.writeFileSync(path.join(results, 'bench-first-check.config.json'), JSON.stringify({ dist: path.join(prod, 'dist'), url: server.url, key: 'sk-test-bench-first-check-0123456789', runs, profileDir, baselineDist }));

// Async, so that this process's fake server keeps answering; one code-server run at a time on the machine.
const log = path.join(results, 'bench-first-check.log');
say(`code-server run (${runs} alternating runs of each way; waiting for /tmp/llmb-ui.lock)`);
const code = await new Promise((resolve) => {
  const child = spawn('flock', ['/tmp/llmb-ui.lock', 'node', 'scripts/run-integration.mjs', '--tests', testsPath, '--log', log, '--timeout', '420'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (c) => resolve(c));
});
await server.stop();
fs.rmSync(prod, { recursive: true, force: true });
const data = fs.existsSync(outFile) ? JSON.parse(fs.readFileSync(outFile, 'utf8')) : undefined;
if (code !== 0 || !data || data.error) {
  say(`not measured: ${data?.error ?? `run-integration exited ${code}`} (see ${path.relative(root, log)})`);
  process.exit(1);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const spread = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
const of = (way, k) => data.samples.filter((s) => s.way === way).map((s) => s[k]);
const ours = of('worker', 'mainThreadMs');
const ref = of('inThread', 'mainThreadMs');
const oursReq = of('worker', 'requireMs');
const refReq = of('inThread', 'requireMs');
say(`VS Code ${data.vscodeVersion}, ${runs} runs each, main-thread ms per first check of 10 accounts:`);
say(`  worker     ${ours.map((x) => x.toFixed(1)).join(' ')}  (require ${oursReq.map((x) => x.toFixed(1)).join(' ')}; wall ${of('worker', 'wallMs').map((x) => x.toFixed(0)).join(' ')})`);
say(`  in-thread  ${ref.map((x) => x.toFixed(1)).join(' ')}  (require ${refReq.map((x) => x.toFixed(1)).join(' ')}; wall ${of('inThread', 'wallMs').map((x) => x.toFixed(0)).join(' ')})`);
const idle = of('idle', 'mainThreadMs');
// Run 0's pair: the worker way went first, so its Worker start, crypto and the rest were cold; the in-thread way second.
const cold = { worker: ours[0], inThread: ref[0] };
say(`  idle       ${idle.map((x) => x.toFixed(1)).join(' ')}  (the host's own activity over as long as each worker run took)`);
if (profileDir) {
  say(`profiled runs (slowed by the sampling, so not reported as figures): ${fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).length} profiles in ${profileDir}`);
  process.exit(0);
}
const rows = [
  {
    what: `first check, 10 accounts: extension-host main-thread time, require + checks (code-server, median of ${runs}, alternating)`,
    ours: `${median(ours).toFixed(1)} ms (${spread(ours)}), checks in a worker`,
    reference: `${median(ref).toFixed(1)} ms (${spread(ref)}), checks in the main thread`,
    ratio: `${(median(ours) / median(ref)).toFixed(2)}×`,
    goal: `≤ ${GOAL_MS} ms: ${median(ours) <= GOAL_MS ? 'met' : 'missed'}`,
  },
  {
    what: 'the coldest first check of the run (run 1: worker way first, nothing of it loaded before in this host)',
    ours: `${cold.worker.toFixed(1)} ms`,
    reference: `${cold.inThread.toFixed(1)} ms (second, so partly warm)`,
    ratio: `${(cold.worker / cold.inThread).toFixed(2)}×`,
    goal: `≤ ${GOAL_MS} ms: ${cold.worker <= GOAL_MS ? 'met' : 'missed'}`,
  },
  {
    what: 'of which require of the engine on the main thread (engine-main.js vs engine-main.js + engine.js)',
    ours: `${median(oursReq).toFixed(1)} ms (${spread(oursReq)})`,
    reference: `${median(refReq).toFixed(1)} ms (${spread(refReq)})`,
    ratio: `${(median(oursReq) / median(refReq)).toFixed(2)}×`,
    goal: '—',
  },
  {
    what: 'the extension host\'s own activity over as long as a worker run took (no check), included in both figures above',
    ours: `${median(idle).toFixed(1)} ms (${spread(idle)})`,
    reference: '—',
    ratio: '—',
    goal: '—',
  },
];
if (baselineDist) {
  const base = of('baseline', 'mainThreadMs');
  say(`  baseline   ${base.map((x) => x.toFixed(1)).join(' ')}  (require ${of('baseline', 'requireMs').map((x) => x.toFixed(1)).join(' ')}; ${opts.baseline}, worker way)`);
  rows.push({
    what: `first check, 10 accounts, main-thread time: this build against ${opts.baseline}'s, alternating in one extension host`,
    ours: `${median(ours).toFixed(1)} ms (${spread(ours)})`,
    reference: `${median(base).toFixed(1)} ms (${spread(base)}), ${opts.baseline}`,
    ratio: `${(median(ours) / median(base)).toFixed(2)}×`,
    goal: '< 1.00×',
  });
}
for (const r of rows) console.log(JSON.stringify(r));
