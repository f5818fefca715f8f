// Screenshots of the extension's UI for people to look at (no assertions): the status bar item,
// its tooltip and the notification toasts, in Default Dark Modern and Default Light Modern, in
// these states: warning ($8.00 left), critical ($3.50 left), key missing (an account from
// settings without a stored key), and several accounts at once (every level, an error, a CNY
// balance). Runs the extension in code-server + headless chromium against the fake providers.
//
//   node scripts/screenshots.mjs [--no-build] [--out DIR] [--theme dark|light] [--timeout SECONDS] [--log FILE]
//
//   --no-build          skip `npm run build`, `tsc` and the test-host install (already done)
//   --out DIR           where the PNGs go (default screenshots/, git-ignored)
//   --theme dark|light  only one of the two themes (default both)
//   --timeout SECONDS   limit for the whole run (default 600); on it, everything is stopped
//   --log FILE          code-server's and the page's log (default test-results/screenshots-host.log)
//
// Wrap it in `flock /tmp/llmb-ui.lock …` on shared machines. The work folder, code-server,
// chromium and the fake providers belong to one HostSession (scripts/vscode-host.mjs): cleaned
// up at the end, on the time limit and on Ctrl-C.
// Writes PNGs (device scale 2) into screenshots/ (git-ignored) and prints, per picture, what the
// status bar showed and the contrast of its text. Exits non-zero only when it could not take them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { HostSession, prepareHost, repoRoot } from './vscode-host.mjs';
import {
  clearNotifications, hideTooltip, openExtensionWindow, openRouterCredits, padBox, runCommand, saveShot, showTooltip, startFakeProviders,
  statusBarClip, statusItem, statusState, unionBox, waitUntil,
} from './workbench-ui.mjs';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(repoRoot, 'screenshots') },
    theme: { type: 'string' },
    timeout: { type: 'string', default: '600' },
    log: { type: 'string', default: path.join(repoRoot, 'test-results', 'screenshots-host.log') },
  },
});
const t0 = Date.now();
const secs = (from = t0) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
const say = (s) => console.log(`[screenshots] ${s}`);
const outDir = path.resolve(args.out);
const logFile = path.resolve(args.log);
const session = new HostSession({ name: 'shots', logFile, timeoutMs: Number(args.timeout) * 1000 });
const THEMES = [
  // `cls`: the class the workbench gets once the theme is applied (before that it is plain `vs`).
  { name: 'dark', scheme: 'dark', theme: 'Default Dark Modern', cls: 'vscode-theme-defaults-themes-dark_modern-json' },
  { name: 'light', scheme: 'light', theme: 'Default Light Modern', cls: 'vscode-theme-defaults-themes-light_modern-json' },
].filter((t) => !args.theme || t.name === args.theme);
const VIEWPORT = { width: 1280, height: 800 };
const T = { workbench: 90_000, item: 60_000, state: 30_000 };
const KEYS = { openrouter: 'sk-test-shots-openrouter-0001' };

let fakeHandle;
let browser;
let serverCount = 0;
const taken = [];

// --- colour contrast (WCAG) of the status bar text --------------------------------------------
function rgb(css) {
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(css ?? '');
  return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : undefined;
}
function contrast(fg, bg) {
  const lum = ({ r, g, b }) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

async function describeItem(page, item) {
  const st = await statusState(item);
  let bg = rgb(st.background);
  if (!bg || bg.a === 0) bg = rgb(await page.locator('#workbench\\.parts\\.statusbar, .part.statusbar').first().evaluate((el) => getComputedStyle(el).backgroundColor));
  const fg = rgb(st.color);
  const ratio = fg && bg ? contrast(fg, bg).toFixed(2) : '?';
  return { ...st, contrast: ratio, summary: `"${st.text}" [${st.icons.join(' ')}] text ${st.color} on ${st.background} (contrast ${ratio}:1)` };
}

async function save(page, name, clip, note) {
  const file = await saveShot(page, path.join(outDir, `${name}.png`), clip);
  taken.push({ file, note });
  console.log(`  ${path.relative(process.cwd(), file)}${note ? ` — ${note}` : ''}`);
}

/** The status bar item, cropped with some of the status bar on either side. */
async function shotStatus(page, item, name) {
  const d = await describeItem(page, item);
  await save(page, name, await statusBarClip(page, item, VIEWPORT, 90), d.summary);
  return d;
}

/** Hovers the item and shoots its tooltip together with the item. */
async function shotTooltip(page, item, name) {
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Account' }).last();
  try {
    await showTooltip(page, item, hover, { viewport: VIEWPORT });
    const [h, i] = [await hover.boundingBox({ timeout: 3000 }), await item.boundingBox({ timeout: 3000 })];
    const table = await hover.evaluate((el) => {
      const t = el.querySelector('table');
      return t ? { rows: t.querySelectorAll('tr').length, cols: t.querySelector('tr')?.children.length ?? 0 } : undefined;
    }, undefined, { timeout: 3000 });
    const links = await hover.locator('a').allTextContents();
    await save(page, name, padBox(unionBox(h, i), VIEWPORT, { x: 10, y: 10 }),
      `${table ? `table ${table.rows} rows × ${table.cols} cols` : 'NO TABLE rendered'}; links: ${links.map((l) => l.trim()).join(' | ')}`);
  } finally {
    await hideTooltip(page, VIEWPORT);
    await hover.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  }
}

/** The toast whose message starts with `prefix`. */
async function shotToast(page, prefix, name) {
  const toast = page.locator('.notifications-toasts .notification-toast-container').filter({ hasText: prefix }).last();
  await toast.waitFor({ state: 'visible', timeout: T.state });
  await page.waitForTimeout(500); // fade-in
  const text = (await toast.locator('.notification-list-item-message').textContent()) ?? '';
  const buttons = await toast.locator('.monaco-button').allTextContents();
  await save(page, name, padBox(await toast.boundingBox(), VIEWPORT, { x: 8, y: 8 }), `"${text.trim()}" [${buttons.join(' | ')}]`);
}

const openWindow = (server, theme, folder) => openExtensionWindow(browser, session, {
  url: server.url, folder, viewport: VIEWPORT, theme: theme.scheme, deviceScaleFactor: 2, toasts: true,
  workbenchSelector: `.monaco-workbench.${theme.cls}`, timeoutMs: T.workbench, itemTimeoutMs: T.item,
});

const waitStatus = (item, pred, what) => waitUntil(async () => {
  const st = await statusState(item);
  return pred(st) ? st : false;
}, { timeoutMs: T.state, what });

async function startServer(settings, env) {
  const folder = session.folder(`workspace-${serverCount++}`);
  // baseSettings follow the browser's colour scheme with the two Default Modern themes.
  const server = await session.startCodeServer({ settings, env });
  return { server, folder };
}

/** Warning → critical → key missing, with one OpenRouter key in the environment. */
async function singleAccount() {
  const { fake, url: F } = fakeHandle;
  const base = `${F}/openrouter/api/v1`;
  const envMode = { 'llmBalance.useEnvironmentKeys': true, 'llmBalance.accounts': [] };
  const { server, folder } = await startServer(envMode, { OPENROUTER_API_KEY: KEYS.openrouter, OPENROUTER_BASE_URL: base });
  for (const theme of THEMES) {
    say(`${theme.theme}: one account`);
    server.setSettings(envMode);
    openRouterCredits(fake, 10, 2);
    const w = await openWindow(server, theme, folder);
    try {
      const { page } = w;
      let { item } = w;
      // warning: the startup poll notifies; the palette check makes sure it ran.
      await runCommand(page, 'Check LLM Balance');
      await waitStatus(item, (s) => s.text.includes('$8.00') && s.warningBackground, 'the warning state');
      await page.waitForTimeout(600);
      await shotToast(page, 'WARNING: OpenRouter', `${theme.name}-toast-warning`);
      await shotStatus(page, item, `${theme.name}-status-warning`);
      await save(page, `${theme.name}-window-warning`, undefined, 'the whole window');
      await clearNotifications(page);
      await shotTooltip(page, item, `${theme.name}-tooltip-warning`);

      // critical: $3.50 left, below the $5 threshold; a worse level notifies at once.
      openRouterCredits(fake, 10, 6.5);
      await runCommand(page, 'Check LLM Balance');
      await waitStatus(item, (s) => s.text.includes('$3.50') && s.errorBackground, 'the critical state');
      await page.waitForTimeout(600);
      await shotToast(page, 'CRITICAL: OpenRouter', `${theme.name}-toast-critical`);
      await shotStatus(page, item, `${theme.name}-status-critical`);
      await clearNotifications(page);
      await shotTooltip(page, item, `${theme.name}-tooltip-critical`);

      // key missing: an account from settings whose key is not stored on this machine. code-server
      // does not notice settings.json edited from outside while a window is open, so reload.
      server.setSettings({
        'llmBalance.useEnvironmentKeys': false,
        'llmBalance.accounts': [{ id: 'openrouter-work', provider: 'openrouter', label: 'OpenRouter (work)', baseUrl: base }],
      });
      await page.reload({ waitUntil: 'domcontentloaded', timeout: T.workbench });
      await page.waitForSelector(`.monaco-workbench.${theme.cls}`, { timeout: T.workbench });
      item = await statusItem(page, T.item);
      // The reloaded window may wait for the old one's poller lease to go stale; check now instead.
      await runCommand(page, 'Check LLM Balance');
      await waitStatus(item, (s) => /key missing/.test(s.text), 'the key-missing state');
      await page.waitForTimeout(600);
      await shotToast(page, 'LLM Balance: no API key', `${theme.name}-toast-key-missing`).catch((e) => say(`no key-missing prompt: ${e.message.split('\n')[0]}`));
      await shotStatus(page, item, `${theme.name}-status-key-missing`);
      await clearNotifications(page);
      await shotTooltip(page, item, `${theme.name}-tooltip-key-missing`);
    } finally {
      await w.context.close();
    }
  }
}

/** Several accounts: OpenRouter warning, Novita critical, DeepSeek in CNY, a rejected relay key, a missing key. */
async function severalAccounts() {
  const { fake, url: F } = fakeHandle;
  openRouterCredits(fake, 10, 2);
  fake.route('GET', '/novita/openapi/v1/billing/balance/detail', {
    body: { availableBalance: '32000', cashBalance: '32000', creditLimit: '0', pendingCharges: '0', outstandingInvoices: '0' },
  });
  const settings = {
    'llmBalance.useEnvironmentKeys': true,
    'llmBalance.accounts': [{ id: 'openrouter-work', provider: 'openrouter', label: 'OpenRouter (work)', baseUrl: `${F}/openrouter/api/v1` }],
  };
  const { server, folder } = await startServer(settings, {
    OPENROUTER_API_KEY: KEYS.openrouter, OPENROUTER_BASE_URL: `${F}/openrouter/api/v1`,
    DEEPSEEK_API_KEY: 'sk-test-shots-deepseek-0001', DEEPSEEK_BASE_URL: `${F}/deepseek`,
    MOONSHOT_API_KEY: 'sk-test-shots-moonshot-0001', MOONSHOT_BASE_URL: `${F}/moonshot`,
    NOVITA_API_KEY: 'sk-test-shots-novita-0001', NOVITA_BASE_URL: `${F}/novita`,
    RELAY_API_KEY: 'sk-revoked-shots-relay-0001', RELAY_BASE_URL: `${F}/relay/v1`,
  });
  for (const theme of THEMES) {
    say(`${theme.theme}: several accounts`);
    const w = await openWindow(server, theme, folder);
    try {
      const { page, item } = w;
      await runCommand(page, 'Check LLM Balance');
      await waitStatus(item, (s) => /\+\d/.test(s.text) && !s.icons.includes('codicon-sync'), 'the several-accounts state');
      await page.waitForTimeout(1500);
      await save(page, `${theme.name}-window-several`, undefined, 'the whole window with the toasts');
      await shotStatus(page, item, `${theme.name}-status-several`);
      // VS Code shows three toasts at most; the notification centre lists them all.
      await runCommand(page, 'Notifications: Show Notifications');
      const center = page.locator('.notifications-center.visible');
      await center.waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(500);
      const messages = (await center.locator('.notification-list-item-message').allTextContents()).map((m) => m.trim());
      await save(page, `${theme.name}-notifications-several`, padBox(await center.boundingBox(), VIEWPORT, { x: 8, y: 8 }),
        `${messages.length} notifications: ${messages.map((m) => `"${m.length > 70 ? `${m.slice(0, 70)}…` : m}"`).join('; ')}`);
      await page.keyboard.press('Escape');
      await clearNotifications(page);
      await shotTooltip(page, item, `${theme.name}-tooltip-several`);
    } finally {
      await w.context.close();
    }
  }
}

async function main() {
  prepareHost({ build: !args['no-build'], say });
  fs.mkdirSync(outDir, { recursive: true });
  fakeHandle = await startFakeProviders(session);
  browser = await session.launchChromium();
  await singleAccount();
  await severalAccounts();
}

const result = await session.run(main);
if (!result.ok) session.printFailure(result.error.stack ?? result.error.message, 30);
say(`${taken.length} screenshot(s) in ${path.relative(process.cwd(), outDir) || outDir} after ${secs()}`);
process.exit(result.ok ? 0 : 1);
