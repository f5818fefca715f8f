// What a run of the built CLI loads and sets before its command runs (issue 14): the Node
// builtins each command loads (a preload records process.moduleLoadList at exit), the V8 flags
// the launcher sets (a preload records v8.setFlagsFromString), and the help that lists every
// command although no command's code is loaded for it.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';
import { Proc } from '../teams/support';
import { CLI, runCli, useCliScratch } from './support';
import { CHECK_V8_FLAGS, commandOf, v8FlagsFor } from '../../src/cli/v8Flags';

const KEY = 'sk-test-startup-0123456789abcdefgh';

// Neither preload may load what it watches for: the first one requires nothing, the second only node:v8.
const RECORD_BUILTINS = `
const out = process.env.RECORD_OUT;
process.on('exit', () => require('fs').writeFileSync(out, JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))));
`;
const RECORD_V8_FLAGS = `
const v8 = require('node:v8');
const set = v8.setFlagsFromString;
const flags = [];
v8.setFlagsFromString = (f) => { flags.push(f); set(f); };
process.on('exit', () => require('fs').writeFileSync(process.env.RECORD_OUT, JSON.stringify(flags)));
`;

// The CLI's own bundles a run evaluated: requireSibling puts each in require.cache.
const RECORD_BUNDLES = `
process.on('exit', () => require('fs').writeFileSync(process.env.RECORD_OUT, JSON.stringify(Object.keys(require.cache).map((f) => require('path').basename(f)))));
`;

// Builtins first loaded after the launcher set a V8 flag: V8 compiles those from source (v8Flags.ts).
const RECORD_BUILTINS_AFTER_FLAGS = `
const v8 = require('node:v8');
const set = v8.setFlagsFromString;
let before;
v8.setFlagsFromString = (f) => { before ??= process.moduleLoadList.length; set(f); };
process.on('exit', () => require('fs').writeFileSync(process.env.RECORD_OUT, JSON.stringify(before === undefined ? null : process.moduleLoadList.slice(before).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))));
`;

describe('llm-balance CLI: start-up', function () {
  this.timeout(30_000);
  const server = new FakeProviderServer();
  let dir: string;
  let env: Record<string, string>;
  let out: string;
  useCliScratch(server, 'llmb-cli-startup-', (d) => {
    dir = d;
    out = path.join(d, 'recorded.json');
    env = {
      HOME: d,
      XDG_STATE_HOME: path.join(d, 'state'),
      XDG_CACHE_HOME: path.join(d, 'cache'),
      OPENROUTER_API_KEY: KEY,
      OPENROUTER_BASE_URL: `${server.url}/openrouter/api/v1`,
      RECORD_OUT: path.join(d, 'recorded.json'),
    };
  });

  const preload = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await fs.writeFile(file, text);
    return file;
  };
  /** Runs the CLI twice (the second run with the code cache the first one wrote) and returns what the preload recorded in the second. */
  const recorded = async (preloadText: string, args: string[], status = 0): Promise<string[]> => {
    const file = await preload('record.js', preloadText);
    for (let i = 0; i < 2; i++) {
      await fs.rm(out, { force: true });
      const r = await runCli(args, env, { nodeArgs: ['--require', file] });
      assert.equal(r.code, status, r.stderr);
    }
    return JSON.parse(await fs.readFile(out, 'utf8')) as string[];
  };
  const without = (loaded: string[], names: string[]) => names.filter((n) => loaded.includes(n));

  it('--help loads neither the HTTP stack nor crypto, child_process, os or v8', async () => {
    const loaded = await recorded(RECORD_BUILTINS, ['--help']);
    assert.deepEqual(without(loaded, ['http', 'http2', 'tls', 'crypto', 'child_process', 'dgram', 'os', 'v8', 'internal/fs/promises']), []);
  });

  it('history loads neither the HTTP stack nor crypto, child_process, os, v8 or fs.promises', async () => {
    const loaded = await recorded(RECORD_BUILTINS, ['history', '--json']);
    assert.deepEqual(without(loaded, ['http', 'http2', 'tls', 'crypto', 'child_process', 'dgram', 'os', 'v8', 'internal/fs/promises']), []);
  });

  it('check loads http and crypto (the probe sees what is there), but not http2, tls, assert or child_process for an http:// account', async () => {
    const loaded = await recorded(RECORD_BUILTINS, ['check', '--json', '--force']);
    assert.deepEqual(without(loaded, ['http', 'crypto', 'v8']), ['http', 'crypto', 'v8']);
    assert.deepEqual(without(loaded, ['http2', 'tls', 'assert', 'child_process', 'dgram', 'internal/fs/rimraf']), []);
  });

  it('a plain check goes straight to the check bundle; any other command line goes through commander', async () => {
    const check = await recorded(RECORD_BUNDLES, ['check', '--json', '--force']);
    assert.ok(check.includes('checkCommand.js'), `the check bundle ran: ${check.join(', ')}`);
    assert.ok(!check.includes('cliMain.js'), `the command line's bundle (commander) was not needed: ${check.join(', ')}`);
    // A typo is commander's to explain, with check's own help after it.
    const typo = await runCli(['check', '--jsn'], env);
    assert.equal(typo.code, 3);
    assert.match(typo.stderr, /unknown option '--jsn'[\s\S]*Usage: llm-balance check/);
    for (const args of [['history', '--json'], ['--help']]) {
      assert.ok((await recorded(RECORD_BUNDLES, args)).includes('cliMain.js'), `${args.join(' ')} goes through commander`);
    }
  });

  it('check runs with Liftoff only; history and --help set no flag', async () => {
    assert.deepEqual(await recorded(RECORD_V8_FLAGS, ['check', '--json', '--force']), [...CHECK_V8_FLAGS]);
    assert.deepEqual(await recorded(RECORD_V8_FLAGS, ['history']), []);
    assert.deepEqual(await recorded(RECORD_V8_FLAGS, ['--help']), []);
  });

  it('check loads the builtins it needs before it sets its V8 flag, so that they load from Node\'s code cache', async () => {
    const after = await recorded(RECORD_BUILTINS_AFTER_FLAGS, ['check', '--json', '--force']);
    assert.ok(after, 'the flag was set');
    // Two small ones are left: the public face of `process`, and the state of a callback readFile (history.json).
    assert.deepEqual(after.filter((m) => m !== 'process' && m !== 'internal/fs/read/context'), [], `loaded after the flag: ${after.join(', ')}`);
  });

  it('serve keeps V8 tier-up: the launcher sets no flag for it', async () => {
    const file = await preload('record.js', RECORD_V8_FLAGS);
    const proc = new Proc('serve', process.execPath, ['--require', file, CLI, 'serve', '--listen', '127.0.0.1:0', '--interval', '30'], { PATH: process.env.PATH ?? '', ...env });
    try {
      await proc.waitFor(/serving http:\/\/127\.0\.0\.1:\d+\/metrics/, 15_000);
    } finally {
      assert.equal((await proc.stop('SIGTERM')).code, 0, proc.out);
    }
    assert.deepEqual(JSON.parse(await fs.readFile(out, 'utf8')), []);
  });

  it('the flags follow the command word, wherever the options are', () => {
    assert.equal(commandOf(['--json', 'check']), 'check');
    assert.equal(commandOf(['check', '--json']), 'check');
    assert.equal(commandOf(['--help']), undefined);
    assert.deepEqual(v8FlagsFor(['check', '--json', '--force']), CHECK_V8_FLAGS);
    assert.deepEqual(v8FlagsFor(['serve', '--interval', '5']), []);
    assert.deepEqual(v8FlagsFor(['history', '48']), []);
    assert.deepEqual(v8FlagsFor(['help', 'check']), []);
    assert.deepEqual(v8FlagsFor([]), []);
  });

  it('--help still lists every command and check --help every option, with no command loaded', async () => {
    const help = await runCli(['--help'], env);
    assert.equal(help.code, 0, help.stderr);
    for (const [command, words] of [['check', /check every account; exit 0 ok, 1 warning, 2/], ['serve', /check every --interval minutes/], ['history', /show recorded balances/]] as const) {
      assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), `--help lists ${command}`);
      assert.match(help.stdout, words);
    }
    const check = await runCli(['check', '--help'], env);
    assert.equal(check.code, 0, check.stderr);
    for (const option of ['--json', '--format <format>', '--textfile <dir>', '--force', '--force-notify', '--config <file>', '--state-dir <dir>']) {
      assert.ok(check.stdout.includes(option), `check --help lists ${option}:\n${check.stdout}`);
    }
    assert.equal(server.hits('/openrouter/api/v1/credits').length, 0, 'help checks nothing');
  });
});
