// State on disk for the CLI (and `serve`): a KeyValueStore in one JSON file, written atomically
// (temp file + fsync + rename); corrupt files kept aside as numbered, bounded .bak files; a real
// writability probe; and a lock on the state directory so overlapping runs take turns (SPEC §11).
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomHex } from './randomHex';
import type { KeyValueStore } from './kv';

/** Removes a file if it is there: unlink, because fs.rm loads a recursive remover on first use (issue 14). */
async function removeFile(file: string): Promise<void> {
  await fs.unlink(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/**
 * `create()` in `dir`, making the directory first only when it is missing: the directory is
 * there on every run but the first, and a `check` waits for each file operation in turn.
 */
async function inDir<T>(dir: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await fs.mkdir(dir, { recursive: true });
    return create();
  }
}

/**
 * Replaces `file` in one rename from a temp file beside it: the same directory (so the rename
 * is atomic) and a name ending in `.tmp` (so a reader that picks files by their ending, like
 * node_exporter's `*.prom`, never reads it half-written). Owner-only unless `mode` says
 * otherwise; a `mode` is set exactly, whatever the umask. Synced before the rename unless
 * `sync` is false (a file rewritten on every run, whose loss costs nothing, need not wait for the disk).
 * A missing directory is made, unless `makeDir` is false (a directory someone else names and reads).
 */
export async function writeFileAtomic(file: string, data: string, opts: { mode?: number; sync?: boolean; makeDir?: boolean } = {}): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  try {
    const open = () => fs.open(tmp, 'w', opts.mode ?? 0o600);
    const handle = await (opts.makeDir === false ? open() : inDir(path.dirname(file), open));
    try {
      if (opts.mode !== undefined) await handle.chmod(opts.mode);
      await handle.writeFile(data, 'utf8');
      // A full disk can accept the write into the page cache and fail only here.
      if (opts.sync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await removeFile(tmp).catch(() => undefined);
    throw e;
  }
}

/** Corrupt copies kept: `<file>.bak` (newest), `<file>.bak.1` … `<file>.bak.<MAX_BACKUPS - 1>` (oldest). */
export const MAX_BACKUPS = 5;

/**
 * Moves a corrupt file aside as `<file>.bak`, shifting older copies up one number and dropping
 * the oldest, so a second corruption never overwrites the evidence of the first. Returns the
 * new name.
 */
export async function keepAside(file: string): Promise<string> {
  const name = (i: number) => (i === 0 ? `${file}.bak` : `${file}.bak.${i}`);
  await fs.rm(name(MAX_BACKUPS - 1), { recursive: true, force: true }).catch(() => undefined);
  for (let i = MAX_BACKUPS - 2; i >= 0; i--) {
    await fs.rename(name(i), name(i + 1)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
  await fs.rename(file, name(0));
  return name(0);
}

/**
 * Proves that `bytes` can really be written to `dir` (and synced): a zero-byte probe passes on
 * a full disk. Throws the filesystem's error (ENOSPC, EACCES, EROFS …).
 */
export async function probeWritable(dir: string, bytes: number): Promise<void> {
  const probe = path.join(dir, `.write-test-${process.pid}-${randomHex(4)}`);
  try {
    const handle = await inDir(dir, () => fs.open(probe, 'w', 0o600));
    try {
      await handle.writeFile(Buffer.alloc(bytes, 0x20));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } finally {
    await removeFile(probe).catch(() => undefined);
  }
}

export class JsonFileStore implements KeyValueStore {
  private data: Record<string, unknown> = {};
  private dirty = false;

  private constructor(readonly file: string) {}

  static async open(file: string, log: (msg: string) => void = () => undefined): Promise<JsonFileStore> {
    const store = new JsonFileStore(file);
    let text: string | undefined;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`Could not read ${file}: ${(e as Error).message}; starting afresh.`);
    }
    if (text !== undefined) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
        store.data = parsed as Record<string, unknown>;
      } catch (e) {
        const bak = await keepAside(file).catch(() => undefined);
        log(`${file} was corrupt (${(e as Error).message}); ${bak ? `kept it as ${path.basename(bak)}` : 'could not keep a copy'} and started a new one.`);
      }
    }
    return store;
  }

  get(key: string): unknown {
    return this.data[key];
  }

  update(key: string, value: unknown): void {
    if (value === undefined) delete this.data[key];
    else this.data[key] = value;
    this.dirty = true;
  }

  keys(): readonly string[] {
    return Object.keys(this.data);
  }

  /** The size of the file as it would be written now. */
  serialized(): string {
    return JSON.stringify(this.data, null, 1);
  }

  async flush(): Promise<void> {
    if (!this.dirty) return;
    await writeFileAtomic(this.file, this.serialized());
    this.dirty = false;
  }
}

// ---- the state directory lock ----

export const LOCK_FILE = '.lock';
/** A lock whose owner stopped refreshing it this long ago is abandoned (a killed run on another host, a frozen VM). */
export const LOCK_STALE_MS = 60_000;
const HEARTBEAT_MS = 10_000;

export class LockTimeoutError extends Error {}

export interface StateLock {
  readonly file: string;
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.token === 'string') return { pid: o.pid, host: o.host, token: o.token, since: String(o.since ?? '') };
  } catch {
    /* half-written or gone: judged by its age alone */
  }
  return undefined;
}

/** Abandoned: its process is gone (same host), or nobody has refreshed it for LOCK_STALE_MS. */
async function isStale(file: string, owner: LockOwner | undefined, now: number): Promise<boolean> {
  if (owner && owner.host === os.hostname() && owner.pid !== process.pid && !isAlive(owner.pid)) return true;
  try {
    const st = await fs.stat(file);
    return now - st.mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Creates `file` only if it does not exist: a hard link of the written temp file, or O_EXCL where a file system has no hard links. */
async function createExclusive(tmp: string, file: string, me: LockOwner): Promise<void> {
  try {
    await fs.link(tmp, file);
  } catch (e) {
    if (!NO_HARD_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    await fs.writeFile(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
  }
}

/**
 * Takes the state directory's lock: an O_EXCL-style create (a hard link of a fully written
 * temp file, so nobody ever reads a half-written lock), refreshed while held, taken over when
 * its owner died. Waits up to `waitMs` for a live owner, then throws LockTimeoutError.
 */
export async function acquireStateLock(dir: string, opts: { waitMs?: number; log?: (msg: string) => void } = {}): Promise<StateLock> {
  const file = path.join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: os.hostname(), token: randomHex(8), since: new Date().toISOString() };
  const tmp = path.join(dir, `${LOCK_FILE}.${me.pid}.${me.token}`);
  await inDir(dir, () => fs.writeFile(tmp, JSON.stringify(me), { mode: 0o600 }));
  const deadline = Date.now() + (opts.waitMs ?? 120_000);
  let waited = false;
  try {
    for (;;) {
      try {
        await createExclusive(tmp, file, me);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = await readOwner(file);
      if (await isStale(file, owner, Date.now())) {
        // Move it away under a unique name, then make sure it was the one judged stale: a
        // newer owner's lock that slipped in between is put back.
        const aside = `${file}.stale.${me.token}`;
        const moved = await fs.rename(file, aside).then(() => true, () => false);
        if (moved) {
          const was = await readOwner(aside);
          if (owner && was && was.token !== owner.token) await fs.link(aside, file).catch(() => undefined);
          else opts.log?.(`took over an abandoned lock on ${dir}${owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.since})` : ''}.`);
          await removeFile(aside);
        }
        continue;
      }
      if (Date.now() >= deadline) {
        throw new LockTimeoutError(`Another llm-balance run is using the state directory ${dir}${owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.since})` : ''}; gave up waiting for it. Pass a different --state-dir, or remove ${file} if no such run exists.`);
      }
      if (!waited) opts.log?.(`waiting for another run to finish with ${dir}…`);
      waited = true;
      await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 150)));
    }
  } finally {
    await removeFile(tmp).catch(() => undefined);
  }
  const beat = setInterval(() => {
    const t = new Date();
    void fs.utimes(file, t, t).catch(() => undefined);
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      clearInterval(beat);
      // Only our own lock: if it was taken over (we froze past LOCK_STALE_MS), leave the new owner's.
      const owner = await readOwner(file);
      if (owner?.token === me.token) await removeFile(file);
    },
  };
}

/** Runs `fn` holding the state directory's lock; the lock is released however `fn` ends. */
export async function withStateLock<T>(dir: string, fn: () => Promise<T>, opts: { waitMs?: number; log?: (msg: string) => void } = {}): Promise<T> {
  const lock = await acquireStateLock(dir, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
