// scripts/ensure-deps.mjs, the `prestart` / `pretest` step that lets a fresh clone run `npm test`:
// run for real in a scratch copy of the repository layout, with an `npm` on PATH that records
// how it was called (and can fail), so no real install happens.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'ensure-deps.mjs');

describe('ensure-deps (prestart / pretest)', () => {
  let root: string;
  let calls: string;

  function run(npmExit = 0) {
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    // The stand-in npm: records its arguments and working folder; `npm ci` makes node_modules as npm would.
    fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$PWD $*" >> "${calls}"\n[ ${npmExit} = 0 ] && mkdir -p node_modules && echo '{}' > node_modules/.package-lock.json\nexit ${npmExit}\n`, { mode: 0o755 });
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-deps.mjs')], {
      encoding: 'utf8', env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    });
    const called = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean) : [];
    return { status: r.status, out: r.stdout + r.stderr, called };
  }
  const setTime = (file: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(file, t, t);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-deps-'));
    calls = path.join(root, 'npm-calls.txt');
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.copyFileSync(SCRIPT, path.join(root, 'scripts', 'ensure-deps.mjs'));
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion": 3}');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('runs npm ci in the repository when node_modules is missing', () => {
    const r = run();
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(r.called, [`${fs.realpathSync(root)} ci --no-audit --no-fund`]);
    assert.match(r.out, /node_modules is missing: running npm ci/);
  });

  it('does nothing when node_modules is newer than package-lock.json', () => {
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'node_modules', '.package-lock.json'), '{}');
    setTime(path.join(root, 'package-lock.json'), 60);
    const r = run();
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(r.called, []);
    assert.equal(r.out, '');
  });

  it('runs npm ci when package-lock.json changed after the last install', () => {
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'node_modules', '.package-lock.json'), '{}');
    setTime(path.join(root, 'node_modules', '.package-lock.json'), 60);
    const r = run();
    assert.equal(r.status, 0, r.out);
    assert.equal(r.called.length, 1);
    assert.match(r.out, /older than package-lock\.json/);
  });

  it('a node_modules folder without npm\'s install record counts as missing', () => {
    fs.mkdirSync(path.join(root, 'node_modules', 'esbuild'), { recursive: true });
    const r = run();
    assert.equal(r.called.length, 1, r.out);
  });

  it('a failing npm ci stops the script with its exit code and says so', () => {
    const r = run(3);
    assert.equal(r.status, 3);
    assert.match(r.out, /npm ci failed \(exit 3\)/);
  });
});

describe('the locked dependencies and this Node', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  // npm's own EBADENGINE test is semver.satisfies(node, engines.node); semver comes with npm's tree.
  const semver = createRequire(path.join(root, 'package.json'))('semver') as { satisfies(v: string, range: string): boolean };
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
  };

  it('this Node is one package.json accepts', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.ok(semver.satisfies(process.version, pkg.engines.node), `${process.version} vs ${pkg.engines.node}`);
  });

  it('no locked package wants another Node (npm ci would warn EBADENGINE)', () => {
    const refused = Object.entries(lock.packages)
      .map(([where, p]) => ({ where, version: p.version, node: Array.isArray(p.engines) ? undefined : p.engines?.node }))
      .filter((p) => p.where !== '' && p.node !== undefined && !semver.satisfies(process.version, p.node))
      .map((p) => `${p.where.replace(/^.*node_modules\//, '')}@${p.version} wants node ${p.node}`);
    assert.deepEqual(refused, [], `on ${process.version}`);
  });
});
