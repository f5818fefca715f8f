// Runs the integration suite (out/test/integration/index.js) in desktop VS Code through
// @vscode/test-electron — the standard launcher for machines that have VS Code installed
// (set VSCODE_EXECUTABLE to its binary) or can download it (VSCODE_VERSION, default 'stable').
// On machines that reach only the npm registry, scripts/run-integration.mjs (code-server in
// chromium) runs the same suite instead; scripts/test.mjs picks between the two.
//
//   VSCODE_EXECUTABLE=/usr/bin/code node scripts/run-integration-electron.mjs
//
// Builds nothing: run `npm run build` and `tsc -p . --outDir out` first.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { printResults, repoRoot } from './vscode-host.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-integration-electron-'));
const resultsFile = path.join(work, 'results.json');
const workspace = path.join(work, 'workspace');
fs.mkdirSync(workspace);

let code = 1;
try {
  const exe = process.env.VSCODE_EXECUTABLE;
  const status = await runTests({
    ...(exe ? { vscodeExecutablePath: exe } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    extensionTestsEnv: { LLMB_TEST_RESULTS: resultsFile },
    launchArgs: [
      workspace,
      '--disable-extensions', // other installed extensions stay out of the way
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir', path.join(work, 'ud'),
      '--extensions-dir', path.join(work, 'ext'),
    ],
  }).catch((e) => {
    console.error(`[integration] VS Code failed: ${e?.message ?? e}`);
    return 1;
  });
  if (!fs.existsSync(resultsFile)) {
    console.error(`[integration] FAILED: VS Code ended (${status}) without writing results`);
  } else {
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    const { total, closingLine } = printResults(results);
    if (total === 0) console.error('[integration] FAILED: the integration suite ran no test');
    else if (results.failed === 0 && status === 0) code = 0;
    console.log(closingLine);
  }
} catch (e) {
  console.error(`[integration] FAILED: ${e?.stack ?? e}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(code);
