// Runs the integration suite (out/test/integration/index.js) inside a real VS Code: code-server
// on 127.0.0.1, opened as an Extension Development Host in headless chromium. Builds nothing:
// run `npm run build` and `tsc -p . --outDir out` first (scripts/test.mjs does).
//
//   node scripts/run-integration.mjs [--extension PATH] [--tests PATH] [--folder PATH] [--timeout SECONDS]
//
// Prints each test, the failures, and a closing line `N passed, N failed`; exits non-zero on any
// failure, on a timeout, when no test ran, or when VS Code could not be started — never skips.
// Logs (code-server, the page's console including the extension host's) go to
// test-results/integration-host.log; its tail is printed on failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkInstalled, launchChromium, openWorkbench, printResults, readTail, repoRoot, startCodeServer } from './vscode-host.mjs';

const { values: args } = parseArgs({
  options: {
    extension: { type: 'string', default: repoRoot },
    tests: { type: 'string', default: path.join(repoRoot, 'out', 'test', 'integration', 'index.js') },
    folder: { type: 'string' },
    timeout: { type: 'string', default: process.env.LLMB_INTEGRATION_TIMEOUT ?? '300' },
    log: { type: 'string', default: path.join(repoRoot, 'test-results', 'integration-host.log') },
  },
});

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (s) => console.log(`[integration] ${s}`);
const timeoutMs = Number(args.timeout) * 1000;
const extensionPath = path.resolve(args.extension);
const testsPath = path.resolve(args.tests);
const logFile = path.resolve(args.log);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-integration-'));
const resultsFile = path.join(work, 'results.json');
// Where the suite writes when LLMB_TEST_RESULTS does not reach the extension host.
const fallbackResults = path.resolve(path.dirname(testsPath), '..', '..', '..', 'test-results', 'integration.json');

let server;
let browser;
let exitCode = 1;
let logStarted = false;

function fail(reason) {
  console.error(`\n[integration] FAILED: ${reason}`);
  const tail = logStarted ? readTail(logFile, 60) : '';
  if (tail.trim()) console.error(`--- ${path.relative(process.cwd(), logFile) || logFile} (last lines) ---\n${tail}\n---`);
}

async function cleanup() {
  const withLimit = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(r, ms))]);
  if (browser) await withLimit(browser.close().catch(() => {}), 10_000);
  if (server) await withLimit(server.stop().catch(() => {}), 10_000);
  fs.rmSync(work, { recursive: true, force: true });
}

async function main() {
  const missing = checkInstalled();
  if (missing) return fail(`VS Code could not be started: ${missing}`);
  if (!fs.existsSync(testsPath)) return fail(`no ${testsPath}: compile first (npx tsc -p . --outDir out)`);
  if (!fs.existsSync(path.join(extensionPath, 'package.json'))) return fail(`no extension at ${extensionPath}`);

  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, `# integration run ${new Date().toISOString()}\n`);
  logStarted = true;
  fs.rmSync(fallbackResults, { force: true });
  const folder = args.folder ? path.resolve(args.folder) : path.join(work, 'workspace');
  fs.mkdirSync(folder, { recursive: true });

  say(`starting code-server (extension ${path.relative(process.cwd(), extensionPath) || '.'})`);
  try {
    server = await startCodeServer({ env: { LLMB_TEST_RESULTS: resultsFile }, logFile });
  } catch (e) {
    return fail(`VS Code could not be started: ${e.message.split('\n')[0]}`);
  }
  say(`code-server up at ${server.url} after ${secs()}; opening the workbench in chromium`);

  const logLine = (line) => {
    // The workbench prefixes forwarded extension-host lines with a CSS-styled "INFO".
    line = line.replace(/^(\[\w+\] )%c\s*(\w+)\s+color: #\w+ /, '$1$2 ');
    fs.appendFileSync(logFile, `[page ${new Date().toISOString().slice(11, 23)}] ${line}\n`);
  };
  let crashed = false;
  try {
    browser = await launchChromium();
    const { page } = await openWorkbench(browser, {
      url: server.url, folder, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath, onConsole: logLine,
      timeoutMs: Math.max(30_000, Math.min(180_000, t0 + timeoutMs - Date.now())), // a busy 2-core machine can be slow
    });
    page.on('crash', () => { crashed = true; });
    say(`workbench loaded after ${secs()}; waiting for the suite (limit ${timeoutMs / 1000} s)`);

    const deadline = t0 + timeoutMs;
    let file;
    let hostExitedAt = 0;
    let lastLogCheck = 0;
    while (!file) {
      // The extension host ends after run() settles; if it ended (e.g. the tests module did not
      // load) and no results came within a few seconds, there will be none.
      if (!hostExitedAt && Date.now() - lastLogCheck > 1000) {
        lastLogCheck = Date.now();
        const m = /Extension Host Process exited with code: (\S+?),? signal: (\S+?)\./.exec(fs.readFileSync(logFile, 'utf8'));
        if (m) hostExitedAt = Date.now();
      }
      if (fs.existsSync(resultsFile)) file = resultsFile;
      else if (fs.existsSync(fallbackResults)) file = fallbackResults;
      else if (crashed) return fail('the workbench page crashed before the suite finished');
      else if (hostExitedAt && Date.now() - hostExitedAt > 5000) {
        return fail('the extension host exited without writing results (did the tests module load? see the log)');
      }
      else if (Date.now() > deadline) {
        const shot = path.join(path.dirname(logFile), 'integration-timeout.png');
        await page.screenshot({ path: shot }).catch(() => {});
        return fail(`no results after ${timeoutMs / 1000} s (the suite hung or never started; screenshot: ${shot})`);
      } else await new Promise((r) => setTimeout(r, 200));
    }
    const results = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (file === fallbackResults) say('note: LLMB_TEST_RESULTS did not reach the extension host; used the default results path');
    const { total, closingLine } = printResults(results);
    say(`run took ${secs()}`);
    if (total === 0) {
      fail('the integration suite ran no test');
      console.log(closingLine);
      return;
    }
    if (results.failed > 0) fail(`${results.failed} integration test(s) failed`);
    else exitCode = 0;
    console.log(closingLine);
  } catch (e) {
    return fail(`the workbench could not be driven: ${e.stack ?? e.message}`);
  }
}

const onSignal = (sig) => {
  console.error(`\n[integration] ${sig}: stopping`);
  void cleanup().finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  await main();
} catch (e) {
  fail(e.stack ?? String(e));
  exitCode = 1;
}
await cleanup();
process.exit(exitCode);
