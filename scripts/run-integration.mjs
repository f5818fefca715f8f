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
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkInstalled, HostSession, openWorkbench, printResults, repoRoot } from './vscode-host.mjs';

const { values: args } = parseArgs({
  options: {
    extension: { type: 'string', default: repoRoot },
    tests: { type: 'string', default: path.join(repoRoot, 'out', 'test', 'integration', 'index.js') },
    folder: { type: 'string' },
    timeout: { type: 'string', default: process.env.LLMB_INTEGRATION_TIMEOUT ?? '300' },
    log: { type: 'string', default: path.join(repoRoot, 'test-results', 'integration-host.log') },
  },
});

const say = (s) => console.log(`[integration] ${s}`);
const timeoutMs = Number(args.timeout) * 1000;
const extensionPath = path.resolve(args.extension);
const testsPath = path.resolve(args.tests);
// Where the suite writes when LLMB_TEST_RESULTS does not reach the extension host.
const fallbackResults = path.resolve(path.dirname(testsPath), '..', '..', '..', 'test-results', 'integration.json');

const session = new HostSession({ name: 'integration', logFile: path.resolve(args.log), timeoutMs });
const secs = () => `${((Date.now() - session.started) / 1000).toFixed(1)} s`;
let closingLine;

const result = await session.run(async (s) => {
  const missing = checkInstalled();
  if (missing) throw new Error(`VS Code could not be started: ${missing}`);
  if (!fs.existsSync(testsPath)) throw new Error(`no ${testsPath}: compile first (npx tsc -p . --outDir out)`);
  if (!fs.existsSync(path.join(extensionPath, 'package.json'))) throw new Error(`no extension at ${extensionPath}`);
  const resultsFile = path.join(s.work, 'results.json');
  fs.rmSync(fallbackResults, { force: true });
  const folder = args.folder ? path.resolve(args.folder) : s.folder();
  fs.mkdirSync(folder, { recursive: true });

  say(`starting code-server (extension ${path.relative(process.cwd(), extensionPath) || '.'})`);
  const server = await s.startCodeServer({ env: { LLMB_TEST_RESULTS: resultsFile } }).catch((e) => {
    throw new Error(`VS Code could not be started: ${e.message.split('\n')[0]}`);
  });
  say(`code-server up at ${server.url} after ${secs()}; opening the workbench in chromium`);

  const browser = await s.launchChromium();
  let crashed = false;
  const { page } = await openWorkbench(browser, {
    url: server.url, folder, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath,
    onConsole: (line) => s.log(line.replace(/^(\[\w+\] )%c\s*(\w+)\s+color: #\w+ /, '$1$2 ')),
    timeoutMs: Math.max(30_000, Math.min(180_000, s.started + timeoutMs - Date.now())), // a busy 2-core machine can be slow
  });
  page.on('crash', () => { crashed = true; });
  s.screenshotOnFailure(s.logFile.replace(/\.log$/, '-failure.png'), page);
  say(`workbench loaded after ${secs()}; waiting for the suite (limit ${timeoutMs / 1000} s)`);

  let file;
  let hostExitedAt = 0;
  let lastLogCheck = 0;
  while (!file) {
    // The extension host ends after run() settles; if it ended (e.g. the tests module did not
    // load) and no results came within a few seconds, there will be none.
    if (!hostExitedAt && Date.now() - lastLogCheck > 1000) {
      lastLogCheck = Date.now();
      if (/Extension Host Process exited with code: (\S+?),? signal: (\S+?)\./.test(fs.readFileSync(s.logFile, 'utf8'))) hostExitedAt = Date.now();
    }
    if (fs.existsSync(resultsFile)) file = resultsFile;
    else if (fs.existsSync(fallbackResults)) file = fallbackResults;
    else if (crashed) throw new Error('the workbench page crashed before the suite finished');
    else if (hostExitedAt && Date.now() - hostExitedAt > 5000) {
      throw new Error('the extension host exited without writing results (did the tests module load? see the log)');
    } else await new Promise((r) => setTimeout(r, 200));
  }
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (file === fallbackResults) say('note: LLMB_TEST_RESULTS did not reach the extension host; used the default results path');
  const printed = printResults(results);
  closingLine = printed.closingLine;
  say(`run took ${secs()}`);
  if (printed.total === 0) throw new Error('the integration suite ran no test');
  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed`);
});

if (!result.ok) session.printFailure(result.error.message.split('\n')[0], 60);
// A run that never got to results still ends with the closing line scripts/test.mjs reads.
console.log(closingLine ?? '0 passed, 1 failed');
process.exit(result.ok ? 0 : 1);
