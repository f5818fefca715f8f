// The extension as users get it: builds the VSIX (scripts/package.mjs), installs it with
// code-server's `--install-extension` into a fresh extensions folder, opens a workbench with no
// development extension at all, and sees the LLM Balance status bar item appear and show the
// balance of an environment account served by the fake providers ($42.00), and runs a command whose
// code is in the bundles loaded on first use.
//
//   node scripts/vsix-test.mjs [--vsix FILE] [--timeout SECONDS] [--log FILE]
//
// --vsix tests an existing VSIX instead of building one. Prints each step and a closing line
// `N passed, N failed`; exits non-zero on any failure. Log: test-results/vsix-host.log.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkInstalled, codeServerEntry, HostSession, repoRoot, workbenchUrl } from './vscode-host.mjs';
import { EXTENSION_ID, openRouterCredits, runCommand, startFakeProviders, statusItem, statusState, waitUntil } from './workbench-ui.mjs';

const { values: args } = parseArgs({
  options: {
    vsix: { type: 'string' },
    timeout: { type: 'string', default: '240' },
    log: { type: 'string', default: path.join(repoRoot, 'test-results', 'vsix-host.log') },
  },
});
const say = (s) => console.log(`[vsix] ${s}`);
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

const session = new HostSession({ name: 'vsix', logFile: path.resolve(args.log), timeoutMs: Number(args.timeout) * 1000 });
const step = (title, fn) => session.step(title, fn);

const result = await session.run(async (s) => {
  const missing = checkInstalled();
  if (missing) throw new Error(`VS Code could not be started: ${missing}`);
  let vsix = args.vsix && path.resolve(args.vsix);
  await step('npm run package builds the VSIX', async () => {
    if (vsix) return `given: ${vsix}`;
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), '--out', s.work], { cwd: repoRoot, encoding: 'utf8' });
    s.log(`package.mjs:\n${r.stdout}${r.stderr}`);
    if (r.status !== 0) throw new Error(`scripts/package.mjs failed (exit ${r.status}):\n${(r.stdout + r.stderr).trim().split('\n').slice(-15).join('\n')}`);
    vsix = path.join(s.work, `${pkg.name}-${pkg.version}.vsix`);
    return `${path.basename(vsix)}, ${(fs.statSync(vsix).size / 1024).toFixed(0)} KB`;
  });

  const extensionsDir = s.folder('extensions');
  const userDataDir = s.folder('user-data');
  await step('code-server --install-extension installs it into a fresh extensions folder', async () => {
    const r = spawnSync(process.execPath, [codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], {
      encoding: 'utf8', timeout: 120_000,
      env: { ...process.env, XDG_DATA_HOME: path.join(s.work, 'xdg-data'), XDG_CONFIG_HOME: path.join(s.work, 'xdg-config') },
    });
    s.log(`--install-extension:\n${r.stdout}${r.stderr}`);
    if (r.status !== 0) throw new Error(`--install-extension failed (exit ${r.status ?? r.signal}): ${(r.stdout + r.stderr).trim()}`);
    const dir = fs.readdirSync(extensionsDir).find((d) => d.toLowerCase() === `${EXTENSION_ID}-${pkg.version}`.toLowerCase());
    if (!dir) throw new Error(`no ${EXTENSION_ID}-${pkg.version} in ${extensionsDir}: ${fs.readdirSync(extensionsDir).join(', ')}`);
    const installed = fs.readdirSync(path.join(extensionsDir, dir), { recursive: true }).map(String);
    if (installed.some((f) => /\.(map|ts)$/.test(f) || f.startsWith('src'))) throw new Error(`the installed extension holds sources or maps: ${installed.join(', ')}`);
    return `${dir}: ${installed.filter((f) => f.includes('.')).length} files`;
  });

  const { fake, url: F } = await startFakeProviders(s);
  openRouterCredits(fake, 50, 8); // $42.00 left: fine, no alert
  const folder = s.folder();
  const server = await s.startCodeServer({
    userDataDir, extensionsDir,
    settings: { 'llmBalance.useEnvironmentKeys': true, 'llmBalance.accounts': [] },
    env: { OPENROUTER_API_KEY: 'sk-test-vsix-0123456789abcdef', OPENROUTER_BASE_URL: `${F}/openrouter/api/v1` },
  });
  const browser = await s.launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  s.logPage(page);
  s.screenshotOnFailure(path.resolve(args.log).replace(/\.log$/, '-failure.png'), page);

  await step('the installed extension (no development path) shows its status bar item with the balance', async () => {
    await page.goto(workbenchUrl({ url: server.url, folder }), { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    if (await page.locator('text=[Extension Development Host]').count()) throw new Error('this is a development host, not the installed extension');
    const item = await statusItem(page, 60_000);
    const st = await waitUntil(async () => {
      const v = await statusState(item);
      return v.text.includes('$42.00') ? v : false;
    }, { timeoutMs: 30_000, what: 'the status bar item to show $42.00' });
    return `"${st.text}"`;
  });

  await step('a command whose code loads on first use runs from the VSIX (dist/commands.js, then dist/engine.js)', async () => {
    await runCommand(page, 'LLM Balance: Configure Alert Channels');
    const channel = page.locator('.quick-input-widget .monaco-list-row[aria-label^="Telegram"]');
    await channel.first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Escape');
    return 'the channel picker lists Telegram';
  });
});

const { passed, failed } = session.stepCounts(result);
if (!result.ok) session.printFailure(result.error.message.split('\n')[0]);
say(`took ${(result.ms / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
