// The launcher reads a plain `check` without commander (src/cli/checkArgs.ts). Whatever it
// reads, commander must read the same way; whatever it cannot read exactly, it leaves to commander.
import * as assert from 'node:assert/strict';
import { quickCheckFlags, type CheckFlags } from '../../src/cli/checkArgs';
import { commandLine } from '../../src/cli/main';

/** The flags commander hands to `check` for `argv`; undefined when it stops with an error or the help. */
async function commanderFlags(argv: string[]): Promise<CheckFlags | undefined> {
  let flags: CheckFlags | undefined;
  const program = commandLine({
    check: async (f) => {
      flags = { ...f };
    },
    serve: async () => undefined,
    history: async () => undefined,
  });
  const quiet = (p: typeof program) => {
    p.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    for (const c of p.commands) quiet(c);
  };
  quiet(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch {
    return undefined;
  }
  return flags;
}

const plain = (f: CheckFlags | undefined) => (f === undefined ? undefined : { ...f });

describe('llm-balance CLI: a plain check read without commander', () => {
  // Read by the launcher: what cron jobs, CI and the README run.
  const quick: [string[], CheckFlags][] = [
    [['check'], {}],
    [['check', '--json', '--force'], { json: true, force: true }],
    [['check', '--force', '--json', '--state-dir', '/var/lib/llmb'], { json: true, force: true, stateDir: '/var/lib/llmb' }],
    [['check', '--format=openmetrics', '--textfile', '/var/lib/node_exporter'], { format: 'openmetrics', textfile: '/var/lib/node_exporter' }],
    [['check', '--format', 'table', '--config', 'accounts.json', '--force-notify'], { format: 'table', config: 'accounts.json', forceNotify: true }],
    [['check', '--format', 'json', '--format', 'table'], { format: 'table' }],
    [['check', '--state-dir', 'a b', '--json'], { stateDir: 'a b', json: true }],
    [['check', '--force', '--'], { force: true }],
    // Values commander takes as they are, which runCheck then judges.
    [['check', '--format', 'xml'], { format: 'xml' }],
    [['check', '--json', '--format', 'table'], { json: true, format: 'table' }],
  ];
  // Left to commander: help, errors, other commands, and anything it might read differently.
  const left = [
    [], ['--help'], ['-h'], ['help', 'check'], ['serve'], ['history', '24'], ['--json', 'check'],
    ['check', '--help'], ['check', '-h'], ['check', '--json', '-h'], ['check', '--jsn'], ['check', 'now'],
    ['check', '--format'], ['check', '--format='], ['check', '--state-dir', '-x'], ['check', '--json=yes'],
    ['check', '--', '--json'], ['check', '-j'], ['check', '--no-json'], ['check', '--Force'], ['check', '--state-dir=', '--json'],
  ];

  for (const [argv, flags] of quick) {
    it(`reads ${argv.join(' ')} as commander does`, async () => {
      assert.deepEqual(plain(quickCheckFlags(argv)), flags);
      assert.deepEqual(await commanderFlags(argv), flags);
    });
  }

  it('leaves every other command line to commander', () => {
    for (const argv of left) assert.equal(quickCheckFlags(argv), undefined, argv.join(' '));
  });

  it('never reads a command line differently from commander (each left one too, read quickly or not)', async () => {
    for (const argv of [...quick.map(([a]) => a), ...left]) {
      const q = quickCheckFlags(argv);
      if (q !== undefined) assert.deepEqual(plain(q), await commanderFlags(argv), argv.join(' '));
    }
  });
});
