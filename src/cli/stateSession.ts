// The CLI's state directory as one session (SPEC §11): locked for the session's length so that
// overlapping runs (cron jobs, `check` beside `serve`) take turns and each reads what the other
// wrote; proven writable before anything is checked or sent; saved in one step. `serve` opens
// one session per check so that a `check` run in between is not locked out.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { JsonFileStore, LockTimeoutError, acquireStateLock, probeWritable } from '../core/fileStore';
import { HistoryStore } from '../core/history';
import { UsageError } from './usage';

/** Cached results of accounts no config names are dropped after this long unchecked (another config may share the directory). */
export const PRUNE_UNUSED_MS = 30 * 24 * 3_600_000;

/** Room asked of the disk beyond the files' current sizes: the new files are written beside the old ones. */
const PROBE_MARGIN_BYTES = 16 * 1024;

export interface StateSession {
  readonly dir: string;
  readonly state: JsonFileStore;
  readonly history: HistoryStore;
  /** Writes state.json (cache and ledger) only: what must be on disk before an alert goes out. */
  saveState(): Promise<void>;
  /** Writes state.json and history.json. Throws the filesystem's error. */
  save(): Promise<void>;
}

export interface StateSessionOptions {
  log: (msg: string) => void;
  /** How long to wait for another run's lock; default 2 minutes. */
  lockWaitMs?: number;
}

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

function notWritable(dir: string, e: unknown): UsageError {
  const c = code(e);
  const why = c === 'ENOSPC' ? 'the disk is full' : c === 'EDQUOT' ? 'the disk quota is used up' : c === 'EROFS' ? 'it is on a read-only file system' : c === 'EACCES' || c === 'EPERM' ? 'permission denied' : c;
  return new UsageError(`The state directory ${dir} is not writable (${why}); nothing was checked or sent. Free some space or pass --state-dir DIR.`);
}

async function sizeOf(file: string): Promise<number> {
  return fs.stat(file).then((s) => s.size, () => 0);
}

/** Opens the state directory, holding its lock until `fn` ends. */
export async function withStateSession<T>(dir: string, opts: StateSessionOptions, fn: (s: StateSession) => Promise<T>): Promise<T> {
  const lockOrFail = (waitMs: number) => acquireStateLock(dir, { waitMs, log: opts.log }).catch((e: unknown) => {
    if (e instanceof LockTimeoutError) throw e;
    throw notWritable(dir, e);
  });
  // A free lock is taken at once: the full probe below follows. Only before waiting for a busy
  // one does a cheap probe run first, so that a full disk fails without the wait.
  let lock = await lockOrFail(0).catch((e: unknown) => {
    if (e instanceof LockTimeoutError) return undefined;
    throw e;
  });
  if (!lock) {
    await probeWritable(dir, PROBE_MARGIN_BYTES).catch((e: unknown) => {
      throw notWritable(dir, e);
    });
    lock = await lockOrFail(opts.lockWaitMs ?? 120_000).catch((e: unknown) => {
      throw e instanceof LockTimeoutError ? new UsageError(e.message) : e;
    });
  }
  try {
    const stateFile = path.join(dir, 'state.json');
    const historyFile = path.join(dir, 'history.json');
    // Read under the lock: what the previous run wrote is what this one starts from. The two
    // reads and the probe are side by side (a check waits for each file operation in turn); the
    // probe asks for the files' sizes as they were before a corrupt one was set aside, which is
    // at least what the new ones take.
    const history = new HistoryStore(historyFile, { log: opts.log });
    // Sized before the reads start, which may move a corrupt file aside.
    const [stateBytes, historyBytes] = await Promise.all([sizeOf(stateFile), sizeOf(historyFile)]);
    const probed = probeWritable(dir, stateBytes + historyBytes + PROBE_MARGIN_BYTES).catch((e: unknown) => {
      throw notWritable(dir, e);
    });
    // Settled, not all: a failed probe still waits for the reads, which may be setting a corrupt
    // file aside, so that the lock is not released under them. The probe's failure is the one
    // said; a read's own failure (they report what they can themselves) still ends the session.
    const [opened, loaded, probe] = await Promise.allSettled([JsonFileStore.open(stateFile, opts.log), history.load(), probed]);
    for (const r of [probe, opened, loaded]) if (r.status === 'rejected') throw r.reason;
    const state = (opened as PromiseFulfilledResult<JsonFileStore>).value;
    const session: StateSession = {
      dir,
      state,
      history,
      saveState: () => state.flush(),
      async save() {
        // Side by side: two files, two syncs, one wait. The first failure is the one thrown.
        const [a, b] = await Promise.allSettled([state.flush(), history.save()]);
        if (a.status === 'rejected') throw a.reason;
        if (b.status === 'rejected') throw b.reason;
      },
    };
    return await fn(session);
  } finally {
    await lock.release();
  }
}

/** A save that failed before any alert went out: exit 3, with what happened. */
export function saveFailedBeforeAlerts(dir: string, e: unknown): UsageError {
  return new UsageError(`Could not save the state in ${dir} (${code(e)}); no alert was sent, so none is lost — the next run sends it. Free some space or pass --state-dir DIR.`);
}
