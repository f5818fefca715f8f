// Integration suite entry: VS Code (desktop through @vscode/test-electron, or code-server in a
// browser through scripts/run-integration.mjs) loads this module inside the real extension host
// as `extensionTestsPath` and calls `run()`. It runs mocha over every compiled
// out/test/integration/**/*.test.js and writes the results as JSON to a file the launcher waits
// for, because a code-server workbench does not report test results back by itself.
//
// Where the results go: the file named by LLMB_TEST_RESULTS when that variable reaches the
// extension host (code-server's extension host inherits code-server's environment, and the
// launchers set it there), else test-results/integration.json under the repository root.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface IntegrationResults {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string; stack?: string }[];
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number }[];
  vscodeVersion: string;
  appName: string;
  uiKind: string;
  resultsFrom: 'env' | 'default';
  durationMs: number;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const defaultResultsFile = path.join(repoRoot, 'test-results', 'integration.json');

function testFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

function writeResults(file: string, results: IntegrationResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so that a launcher polling for the file never reads half of it.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, file);
}

/** Mocha wants a reporter; this one prints nothing (run() prints its own lines). */
class QuietReporter extends Mocha.reporters.Base {}

function errorText(err: unknown): { error: string; stack?: string } {
  if (err instanceof Error) return { error: err.message, stack: err.stack };
  return { error: String(err) };
}

export async function run(): Promise<void> {
  const started = Date.now();
  const fromEnv = process.env.LLMB_TEST_RESULTS;
  const resultsFile = fromEnv || defaultResultsFile;
  const results: IntegrationResults = {
    passed: 0,
    failed: 0,
    pending: 0,
    failures: [],
    tests: [],
    vscodeVersion: vscode.version,
    appName: vscode.env.appName,
    uiKind: vscode.UIKind[vscode.env.uiKind] ?? String(vscode.env.uiKind),
    resultsFrom: fromEnv ? 'env' : 'default',
    durationMs: 0,
  };
  console.log(`[integration] VS Code ${vscode.version} (${vscode.env.appName}, ${results.uiKind}); results -> ${resultsFile}`);

  // The extension host's console reaches the launcher only through the workbench page, one
  // pre-formatted line at a time (printf-style arguments do not survive), so report by hand.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: QuietReporter });
  try {
    const files = testFiles(__dirname);
    if (files.length === 0) throw new Error(`no *.test.js under ${__dirname}: the integration suite is empty`);
    for (const f of files) mocha.addFile(f);
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => {
        console.log(`[integration]   ✓ ${t.fullTitle()} (${t.duration ?? 0} ms)`);
        results.passed++;
        results.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
      });
      runner.on('fail', (t, err) => {
        console.log(`[integration]   ✗ ${t.fullTitle()}: ${errorText(err).error}`);
        results.failed++;
        results.failures.push({ title: t.fullTitle(), ...errorText(err) });
        if (t.type === 'test') results.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration });
      });
      runner.on('pending', (t) => {
        results.pending++;
        results.tests.push({ title: t.fullTitle(), state: 'pending' });
      });
    });
  } catch (err) {
    // A test file that does not load (or no test file at all) is a failure, not a skip.
    results.failed++;
    results.failures.push({ title: 'loading the integration suite', ...errorText(err) });
  }
  results.durationMs = Date.now() - started;
  writeResults(resultsFile, results);
  console.log(`[integration] ${results.passed} passed, ${results.failed} failed, ${results.pending} pending`);
  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed.`);
}
