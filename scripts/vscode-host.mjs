// A real VS Code for tests, the benchmark and `npm start` on machines that cannot download
// desktop VS Code: code-server (installed by scripts/install-test-host.sh into
// ~/.cache/llm-balance/code-server-<version>) opened in Debian's headless chromium through playwright-core.
// See /work/shared/TESTING.md.
//
// Every script that drives code-server (e2e, run-integration, vsix-test, screenshots, start, and
// through run-integration the benchmarks) runs in a HostSession (below), which owns the work
// folder, the time limit, cleanup on signals and the log tail:
//
//   const session = new HostSession({ name: 'e2e', logFile, timeoutMs });
//   const { ok, error } = await session.run(async (s) => {
//     const server = await s.startCodeServer({ settings: { 'llmBalance.accounts': [...] } });
//     const browser = await s.launchChromium();
//     const { page } = await openWorkbench(browser, { url: server.url, folder, extensionDevelopmentPath });
//     ...
//   });
import { spawn, spawnSync } from 'node:child_process';
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
 * What a driver needs before it starts a workbench: unless `build` is false, the bundles
 * (npm run build), the compiled tests and fake providers (tsc) and the test host
 * (scripts/install-test-host.sh); then code-server and chromium must be there. Throws saying
 * which step failed or what is missing.
 * @param {{ build?: boolean, say?: (line: string) => void }} [opts]
 */
export function prepareHost({ build = true, say } = {}) {
  if (build) {
    say?.('building (npm run build, tsc) and checking the test host…');
    /** @type {[string, string[]][]} */
    const steps = [['npm', ['run', '--silent', 'build']], ['npx', ['tsc', '-p', '.', '--outDir', 'out']], ['bash', ['scripts/install-test-host.sh']]];
    for (const [cmd, args] of steps) {
      const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    }
  }
  const missing = checkInstalled();
  if (missing) throw new Error(missing);
}

/**
 * Starts code-server on 127.0.0.1 with its own user-data and extensions folders.
 * Stopping it removes what it made (profile, extensions folder, state), except a log the caller placed.
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
  // Without a fixed port code-server binds port 0 and logs the one it got: no race between
  // picking a free port and binding it.
  const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${opts.port ?? 0}`,
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
  /** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const stop = async () => {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await gone;
      clearTimeout(t);
    }
    // Helpers that outlived the leader (extension host, file watcher) share its group.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none left */ }
    process.removeListener('exit', onExit);
    // The profile, extensions and code-server's state are this run's alone; the log stays
    // when the caller chose where it goes.
    for (const d of [path.join(base, 'xdg-data'), path.join(base, 'xdg-config'), configFile]) fs.rmSync(d, { recursive: true, force: true });
    if (!opts.userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    if (!opts.extensionsDir) fs.rmSync(extensionsDir, { recursive: true, force: true });
    if (!opts.logFile) fs.rmSync(base, { recursive: true, force: true });
    else try { fs.rmdirSync(base); } catch { /* the log is in it */ }
  };
  // Never leave a server behind when the launcher itself exits.
  const onExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', onExit);

  const ownLog = () => {
    try {
      const fd = fs.openSync(logFile, 'r');
      try {
        const size = fs.fstatSync(fd).size - logStart;
        const buf = Buffer.alloc(Math.max(0, size));
        fs.readSync(fd, buf, 0, buf.length, logStart);
        return buf.toString('utf8');
      } finally { fs.closeSync(fd); }
    } catch { return ''; }
  };
  let url;
  while (!exited && Date.now() < deadline) {
    url ??= /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(ownLog())?.[1];
    if (url) {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          const port = Number(new URL(url).port);
          return { url, port, userDataDir, extensionsDir, logFile, pid: child.pid, setSettings, stop };
        }
      } catch { /* not answering yet */ }
    }
    await sleep(200);
  }
  const tail = readTail(logFile, 30);
  await stop();
  const why = exited
    ? `code-server exited (${exited.code ?? exited.signal}) before answering${url ? ` on ${url}` : ''}`
    : `code-server did not answer${url ? ` on ${url}` : ''} within ${timeoutMs / 1000} s`;
  throw new Error(`Cannot start code-server: ${why}\n--- ${logFile} (tail) ---\n${tail}`);
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
 * @param {{ url: string, folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} opts
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
 *           theme?: 'dark'|'light', viewport?: {width:number,height:number}, deviceScaleFactor?: number, locale?: string,
 *           onConsole?: (line: string) => void, beforeGoto?: (page: import('playwright-core').Page) => unknown,
 *           waitForWorkbench?: boolean, workbenchSelector?: string, timeoutMs?: number }} opts
 *   `theme` sets the browser's prefers-color-scheme, which the workbench follows
 *   (`window.autoDetectColorScheme` is on in baseSettings). `onConsole` receives the page's
 *   console lines, which include the extension host's console output in a development host.
 *   `beforeGoto` prepares the page before it loads (init scripts, listeners). `workbenchSelector`
 *   is what to wait for (default `.monaco-workbench`; add a theme class to wait for the theme).
 * @returns {Promise<{ page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, close(): Promise<void> }>}
 */
export async function openWorkbench(browser, opts) {
  // A new context is a new profile: the extension's globalState (IndexedDB) starts empty.
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    colorScheme: opts.theme ?? 'dark',
    ...(opts.deviceScaleFactor ? { deviceScaleFactor: opts.deviceScaleFactor } : {}),
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
  const page = await context.newPage();
  await opts.beforeGoto?.(page);
  if (opts.onConsole) {
    const out = opts.onConsole;
    page.on('console', (m) => out(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => out(`[pageerror] ${e.stack ?? e.message}`));
    page.on('crash', () => out('[crash] the page crashed'));
  }
  await page.goto(workbenchUrl(opts), { waitUntil: 'domcontentloaded', timeout: opts.timeoutMs ?? 60_000 });
  if (opts.waitForWorkbench !== false) {
    await page.waitForSelector(opts.workbenchSelector ?? '.monaco-workbench', { timeout: opts.timeoutMs ?? 60_000 });
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

/**
 * One run of a script that drives code-server: the one place that owns its work folder, its time
 * limit, its log (and the tail printed on failure) and its cleanup — at the end, on the time
 * limit, and on Ctrl-C / SIGTERM — so that e2e, the integration launcher, screenshots and
 * `npm start` never leave a server, a browser or a temporary folder behind.
 *
 *   const session = new HostSession({ name: 'e2e', logFile, timeoutMs: 240_000 });
 *   const ok = await session.run(async (s) => {
 *     const server = await s.startCodeServer({ settings });   // stopped by the session
 *     const browser = await s.launchChromium();               // closed by the session
 *     s.onCleanup(() => fake.stop());                         // anything else, last in first out
 *     ...                                                     // throw to fail the run
 *   });
 *
 * `run()` resolves to `{ ok, error, ms }`; it never throws and never calls process.exit except
 * on a signal (after cleaning up, exit code 130). `timeoutMs: 0` means no limit (`npm start`).
 */
export class HostSession {
  /** @param {{ name: string, logFile?: string, timeoutMs?: number, keepWork?: boolean, signalExitCode?: number }} opts */
  constructor(opts) {
    this.name = opts.name;
    this.signalExitCode = opts.signalExitCode ?? 130;
    this.timeoutMs = opts.timeoutMs ?? 0;
    this.keepWork = opts.keepWork ?? false;
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), `llmb-${opts.name}-`));
    this.logFile = opts.logFile ?? path.join(this.work, `${opts.name}.log`);
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    fs.writeFileSync(this.logFile, `# ${opts.name} run ${new Date().toISOString()}\n`);
    /** @type {{ what: string, fn: () => unknown }[]} */
    this.cleanups = [];
    this.cleaned = false;
    this.started = Date.now();
    /** @type {((error: Error) => unknown) | undefined} called on failure, before cleanup (e.g. a screenshot) */
    this.onFailure = undefined;
    /** @type {{ title: string, state: 'passed' | 'failed' }[]} what `step()` ran */
    this.steps = [];
  }

  /** A new empty folder in the work folder (a workspace to open, a profile to seed). */
  folder(name = 'workspace') {
    const dir = path.join(this.work, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Runs one named step of a check and prints `✓ title (ms) — detail` or `✗ title (ms)`; a
   * failure is logged with its stack and thrown on, ending the run (later steps build on it).
   * @param {string} title
   * @param {() => Promise<string | void | undefined>} fn resolves to a detail worth printing, or nothing
   */
  async step(title, fn) {
    const t = Date.now();
    try {
      const detail = await fn();
      this.steps.push({ title, state: 'passed' });
      console.log(`  ✓ ${title} (${Date.now() - t} ms)${detail ? ` — ${detail}` : ''}`);
      this.log(`passed: ${title}${detail ? ` — ${detail}` : ''}`);
    } catch (e) {
      this.steps.push({ title, state: 'failed' });
      console.log(`  ✗ ${title} (${Date.now() - t} ms)`);
      this.log(`FAILED: ${title}: ${e?.stack ?? e}`);
      throw e;
    }
  }

  /**
   * The steps' counts after `run()`: a run that failed outside any step (setup, the time limit)
   * still counts one failure.
   * @param {{ ok: boolean }} result
   */
  stepCounts(result) {
    const passed = this.steps.filter((s) => s.state === 'passed').length;
    const failed = this.steps.filter((s) => s.state === 'failed').length;
    return { passed, failed: failed || (result.ok ? 0 : 1) };
  }

  /**
   * On failure (a step or the time limit), a screenshot of `page` (or of what `page()` returns
   * then) into `file`, before the browser closes.
   * @param {string} file
   * @param {import('playwright-core').Page | (() => import('playwright-core').Page | undefined)} page
   */
  screenshotOnFailure(file, page) {
    fs.rmSync(file, { force: true });
    this.onFailure = async () => {
      const p = typeof page === 'function' ? page() : page;
      if (!p || p.isClosed()) return;
      await p.screenshot({ path: file, timeout: 5000 });
      console.log(`[${this.name}] screenshot of the failure: ${path.relative(process.cwd(), file)}`);
    };
  }

  /** Appends a line to the run's log (never throws). */
  log(line) {
    try { fs.appendFileSync(this.logFile, `[${this.name} ${new Date().toISOString().slice(11, 23)}] ${line}\n`); } catch { /* log gone */ }
  }

  /** The log's last lines. */
  tail(n = 40) {
    return readTail(this.logFile, n);
  }

  /** Registers a cleanup step; steps run last-registered first, each with a time limit. */
  onCleanup(fn, what = 'cleanup') {
    this.cleanups.push({ what, fn });
  }

  /** code-server logging into this run's log, stopped at the end. Options as startCodeServer's. */
  async startCodeServer(opts = {}) {
    const server = await startCodeServer({ logFile: this.logFile, ...opts });
    this.onCleanup(() => server.stop(), 'stop code-server');
    return server;
  }

  /** Headless chromium, closed at the end. Options as launchChromium's. */
  async launchChromium(opts = {}) {
    const browser = await launchChromium(opts);
    this.onCleanup(() => browser.close(), 'close chromium');
    return browser;
  }

  /** A page's console and errors into the run's log (the extension host's console comes through it). */
  logPage(page) {
    // The workbench prefixes forwarded extension-host lines with a CSS-styled level.
    page.on('console', (m) => this.log(`[page ${m.type()}] ${m.text().replace(/^%c\s*(\w+)\s+color: #\w+ /, '$1 ')}`));
    page.on('pageerror', (e) => this.log(`[pageerror] ${e.stack ?? e.message}`));
    page.on('crash', () => this.log('[crash] the page crashed'));
    // The console says only "Failed to load resource"; the address says whether it matters.
    page.on('response', (r) => { if (r.status() >= 400) this.log(`[http ${r.status()}] ${r.request().method()} ${r.url()}`); });
    page.on('requestfailed', (r) => this.log(`[request failed] ${r.method()} ${r.url()}: ${r.failure()?.errorText ?? '?'}`));
  }

  /** Runs every cleanup step once, each bounded to 10 s, then removes the work folder. */
  async cleanup() {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const { what, fn } of this.cleanups.reverse()) {
      let timer;
      const limit = new Promise((r) => { timer = setTimeout(() => r('timeout'), 10_000); });
      const res = await Promise.race([Promise.resolve().then(fn).then(() => 'ok', (e) => `failed: ${e?.message ?? e}`), limit]);
      clearTimeout(timer);
      if (res !== 'ok') this.log(`${what}: ${res}`);
    }
    if (!this.keepWork) fs.rmSync(this.work, { recursive: true, force: true });
  }

  /**
   * Runs `main(this)` under the time limit and the signal handlers, then cleans up.
   * @template T
   * @param {(s: HostSession) => Promise<T>} main
   * @returns {Promise<{ ok: boolean, value?: T, error?: Error, ms: number }>}
   */
  async run(main) {
    const unhandle = this.handleSignals();
    let watchdog;
    try {
      const limited = this.timeoutMs > 0
        ? Promise.race([main(this), new Promise((_, reject) => {
          watchdog = setTimeout(() => reject(new Error(`the run took longer than ${this.timeoutMs / 1000} s`)), this.timeoutMs);
        })])
        : main(this);
      const value = await limited;
      return { ok: true, value, ms: Date.now() - this.started };
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.log(`failure: ${error.stack ?? error.message}`);
      if (this.onFailure) {
        await Promise.race([Promise.resolve().then(() => this.onFailure(error)).catch((e) => this.log(`onFailure: ${e?.message ?? e}`)), sleep(10_000)]);
      }
      this.failureTail = this.tail(60); // before cleanup, which may remove the log
      return { ok: false, error, ms: Date.now() - this.started };
    } finally {
      clearTimeout(watchdog);
      await this.cleanup();
      unhandle();
    }
  }

  /**
   * On Ctrl-C or SIGTERM: clean up, then exit (130, or `signalExitCode`). `run()` does this for
   * its duration; a long-running script (`npm start`) calls it itself. Returns the undo.
   */
  handleSignals() {
    const onSignal = (sig) => {
      console.error(`\n[${this.name}] ${sig}: stopping`);
      this.log(`${sig}: stopping`);
      void this.cleanup().finally(() => process.exit(this.signalExitCode));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    };
  }

  /** Prints why the run failed and the log's tail, for the person reading CI output. */
  printFailure(reason, lines = 40) {
    console.error(`\n[${this.name}] FAILED: ${reason}`);
    const tail = (this.failureTail ?? this.tail(lines)).split('\n').slice(-lines - 1).join('\n');
    if (tail.trim()) console.error(`--- ${path.relative(process.cwd(), this.logFile) || this.logFile} (last lines) ---\n${tail}\n---`);
  }
}
