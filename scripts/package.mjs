// `npm run package`: llm-balance-<version>.vsix with @vscode/vsce, from production bundles only.
// Builds with --production into a staging folder (so no development map can slip in and the
// dist/ that tests and `npm start` use stays as it is), packages it there without touching the
// network (--no-dependencies: the bundles hold every dependency; README links are resolved
// against package.json's repository), then lists what the VSIX holds and fails when it is over
// 2 MB (SPEC §13), lacks a part, or holds a file that only development needs.
//
//   npm run package            # → llm-balance-<version>.vsix in the repository root
//   node scripts/package.mjs --out DIR
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { out: { type: 'string', default: root } } });
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(path.resolve(args.out), `${pkg.name}-${pkg.version}.vsix`);
const MAX_BYTES = 2 * 1024 * 1024;
const say = (s) => console.log(`[package] ${s}`);

function run(cmd, cmdArgs, cwd = root) {
  const r = spawnSync(cmd, cmdArgs, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`[package] ${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

const t0 = Date.now();
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-package-'));
process.on('exit', () => fs.rmSync(stage, { recursive: true, force: true }));
for (const f of fs.readdirSync(root)) {
  if (['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media', 'l10n'].includes(f) || /^package\.nls.*\.json$/.test(f)) {
    fs.cpSync(path.join(root, f), path.join(stage, f), { recursive: true });
  }
}
run('node', ['esbuild.mjs', '--production', `--outdir=${path.join(stage, 'dist')}`]);
fs.mkdirSync(path.dirname(vsix), { recursive: true });
fs.rmSync(vsix, { force: true });
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
run(process.execPath, [vsce, 'package', '--no-dependencies', '--no-update-package-json', '--out', vsix], stage);

// What went in: vsce's own listing of the package (no unzip needed).
const ls = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8' });
const files = ls.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
const size = fs.statSync(vsix).size;
say(`${path.relative(process.cwd(), vsix) || vsix}: ${(size / 1024).toFixed(0)} KB, ${files.length} files: ${files.join(', ')}`);
const devOnly = files.filter((f) => /\.(map|ts|tsbuildinfo)$|^(src|test|scripts|out|node_modules|\.ci)\//.test(f) || f === 'dist/cli.js');
if (devOnly.length) {
  console.error(`[package] the VSIX holds development files: ${devOnly.join(', ')} (see .vscodeignore)`);
  process.exit(1);
}
for (const needed of ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json', 'media/walkthrough/add-key.md', 'media/walkthrough/add-key.nls.zh-cn.md', 'dist/extension.js', 'dist/extension-main.js', 'dist/commands.js', 'dist/engine.js', 'dist/engine-main.js', 'dist/engine-panel.js', 'dist/check-worker.js', 'dist/webview.js', 'dist/webview-charts.js', pkg.icon, 'README.md', 'CHANGELOG.md', 'LICENSE']) {
  if (!files.includes(needed)) {
    console.error(`[package] the VSIX lacks ${needed}`);
    process.exit(1);
  }
}
if (size > MAX_BYTES) {
  console.error(`[package] the VSIX is ${(size / 1024 / 1024).toFixed(2)} MB, over the 2 MB limit`);
  process.exit(1);
}
say(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
