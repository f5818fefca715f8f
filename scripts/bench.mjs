// `npm run bench`: issue 14's side-by-side table, one row per goal. Prints numbers; asserts nothing.
//
// Each row comes from a script that prints it as a JSON line {what, ours, reference, ratio, goal}
// on stdout (human text on stderr, passed through). A script that is missing, fails, or prints
// no row leaves its rows as "not measured (…)": never a made-up number. Scripts that start
// code-server or Chromium run under `flock /tmp/llmb-ui.lock`, so one such run at a time on the
// machine (set LLMB_UI_LOCK_HELD=1 if you already hold the lock; do not wrap this in flock).
// The load average is printed with the table: a busy machine gives slower, noisier numbers.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UI_LOCK = '/tmp/llmb-ui.lock';
const say = (s) => console.error(`[bench] ${s}`);

/** The scripts and the rows each one owns, with issue 14's goal for each (for the placeholders). */
const SCRIPTS = [
  { file: 'scripts/bench-activation.mjs', ui: true, rows: [['VS Code\'s "Activation" figure vs a floor extension (one status bar item)', '≤ 1.25× the floor']] },
  // It takes /tmp/llmb-ui.lock itself around its code-server run: wrapping it again would deadlock.
  { file: 'scripts/bench-first-check.mjs', ui: false, rows: [['first check, 10 accounts: extension-host main-thread time (require + CPU)', '≤ 20 ms']] },
  {
    file: 'scripts/bench-cli.mjs', ui: false, rows: [
      ['`llm-balance check --json --force`, 1 account, whole process', '≤ 1.5× a node:http script'],
      ['`llm-balance --help`, whole process', 'never loads the HTTP stack'],
      ['`llm-balance history`, whole process', 'never loads the HTTP stack'],
      ['peak RSS of one CLI check', 'printed'],
      ['200 accounts checked at once', '≈ the slowest provider + 50 ms'],
    ],
  },
  { file: 'scripts/bench-memory.mjs', ui: false, rows: [['a simulated month of polling, 10 accounts every minute: heap growth', '< 5 MB']] },
  {
    file: 'scripts/bench-panel-vscode.mjs', ui: true, rows: [
      ['panel, 10 accounts × 90 days, in code-server: cards painted after navigation start', '≤ 200 ms'],
      ['panel, 10 accounts × 90 days, in code-server: every chart drawn after navigation start', '≤ 400 ms'],
    ],
  },
];

/** The JSON rows a script printed on stdout. */
function rowsFrom(stdout) {
  const out = [];
  for (const line of stdout.split('\n')) {
    const s = line.trim();
    if (!s.startsWith('{')) continue;
    try {
      const r = JSON.parse(s);
      if (r && typeof r.what === 'string' && 'ours' in r) out.push(r);
    } catch { /* human text */ }
  }
  return out;
}

function runScript({ file, ui }) {
  const args = [file];
  const locked = ui && !process.env.LLMB_UI_LOCK_HELD;
  const cmd = locked ? 'flock' : process.execPath;
  const argv = locked ? [UI_LOCK, process.execPath, ...args] : args;
  const env = ui ? { ...process.env, LLMB_UI_LOCK_HELD: '1' } : process.env;
  const t = Date.now();
  const r = spawnSync(cmd, argv, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  // Whatever the script printed besides its rows is for people: keep it, on stderr.
  const human = (r.stdout ?? '').split('\n').filter((l) => l.trim() && !rowsFrom(l).length);
  if (human.length) console.error(human.join('\n'));
  say(`${file}: exit ${r.status ?? r.signal} after ${((Date.now() - t) / 1000).toFixed(0)} s`);
  return { status: r.status, error: r.error, rows: rowsFrom(r.stdout ?? '') };
}

const cell = (v) => String(v ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = [];
const started = new Date();
const loads = [os.loadavg()[0]];

say('install or reuse the test host (code-server, chromium)');
const host = spawnSync('bash', ['scripts/install-test-host.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (host.status !== 0) say('the test host could not be installed: the code-server rows will say why');

for (const script of SCRIPTS) {
  if (!fs.existsSync(path.join(root, script.file))) {
    for (const [what, goal] of script.rows) table.push([what, `not measured (${script.file} missing)`, '—', '—', goal]);
    continue;
  }
  say(`running ${script.file}${script.ui ? ` (under flock ${UI_LOCK})` : ''}`);
  const r = runScript(script);
  loads.push(os.loadavg()[0]);
  if (r.rows.length === 0) {
    const why = r.error ? r.error.message : r.status !== 0 ? `${script.file} failed, exit ${r.status}` : `${script.file} printed no row`;
    for (const [what, goal] of script.rows) table.push([what, `not measured (${why})`, '—', '—', goal]);
    continue;
  }
  for (const row of r.rows) table.push([row.what, row.ours, row.reference ?? '—', row.ratio ?? '—', row.goal ?? '—']);
}

console.log(`\n# Issue 14, side by side (${started.toISOString().slice(0, 16)}Z, ${os.cpus().length} CPUs, 1-min load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} while measuring)\n`);
console.log('| what | ours | reference, same run | ratio | goal |\n|---|---|---|---|---|');
for (const r of table) console.log(`| ${r.map(cell).join(' | ')} |`);
