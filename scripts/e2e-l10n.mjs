// The extension in Chinese (issue 16 item 5): code-server started with `--locale zh-cn`, the
// extension loaded against the fake providers, and Playwright checking that the status bar, its
// tooltip, a toast, the command palette and the panel speak zh-CN — with no English UI word left,
// the checks' own notes included (DeepSeek's empty USD wallet), and money as `$3.50` / `¥110.00` —
// then taking screenshots of each for people to look at.
//
//   node scripts/e2e-l10n.mjs [--no-build] [--out DIR] [--timeout SECONDS]
//
// VS Code switches its display language only to a language some installed language pack offers,
// and no language pack can be downloaded here. code-server resolves the language from
// <user-data>/languagepacks.json, so this writes one for a pack with no translations of VS Code's
// own: the workbench's own words stay English, `vscode.env.language` is "zh-cn", and VS Code
// loads the extension's package.nls.zh-cn.json and l10n/bundle.l10n.zh-cn.json — exactly what a
// user with the Chinese language pack gets from this extension.
//
// Needs Debian's fonts-noto-cjk (else Chinese renders as boxes): fails, never skips, without it.
// Writes PNGs into screenshots/zh-cn/ (git-ignored); exits 1 on any failed check.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { HostSession, prepareHost, repoRoot } from './vscode-host.mjs';
import {
  clearNotifications, hideTooltip, openExtensionWindow, openRouterCredits, padBox, runCommand, saveShot, showTooltip, startFakeProviders,
  statusBarClip, statusState, unionBox, waitUntil,
} from './workbench-ui.mjs';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(repoRoot, 'screenshots', 'zh-cn') },
    timeout: { type: 'string', default: '300' },
    log: { type: 'string', default: path.join(repoRoot, 'test-results', 'e2e-l10n-host.log') },
  },
});
const LOCALE = 'zh-cn';
const t0 = Date.now();
const say = (s) => console.log(`[e2e-l10n] ${s}`);
const outDir = path.resolve(args.out);
const logFile = path.resolve(args.log);
const VIEWPORT = { width: 1280, height: 800 };
const T = { workbench: 90_000, item: 60_000, state: 30_000 };
const zh = JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));
const zhNls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.zh-cn.json'), 'utf8'));
/** DeepSeek's note for the fake account's empty USD wallet, as the zh-CN bundle words it (src/core/providers/deepseek.ts). */
const deepseekNote = zh['Also on this account: {0}.'].replace('{0}', 'USD 0.00');
/** The English of that note, and of the notes' and errors' usual frames, which must not be left. */
const ENGLISH_NOTE = /Also on this account|has no balance API|The key was rejected|did not answer within/;
/** English words of our UI that must not show in zh-CN (product and provider names may). */
const ENGLISH_UI = /\b(?<!LLM )(Check now|Check all|Open panel|Manage keys|Balance|Account|Checked|Events|Burn rate|Update key|Add funds|left|threshold|limit|used|key missing|warning|critical|stale)\b/i;

const session = new HostSession({ name: 'e2e-l10n', logFile, timeoutMs: Number(args.timeout) * 1000 });
const failures = [];
const shots = [];
let browser;
let currentPage;
session.screenshotOnFailure(path.join(outDir, 'failure.png'), () => currentPage);

let passed = 0;
function check(ok, what, seen) {
  if (ok) {
    passed++;
    say(`  ✓ ${what}`);
  } else {
    failures.push(`${what}${seen !== undefined ? ` — saw: ${JSON.stringify(seen)}` : ''}`);
    say(`  ✗ ${what}${seen !== undefined ? ` — saw: ${JSON.stringify(seen)}` : ''}`);
  }
}

async function save(page, name, clip) {
  shots.push(await saveShot(page, path.join(outDir, `${name}.png`), clip));
}

/** languagepacks.json naming a zh-cn pack whose VS Code translations are empty (see the header). */
function writeLanguagePack(userDataDir) {
  const translations = path.join(session.work, 'zh-cn-pack', 'main.i18n.json');
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({
    [LOCALE]: {
      hash: 'llm-balance-test-zh-cn-1',
      extensions: [{ extensionIdentifier: { id: 'llmbalance-test.zh-cn-pack' }, version: '1.0.0' }],
      translations: { vscode: translations },
      label: '中文(简体)',
    },
  }));
}

function assertCjkFont() {
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.trim()) {
    throw new Error('no Chinese font (fc-list :lang=zh is empty): apt-get update && apt-get install -y fonts-noto-cjk');
  }
}

async function main(s) {
  prepareHost({ build: !args['no-build'], say });
  assertCjkFont();
  fs.mkdirSync(outDir, { recursive: true });

  const { fake, url: F } = await startFakeProviders(s);
  openRouterCredits(fake, 10, 6.5); // $3.50 left: below the $5 critical line
  const userDataDir = s.folder('ud');
  writeLanguagePack(userDataDir);
  const folder = s.folder();
  const server = await s.startCodeServer({
    userDataDir,
    settings: { 'llmBalance.useEnvironmentKeys': true, 'llmBalance.accounts': [] },
    env: {
      OPENROUTER_API_KEY: 'sk-test-l10n-openrouter-0001', OPENROUTER_BASE_URL: `${F}/openrouter/api/v1`,
      DEEPSEEK_API_KEY: 'sk-test-l10n-deepseek-0001', DEEPSEEK_BASE_URL: `${F}/deepseek`,
    },
    extraArgs: ['--locale', LOCALE],
  });
  browser = await s.launchChromium();
  // A new browser context is a new profile (its own globalState): each theme starts afresh.
  for (const theme of ['dark', 'light']) await oneWindow(server, folder, theme);
}

async function oneWindow(server, folder, theme) {
  say(`${theme} theme`);
  const { context, page, item, toasts } = await openExtensionWindow(browser, session, {
    url: server.url, folder, viewport: VIEWPORT, theme, deviceScaleFactor: 2, locale: 'zh-CN', toasts: true, timeoutMs: T.workbench, itemTimeoutMs: T.item,
  });
  currentPage = page;

  say('palette, status bar and toast');
  const checkTitle = zhNls['command.check.title'];
  await runCommand(page, checkTitle); // throws unless the palette offers the Chinese title
  check(true, `the palette offers "${checkTitle}"`);
  const st = await waitUntil(async () => {
    const s = await statusState(item);
    // Both accounts in (results arrive one by one), the check over.
    return s.text.includes('$3.50 +1') && s.errorBackground && !s.icons.includes('codicon-sync') ? s : false;
  }, { timeoutMs: T.state, what: 'the critical state ($3.50 +1)' });
  const openRouter = zh['{0} (environment)'].replace('{0}', 'OpenRouter'); // an account from the environment
  check(st.text.startsWith(`${openRouter} $3.50 +1`), `the status bar shows ${openRouter} $3.50 +1`, st.text);
  await save(page, `${theme}-status-critical`, await statusBarClip(page, item, VIEWPORT, 90));

  const critical = `${zh.CRITICAL}：OpenRouter`;
  const toast = page.locator('.notifications-toasts .notification-toast-container').filter({ hasText: critical }).last();
  await toast.waitFor({ state: 'visible', timeout: T.state });
  await page.waitForTimeout(500);
  const toastText = ((await toast.locator('.notification-list-item-message').textContent()) ?? '').trim();
  const buttons = (await toast.locator('.monaco-button').allTextContents()).map((b) => b.trim()).filter(Boolean);
  check(toastText === `严重：${openRouter} 余额不足，剩余 $3.50（阈值 $5.00）。请及时充值，以免服务中断。`, 'the toast is the zh-CN alert line with $3.50 and $5.00', toastText);
  check(['Add Funds', 'Acknowledge', 'Open Panel', 'Snooze 24h'].every((b, i) => buttons[i] === zh[b]), 'the toast buttons are 充值 / 确认 / 打开面板 / 24 小时内不再提醒', buttons);
  await save(page, `${theme}-toast-critical`, padBox(await toast.boundingBox(), VIEWPORT, { x: 8, y: 8 }));
  await save(page, `${theme}-window`, undefined);
  session.log(`toasts seen: ${JSON.stringify(toasts.all.map((x) => x.text))}`);
  await clearNotifications(page);

  say('tooltip');
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: zh.Account }).last();
  await showTooltip(page, item, hover, { viewport: VIEWPORT, timeoutMs: T.state });
  const tip = ((await hover.textContent()) ?? '').replace(/\s+/g, ' ');
  const tipNotes = (await hover.locator('li').allTextContents()).map((l) => l.replace(/\s+/g, ' ').trim());
  const links = (await hover.locator('a').allTextContents()).map((l) => l.trim()).filter(Boolean);
  check(['账户', '余额', '额度 / 用量', '级别', '严重', '¥110.00', '$3.50'].every((w) => tip.includes(w)), 'the tooltip table is in zh-CN with both balances', tip);
  // The checks' own notes (the list under the table) are translated too: DeepSeek's empty USD wallet beside the CNY one.
  check(tipNotes.some((n) => n.includes(deepseekNote)), `the tooltip's note is the zh-CN "${deepseekNote}"`, tipNotes);
  check(!ENGLISH_UI.test(tip) && !ENGLISH_NOTE.test(tip), 'the tooltip has no English UI words, its notes included', (tip.match(ENGLISH_UI) ?? tip.match(ENGLISH_NOTE))?.[0]);
  check(['立即检查', '打开面板', '管理密钥'].every((l) => links.includes(l)), 'the tooltip links are 立即检查 · 打开面板 · 管理密钥', links);
  await save(page, `${theme}-tooltip`, padBox(unionBox(await hover.boundingBox(), await item.boundingBox()), VIEWPORT, { x: 10, y: 10 }));
  await hideTooltip(page, VIEWPORT);

  say('panel');
  await runCommand(page, `LLM Balance: ${zhNls['command.showPanel.title']}`);
  const app = await waitUntil(async () => {
    for (const f of page.frames()) {
      const el = await f.$('#app .card').catch(() => null);
      if (el) return f;
    }
    return false;
  }, { timeoutMs: T.state, what: 'the panel with its cards' });
  await page.waitForTimeout(1500); // charts are drawn after the first paint
  const panel = await app.evaluate(() => ({
    lang: document.documentElement.lang,
    text: (document.getElementById('app')?.innerText ?? '').replace(/\s+/g, ' '),
    notes: [...document.querySelectorAll('#app .message.note')].map((n) => (n.textContent ?? '').trim()),
    // Without the alert lines of the events (checked as the toast); the checks' notes stay in.
    own: (() => {
      const copy = document.getElementById('app')?.cloneNode(true);
      if (!copy) return '';
      for (const m of copy.querySelectorAll('.event-message')) m.remove();
      document.body.append(copy);
      const text = copy.innerText;
      copy.remove();
      return text.replace(/\s+/g, ' ');
    })(),
  }));
  check(panel.lang === LOCALE, `the panel's <html lang> is ${LOCALE}`, panel.lang);
  check(['全部检查', '导出历史记录', '事件', '立即检查', '充值', '密钥来自环境变量', '上次检查', '¥110.00', '$3.50', '严重'].every((w) => panel.text.includes(w)), 'the panel is in zh-CN with both balances', panel.text.slice(0, 400));
  check(panel.notes.includes(deepseekNote), `the DeepSeek card's note is the zh-CN "${deepseekNote}"`, panel.notes);
  check(!ENGLISH_UI.test(panel.own) && !ENGLISH_NOTE.test(panel.own), 'the panel has no English UI words, the cards\' notes included', (panel.own.match(ENGLISH_UI) ?? panel.own.match(ENGLISH_NOTE))?.[0]);
  check(!/NaN|undefined/.test(panel.text), 'the panel shows no NaN or undefined', panel.text.match(/.{0,30}(NaN|undefined).{0,30}/)?.[0]);
  const frameEl = await page.locator('.webview.ready, iframe.webview').first().boundingBox().catch(() => null);
  await save(page, `${theme}-panel`, frameEl ? padBox(frameEl, VIEWPORT, { x: 0, y: 30 }) : undefined);
  // The 24 h range: the time axis is labelled in hours.
  await app.click('[data-range="24h"]');
  await waitUntil(() => app.evaluate(() => document.querySelector('[data-range="24h"]')?.getAttribute('aria-pressed') === 'true'), { timeoutMs: T.state, what: 'the 24 h range' });
  await page.waitForTimeout(1500);
  await save(page, `${theme}-panel-24h`, frameEl ? padBox(frameEl, VIEWPORT, { x: 0, y: 30 }) : undefined);
  await context.close();
}

const result = await session.run(main);
if (!result.ok) {
  failures.push(`could not finish: ${result.error?.message.split('\n')[0]}`);
  session.printFailure(result.error?.message.split('\n')[0] ?? 'unknown');
}
for (const f of shots) console.log(`  ${path.relative(process.cwd(), f)}`);
if (failures.length) console.error(`[e2e-l10n] ${failures.length} check(s) failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`${passed} passed, ${failures.length} failed`);
say(`${failures.length ? 'FAILED' : 'passed'} after ${((Date.now() - t0) / 1000).toFixed(1)} s; ${shots.length} screenshot(s) in ${path.relative(process.cwd(), outDir)}`);
process.exit(failures.length ? 1 : 0);
