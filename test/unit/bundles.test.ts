// What each extension bundle carries (issue 14): the main thread's bundles — the extension and
// the engine's main-thread half — hold neither undici nor classic zod; the check worker holds
// both the HTTP stack and the providers. Read from esbuild's metafile of the real entry points.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { LOADED_LATER } from '../../src/vscode/engineLoader';

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

  for (const entry of ['src/extension.ts', 'src/engineMain.ts']) {
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
    assert.ok(!files.some((f) => f.includes('alerts/channels/')), 'the alert channels load with the whole engine');
    assert.ok(!files.some((f) => f.startsWith('src/panel/')), 'the panel loads with its own bundle');
    // The providers' API reading is the worker's: their adapters stay, their checks do not come along.
    assert.ok(!files.includes('src/core/providers/checks.ts'), 'no provider checks on the main thread');
  });

  it('src/engineBundle.ts (dist/engine.js) exports only what engine() takes from it, and none of the other bundles\' code', async () => {
    // ESM output, for esbuild's list of the entry's export names.
    const out = await probe('src/engineBundle.ts', 'esm');
    const taken = Object.entries(LOADED_LATER).filter(([, file]) => file === './engine.js').map(([name]) => name);
    assert.deepEqual([...out.exports].sort(), taken.sort());
    const files = Object.entries(out.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([f]) => f);
    assert.ok(files.includes('src/core/http.ts') && files.includes('src/core/check.ts'), 'the bundle was built from the engine');
    const elsewhere = ['src/core/checkScheduler.ts', 'src/core/checkWorker.ts', 'src/core/history.ts', 'src/core/readConfig.ts', 'src/core/decideAlerts.ts'];
    assert.deepEqual(files.filter((f) => elsewhere.includes(f) || f.startsWith('src/panel/')), [], 'engine-main.js and engine-panel.js code in engine.js');
  });
});
