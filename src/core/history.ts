// Balance history (SPEC §10): one JSON file, validated on load, written atomically, bounded by
// retention and thinned so that 90 days of ten accounts stay a few hundred kilobytes. Shared by
// the extension (under globalStorageUri) and the CLI (under --state-dir); plain Node only.
import { readFile } from 'node:fs';
import * as z from 'zod/mini';
import { LEVELS, type Level } from './levels';
import type { BalanceResult } from './model';
import { keepAside, writeFileAtomic } from './fileStore';
import { lazySchema } from './lazySchema';

export interface HistoryPoint {
  /** Time of the check, ms since the epoch. */
  t: number;
  balance: number | null;
  usage: number | null;
  limit: number | null;
  currency: string;
  level: Level;
}

// From levels.ts, not model.ts: reading history (`llm-balance history`) loads no provider.
// Built on first use (lazySchema): the history is read after a window's first check, not for it.
const LevelSchema = lazySchema(() => z.enum(LEVELS));

const HistoryEventSchema = lazySchema(() => z.object({
  t: z.int().check(z.nonnegative()),
  accountId: z.string().check(z.maxLength(200)),
  label: z.string().check(z.maxLength(200)),
  kind: z.enum(['notification', 'error']),
  level: LevelSchema,
  message: z.string().check(z.maxLength(2000)),
  /** Where a notification went: "vscode", "telegram", "slack", … */
  channel: z.optional(z.string().check(z.maxLength(100))),
}));
export type HistoryEvent = z.infer<typeof HistoryEventSchema>;

export interface HistoryStoreOptions {
  /** Points and events older than this are dropped on save. Default 90. */
  retentionDays?: number;
  log?: (msg: string) => void;
  now?: () => number;
}

export const HISTORY_VERSION = 1;
export const DEFAULT_RETENTION_DAYS = 90;
/** The newest events kept. */
export const MAX_EVENTS = 200;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const finiteOrNull = lazySchema(() => z.nullable(z.number()));
const PointTupleSchema = lazySchema(() => z.tuple([
  z.int().check(z.nonnegative()),
  finiteOrNull,
  finiteOrNull,
  finiteOrNull,
  z.string().check(z.regex(/^[A-Z]{3}$/)),
  LevelSchema,
]));
type PointTuple = z.infer<typeof PointTupleSchema>;

/** The file without looking into the points (they are read one by one: readTuple). */
const HistoryShellSchema = lazySchema(() => z.object({
  version: z.literal(HISTORY_VERSION),
  accounts: z.record(z.string(), z.object({ label: z.string(), points: z.array(z.unknown()) })),
  events: z.array(HistoryEventSchema),
}));

/** The file on disk. Points are tuples [t, balance, usage, limit, currency, level] to stay small. */
export const HistoryFileSchema = lazySchema(() => z.object({
  version: z.literal(HISTORY_VERSION),
  accounts: z.record(z.string(), z.object({ label: z.string(), points: z.array(PointTupleSchema) })),
  events: z.array(HistoryEventSchema),
}));
export type HistoryFile = z.infer<typeof HistoryFileSchema>;

interface AccountHistory {
  label: string;
  /** Sorted by t, ascending. */
  points: HistoryPoint[];
}

export class HistoryStore {
  private accountsById = new Map<string, AccountHistory>();
  private eventList: HistoryEvent[] = [];
  private readonly retentionMs: number;
  private readonly log: (msg: string) => void;
  private readonly now: () => number;
  /** Saves run one after another so that a slow write never lands after a newer one. */
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    opts: HistoryStoreOptions = {},
  ) {
    this.retentionMs = Math.max(1, opts.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY;
    this.log = opts.log ?? (() => undefined);
    this.now = opts.now ?? Date.now;
  }

  /**
   * Reads the file. Call once, before record(). A missing file is an empty history; a corrupt,
   * unreadable or invalid one is moved aside to `<file>.bak` and a new history starts. Never throws.
   */
  async load(): Promise<void> {
    let text: string;
    try {
      // The callback readFile: fs.promises loads file handles and readline, which
      // `llm-balance history` (read, print, exit) needs for nothing else (issue 14).
      text = await new Promise<string>((resolve, reject) => readFile(this.file, 'utf8', (e, t) => (e ? reject(e) : resolve(t))));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      await this.setAside(`cannot be read (${errorText(e)})`);
      return;
    }
    // The points are checked one tuple at a time and each account's raw arrays are dropped once
    // read: a schema pass over the whole file would hold a second copy of it (a 63 MB history
    // once took 1.4 GB to print).
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      await this.setAside(`is not valid JSON (${errorText(e)})`);
      return;
    }
    text = '';
    const shell = HistoryShellSchema.safeParse(raw);
    if (!shell.success) {
      const issue = shell.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
      await this.setAside(`is not a valid history file (${where})`);
      return;
    }
    const parsed = shell.data;
    const rawAccounts = (raw as { accounts: Record<string, { points: unknown[] }> }).accounts;
    const accounts = new Map<string, AccountHistory>();
    for (const [id, a] of Object.entries(parsed.accounts)) {
      const points: HistoryPoint[] = new Array<HistoryPoint>(a.points.length);
      for (let i = 0; i < a.points.length; i++) {
        const p = readTuple(a.points[i]);
        if (!p) {
          await this.setAside(`is not a valid history file (accounts.${id}.points.${i}: not a [t, balance, usage, limit, currency, level] point)`);
          return;
        }
        points[i] = p;
      }
      rawAccounts[id]!.points = [];
      a.points = [];
      points.sort((x, y) => x.t - y.t);
      accounts.set(id, { label: a.label, points });
    }
    this.accountsById = accounts;
    this.eventList = parsed.events.slice().sort((x, y) => x.t - y.t).slice(-MAX_EVENTS);
  }

  private async setAside(why: string): Promise<void> {
    try {
      const bak = await keepAside(this.file);
      this.log(`History file ${this.file} ${why}; kept it as ${bak} and started a new history.`);
    } catch (e) {
      this.log(`History file ${this.file} ${why}; could not move it to ${this.file}.bak (${errorText(e)}); starting a new history.`);
    }
    this.accountsById = new Map();
    this.eventList = [];
  }

  /** Adds one point per result. Stale results and results without numbers are not history. */
  record(results: readonly BalanceResult[]): void {
    for (const r of results) {
      if (r.stale) continue;
      if (r.balance === null && r.usage === null) continue;
      const parsedTime = Date.parse(r.checkedAt);
      const point: HistoryPoint = {
        t: Number.isFinite(parsedTime) ? parsedTime : this.now(),
        balance: r.balance,
        usage: r.usage,
        limit: r.limit,
        currency: r.currency,
        level: r.level,
      };
      let acct = this.accountsById.get(r.accountId);
      if (!acct) {
        acct = { label: r.label, points: [] };
        this.accountsById.set(r.accountId, acct);
      }
      acct.label = r.label;
      insertPoint(acct.points, point);
    }
  }

  addEvent(e: HistoryEvent): void {
    const event: HistoryEvent = { ...e, message: e.message.slice(0, 2000), label: e.label.slice(0, 200) };
    const list = this.eventList;
    let i = list.length;
    while (i > 0 && list[i - 1]!.t > event.t) i--;
    list.splice(i, 0, event);
    if (list.length > MAX_EVENTS) list.splice(0, list.length - MAX_EVENTS);
  }

  /** Points of one account, oldest first; copies, safe to keep. */
  series(accountId: string, sinceMs?: number): HistoryPoint[] {
    const points = this.accountsById.get(accountId)?.points ?? [];
    const from = sinceMs === undefined ? 0 : lowerBound(points, sinceMs);
    return points.slice(from).map((p) => ({ ...p }));
  }

  /**
   * Like series() but without copying the points: a read-only view for hot paths (the panel
   * reads 90 days of every account on each update). Valid until the next record() or save().
   */
  seriesView(accountId: string, sinceMs?: number): readonly Readonly<HistoryPoint>[] {
    const points = this.accountsById.get(accountId)?.points ?? [];
    return sinceMs === undefined ? points.slice() : points.slice(lowerBound(points, sinceMs));
  }

  label(accountId: string): string | undefined {
    return this.accountsById.get(accountId)?.label;
  }

  accounts(): string[] {
    return [...this.accountsById.keys()].sort();
  }

  /** Newest first. */
  events(limit = MAX_EVENTS): HistoryEvent[] {
    return this.eventList.slice(-Math.max(0, limit)).reverse().map((e) => ({ ...e }));
  }

  /** Applies retention and thinning, then writes the file atomically (temp file + rename). */
  save(): Promise<void> {
    const next = this.saving.then(() => this.writeNow());
    // A failed save must not poison the next one; the caller still sees this one's error.
    this.saving = next.catch(() => undefined);
    return next;
  }

  private async writeNow(): Promise<void> {
    this.compact();
    const text = JSON.stringify(this.toFile());
    await writeFileAtomic(this.file, text);
  }

  /** Drops what is older than the retention and thins older points (see thinPoints). */
  compact(): void {
    const now = this.now();
    const cutoff = now - this.retentionMs;
    for (const [id, acct] of this.accountsById) {
      const kept = thinPoints(acct.points.filter((p) => p.t >= cutoff), now);
      if (kept.length === 0) this.accountsById.delete(id);
      else acct.points = kept;
    }
    this.eventList = this.eventList.filter((e) => e.t >= cutoff);
  }

  private toFile(): HistoryFile {
    const accounts: HistoryFile['accounts'] = {};
    for (const id of this.accounts()) {
      const a = this.accountsById.get(id)!;
      accounts[id] = { label: a.label, points: a.points.map(toTuple) };
    }
    return { version: HISTORY_VERSION, accounts, events: this.eventList.map((e) => ({ ...e })) };
  }

  /** The export shape: readable objects, ISO times next to the epoch milliseconds. */
  toJSON(): object {
    const accounts: Record<string, { label: string; points: (HistoryPoint & { time: string })[] }> = {};
    for (const id of this.accounts()) {
      const a = this.accountsById.get(id)!;
      accounts[id] = { label: a.label, points: a.points.map((p) => ({ time: new Date(p.t).toISOString(), ...p })) };
    }
    return {
      version: HISTORY_VERSION,
      exportedAt: new Date(this.now()).toISOString(),
      accounts,
      events: this.events().map((e) => ({ time: new Date(e.t).toISOString(), ...e })),
    };
  }

  /** RFC 4180 CSV, one row per point, in time order. */
  toCsv(): string {
    const rows: string[] = ['time_iso,account_id,label,balance,currency,usage,limit,level'];
    const all: { id: string; label: string; p: HistoryPoint }[] = [];
    for (const [id, a] of this.accountsById) for (const p of a.points) all.push({ id, label: a.label, p });
    all.sort((x, y) => x.p.t - y.p.t || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    for (const { id, label, p } of all) {
      rows.push([
        new Date(p.t).toISOString(),
        csvText(id),
        csvText(label),
        csvNumber(p.balance),
        csvText(p.currency),
        csvNumber(p.usage),
        csvNumber(p.limit),
        p.level,
      ].join(','));
    }
    return rows.join('\r\n') + '\r\n';
  }
}

/** Inserts in time order; a point with the same time as an existing one replaces it. */
function insertPoint(points: HistoryPoint[], p: HistoryPoint): void {
  const i = lowerBound(points, p.t);
  if (points[i]?.t === p.t) points[i] = p;
  else points.splice(i, 0, p);
}

/** First index whose t is >= t. */
export function lowerBound(points: readonly Pick<HistoryPoint, 't'>[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bucket width by age: the last day at minute resolution, the week at 15 min, older at 2 h. */
function bucketWidth(age: number): number {
  if (age <= DAY) return MINUTE;
  if (age <= 7 * DAY) return 15 * MINUTE;
  return 2 * HOUR;
}

/**
 * Keeps the last point of each time bucket (see bucketWidth) and, per bucket, the largest rise
 * in balance — its top and the point just before it — so that top-ups stay visible as jumps and
 * the burn rate between them stays right. A change of currency counts as a rise. One rise per
 * bucket bounds the file even when a balance oscillates. Input sorted by t.
 */
export function thinPoints(points: readonly HistoryPoint[], now: number): HistoryPoint[] {
  const n = points.length;
  if (n <= 1) return points.slice();
  const keep = new Uint8Array(n);
  const bucketOf = (p: HistoryPoint): number => {
    const w = bucketWidth(now - p.t);
    // Width is part of the key so that buckets of different tiers never collide.
    return Math.floor(p.t / w) * 4 + (w === MINUTE ? 0 : w === HOUR * 2 ? 2 : 1);
  };
  let start = 0;
  while (start < n) {
    const bucket = bucketOf(points[start]!);
    let end = start;
    while (end + 1 < n && bucketOf(points[end + 1]!) === bucket) end++;
    keep[end] = 1;
    let best = -1;
    let bestRise = 0;
    for (let i = Math.max(1, start); i <= end; i++) {
      const rise = riseAt(points, i);
      if (rise > bestRise) {
        bestRise = rise;
        best = i;
      }
    }
    if (best > 0) {
      keep[best] = 1;
      keep[best - 1] = 1;
    }
    start = end + 1;
  }
  return points.filter((_, i) => keep[i] === 1);
}

function riseAt(points: readonly HistoryPoint[], i: number): number {
  const a = points[i - 1]!;
  const b = points[i]!;
  if (a.currency !== b.currency) return Infinity;
  if (a.balance === null || b.balance === null) return 0;
  return b.balance - a.balance;
}

function toTuple(p: HistoryPoint): PointTuple {
  return [p.t, p.balance, p.usage, p.limit, p.currency, p.level];
}

const CURRENCY = /^[A-Z]{3}$/;
const LEVEL_SET: ReadonlySet<unknown> = new Set(LEVELS);
const finiteOrNullValue = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

/** PointTupleSchema's rules, checked in place without a copy. */
function readTuple(v: unknown): HistoryPoint | undefined {
  if (!Array.isArray(v) || v.length !== 6) return undefined;
  const [t, balance, usage, limit, currency, level] = v as unknown[];
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) return undefined;
  if (!finiteOrNullValue(balance) || !finiteOrNullValue(usage) || !finiteOrNullValue(limit)) return undefined;
  if (typeof currency !== 'string' || !CURRENCY.test(currency) || !LEVEL_SET.has(level)) return undefined;
  return { t, balance, usage, limit, currency, level: level as Level };
}

function csvNumber(n: number | null): string {
  return n === null ? '' : String(n);
}

/**
 * Quotes when needed, doubles quotes, and defuses spreadsheet formulas: a cell that starts
 * with = + - @ or a control character gets a leading apostrophe (OWASP CSV injection).
 */
export function csvText(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return (e as NodeJS.ErrnoException).code ?? e.message;
  return String(e);
}
