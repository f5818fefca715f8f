// The production build of the extension in a folder of its own (what an installed .vsix holds),
// for the benchmarks that load it into code-server.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './vscode-host.mjs';

/** `from`: the sources to build (the repository by default); `name`: the folder's name under `work`. */
export function stageProductionExtension(work, { from = repoRoot, name = 'llm-balance' } = {}) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${path.join(dir, 'dist')}`], { cwd: from, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`production build failed:\n${r.stderr}`);
  for (const f of fs.readdirSync(from)) if (f === 'package.json' || /^package\.nls.*\.json$/.test(f)) fs.copyFileSync(path.join(from, f), path.join(dir, f));
  for (const d of ['l10n', 'media']) fs.cpSync(path.join(from, d), path.join(dir, d), { recursive: true });
  return dir;
}

/** The production build of git revision `ref` (e.g. main) or of a source folder, for a before/after comparison in one run. */
export function stageProductionExtensionAt(work, ref) {
  if (fs.existsSync(path.join(ref, 'esbuild.mjs'))) return stageProductionExtension(work, { from: path.resolve(ref), name: 'llm-balance-baseline' });
  const src = path.join(work, `src-${ref.replace(/[^\w.-]/g, '_')}`);
  fs.mkdirSync(src, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', ref], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', src], { input: tar });
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(src, 'node_modules'));
  return stageProductionExtension(work, { from: src, name: `llm-balance-${path.basename(src)}` });
}

/** The floor extension's code under LLM Balance's manifest (contributions, settings, walkthrough): what the manifest alone costs. */
export function stageFloorWithOurManifest(work, floorDir) {
  const dir = path.join(work, 'floor-with-our-manifest');
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(floorDir, 'extension.js'), path.join(dir, 'dist', 'extension.js'));
  for (const f of fs.readdirSync(repoRoot)) if (f === 'package.json' || /^package\.nls.*\.json$/.test(f)) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
  for (const d of ['l10n', 'media']) fs.cpSync(path.join(repoRoot, d), path.join(dir, d), { recursive: true });
  return dir;
}
