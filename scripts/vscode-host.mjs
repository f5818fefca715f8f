// A real VS Code for tests, the benchmark and `npm start` on machines that cannot download
// desktop VS Code: code-server (installed by scripts/install-test-host.sh into
// ~/.cache/llm-balance/code-server-<version>) opened in Debian's headless chromium through playwright-core.
// See /work/shared/TESTING.md.
//
//   const server = await startCodeServer({ settings: { 'llmBalance.accounts': [...] } });
//   const browser = await launchChromium();
//   const { page } = await openWorkbench(browser, { url: server.url, folder, extensionDevelopmentPath });
//   ...
//   await browser.close(); await server.stop();
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const codeServerVersion = '4.100.3';
// Outside the repository (see scripts/install-test-host.sh): VS Code applies a built-in theme
// found under the extensionDevelopmentPath, so code-server must not live inside the repo.
export const codeServerDir = process.env.CODE_SERVER_DIR
  || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'llm-balance', `code-server-${codeServerVersion}`);
export const codeServerEntry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Settings every test workbench gets; the caller's settings are laid over them. */
export const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'window.autoDetectColorScheme': true, // follow the browser's prefers-color-scheme (see `theme`)
  'workbench.preferredDarkColorTheme': 'Default Dark Modern',
  'workbench.preferredLightColorTheme': 'Default Light Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether the installed code-server and chromium are there; a message saying what is missing otherwise. */
export function checkInstalled() {
  const missing = [];
  if (!fs.existsSync(codeServerEntry)) missing.push(`code-server (${codeServerEntry})`);
  if (!fs.existsSync(chromiumPath)) missing.push(`chromium (${chromiumPath})`);
  return missing.length ? `missing: ${missing.join(', ')}; run: bash scripts/install-test-host.sh` : undefined;
}

/**
 * Starts code-server on 127.0.0.1 with its own user-data and extensions folders.
 * @param {{ port?: number, userDataDir?: string, extensionsDir?: string, settings?: object,
 *           env?: Record<string,string>, logFile?: string, timeoutMs?: number, extraArgs?: string[] }} [opts]
 *   `env` is added to code-server's environment, which its extension host inherits.
 *   `logFile` receives code-server's stdout and stderr (default: <base>/code-server.log).
 * @returns {Promise<{ url: string, port: number, userDataDir: string, extensionsDir: string, logFile: string,
 *           pid: number, setSettings(settings: object): void, stop(): Promise<void> }>}
 */
export async function startCodeServer(opts = {}) {
  if (!fs.existsSync(codeServerEntry)) {
    throw new Error(`Cannot start code-server: no ${codeServerEntry}; run: bash scripts/install-test-host.sh`);
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-vscode-'));
  const userDataDir = opts.userDataDir ?? path.join(base, 'ud');
  const extensionsDir = opts.extensionsDir ?? path.join(base, 'ext');
  const logFile = opts.logFile ?? path.join(base, 'code-server.log');
  for (const d of [userDataDir, extensionsDir, path.join(userDataDir, 'User'), path.dirname(logFile)]) fs.mkdirSync(d, { recursive: true });
  const configFile = path.join(base, 'config.yaml');
  fs.writeFileSync(configFile, '# the options are on the command line\nauth: none\n');

  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const setSettings = (settings) => {
    let current = {};
    try { current = JSON.parse(fs.readFileSync(settingsFile, 'utf8')); } catch { /* none yet */ }
    fs.writeFileSync(settingsFile, JSON.stringify({ ...current, ...settings }, null, 2));
  };
  fs.writeFileSync(settingsFile, JSON.stringify({ ...baseSettings, ...(opts.settings ?? {}) }, null, 2));

  const timeoutMs = opts.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = opts.port ?? (await freePort());
    const log = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [
      codeServerEntry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--config', configFile,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened',
      ...(opts.extraArgs ?? []),
    ], {
      detached: true, // its own process group, so stop() ends the extension host and helpers too
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        // Keep code-server's own logs and state out of the user's home.
        XDG_DATA_HOME: path.join(base, 'xdg-data'),
        XDG_CONFIG_HOME: path.join(base, 'xdg-config'),
        ...(opts.env ?? {}),
      },
    });
    fs.closeSync(log);
    let exited = null;
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    const url = `http://127.0.0.1:${port}`;

    const stop = async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await gone;
      clearTimeout(t);
      // Helpers that outlived the leader (extension host, file watcher) share its group.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none left */ }
    };
    // Never leave a server behind when the launcher itself exits.
    const onExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
    process.once('exit', onExit);

    while (!exited && Date.now() < deadline) {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          return {
            url, port, userDataDir, extensionsDir, logFile, pid: child.pid, setSettings,
            stop: async () => { await stop(); process.removeListener('exit', onExit); },
          };
        }
      } catch { /* not yet listening */ }
      await sleep(250);
    }
    const tail = readTail(logFile, 30);
    await stop();
    process.removeListener('exit', onExit);
    lastError = exited
      ? `code-server exited (${exited.code ?? exited.signal}) before answering on ${url}`
      : `code-server did not answer on ${url} within ${timeoutMs / 1000} s`;
    lastError += `\n--- ${logFile} (tail) ---\n${tail}`;
    // A port taken between freePort() and bind is worth another try; anything else is not.
    if (!exited || opts.port || !/EADDRINUSE/.test(tail) || Date.now() >= deadline) break;
  }
  throw new Error(`Cannot start code-server: ${lastError}`);
}

/** The last `n` lines of a text file ('' if it cannot be read). */
export function readTail(file, n = 40) {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    return lines.slice(-n - 1).join('\n');
  } catch {
    return '';
  }
}

/** Headless Debian chromium through playwright-core. */
export async function launchChromium(opts = {}) {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(chromiumPath)) throw new Error(`No browser at ${chromiumPath}; run: bash scripts/install-test-host.sh`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: opts.headless ?? true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      ...(opts.args ?? []),
    ],
  });
}

/**
 * The workbench URL: opens `folder` with the extension at `extensionDevelopmentPath` loaded
 * (an Extension Development Host) and, if `extensionTestsPath` is given, runs its `run()`.
 */
export function workbenchUrl({ url, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const authority = new URL(url).host;
  const remote = (p) => `vscode-remote://${authority}${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const u = new URL(url);
  if (folder) u.searchParams.set('folder', path.resolve(folder));
  if (payload.length) u.searchParams.set('payload', JSON.stringify(payload));
  return u.toString();
}

/**
 * Opens the workbench in a new browser context and page.
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string,
 *           theme?: 'dark'|'light', viewport?: {width:number,height:number}, onConsole?: (line: string) => void,
 *           waitForWorkbench?: boolean, timeoutMs?: number }} opts
 *   `theme` sets the browser's prefers-color-scheme, which the workbench follows
 *   (`window.autoDetectColorScheme` is on in baseSettings). `onConsole` receives the page's
 *   console lines, which include the extension host's console output in a development host.
 * @returns {Promise<{ page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, close(): Promise<void> }>}
 */
export async function openWorkbench(browser, opts) {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    colorScheme: opts.theme ?? 'dark',
  });
  const page = await context.newPage();
  if (opts.onConsole) {
    const out = opts.onConsole;
    page.on('console', (m) => out(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => out(`[pageerror] ${e.stack ?? e.message}`));
    page.on('crash', () => out('[crash] the page crashed'));
  }
  await page.goto(workbenchUrl(opts), { waitUntil: 'domcontentloaded', timeout: opts.timeoutMs ?? 60_000 });
  if (opts.waitForWorkbench !== false) {
    await page.waitForSelector('.monaco-workbench', { timeout: opts.timeoutMs ?? 60_000 });
  }
  return { page, context, close: () => context.close() };
}

/**
 * Prints the integration suite's results (as written by test/integration/index.ts): each test,
 * then the failures with their stacks. Returns the total and the closing line
 * (`N passed, N failed[, N skipped]`) for the caller to print last.
 */
export function printResults(r) {
  console.log('');
  for (const t of r.tests ?? []) {
    const mark = t.state === 'passed' ? '  ✓' : t.state === 'failed' ? '  ✗' : '  -';
    console.log(`${mark} ${t.title}${t.durationMs != null && t.durationMs >= 100 ? ` (${t.durationMs} ms)` : ''}`);
  }
  if (r.failures?.length) {
    console.log('\nFailures:');
    r.failures.forEach((f, i) => {
      const msg = String(f.error).trimEnd().split('\n').join('\n     ');
      console.log(`\n  ${i + 1}) ${f.title}\n     ${msg}`);
      const stack = (f.stack ?? '').split('\n').map((l) => l.trim())
        .filter((l) => l.startsWith('at ') && !/node_modules[\\/]mocha|extensionHostProcess\.js|node:internal/.test(l)).slice(0, 8);
      if (stack.length) console.log(stack.map((l) => `       ${l}`).join('\n'));
    });
  }
  console.log(`\n[integration] VS Code ${r.vscodeVersion} (${r.appName ?? '?'}); the suite took ${r.durationMs ?? '?'} ms`);
  const total = (r.passed ?? 0) + (r.failed ?? 0);
  const closingLine = `${r.passed ?? 0} passed, ${r.failed ?? 0} failed${r.pending ? `, ${r.pending} skipped` : ''}`;
  return { total, closingLine };
}
