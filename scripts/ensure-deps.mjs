// `prestart` / `pretest`: makes a fresh clone work with nothing installed. Runs `npm ci` when
// node_modules is missing or older than package-lock.json (npm's own record of the last install,
// node_modules/.package-lock.json, is what "older" compares), then lets the script go on.
// Plain Node and nothing else, since it runs before any dependency is there.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const mtime = (f) => { try { return fs.statSync(f).mtimeMs; } catch { return undefined; } };

const lockTime = mtime(lock);
const installTime = mtime(installed);
let why;
if (lockTime === undefined) why = undefined; // no lock file: nothing to install from (npm ci would refuse)
else if (installTime === undefined) why = 'node_modules is missing';
else if (installTime < lockTime) why = 'node_modules is older than package-lock.json';

if (why) {
  console.log(`[deps] ${why}: running npm ci…`);
  const t = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`[deps] npm ci failed (exit ${r.status ?? r.signal}); fix that and run the command again.`);
    process.exit(r.status || 1);
  }
  console.log(`[deps] npm ci took ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
