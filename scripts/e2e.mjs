// End-to-end: the extension in a live VS Code (code-server, headless chromium via Playwright)
// driven through its UI, against the fake providers with OpenRouter at a warning-level balance
// ($8.00 left, warning threshold $10.00). F1 → "Check LLM Balance", read the status bar and its
// summary message, see exactly one low-balance notification, reload the window, check again, and
// see no second one — the dedupe record in globalState must survive the reload — then "Reset
// Notification State" and see it warn again (the control).
//
//   node scripts/e2e.mjs [--no-build] [--repeat N] [--timeout SECONDS] [--log FILE] [--headed]
//
// By default builds first (npm run build, tsc -p . --outDir out) and installs or reuses the test
// host (scripts/install-test-host.sh); --no-build skips both (scripts/test.mjs has done them).
// --repeat N runs the whole test N times in fresh VS Code profiles and prints how many runs passed
// (a measure of stability: a flaky step is a bug, there are no retries). --timeout is per run.
// Prints each step, then a closing line `N passed, N failed` (steps, over all runs); exits
// non-zero on any failure or timeout. Logs (code-server, the page's console, every toast) go to
// test-results/e2e-host.log (e2e-host.<run>.log with --repeat), and on a failure a screenshot
// next to it.
//
// It waits on state, never on a toast alone: the fake server's request count, the status bar
// item, the status bar's summary message, the notification center (which lists what is queued
// behind the three toasts VS Code shows at most) and the extension's globalState in IndexedDB.
// The host's own unrelated notifications (marketplace lookups failing offline, …) are logged and
// otherwise ignored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { HostSession, prepareHost, repoRoot, workbenchUrl } from './vscode-host.mjs';
import {
  notificationCenter, openRouterCredits, readGlobalState, runCommand, startFakeProviders, statusBarMessages, statusItem,
  statusState, trackToasts, waitUntil,
} from './workbench-ui.mjs';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
    timeout: { type: 'string', default: process.env.LLMB_E2E_TIMEOUT ?? '240' },
    log: { type: 'string', default: path.join(repoRoot, 'test-results', 'e2e-host.log') },
    headed: { type: 'boolean', default: false },
  },
});

const repeat = Number(args.repeat);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`[e2e] --repeat wants a whole number ≥ 1, not "${args.repeat}"`);
  process.exit(2);
}
const t0 = Date.now();
const secs = (from = t0) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
const say = (s) => console.log(`[e2e] ${s}`);
const timeoutMs = Number(args.timeout) * 1000;

const KEY = 'sk-test-e2e-0123456789abcdef';
const ACCOUNT_ID = 'env-openrouter';
const WARNING_TEXT = 'WARNING: OpenRouter (environment) balance low — $8.00 left (threshold $10.00)';
const SUMMARY = /^LLM Balance: 1 account · \$8\.00 · 1 warning$/;
const LEDGER_KEY = `llmBalance.notified.${ACCOUNT_ID}.warning`;
const CREDITS_PATH = '/openrouter/api/v1/credits';
// Generous but bounded: the workbench is usually up in ~10 s and a check takes well under 1 s.
// `summaryGone`: the previous check's status bar message lasts 10 s (SUMMARY_STATUS_MS).
const T = { workbench: 90_000, item: 60_000, check: 30_000, quiet: 4_000, summaryGone: 20_000 };

/** One whole end-to-end run in a fresh profile; resolves to its session (with its steps) and the run's result. */
async function runOnce(logFile) {
  const session = new HostSession({ name: 'e2e', logFile, timeoutMs });
  let page;
  session.screenshotOnFailure(logFile.replace(/\.log$/, '') + '-failure.png', () => page);
  // A failed step ends the run: the later ones build on it.
  const step = (title, fn) => session.step(title, fn);

  const result = await session.run(async (s) => {
    const tStart = Date.now();
    const { fake, url: F } = await startFakeProviders(s);
    openRouterCredits(fake, 10, 2); // $8.00 left: below the $10 warning, above the $5 critical threshold

    const folder = s.folder();
    const server = await s.startCodeServer({
      settings: {
        'llmBalance.useEnvironmentKeys': true,
        'llmBalance.accounts': [],
        'window.autoDetectColorScheme': false,
        'workbench.colorTheme': 'Default Dark Modern',
      },
      env: { OPENROUTER_API_KEY: KEY, OPENROUTER_BASE_URL: `${F}/openrouter/api/v1` },
    });
    say(`fake providers on ${F}; code-server up at ${server.url} after ${secs(tStart)}`);

    const browser = await s.launchChromium({ headless: !args.headed });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
    page = await context.newPage();
    s.logPage(page);
    const toasts = await trackToasts(page, (e) => s.log(`toast: ${e.text}`));
    const warningToasts = (from = 0) => toasts.since(from).filter((e) => e.text.startsWith(WARNING_TEXT));
    const centerWarnings = async () => (await notificationCenter(page)).filter((t) => t.startsWith(WARNING_TEXT));

    const url = workbenchUrl({ url: server.url, folder, extensionDevelopmentPath: repoRoot });
    let item;

    /** F1 → "Check LLM Balance"; resolves once the fake saw the request and the summary is in the status bar. */
    const checkViaPalette = async () => {
      // The summary of an earlier check may still be up: wait for it to go, so the one we see is this check's.
      await waitUntil(async () => (await statusBarMessages(page, SUMMARY)).length === 0, { timeoutMs: T.summaryGone, what: 'the previous summary to leave the status bar' });
      const hits = fake.hits(CREDITS_PATH).length;
      const toastsBefore = toasts.all.length;
      await runCommand(page, 'Check LLM Balance');
      await waitUntil(() => fake.hits(CREDITS_PATH).length > hits, { timeoutMs: T.check, what: 'the check to reach the fake OpenRouter' });
      const [summary] = await waitUntil(() => statusBarMessages(page, SUMMARY).then((m) => (m.length ? m : false)), { timeoutMs: T.check, what: `the check's summary in the status bar (${SUMMARY})` });
      const ownToast = toasts.since(toastsBefore).find((e) => e.text.startsWith('LLM Balance: 1 account'));
      if (ownToast) throw new Error(`the check put its summary in a toast as well: "${ownToast.text}"`);
      return summary;
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

    await step('F1 → "Check LLM Balance" shows $8.00 with the warning icon, and its summary in the status bar', async () => {
      const summary = await checkViaPalette();
      const st = await expectWarningItem();
      return `"${st.text}" [${st.icons.join(' ')}], background ${st.background}; "${summary}"`;
    });

    await step('exactly one low-balance warning notification', async () => {
      // The startup poll may have raised it before the palette check; either way it is one.
      await waitUntil(async () => (await centerWarnings()).length >= 1, { timeoutMs: T.check, what: `a notification starting "${WARNING_TEXT}"` });
      await page.waitForTimeout(T.quiet); // room for a wrongly repeated one to show up
      const listed = await centerWarnings();
      if (listed.length !== 1) throw new Error(`${listed.length} warnings in the notification center: ${JSON.stringify(listed)}`);
      if (warningToasts().length > 1) throw new Error(`${warningToasts().length} warning toasts: ${JSON.stringify(warningToasts().map((e) => e.text))}`);
      return `"${listed[0]}"`;
    });

    await step('the dedupe record is in globalState (IndexedDB) before the reload', async () => {
      const g = await waitUntil(async () => {
        const r = await readGlobalState(page);
        return r?.state?.[LEDGER_KEY] ? r : false;
      }, { timeoutMs: 10_000, what: `${LEDGER_KEY} in the browser's storage` });
      return `${LEDGER_KEY} = ${g.state[LEDGER_KEY]} (in ${g.db})`;
    });

    const toastsBeforeReload = toasts.all.length;
    const hitsBeforeReload = fake.hits(CREDITS_PATH).length;
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

    await step('F1 → "Check LLM Balance" after the reload raises no new warning', async () => {
      const summary = await checkViaPalette();
      await expectWarningItem();
      await page.waitForTimeout(T.quiet);
      const again = [...warningToasts(toastsBeforeReload).map((e) => e.text), ...(await centerWarnings())];
      if (again.length) throw new Error(`the warning was shown again after the reload: ${JSON.stringify(again)}`);
      const checks = fake.hits(CREDITS_PATH).length - hitsBeforeReload;
      return `${checks} check(s) after the reload, "${summary}"; warning toasts in total: ${warningToasts().length}`;
    });

    // The control: the silence above is the dedupe at work, not notifications broken after a reload.
    await step('after "Reset Notification State" the same check warns again', async () => {
      await runCommand(page, 'LLM Balance: Reset Notification State');
      await waitUntil(async () => !(await readGlobalState(page))?.state?.[LEDGER_KEY], { timeoutMs: 10_000, what: `${LEDGER_KEY} to be cleared` });
      await checkViaPalette();
      const [w] = await waitUntil(async () => {
        const listed = await centerWarnings();
        return listed.length ? listed : false;
      }, { timeoutMs: T.check, what: 'the warning in the notification center after the reset' });
      return `"${w.slice(0, 60)}…"`;
    });
  });

  return { result, session };
}

let missing;
try {
  prepareHost({ build: !args['no-build'], say });
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) missing = 'no dist/extension.js: run npm run build';
} catch (e) {
  missing = e.message;
}
if (missing) {
  console.error(`\n[e2e] FAILED: VS Code could not be started: ${missing}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const logBase = path.resolve(args.log);
let passedSteps = 0;
let failedSteps = 0;
let passedRuns = 0;
for (let i = 1; i <= repeat; i++) {
  const logFile = repeat === 1 ? logBase : logBase.replace(/(\.log)?$/, `.${i}.log`);
  if (repeat > 1) say(`run ${i} of ${repeat}`);
  const tRun = Date.now();
  const { result, session } = await runOnce(logFile);
  const { passed: p, failed: f } = session.stepCounts(result);
  if (!result.ok) session.printFailure(result.error.message.split('\n')[0]);
  else passedRuns++;
  passedSteps += p;
  failedSteps += f;
  say(`run ${repeat > 1 ? `${i} ` : ''}took ${secs(tRun)}: ${p} passed, ${f} failed`);
}
if (repeat > 1) say(`${passedRuns} of ${repeat} runs passed in ${secs()}`);
console.log(`${passedSteps} passed, ${failedSteps} failed`);
process.exit(failedSteps ? 1 : 0);
