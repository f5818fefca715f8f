// The production build of the extension in a folder of its own (what an installed .vsix holds),
// for the benchmarks that load it into code-server.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './vscode-host.mjs';

export function stageProductionExtension(work) {
  const dir = path.join(work, 'llm-balance');
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${path.join(dir, 'dist')}`], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`production build failed:\n${r.stderr}`);
  for (const f of fs.readdirSync(repoRoot)) if (f === 'package.json' || /^package\.nls.*\.json$/.test(f)) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
  for (const d of ['l10n', 'media']) fs.cpSync(path.join(repoRoot, d), path.join(dir, d), { recursive: true });
  return dir;
}
