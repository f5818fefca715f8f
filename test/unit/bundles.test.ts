// What each extension bundle carries (issue 14): the main thread's bundles — the extension and
// the engine's main-thread half — hold neither undici nor classic zod; the check worker holds
// both the HTTP stack and the providers. Read from esbuild's metafile of the real entry points;
// the names the lazily loaded bundles export, from those bundles as esbuild.mjs builds them.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { LOADED_LATER } from '../../src/vscode/engineLoader';
import { installFakeVscode } from '../fake/vscodeModule';

const root = path.resolve(__dirname, '../../..');

async function probe(entry: string, format: 'cjs' | 'esm' = 'cjs'): Promise<esbuild.Metafile['outputs'][string]> {
  const r = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outdir: path.join(root, 'out/bundle-probe'),
    external: ['vscode', './engine.js', './engine-main.js', './engine-panel.js', './mailer.js', './commands.js'],
  });
  return Object.values(r.metafile.outputs).find((o) => o.entryPoint)!;
}

async function inputsOf(entry: string): Promise<string[]> {
  // Only what made it into the output: a module tree-shaken to nothing costs nothing.
  return Object.entries((await probe(entry)).inputs).filter(([, v]) => v.bytesInOutput > 0).map(([f]) => f);
}

const undici = (files: string[]) => files.filter((f) => f.startsWith('node_modules/undici/'));
const classicZod = (files: string[]) => files.filter((f) => f.startsWith('node_modules/zod/') && !/node_modules\/zod\/v4\/(core|mini|locales)\//.test(f));

describe('extension bundles', function () {
  this.timeout(60_000);

  for (const entry of ['src/extensionMain.ts', 'src/engineMain.ts']) {
    it(`${entry}: no undici, no classic zod (the main thread's part of a check)`, async () => {
      const files = await inputsOf(entry);
      assert.ok(files.length > 5, `esbuild saw the entry's modules: ${files.length}`);
      assert.deepEqual(undici(files), []);
      assert.deepEqual(classicZod(files), []);
    });
  }

  it('src/checkWorker.ts: undici and the providers, which the main thread leaves to it', async () => {
    const files = await inputsOf('src/checkWorker.ts');
    assert.ok(undici(files).length > 10, 'undici is in the worker');
    assert.ok(files.includes('src/core/providers/openrouter.ts') && files.includes('src/core/http.ts'));
  });

  it('src/engineMain.ts holds the providers\' descriptors but none of the HTTP client', async () => {
    const files = await inputsOf('src/engineMain.ts');
    assert.ok(files.includes('src/core/providers/registry.ts'));
    assert.ok(!files.some((f) => f.includes('alerts/channels/')), 'the alert channels load with dist/engine.js');
    assert.ok(!files.some((f) => f.startsWith('src/panel/')), 'the panel loads with its own bundle');
    // The providers' API reading is the worker's: their adapters stay, their checks do not come along.
    assert.ok(!files.includes('src/core/providers/checks.ts'), 'no provider checks on the main thread');
  });

  it('src/engineBundle.ts (dist/engine.js) holds none of the other bundles\' code', async () => {
    const files = await inputsOf('src/engineBundle.ts');
    assert.ok(files.includes('src/core/http.ts') && files.includes('src/core/check.ts'), 'the bundle was built from the engine');
    const elsewhere = ['src/core/checkScheduler.ts', 'src/core/checkWorker.ts', 'src/core/history.ts', 'src/core/readConfig.ts', 'src/core/decideAlerts.ts'];
    assert.deepEqual(files.filter((f) => elsewhere.includes(f) || f.startsWith('src/panel/')), [], 'engine-main.js and engine-panel.js code in engine.js');
  });
});

describe('the bundles engine() loads later, as built: their exports are the loader\'s table', function () {
  this.timeout(120_000);
  let work: string;
  let dist: string;
  const forgetBundles = () => {
    for (const f of Object.keys(require.cache)) if (f.startsWith(dist + path.sep)) delete require.cache[f];
  };

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-bundles-'));
    dist = path.join(work, 'dist');
    execFileSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${dist}`], { cwd: root, stdio: 'pipe' });
  });
  after(() => {
    forgetBundles();
    fs.rmSync(work, { recursive: true, force: true });
  });

  for (const file of ['./engine.js', './engine-panel.js'] as const) {
    it(`dist/${file.slice(2)} exports exactly the names LOADED_LATER reads from it: none missing, none unused`, () => {
      // engine-panel.js requires vscode (and extension-main.js, for the modules it shares with it).
      const fake = installFakeVscode();
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = Object.keys(require(path.join(dist, file)) as object);
        const taken = Object.entries(LOADED_LATER).filter(([, f]) => f === file).map(([name]) => name);
        assert.ok(taken.length > 0, `the table names ${file}`);
        assert.deepEqual(exported.sort(), taken.sort());
      } finally {
        fake.uninstall();
        forgetBundles();
      }
    });
  }
});
