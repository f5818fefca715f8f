// `check --textfile DIR` (SPEC §12): DIR/llm_balance.prom is replaced in one rename from a temp
// file in DIR whose name node_exporter's collector (it reads *.prom) never picks up, and is
// world-readable whatever the umask, because node_exporter runs as another user.
import * as assert from 'node:assert/strict';
import { promises as fs, watch } from 'node:fs';
import * as path from 'node:path';
import { TEXTFILE_NAME, writeTextfile } from '../../src/cli/exposition';
import { useScratchDir } from '../unit/helpers';

describe('writeTextfile', () => {
  let dir: string;
  useScratchDir('llmb-textfile-', (d) => (dir = d));

  it('replaces llm_balance.prom from a temp file in the same directory that is not named *.prom', async () => {
    await fs.writeFile(path.join(dir, TEXTFILE_NAME), 'old 1\n');
    const seen: string[] = [];
    // inotify reports in order: once the rename onto llm_balance.prom is seen, so is every name before it.
    const watcher = watch(dir);
    const renamedInto = new Promise<void>((resolve) => watcher.on('change', (_e, name) => {
      seen.push(String(name));
      if (name === TEXTFILE_NAME) resolve();
    }));
    try {
      assert.equal(await writeTextfile(dir, 'llm_balance_up{account="a"} 1\n'), path.join(dir, TEXTFILE_NAME));
      await renamedInto;
    } finally {
      watcher.close();
    }
    const temps = [...new Set(seen)].filter((n) => n !== TEXTFILE_NAME);
    assert.ok(temps.length > 0, `no temp file was seen: ${seen.join(', ')}`);
    for (const n of temps) assert.ok(!n.endsWith('.prom'), `node_exporter would read the half-written ${n}`);
    assert.equal(await fs.readFile(path.join(dir, TEXTFILE_NAME), 'utf8'), 'llm_balance_up{account="a"} 1\n');
    assert.deepEqual(await fs.readdir(dir), [TEXTFILE_NAME], 'a temp file was left behind');
  });

  it('fails on a directory that does not exist and makes none (a mistyped DIR is an error)', async () => {
    const missing = path.join(dir, 'textfle');
    await assert.rejects(writeTextfile(missing, 'llm_balance_up{account="a"} 1\n'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    assert.deepEqual(await fs.readdir(dir), [], 'a directory or file was made');
  });

  it('is readable by everyone even under umask 077', async () => {
    const umask = process.umask(0o077);
    try {
      await writeTextfile(dir, 'x 1\n');
    } finally {
      process.umask(umask);
    }
    assert.equal((await fs.stat(path.join(dir, TEXTFILE_NAME))).mode & 0o777, 0o644);
  });

  it('a rename that fails throws and leaves no temp file behind', async () => {
    // A directory in the way: the rename onto it fails (EISDIR), the write before it did not.
    await fs.mkdir(path.join(dir, TEXTFILE_NAME));
    await assert.rejects(writeTextfile(dir, 'x 1\n'), (e: NodeJS.ErrnoException) => e.code === 'EISDIR');
    assert.deepEqual(await fs.readdir(dir), [TEXTFILE_NAME]);
    assert.ok((await fs.stat(path.join(dir, TEXTFILE_NAME))).isDirectory());
  });
});
