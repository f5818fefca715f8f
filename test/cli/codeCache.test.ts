// The V8 code cache of the built CLI (src/cli/codeCache.ts) is only ever a shortcut: a first
// run writes it, later runs use it, and a corrupt, stale, foreign or unwritable cache changes
// nothing a user sees. The built bundles are copied to a temporary folder so that a test can
// edit one; each run is a real child process.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';
import { CLI, runCli, useCliScratch, type CliRun as Run } from './support';

const DIST = path.dirname(CLI);
const KEY = 'sk-test-codecache-0123456789abcdef';

describe('llm-balance CLI: V8 code cache', function () {
  this.timeout(60_000);
  const server = new FakeProviderServer();
  let dir: string;
  let bin: string;
  let cacheHome: string;
  let cacheDir: string;
  useCliScratch(server, 'llmb-codecache-', (d) => {
    dir = d;
    bin = path.join(dir, 'dist');
    cacheHome = path.join(dir, 'cache');
    cacheDir = path.join(cacheHome, 'llm-balance', 'v8');
  });
  beforeEach(async () => {
    await fs.mkdir(bin);
    for (const f of ['cli.js', 'cliMain.js', 'checkCommand.js', 'historyCommand.js', 'mailer.js']) await fs.copyFile(path.join(DIST, f), path.join(bin, f));
  });

  /** The copied CLI, with its own cache and state folders. */
  const run = (args: string[], extra: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Run> => runCli(args, {
    HOME: dir, XDG_CACHE_HOME: cacheHome, XDG_STATE_HOME: path.join(dir, 'state'),
    OPENROUTER_API_KEY: KEY, OPENROUTER_BASE_URL: `${server.url}/openrouter/api/v1`, ...extra,
  }, { cli: path.join(bin, 'cli.js'), nodeArgs });
  /** A usage error raised inside dist/checkCommand.js: the bundle is loaded, nothing else happens. */
  const usageRun = () => run(['check', '--format', 'none']);
  const cacheFiles = async () => (await fs.readdir(cacheDir).catch(() => [] as string[])).sort();
  const checkCache = async () => {
    const files = (await cacheFiles()).filter((f) => f.startsWith('checkCommand-'));
    assert.equal(files.length, 1, `one cache for checkCommand.js: ${files.join(', ')}`);
    return path.join(cacheDir, files[0]!);
  };
  const expectUsageError = (r: Run) => {
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /--format must be one of table, json, openmetrics, got "none"/);
  };

  it('the first run of a command writes its cache, private to the user; the next run uses it as it is', async () => {
    assert.equal((await run(['--help'])).code, 0);
    assert.deepEqual((await cacheFiles()).map((f) => f.replace(/-[0-9a-f]{16}\.v8$/, '')), ['cliMain'], '--help caches the command line, no command');
    expectUsageError(await usageRun());
    const file = await checkCache();
    const st = await fs.stat(file);
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal((await fs.stat(cacheDir)).mode & 0o777, 0o700);
    expectUsageError(await usageRun());
    const again = await fs.stat(file);
    // A cache that was used is not written again; one that V8 or the digest refused would be.
    assert.equal(again.ino, st.ino);
    assert.equal(again.mtimeMs, st.mtimeMs);
  });

  it('a check with the cache answers exactly as one without it', async () => {
    const uncached = await run(['check', '--json', '--force'], { LLM_BALANCE_NO_CODE_CACHE: '1' });
    assert.deepEqual(await cacheFiles(), [], 'LLM_BALANCE_NO_CODE_CACHE writes no cache');
    await run(['check', '--json', '--force']);
    await checkCache();
    const cached = await run(['check', '--json', '--force']);
    const strip = (r: Run) => {
      const j = JSON.parse(r.stdout) as { checkedAt: string; accounts: { checkedAt: string }[] };
      return { ...j, checkedAt: '', accounts: j.accounts.map((a) => ({ ...a, checkedAt: '' })) };
    };
    assert.equal(uncached.code, 0, uncached.stderr);
    assert.equal(cached.code, uncached.code, cached.stderr);
    assert.deepEqual(strip(cached), strip(uncached));
    assert.equal(cached.stderr, uncached.stderr);
  });

  it('a corrupt or truncated cache is ignored and replaced', async () => {
    expectUsageError(await usageRun());
    const file = await checkCache();
    const good = await fs.readFile(file);
    // Flipped bytes in the bytecode: V8 alone would accept them (it keeps no checksum in release builds).
    const flipped = Buffer.from(good);
    for (let i = 100; i < flipped.length; i += Math.floor(flipped.length / 50)) flipped[i] = flipped[i]! ^ 0xff;
    await fs.writeFile(file, flipped, { mode: 0o600 });
    expectUsageError(await usageRun());
    const rewritten = await fs.readFile(file);
    assert.notDeepEqual(rewritten, flipped, 'the corrupt cache was replaced');
    assert.ok(rewritten.length > good.length / 2, 'by a whole one');

    await fs.writeFile(file, good.subarray(0, 60), { mode: 0o600 });
    expectUsageError(await usageRun());
    assert.ok((await fs.readFile(file)).length > good.length / 2, 'the truncated cache was replaced by a whole one');
    await fs.writeFile(file, 'not a cache at all', { mode: 0o600 });
    expectUsageError(await usageRun());
  });

  it('a cache made from an older bundle of the same length is not used', async () => {
    expectUsageError(await usageRun());
    await checkCache();
    // Same length, different code: V8 compares only the source's length.
    const bundle = path.join(bin, 'checkCommand.js');
    const text = await fs.readFile(bundle, 'utf8');
    assert.ok(text.includes('--format must be one of'));
    await fs.writeFile(bundle, text.replace('--format must be one of', '--format MUST be one of'));
    const r = await usageRun();
    assert.equal(r.code, 3);
    assert.match(r.stderr, /--format MUST be one of/, 'the edited bundle ran, not the cached bytecode');
  });

  it('a cache file that others can write is not run', async () => {
    expectUsageError(await usageRun());
    const file = await checkCache();
    const before = await fs.stat(file);
    await fs.chmod(file, 0o666);
    expectUsageError(await usageRun());
    const after = await fs.stat(file);
    assert.equal(after.mode & 0o777, 0o600, 'replaced by a private one');
    assert.notEqual(after.ino, before.ino);
  });

  it('each set of V8 flags has its own cache: check (Liftoff only) and --help do not replace each other\'s', async () => {
    // `check --help` runs under check's flag and goes through the command line's bundle, as --help does.
    const checkHelp = async () => assert.match((await run(['check', '--help'])).stdout, /Usage: llm-balance check/);
    assert.equal((await run(['--help'])).code, 0);
    await checkHelp();
    const cliMain = (await cacheFiles()).filter((f) => f.startsWith('cliMain-'));
    assert.equal(cliMain.length, 2, `one command-line cache per flag set: ${cliMain.join(', ')}`);
    const stats = async () => Promise.all(cliMain.map((f) => fs.stat(path.join(cacheDir, f)).then((s) => [s.ino, s.mtimeMs])));
    const before = await stats();
    assert.equal((await run(['--help'])).code, 0);
    await checkHelp();
    assert.deepEqual(await stats(), before, 'both were used as they were');
  });

  it('on a Node whose zlib has no crc32 the cache is off and the run is as it was', async () => {
    const preload = path.join(dir, 'no-crc32.js');
    await fs.writeFile(preload, "delete require('node:zlib').crc32;\n");
    const r = await run(['check', '--json', '--force'], {}, ['--require', preload]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { accounts: unknown[] }).accounts.length, 1);
    assert.equal(r.stderr, '');
    assert.deepEqual(await cacheFiles(), []);
  });

  it('a cache directory that cannot be made leaves the run as it was', async () => {
    // A file where the directory would be: mkdir fails (ENOTDIR), even for root.
    await fs.writeFile(cacheHome, 'in the way');
    const r = await run(['check', '--json', '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { accounts: unknown[] }).accounts.length, 1);
    assert.equal(r.stderr, '');
    expectUsageError(await usageRun());
  });
});
