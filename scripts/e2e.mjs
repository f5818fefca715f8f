// End-to-end: the extension in a live VS Code (code-server, headless chromium via Playwright)
// driven through its UI, against the fake providers with OpenRouter at a warning-level balance
// ($8.00 left, warning threshold $10.00). F1 → "Check LLM Balance", read the status bar, see
// exactly one low-balance toast, reload the window, check again, and see no second toast — the
// dedupe record in globalState must survive the reload.
//
//   node scripts/e2e.mjs [--no-build] [--timeout SECONDS] [--log FILE] [--headed]
//
// By default builds first (npm run build, tsc -p . --outDir out) and installs or reuses the test
// host (scripts/install-test-host.sh); --no-build skips both (scripts/test.mjs has done them).
// Prints each step, then a closing line `N passed, N failed`; exits non-zero on any failure or
// timeout. Logs (code-server, the page's console) go to test-results/e2e-host.log, and on a
// failure a screenshot to test-results/e2e-failure.png.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkInstalled, launchChromium, readTail, repoRoot, startCodeServer, workbenchUrl } from './vscode-host.mjs';
import {
  openRouterCredits, readGlobalState, runCommand, startFakeProviders, statusItem, statusState, trackToasts, waitUntil,
} from './workbench-ui.mjs';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: process.env.LLMB_E2E_TIMEOUT ?? '240' },
    log: { type: 'string', default: path.join(repoRoot, 'test-results', 'e2e-host.log') },
    headed: { type: 'boolean', default: false },
  },
});

const t0 = Date.now();
const secs = (from = t0) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
const say = (s) => console.log(`[e2e] ${s}`);
const timeoutMs = Number(args.timeout) * 1000;
const logFile = path.resolve(args.log);
const failShot = path.join(path.dirname(logFile), 'e2e-failure.png');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-e2e-'));

const KEY = 'sk-test-e2e-0123456789abcdef';
const ACCOUNT_ID = 'env-openrouter';
const WARNING_TEXT = 'WARNING: OpenRouter (environment) balance low — $8.00 left (threshold $10.00)';
const LEDGER_KEY = `llmBalance.notified.${ACCOUNT_ID}.warning`;
// Generous but bounded: the workbench is usually up in ~10 s and a check takes well under 1 s.
const T = { workbench: 90_000, item: 60_000, check: 30_000, quiet: 4_000 };

let fakeHandle;
let server;
let browser;
let page;
let watchdog;
let cleaned = false;
const steps = [];

function log(line) {
  try { fs.appendFileSync(logFile, `[e2e ${new Date().toISOString().slice(11, 23)}] ${line}\n`); } catch { /* no log yet */ }
}

/** Runs one named step; a failure is recorded and ends the run (later steps depend on it). */
async function step(title, fn) {
  const s = Date.now();
  try {
    const detail = await fn();
    steps.push({ title, state: 'passed', ms: Date.now() - s });
    console.log(`  ✓ ${title} (${Date.now() - s} ms)${detail ? ` — ${detail}` : ''}`);
    log(`passed: ${title}${detail ? ` — ${detail}` : ''}`);
  } catch (e) {
    steps.push({ title, state: 'failed', ms: Date.now() - s, error: e });
    console.log(`  ✗ ${title} (${Date.now() - s} ms)`);
    log(`FAILED: ${title}: ${e.stack ?? e}`);
    throw e;
  }
}

async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  clearTimeout(watchdog);
  const withLimit = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(r, ms))]);
  if (browser) await withLimit(browser.close().catch(() => {}), 10_000);
  if (server) await withLimit(server.stop().catch(() => {}), 10_000);
  if (fakeHandle) await withLimit(fakeHandle.fake.stop().catch(() => {}), 5_000);
  fs.rmSync(work, { recursive: true, force: true });
}

function finish(failedReason) {
  const passed = steps.filter((s) => s.state === 'passed').length;
  let failed = steps.filter((s) => s.state === 'failed').length;
  if (failedReason) {
    if (failed === 0) failed = 1; // a failure outside any step (setup, watchdog) still counts
    console.error(`\n[e2e] FAILED: ${failedReason}`);
    const tail = readTail(logFile, 40);
    if (tail.trim()) console.error(`--- ${path.relative(process.cwd(), logFile) || logFile} (last lines) ---\n${tail}\n---`);
  }
  say(`run took ${secs()}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

function build() {
  for (const [cmd, cmdArgs] of [['npm', ['run', '--silent', 'build']], ['npx', ['tsc', '-p', '.', '--outDir', 'out']], ['bash', ['scripts/install-test-host.sh']]]) {
    const r = spawnSync(cmd, cmdArgs, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

async function main() {
  if (!args['no-build']) {
    say('building (npm run build, tsc) and checking the test host…');
    build();
  }
  const missing = checkInstalled();
  if (missing) throw new Error(`VS Code could not be started: ${missing}`);
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) throw new Error('no dist/extension.js: run npm run build');

  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, `# e2e run ${new Date().toISOString()}\n`);
  fs.rmSync(failShot, { force: true });
  const tStart = Date.now();

  fakeHandle = await startFakeProviders();
  const { fake, url: F } = fakeHandle;
  openRouterCredits(fake, 10, 2); // $8.00 left: below the $10 warning, above the $5 critical threshold
  const creditsPath = '/openrouter/api/v1/credits';

  const folder = path.join(work, 'workspace');
  fs.mkdirSync(folder, { recursive: true });
  server = await startCodeServer({
    settings: {
      'llmBalance.useEnvironmentKeys': true,
      'llmBalance.accounts': [],
      'window.autoDetectColorScheme': false,
      'workbench.colorTheme': 'Default Dark Modern',
    },
    env: { OPENROUTER_API_KEY: KEY, OPENROUTER_BASE_URL: `${F}/openrouter/api/v1` },
    logFile,
  });
  say(`fake providers on ${F}; code-server up at ${server.url} after ${secs(tStart)}`);

  browser = await launchChromium({ headless: !args.headed });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
  page = await context.newPage();
  page.on('console', (m) => log(`[page ${m.type()}] ${m.text().replace(/^%c\s*(\w+)\s+color: #\w+ /, '$1 ')}`));
  page.on('pageerror', (e) => log(`[pageerror] ${e.stack ?? e.message}`));
  const toasts = await trackToasts(page, (e) => log(`toast: ${e.text}`));
  const warnings = (from = 0) => toasts.since(from).filter((e) => e.text.startsWith(WARNING_TEXT));
  const summaries = (from = 0) => toasts.since(from).filter((e) => e.text.startsWith('LLM Balance: 1 account'));

  const url = workbenchUrl({ url: server.url, folder, extensionDevelopmentPath: repoRoot });
  let item;

  /** F1 → "Check LLM Balance"; resolves once the fake saw the request and the summary toast came. */
  const checkViaPalette = async () => {
    const hits = fake.hits(creditsPath).length;
    const summariesBefore = summaries().length;
    // VS Code shows at most three toasts at once; clear the earlier ones so the summary is one of them.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Check LLM Balance');
    await waitUntil(() => fake.hits(creditsPath).length > hits, { timeoutMs: T.check, what: 'the check to reach the fake OpenRouter' });
    const s = await waitUntil(() => summaries().slice(summariesBefore)[0], { timeoutMs: T.check, what: 'the check\'s summary toast ("LLM Balance: 1 account …")' });
    return s.text;
  };
  const expectWarningItem = async () => waitUntil(async () => {
    const st = await statusState(item);
    return st.text.includes('$8.00') && st.icons.includes('codicon-warning') && st.warningBackground ? st : false;
  }, { timeoutMs: T.check, what: 'the status bar to show $8.00 with the warning icon and background' });

  const tOpen = Date.now();
  await step('the workbench opens with the LLM Balance status bar item', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: T.workbench });
    await page.waitForSelector('.monaco-workbench', { timeout: T.workbench });
    item = await statusItem(page, T.item);
    return `after ${secs(tOpen)}: "${(await statusState(item)).text}"`;
  });

  await step('F1 → "Check LLM Balance" shows $8.00 with the warning icon in the status bar', async () => {
    const summary = await checkViaPalette();
    const st = await expectWarningItem();
    return `"${st.text}" [${st.icons.join(' ')}], background ${st.background}; ${summary}`;
  });

  await step('exactly one low-balance warning toast', async () => {
    // The startup poll may have raised it before the palette check; either way it is one toast.
    await waitUntil(() => warnings().length >= 1, { timeoutMs: T.check, what: `a toast starting "${WARNING_TEXT}"` });
    await page.waitForTimeout(T.quiet); // room for a wrongly repeated one to show up
    const w = warnings();
    if (w.length !== 1) throw new Error(`${w.length} warning toasts: ${JSON.stringify(w.map((e) => e.text))}`);
    return `"${w[0].text}"`;
  });

  await step('the dedupe record is in globalState (IndexedDB) before the reload', async () => {
    const g = await waitUntil(async () => {
      const r = await readGlobalState(page);
      return r?.state?.[LEDGER_KEY] ? r : false;
    }, { timeoutMs: 10_000, what: `${LEDGER_KEY} in the browser's storage` });
    return `${LEDGER_KEY} = ${g.state[LEDGER_KEY]} (in ${g.db})`;
  });

  const toastsBeforeReload = toasts.all.length;
  const hitsBeforeReload = fake.hits(creditsPath).length;
  const tReload = Date.now();
  await step('after reloading the window the status bar shows $8.00 again', async () => {
    await page.reload({ waitUntil: 'domcontentloaded', timeout: T.workbench });
    await page.waitForSelector('.monaco-workbench', { timeout: T.workbench });
    item = await statusItem(page, T.item);
    const st = await expectWarningItem();
    return `after ${secs(tReload)}: "${st.text}"`;
  });

  await step('the dedupe record survived the reload', async () => {
    const g = await readGlobalState(page);
    const v = g?.state?.[LEDGER_KEY];
    if (!v) throw new Error(`no ${LEDGER_KEY} after the reload; the extension's globalState is ${JSON.stringify(g?.state ?? null)}`);
    return `${LEDGER_KEY} = ${v}`;
  });

  await step('F1 → "Check LLM Balance" after the reload raises no new warning toast', async () => {
    const summary = await checkViaPalette();
    await expectWarningItem();
    await page.waitForTimeout(T.quiet);
    const again = warnings(toastsBeforeReload);
    if (again.length) throw new Error(`the warning was shown again after the reload: ${JSON.stringify(again.map((e) => e.text))}`);
    const checks = fake.hits(creditsPath).length - hitsBeforeReload;
    return `${checks} check(s) after the reload, ${summary}; warning toasts in total: ${warnings().length}`;
  });

  // The control: the silence above is the dedupe at work, not notifications broken after a reload.
  await step('after "Reset Notification State" the same check warns again', async () => {
    const from = toasts.all.length;
    await runCommand(page, 'LLM Balance: Reset Notification State');
    await waitUntil(async () => !(await readGlobalState(page))?.state?.[LEDGER_KEY], { timeoutMs: 10_000, what: `${LEDGER_KEY} to be cleared` });
    await checkViaPalette();
    const w = await waitUntil(() => warnings(from)[0], { timeoutMs: T.check, what: 'the warning toast after the reset' });
    return `"${w.text.slice(0, 60)}…"`;
  });
}

const onSignal = (sig) => {
  console.error(`\n[e2e] ${sig}: stopping`);
  void cleanup().finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

let failure;
try {
  await Promise.race([
    main(),
    new Promise((_, reject) => {
      watchdog = setTimeout(() => reject(new Error(`the run took longer than ${timeoutMs / 1000} s`)), timeoutMs);
    }),
  ]);
} catch (e) {
  failure = e.message?.split('\n')[0] ?? String(e);
  log(`failure: ${e.stack ?? e}`);
  if (page) await page.screenshot({ path: failShot, timeout: 5000 }).then(() => say(`screenshot of the failure: ${path.relative(process.cwd(), failShot)}`)).catch(() => {});
}
await cleanup();
process.exit(finish(failure));
