// Takes the walkthrough's pictures (media/walkthrough/*.png) from a real code-server workbench
// against the fake providers, and pictures of the alerts of issue 16 for people to look at
// (screenshots/alerts-*.png: the grouped toast, the status bar before and after Acknowledge,
// the walkthrough as a new user sees it). Fails when the walkthrough does not open on its own
// in a fresh profile without accounts, or when the grouped toast or the acknowledgement does not
// show — so the pictures are of what works.
//
//   flock /tmp/llmb-ui.lock node scripts/walkthrough-shots.mjs [--no-build] [--timeout SECONDS] [--log FILE]
//
// Its work folder, code-server, chromium and the fake providers belong to one HostSession
// (scripts/vscode-host.mjs): cleaned up at the end, on the time limit and on Ctrl-C.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import UPNG from 'upng-js';
import { HostSession, prepareHost, repoRoot } from './vscode-host.mjs';
import {
  clearNotifications, openExtensionWindow, openRouterCredits, padBox, runCommand, saveShot, showTooltip, startFakeProviders,
  statusBarClip, statusState, unionBox, waitUntil,
} from './workbench-ui.mjs';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '400' },
    log: { type: 'string', default: path.join(repoRoot, 'test-results', 'walkthrough-host.log') },
  },
});
const say = (s) => console.log(`[walkthrough] ${s}`);
const mediaDir = path.join(repoRoot, 'media', 'walkthrough');
const reviewDir = path.join(repoRoot, 'screenshots');
const logFile = path.resolve(args.log);
const session = new HostSession({ name: 'walk', logFile, timeoutMs: Number(args.timeout) * 1000 });
const VIEWPORT = { width: 1100, height: 720 };
const THEME = { scheme: 'dark', cls: 'vscode-theme-defaults-themes-dark_modern-json' };
const HOUR = 3_600_000;

let browser;
let fakeHandle;
let serverCount = 0;

/** Rewrites a PNG with a palette of 256 colours (about 2.5 times smaller for these pictures). */
function reduceTo256Colours(file) {
  const png = UPNG.decode(fs.readFileSync(file));
  const [rgba] = UPNG.toRGBA8(png);
  fs.writeFileSync(file, Buffer.from(UPNG.encode([rgba], png.width, png.height, 256)));
}

/** Saves a picture; walkthrough ones are reduced to 256 colours so the extension stays small. */
async function save(page, file, clip) {
  await saveShot(page, file, clip);
  if (file.startsWith(mediaDir)) reduceTo256Colours(file);
  say(`${path.relative(repoRoot, file)} (${Math.round(fs.statSync(file).size / 1024)} KiB)`);
}

async function startServer(settings, env, userDataDir) {
  const folder = session.folder(`workspace-${serverCount++}`);
  const server = await session.startCodeServer({ settings: { 'workbench.colorTheme': 'Default Dark Modern', ...settings }, env, ...(userDataDir ? { userDataDir } : {}) });
  return { server, folder };
}

const openWindow = (server, folder) => openExtensionWindow(browser, session, {
  url: server.url, folder, viewport: VIEWPORT, theme: THEME.scheme, deviceScaleFactor: 1, workbenchSelector: `.monaco-workbench.${THEME.cls}`,
});

const waitStatus = (item, pred, what) => waitUntil(async () => ((await pred(await statusState(item))) ? true : false), { timeoutMs: 30_000, what });

/** A fresh profile without accounts: the walkthrough opens by itself; the Add API Key picker. */
async function newUser() {
  const { server, folder } = await startServer({ 'llmBalance.accounts': [] }, {});
  const { context, page } = await openWindow(server, folder);
  try {
    const walk = page.locator('.gettingStartedContainer').filter({ hasText: 'Get started with LLM Balance' });
    await walk.first().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
      throw new Error('the walkthrough did not open on the first start without accounts');
    });
    say('the walkthrough opened by itself on the first start');
    await page.waitForTimeout(1500);
    await save(page, path.join(reviewDir, 'alerts-walkthrough-first-start.png'));
    // Each step of the walkthrough, before anything else: Escape (which the palette needs) leaves the walkthrough.
    for (const step of ['addKey', 'statusBar', 'panel', 'thresholds']) {
      const button = page.locator(`button.getting-started-step[data-step-id$="${step}"]`);
      const ids = await page.locator('button.getting-started-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id')));
      if ((await button.count()) === 0) throw new Error(`no walkthrough step "${step}" among ${ids.join(', ')}`);
      // A plain DOM click: the step list sits in a scrollable pane that Playwright's checks refuse.
      await button.first().evaluate((el) => el.click());
      await page.waitForTimeout(1500);
      await save(page, path.join(reviewDir, `alerts-walkthrough-${step}.png`));
    }
    await runCommand(page, 'LLM Balance: Add API Key');
    const picker = page.locator('.quick-input-widget');
    await picker.locator('.monaco-list-row').filter({ hasText: 'OpenRouter' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(500);
    await save(page, path.join(mediaDir, 'add-key.png'), padBox(await picker.boundingBox(), VIEWPORT, { x: 6, y: 6 }));
    await page.keyboard.press('Escape');
  } finally {
    await context.close();
  }
}

/** A week of $1 a day on OpenRouter, a top-up, and $15 gone since the last check: a spend spike. */
function seedHistory(userDataDir) {
  const now = Date.now();
  const points = [];
  for (let k = 7 * 24; k >= 1; k--) {
    const t = now - 70 * 60_000 - (k - 1) * HOUR;
    // $1 a day; a $20 top-up 2½ days ago.
    const balance = (k >= 60 ? 3 : 23) + k / 24;
    points.push([Math.round(t), Math.round(balance * 100) / 100, null, null, 'USD', 'ok']);
  }
  const file = path.join(userDataDir, 'User', 'globalStorage', 'llmbalance.llm-balance', 'history.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ version: 1, accounts: { 'env-openrouter': { label: 'OpenRouter (environment)', points } }, events: [] }));
}

/** Three accounts in trouble at once: one grouped toast; Acknowledge; tooltip, panel, settings. */
async function threeAccounts() {
  const { fake, url: F } = fakeHandle;
  openRouterCredits(fake, 10, 2);
  fake.route('GET', '/deepseek/user/balance', { body: { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: '52.30', granted_balance: '0.00', topped_up_balance: '52.30' }] } });
  fake.route('GET', '/novita/openapi/v1/billing/balance/detail', { body: { availableBalance: '32000', cashBalance: '32000', creditLimit: '0', pendingCharges: '0', outstandingInvoices: '0' } });
  const userDataDir = session.folder('ud-three');
  seedHistory(userDataDir);
  const { server, folder } = await startServer({ 'llmBalance.useEnvironmentKeys': true, 'llmBalance.accounts': [], 'llmBalance.budgetSteps': [50, 80, 95] }, {
    OPENROUTER_API_KEY: 'sk-test-walk-openrouter-0001', OPENROUTER_BASE_URL: `${F}/openrouter/api/v1`,
    DEEPSEEK_API_KEY: 'sk-test-walk-deepseek-0001', DEEPSEEK_BASE_URL: `${F}/deepseek`,
    NOVITA_API_KEY: 'sk-test-walk-novita-0001', NOVITA_BASE_URL: `${F}/novita`,
  }, userDataDir);
  const { context, page, item } = await openWindow(server, folder);
  try {
    await runCommand(page, 'Check LLM Balance');
    await waitStatus(item, (s) => /\+2/.test(s.text) && s.errorBackground, 'three accounts, highlighted');
    const group = page.locator('.notifications-toasts .notification-toast-container').filter({ hasText: 'accounts need attention' }).last();
    await group.waitFor({ state: 'visible', timeout: 30_000 });
    const toasts = await page.locator('.notifications-toasts .notification-toast-container .notification-list-item-message').allTextContents();
    say(`toasts: ${toasts.map((t) => `"${t.trim().slice(0, 90)}…"`).join(' ')}`);
    if (toasts.filter((t) => /^(WARNING|CRITICAL|UNUSUAL)/.test(t.trim())).length) throw new Error('single toasts beside the grouped one');
    await page.waitForTimeout(600);
    await save(page, path.join(reviewDir, 'alerts-group-toast.png'), padBox(await group.boundingBox(), VIEWPORT, { x: 8, y: 8 }));
    await save(page, path.join(reviewDir, 'alerts-status-highlighted.png'), await statusBarClip(page, item, VIEWPORT, 120));

    // The tooltip, for the walkthrough (hovering leaves the toast alone).
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Account' }).last();
    await showTooltip(page, item, hover, { viewport: VIEWPORT });
    // Cropped at the hover's top edge: the toast behind it is not part of the picture.
    const tip = unionBox(await hover.boundingBox(), await item.boundingBox());
    await save(page, path.join(mediaDir, 'status-bar.png'), { x: Math.max(0, tip.x - 10), y: tip.y, width: Math.min(VIEWPORT.width - Math.max(0, tip.x - 10), tip.width + 20), height: Math.min(VIEWPORT.height - tip.y, tip.height + 2) });
    // Off the item, without Escape: that would hide the toast whose Acknowledge comes next.
    await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 3);
    await page.waitForTimeout(400);

    await group.locator('.monaco-button').filter({ hasText: 'Acknowledge' }).first().click({ timeout: 10_000 });
    await waitStatus(item, (s) => !s.errorBackground && !s.warningBackground, 'the acknowledged status bar');
    await page.waitForTimeout(400);
    await save(page, path.join(reviewDir, 'alerts-status-acknowledged.png'), await statusBarClip(page, item, VIEWPORT, 120));
    await clearNotifications(page);

    await runCommand(page, 'LLM Balance: Show Balance History');
    // Webviews are laid over the editor from outside it, in an iframe of their own.
    await page.locator('iframe.webview').first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitUntil(async () => {
      for (const f of page.frames()) if (await f.locator('canvas').count().catch(() => 0)) return true;
      return false;
    }, { timeoutMs: 30_000, what: 'the panel to draw its charts' });
    await page.waitForTimeout(1500);
    await save(page, path.join(mediaDir, 'panel.png'), await page.locator('.part.editor').first().boundingBox());

    await runCommand(page, 'Preferences: Open User Settings');
    const search = page.locator('.settings-editor .suggest-input-container textarea, .settings-editor .suggest-input-container input').first();
    await search.waitFor({ state: 'visible', timeout: 15_000 });
    await search.fill('@ext:llmbalance.llm-balance');
    await page.waitForTimeout(2500);
    await save(page, path.join(mediaDir, 'thresholds.png'), await page.locator('.part.editor').first().boundingBox());
  } finally {
    await context.close();
  }
}

async function main() {
  prepareHost({ build: !args['no-build'], say });
  for (const d of [mediaDir, reviewDir]) fs.mkdirSync(d, { recursive: true });
  fakeHandle = await startFakeProviders(session);
  browser = await session.launchChromium();
  // The account pictures first: the walkthrough's own pictures come from them.
  await threeAccounts();
  await newUser();
}

const result = await session.run(main);
if (!result.ok) session.printFailure(result.error.stack ?? result.error.message, 30);
process.exit(result.ok ? 0 : 1);
