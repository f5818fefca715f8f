// The CLI's state and cache folders read the XDG Base Directory variables as that spec says: a
// value that is not an absolute path is invalid and ignored, so that a run from another working
// directory (a cron job) never keeps a second ledger and sends the same alerts again.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { userCacheDir } from '../../src/cli/codeCache';
import { defaultStateDir } from '../../src/cli/usage';

const HOME = path.resolve('/home/someone');
const STATE_FALLBACK = path.join(HOME, '.local', 'state', 'llm-balance');
const CACHE_FALLBACK = path.join(HOME, '.cache', 'llm-balance');

describe('CLI folders from the XDG variables', () => {
  const cases: Array<[string, string | undefined]> = [
    ['unset', undefined],
    ['empty', ''],
    ['whitespace', ' \t '],
    ['relative', 'state'],
    ['relative with a dot', './.local/state'],
    ['relative upward', '../elsewhere'],
  ];
  for (const [what, value] of cases) {
    it(`XDG_STATE_HOME and XDG_CACHE_HOME ${what}: ignored, the folders under HOME`, () => {
      const env = value === undefined ? { HOME } : { HOME, XDG_STATE_HOME: value, XDG_CACHE_HOME: value };
      assert.equal(defaultStateDir(env), STATE_FALLBACK);
      assert.equal(userCacheDir(env, 'linux'), CACHE_FALLBACK);
    });
  }

  it('an absolute one is used as it is (surrounding whitespace trimmed, as before)', () => {
    const state = path.resolve('/var/lib/cron-state');
    const cache = path.resolve('/var/cache/cron');
    assert.equal(defaultStateDir({ HOME, XDG_STATE_HOME: state }), path.join(state, 'llm-balance'));
    assert.equal(userCacheDir({ HOME, XDG_CACHE_HOME: cache }, 'linux'), path.join(cache, 'llm-balance'));
    assert.equal(defaultStateDir({ HOME, XDG_STATE_HOME: ` ${state}\n` }), path.join(state, 'llm-balance'));
  });

  it('the same environment gives the same folders from any working directory', () => {
    const env = { HOME, XDG_STATE_HOME: 'relative/state', XDG_CACHE_HOME: 'relative/cache' };
    const cwd = process.cwd();
    const seen = new Set<string>();
    try {
      for (const dir of [os.tmpdir(), path.parse(cwd).root]) {
        process.chdir(dir);
        seen.add(`${path.resolve(defaultStateDir(env))} ${path.resolve(userCacheDir(env, 'linux'))}`);
      }
    } finally {
      process.chdir(cwd);
    }
    assert.deepEqual([...seen], [`${STATE_FALLBACK} ${CACHE_FALLBACK}`]);
  });

  it('without HOME (or with an empty one), the user\'s home directory from the system', () => {
    for (const env of [{}, { HOME: '' }, { HOME: '', XDG_STATE_HOME: 'rel', XDG_CACHE_HOME: 'rel' }]) {
      assert.equal(defaultStateDir(env), path.join(os.homedir(), '.local', 'state', 'llm-balance'));
      assert.equal(userCacheDir(env, 'linux'), path.join(os.homedir(), '.cache', 'llm-balance'));
    }
    assert.ok(path.isAbsolute(os.homedir()), os.homedir());
  });

  it('XDG variables do not move the macOS and Windows cache folders', () => {
    const env = { HOME, XDG_CACHE_HOME: path.resolve('/xdg/cache'), LOCALAPPDATA: path.resolve('/appdata/local') };
    assert.equal(userCacheDir(env, 'darwin'), path.join(HOME, 'Library', 'Caches', 'llm-balance'));
    assert.equal(userCacheDir(env, 'win32'), path.join(path.resolve('/appdata/local'), 'llm-balance', 'Cache'));
  });
});
