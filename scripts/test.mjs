// `npm test`: unit and CLI tests on plain Node, then the integration suite inside a real VS Code.
// (`npm test` runs `pretest` first: the bundles in dist/, typecheck and lint.)
//
// The integration suite runs in desktop VS Code through @vscode/test-electron when
// VSCODE_EXECUTABLE names a VS Code binary; otherwise in code-server + headless chromium,
// which scripts/install-test-host.sh installs (or finds already installed) first. It never
// skips: a VS Code that cannot be installed or started fails `npm test`.
import { spawn, spawnSync } from 'node:child_process';

const started = Date.now();
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
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

run('npx', ['tsc', '-p', '.', '--outDir', 'out']);

const color = process.stdout.isTTY ? ['--color'] : [];
let t = Date.now();
const unit = await runTee('npx', ['mocha', ...color]);
if (unit.code !== 0) {
  console.error(`\nUnit tests failed (exit ${unit.code}).`);
  process.exit(unit.code || 1);
}
const [uPassed = 0, uFailed = 0, uPending = 0] = [
  lastCounts(unit.out, /(\d+) passing/g)?.[0],
  lastCounts(unit.out, /(\d+) failing/g)?.[0],
  lastCounts(unit.out, /(\d+) pending/g)?.[0],
];
console.log(`unit tests took ${secs(t)}`);

t = Date.now();
let integration;
if (process.env.VSCODE_EXECUTABLE) {
  integration = await runTee('node', ['scripts/run-integration-electron.mjs']);
} else {
  run('bash', ['scripts/install-test-host.sh']);
  integration = await runTee('node', ['scripts/run-integration.mjs']);
}
const [iPassed = 0, iFailed = 0, iSkipped = 0] =
  lastCounts(integration.out, /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm) ?? [];
console.log(`integration tests took ${secs(t)}`);

// The panel's webview bundle in Chromium: rendering, escaping, CSP, keyboard, themes.
t = Date.now();
if (process.env.VSCODE_EXECUTABLE) run('bash', ['scripts/install-test-host.sh']);
const web = await runTee('npx', ['mocha', '--no-config', '--timeout', '120000', 'out/test/webview/**/*.test.js']);
const wPassed = lastCounts(web.out, /(\d+) passing/g)?.[0] ?? 0;
const wFailed = lastCounts(web.out, /(\d+) failing/g)?.[0] ?? 0;
console.log(`webview tests took ${secs(t)}`);

// The end-to-end test drives the real UI (F1, status bar, toasts, reload) in code-server.
t = Date.now();
const e2e = await runTee('node', ['scripts/e2e.mjs', '--no-build']);
const [ePassed = 0, eFailed = 0] = lastCounts(e2e.out, /^(\d+) passed, (\d+) failed/gm) ?? [];
console.log(`end-to-end test took ${secs(t)}`);

const skipped = uPending + iSkipped;
const failedRuns = (integration.code !== 0 && iFailed === 0 ? 1 : 0) + (e2e.code !== 0 && eFailed === 0 ? 1 : 0) + (web.code !== 0 && wFailed === 0 ? 1 : 0);
console.log(`\nunit: ${uPassed} passed, ${uFailed} failed${uPending ? `, ${uPending} skipped` : ''}`);
console.log(`integration: ${iPassed} passed, ${iFailed} failed${iSkipped ? `, ${iSkipped} skipped` : ''}${integration.code !== 0 ? ' (FAILED)' : ''}`);
console.log(`webview: ${wPassed} passed, ${wFailed} failed${web.code !== 0 ? ' (FAILED)' : ''}`);
console.log(`end-to-end: ${ePassed} passed, ${eFailed} failed${e2e.code !== 0 ? ' (FAILED)' : ''}`);
console.log(`npm test took ${secs(started)}`);
console.log(`total: ${uPassed + iPassed + wPassed + ePassed} passed, ${uFailed + iFailed + wFailed + eFailed + failedRuns} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit([integration.code, web.code, e2e.code].find((c) => c !== 0) ?? 0);
