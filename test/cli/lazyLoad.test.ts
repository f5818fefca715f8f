// `--help` and `history` must never load the HTTP stack (issue 14): undici is required by the
// first HttpClient, not on import; each command's code is required when it runs, so `--help`
// loads no zod and `history` no provider. Each run is a fresh process that reports require.cache.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';

const MAIN = path.resolve(__dirname, '../../src/cli/main.js');

interface Loaded {
  code: number;
  undici: string[];
  zod: string[];
  /** Our own modules, relative to out/src. */
  ours: string[];
}

/** Runs main(args) in a fresh node and returns the modules it loaded. */
function loadedUndici(args: string[], env: Record<string, string>): Promise<Loaded> {
  const probe = `
    const { main } = require(${JSON.stringify(MAIN)});
    main(${JSON.stringify(args)}).then((code) => {
      const path = require('path');
      const files = Object.keys(require.cache);
      const under = (name) => files.filter((f) => f.split(path.sep).includes(name));
      const src = path.resolve(${JSON.stringify(path.dirname(MAIN))}, '..');
      const ours = files.filter((f) => f.startsWith(src + path.sep)).map((f) => path.relative(src, f).split(path.sep).join('/'));
      process.stderr.write('\\nPROBE' + JSON.stringify({ code, undici: under('undici'), zod: under('zod'), ours }) + '\\n');
    });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', probe], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (err, _stdout, stderr) => {
      const m = /PROBE(.*)\n/.exec(stderr);
      if (!m) return reject(new Error(`no probe output: ${err?.message ?? ''}\n${stderr}`));
      resolve(JSON.parse(m[1] ?? '') as Loaded);
    });
  });
}

describe('llm-balance CLI: lazy loading', function () {
  this.timeout(30_000);
  let dir: string;
  const server = new FakeProviderServer();
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmb-lazy-'));
    await server.start();
    server.route('GET', '/api/v1/credits', { body: { data: { total_credits: 10, total_usage: 1 } } });
    server.route('GET', '/api/v1/key', { body: { data: { limit: null, usage: 1 } } });
  });
  after(async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('--help does not load undici, zod or any command', async () => {
    const r = await loadedUndici(['--help'], {});
    assert.equal(r.code, 0);
    assert.deepEqual(r.undici, []);
    assert.deepEqual(r.zod, []);
    assert.deepEqual(r.ours.filter((f) => /^cli\/(checkCommand|historyCommand|serve|stateSession)\.js$|^core\/(engine|model|http)\.js$/.test(f)), []);
  });

  it('history does not load undici, the engine or any provider', async () => {
    const r = await loadedUndici(['history', '--json', '--state-dir', dir], {});
    assert.equal(r.code, 0);
    assert.deepEqual(r.undici, []);
    assert.ok(r.ours.includes('cli/historyCommand.js'), 'the probe sees the history command');
    assert.deepEqual(r.ours.filter((f) => f.startsWith('core/providers/') || /^cli\/(checkCommand|serve|stateSession)\.js$|^core\/(engine|model|http)\.js$/.test(f)), []);
  });

  it('check does load undici (the probe sees it when it is there)', async () => {
    const r = await loadedUndici(['check', '--json', '--state-dir', dir], {
      OPENROUTER_API_KEY: 'sk-or-v1-lazy-test-0123456789abcdef',
      OPENROUTER_BASE_URL: `${server.url}/api/v1`,
    });
    assert.ok(r.undici.length > 0, 'check ran without undici in require.cache');
  });
});
