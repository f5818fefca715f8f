// `npm start`: the extension running in a sandbox VS Code against the fake provider server, so
// that anyone can see the product work without a single real key.
//
// 1. builds the bundles (dist/) and compiles the fake provider server (out/test/fake/);
// 2. starts the fake providers on 127.0.0.1 (port LLMB_FAKE_PORT, default 47100, or any free one);
// 3. writes user settings for a fresh VS Code profile: no `llmBalance.accounts` (add one with
//    "Add API Key" against the fake: any key starting with `sk-test` works) and
//    `llmBalance.useEnvironmentKeys: true`, with one demo key
//    per provider exported into VS Code's environment (OPENROUTER_API_KEY, ... and *_BASE_URL);
// 4. opens it: desktop VS Code (`code` on PATH) with --extensionDevelopmentPath, or else
//    code-server on 127.0.0.1 (installed by scripts/install-test-host.sh) and prints the URL.
// Runs until Ctrl-C.
//
//   npm start                     # desktop VS Code if `code` is on PATH, else code-server
//   npm start -- --web            # always code-server (port LLMB_START_PORT, default 47101)
//   npm start -- --screenshot FILE [--theme light]
//                                 # code-server + headless chromium: wait for the status bar
//                                 # item, save a screenshot, stop (a self-check of the demo)
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, HostSession, openWorkbench, repoRoot, workbenchUrl } from './vscode-host.mjs';
import { startFakeProviders } from './workbench-ui.mjs';

const { values: args } = parseArgs({
  options: {
    web: { type: 'boolean', default: false },
    screenshot: { type: 'string' },
    theme: { type: 'string', default: 'dark' },
    'no-build': { type: 'boolean', default: false },
  },
});
const say = (s) => console.log(`[start] ${s}`);

function run(cmd, cmdArgs, { allowFail = false } = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 && !allowFail) {
    console.error(`[start] ${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  return r.status === 0;
}

async function portOr(preferred) {
  const net = await import('node:net');
  const free = await new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(preferred, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

// --- 1. build ---------------------------------------------------------------------------------
if (!args['no-build']) {
  say('building (npm run build, tsc)…');
  run('npm', ['run', '--silent', 'build']);
  // tsc emits even when some file has a type error; the fake server is all we need from it.
  if (!run('npx', ['tsc', '-p', '.', '--outDir', 'out'], { allowFail: true })) say('tsc reported errors (see above); going on with what it emitted');
}
const fakeJs = path.join(repoRoot, 'out', 'test', 'fake', 'server.js');
if (!fs.existsSync(fakeJs) || !fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
  console.error(`[start] missing ${fs.existsSync(fakeJs) ? 'dist/extension.js' : fakeJs}: the build did not produce it`);
  process.exit(1);
}

// The work folder, the fake providers, VS Code and the browser belong to one HostSession
// (scripts/vscode-host.mjs): all stopped and removed on Ctrl-C, SIGTERM or when VS Code closes.
const session = new HostSession({ name: 'start', signalExitCode: 0 });
session.handleSignals();
async function shutdown(code = 0) {
  await session.cleanup();
  process.exit(code);
}

// --- 2. fake providers --------------------------------------------------------------------------
const { fake, url: F } = await startFakeProviders(session, await portOr(Number(process.env.LLMB_FAKE_PORT ?? 47100)));
// A demo shows every level: Novita nearly dry (critical); xAI and LiteLLM low (warning) by default.
fake.route('GET', '/novita/openapi/v1/billing/balance/detail', {
  body: { availableBalance: '32000', cashBalance: '32000', creditLimit: '0', pendingCharges: '0', outstandingInvoices: '0' },
});
say(`fake providers on ${F}`);

// --- 3. settings and environment ----------------------------------------------------------------
const demoEnv = {
  OPENROUTER_API_KEY: 'sk-test-demo-openrouter-0001', OPENROUTER_BASE_URL: `${F}/openrouter/api/v1`,
  OPENAI_API_KEY: 'sk-test-demo-openai-0001', OPENAI_ADMIN_KEY: 'sk-admin-test-demo-0001', OPENAI_BASE_URL: `${F}/openai/v1`,
  ANTHROPIC_API_KEY: 'sk-test-demo-anthropic-0001', ANTHROPIC_ADMIN_KEY: 'sk-ant-admin-test-1', ANTHROPIC_BASE_URL: `${F}/anthropic/v1`,
  DEEPSEEK_API_KEY: 'sk-test-demo-deepseek-0001', DEEPSEEK_BASE_URL: `${F}/deepseek`,
  MOONSHOT_API_KEY: 'sk-test-demo-moonshot-0001', MOONSHOT_BASE_URL: `${F}/moonshot`,
  SILICONFLOW_API_KEY: 'sk-test-demo-siliconflow-0001', SILICONFLOW_BASE_URL: `${F}/siliconflow`,
  NOVITA_API_KEY: 'sk-test-demo-novita-0001', NOVITA_BASE_URL: `${F}/novita`,
  XAI_MANAGEMENT_KEY: 'sk-test-demo-xai-0001', XAI_TEAM_ID: 'team-test-0001', XAI_BASE_URL: `${F}/xai`,
  LITELLM_API_KEY: 'sk-test-demo-litellm-0001', LITELLM_BASE_URL: `${F}/litellm`,
  RELAY_API_KEY: 'sk-test-demo-relay-0001', RELAY_BASE_URL: `${F}/relay/v1`,
  LLM_BALANCE_SANDBOX: F, // the add-key wizard proposes these simulated providers and refuses real ones
};
const settings = {
  // No settings accounts: their keys would start out missing and lead the demo with red
  // "key missing" prompts. The printed hint shows how to add one through SecretStorage.
  'llmBalance.accounts': [],
  'llmBalance.useEnvironmentKeys': true,
};

const base = session.work;
const workspace = session.folder();
fs.writeFileSync(path.join(workspace, 'README.md'),
  '# LLM Balance sandbox\n\nEvery provider here is the fake server started by `npm start`; no request leaves this machine.\n');

// A month of history, so that charts, burn rates and forecasts show on first sight.
say(`seeded history: ${JSON.stringify((await createRequire(import.meta.url)(path.join(repoRoot, 'out', 'test', 'fake', 'sandboxHistory.js')).seedSandboxHistory({ userDataDir: path.join(base, 'ud'), env: demoEnv })).accounts)}`);

// --- 4. desktop VS Code, or code-server -------------------------------------------------------
const codeBin = !args.web && !args.screenshot ? findOnPath('code') : undefined;
if (codeBin) {
  const ud = path.join(base, 'ud');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', ...settings }, null, 2));
  say(`opening desktop VS Code (${codeBin}) with the extension from ${repoRoot}`);
  const child = spawn(codeBin, [
    '--new-window', '--wait', '--user-data-dir', ud, '--extensions-dir', path.join(base, 'ext'),
    `--extensionDevelopmentPath=${repoRoot}`, workspace,
  ], { stdio: 'inherit', env: { ...process.env, ...demoEnv } });
  session.onCleanup(() => { try { child.kill(); } catch { /* gone */ } }, 'close VS Code');
  say('close the VS Code window or press Ctrl-C to stop');
  child.on('exit', () => void shutdown(0));
} else {
  if (!run('bash', ['scripts/install-test-host.sh'], { allowFail: true })) {
    console.error('[start] could not install code-server and chromium (see above)');
    await shutdown(1);
  }
  const server = await session.startCodeServer({
    userDataDir: path.join(base, 'ud'), // where the seeded history is
    port: await portOr(Number(process.env.LLMB_START_PORT ?? 47101)),
    settings,
    env: demoEnv,
  });
  const url = workbenchUrl({ url: server.url, folder: workspace, extensionDevelopmentPath: repoRoot });
  if (args.screenshot) {
    await screenshot({ url: server.url, folder: workspace, extensionDevelopmentPath: repoRoot }, path.resolve(args.screenshot));
    await shutdown(0);
  } else {
    say('VS Code (code-server) with LLM Balance loaded is ready. Open in a browser on this machine:');
    console.log(`\n  ${url}\n`);
    say('To try "LLM Balance: Add API Key": pick a provider, keep the simulated base URL it proposes, and use any key starting with sk-test.');
    say('The "(environment)" accounts use the demo keys in VS Code\'s environment. Ctrl-C stops everything.');
  }
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch { /* not here */ }
  }
  return undefined;
}

async function screenshot(where, file) {
  const browser = await session.launchChromium();
  try {
    const { page } = await openWorkbench(browser, { ...where, theme: args.theme === 'light' ? 'light' : 'dark' });
    say('workbench open; waiting for the LLM Balance status bar item…');
    // The item's id contains the extension id; fall back to any status item mentioning a balance.
    const item = page.locator('.statusbar-item[id*="llm-balance" i], .statusbar-item[id*="llmBalance" i]').first();
    await item.waitFor({ timeout: 90_000 }).catch(() => say('no status bar item found within 90 s'));
    // Then give the first check a moment to put numbers (or a problem) in it.
    for (let i = 0; i < 60; i++) {
      const t = (await item.textContent({ timeout: 1000 }).catch(() => '')) ?? '';
      if (/\d|missing|error|fail/i.test(t)) break;
      await page.waitForTimeout(500);
    }
    await page.waitForTimeout(1000);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    const text = await item.textContent({ timeout: 1000 }).catch(() => null);
    say(`status bar: ${text?.trim() ?? '(none)'}; screenshot: ${file}`);
  } finally {
    await browser.close();
  }
}
