// `npm test`: the test host first (unit tests call promtool; the UI suites need code-server and
// chromium), then the unit and CLI tests on plain Node, the integration suite inside a real VS
// Code, the panel's webview in chromium, the end-to-end test through the UI, and the packaged
// VSIX installed into a fresh code-server. (`npm test` runs `pretest` first: `npm ci` when
// node_modules is missing or stale, the bundles in dist/, typecheck and lint.)
//
// The integration suite runs in desktop VS Code through @vscode/test-electron when
// VSCODE_EXECUTABLE names a VS Code binary; otherwise in code-server + headless chromium. It
// never skips: a VS Code that cannot be installed or started fails `npm test`. Every suite runs
// even when an earlier one failed, so one run shows every failure. The last line is always
// `total: N passed, N failed` (CI reads it); a skipped test counts as failed.
import { spawn, spawnSync } from 'node:child_process';

const started = Date.now();
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const timings = [];

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    console.log('total: 0 passed, 1 failed');
    process.exit(r.status || 1);
  }
}

/** Runs a command with its output passed through, and returns the output too. */
function runTee(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, out }));
  });
}

/** The last match of `re` in `text` as numbers, or undefined. */
function lastCounts(text, re) {
  const all = [...text.matchAll(re)];
  return all.length ? all[all.length - 1].slice(1).map((n) => Number(n ?? 0)) : undefined;
}

const mochaCounts = (out) => [
  lastCounts(out, /(\d+) passing/g)?.[0] ?? 0,
  lastCounts(out, /(\d+) failing/g)?.[0] ?? 0,
  lastCounts(out, /(\d+) pending/g)?.[0] ?? 0,
];
const closingCounts = (out) => lastCounts(out, /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm) ?? [0, 0, 0];

/** One suite: runs it, times it, and reads its counts; a run that failed without a failed test counts as one failure. */
const suites = [];
async function suite(name, cmd, args, counts) {
  const t = Date.now();
  const r = await runTee(cmd, args);
  const [passed, failed, skipped = 0] = counts(r.out);
  // A skipped test is a failure here: nothing may skip silently (a missing tool is installed or fails).
  const extra = r.code !== 0 && failed === 0 && skipped === 0 ? 1 : 0;
  if (skipped) console.error(`\n${name}: ${skipped} test(s) skipped, counted as failed`);
  suites.push({ name, passed, failed: failed + skipped + extra, skipped, code: skipped ? r.code || 1 : r.code });
  timings.push([name, secs(t)]);
}

let t = Date.now();
run('npx', ['tsc', '-p', '.', '--outDir', 'out']);
timings.push(['compile tests', secs(t)]);
t = Date.now();
run('bash', ['scripts/install-test-host.sh']);
timings.push(['test host', secs(t)]);

const color = process.stdout.isTTY ? ['--color'] : [];
await suite('unit', 'npx', ['mocha', ...color], mochaCounts);
if (process.env.VSCODE_EXECUTABLE) await suite('integration', 'node', ['scripts/run-integration-electron.mjs'], closingCounts);
else await suite('integration', 'node', ['scripts/run-integration.mjs'], closingCounts);
// The panel's webview bundle in Chromium: rendering, escaping, CSP, keyboard, themes.
await suite('webview', 'npx', ['mocha', '--no-config', '--timeout', '120000', 'out/test/webview/**/*.test.js'], mochaCounts);
// The real UI (F1, status bar, notifications, reload) in code-server.
await suite('end-to-end', 'node', ['scripts/e2e.mjs', '--no-build'], closingCounts);
// The VSIX as users install it.
await suite('vsix', 'node', ['scripts/vsix-test.mjs'], closingCounts);
// The UI in zh-CN (issue 16 item 5): palette, status bar, tooltip, toast and panel, with screenshots.
await suite('zh-CN', 'node', ['scripts/e2e-l10n.mjs', '--no-build'], closingCounts);

console.log('');
for (const [name, time] of timings) console.log(`${name} took ${time}`);
for (const s of suites) {
  console.log(`${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? ` (${s.skipped} of them skipped)` : ''}${s.code !== 0 ? ' (FAILED)' : ''}`);
}
console.log(`npm test took ${secs(started)}`);
const sum = (k) => suites.reduce((n, s) => n + s[k], 0);
console.log(`total: ${sum('passed')} passed, ${sum('failed')} failed`);
process.exit(suites.some((s) => s.code !== 0) ? 1 : 0);
