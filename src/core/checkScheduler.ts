// Decides when each account is checked and runs the checks: concurrently, one request at a
// time per account (overlapping checks coalesce), results cached for a TTL, exponential backoff
// after failures (never sooner than Retry-After), and the last good numbers kept — marked
// stale — when a check fails.
import { createHmac } from 'node:crypto';
import * as z from 'zod/mini';
// Not check.ts: the scheduler runs where the providers' HTTP code need not (the extension's main thread).
import { GONE_RECHECK_MS, type AccountChecker, type AccountKeys } from './checker';
import type { KeyValueStore } from './kv';
import { BalanceResultSchema, type Account, type BalanceResult } from './model';
import { judged, DEFAULT_THRESHOLD_SETTINGS, type ThresholdSettings } from './thresholds';
import { lazySchema } from './lazySchema';
import { withMatchingMessages } from './message';
import { randomHex } from './randomHex';

export const RESULT_PREFIX = 'llmBalance.result.';
/** This install's random salt for key fingerprints (never synced, never a key). */
export const SALT_KEY = 'llmBalance.cacheSalt';
/** A result stamped further ahead than this was made under a wrong clock: it is not fresh. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_BACKOFF_FACTOR = 8;
/** A provider's Retry-After is honoured up to this long; a larger one is a provider bug. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const CacheEntrySchema = lazySchema(() => z.object({
  result: BalanceResultSchema,
  fingerprint: z.string(),
  /** The account part of the fingerprint, for scheduling without reading keys. */
  accountFingerprint: z.optional(z.string()),
  failures: z.int().check(z.gte(0)),
  retryAt: z.optional(z.number()),
  lastGood: z.optional(BalanceResultSchema),
}));
type CacheEntry = z.infer<typeof CacheEntrySchema>;

export interface CheckSchedulerOptions {
  /** Runs one check: `checkOver(http)` in this thread, or the extension's check worker. */
  check: AccountChecker;
  keys: (account: Account) => AccountKeys | Promise<AccountKeys>;
  /** Results are fresh this long; the poll interval in the extension, 1 h in the CLI. */
  cacheTtlMs: number;
  thresholds?: ThresholdSettings;
  store: KeyValueStore;
  now?: () => Date;
}

/** One account's answer from a check run: `fresh` when this run asked the provider, not the cache. */
export interface CheckedResult {
  result: BalanceResult;
  fresh: boolean;
}

export interface CheckRunOptions {
  /** Bypass the cache and backoff (not an active Retry-After). */
  force?: boolean;
}

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]));
  return v;
}

/** The account part of a fingerprint: its settings, in a stable order. */
function accountPrint(account: Account): string {
  return JSON.stringify(stable(account));
}

/**
 * Identifies what a cached result was made with — the account's settings and its keys — so a
 * changed setting or a rotated key invalidates it. The keys enter as an HMAC under this
 * install's random salt: the stored value gives no table or cross-install guess a start, and
 * 128 bits are kept, not 48.
 */
function keyedPrint(accountPart: string, keys: AccountKeys, salt: string): string {
  const keyHash = createHmac('sha256', salt).update(`${keys.key ?? ''}\n${keys.adminKey ?? ''}`).digest('hex').slice(0, 32);
  return `${accountPart}#${keyHash}`;
}

/** A check that told us nothing new about the money: the numbers from before still stand, marked stale. */
function isFailure(r: BalanceResult): boolean {
  if (r.errorKind === 'insufficient_funds') return r.balance === null;
  if (r.status === 'unavailable') return r.balance === null && r.usage === null;
  return r.status === 'error' || r.status === 'invalid';
}

export class CheckScheduler {
  private readonly inFlight = new Map<string, Promise<CheckedResult>>();
  private readonly now: () => Date;

  constructor(private readonly opts: CheckSchedulerOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  set thresholds(t: ThresholdSettings) {
    this.opts.thresholds = t;
  }

  set cacheTtlMs(ms: number) {
    this.opts.cacheTtlMs = ms;
  }

  set checker(check: AccountChecker) {
    this.opts.check = check;
  }

  /** The install's salt, made on first use. */
  private async salt(): Promise<string> {
    const v = this.opts.store.get(SALT_KEY);
    if (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)) return v;
    const made = randomHex(32);
    await this.opts.store.update(SALT_KEY, made);
    return made;
  }

  /** A result from a clock that was ahead (then corrected) is not to be trusted as fresh. */
  private fromTheFuture(e: CacheEntry, nowMs: number): boolean {
    // retryAt is at most a day ahead when set (a retired endpoint's recheck); further is a clock that moved back.
    return Date.parse(e.result.checkedAt) > nowMs + MAX_CLOCK_SKEW_MS || (e.retryAt ?? 0) > nowMs + Math.max(MAX_RETRY_AFTER_MS, GONE_RECHECK_MS) + MAX_CLOCK_SKEW_MS;
  }

  private entry(accountId: string): CacheEntry | undefined {
    const stored = this.opts.store.get(RESULT_PREFIX + accountId);
    // Nothing stored (a first check): nothing to validate, and no schema to build for it.
    if (stored === undefined) return undefined;
    const parsed = CacheEntrySchema.safeParse(stored);
    return parsed.success ? parsed.data : undefined;
  }

  /** The latest stored result for an account, judged by the current thresholds. */
  last(account: Account): BalanceResult | undefined {
    const r = this.entry(account.id)?.result;
    return r && this.withCurrentLevel(r, account);
  }

  /** When the account is next due for a check (ms since epoch); 0 when never checked. */
  nextDue(account: Account): number {
    const e = this.entry(account.id);
    return e ? this.dueAt(e, accountPrint(account)) : 0;
  }

  private dueAt(e: CacheEntry, accountPart: string): number {
    if (e.accountFingerprint !== accountPart) return 0;
    if (this.fromTheFuture(e, this.now().getTime())) return 0;
    const checked = Date.parse(e.result.checkedAt);
    const factor = Math.min(2 ** Math.max(0, e.failures - 1), MAX_BACKOFF_FACTOR);
    return Math.max(checked + this.opts.cacheTtlMs * factor, e.retryAt ?? 0);
  }

  async check(accounts: readonly Account[], opts: CheckRunOptions = {}): Promise<BalanceResult[]> {
    return (await this.checkReported(accounts, opts)).map((c) => c.result);
  }

  /** Like `check`, each result with whether this run made it (only fresh numbers go into history). */
  checkReported(accounts: readonly Account[], opts: CheckRunOptions = {}): Promise<CheckedResult[]> {
    return Promise.all(accounts.map((a) => this.checkOneReported(a, opts)));
  }

  async checkOne(account: Account, opts: CheckRunOptions = {}): Promise<BalanceResult> {
    return (await this.checkOneReported(account, opts)).result;
  }

  /** A caller that joins a check already running gets its answer, fresh too: it was made during the call. */
  checkOneReported(account: Account, opts: CheckRunOptions = {}): Promise<CheckedResult> {
    const running = this.inFlight.get(account.id);
    if (running) return running;
    const p = this.checkOrCached(account, opts).finally(() => this.inFlight.delete(account.id));
    this.inFlight.set(account.id, p);
    return p;
  }

  private async checkOrCached(account: Account, opts: CheckRunOptions): Promise<CheckedResult> {
    let keys: AccountKeys;
    try {
      keys = await this.opts.keys(account);
    } catch {
      // The key store could not be read this time: what we had stands; nothing is checked.
      const had = this.entry(account.id);
      if (had) return { result: this.withCurrentLevel(had.result, account), fresh: false };
      keys = {};
    }
    // Made once per check: the fingerprint, the due time and the new cache entry all use it.
    const accountPart = accountPrint(account);
    const fp = keyedPrint(accountPart, keys, await this.salt());
    // Read after the waits: a result another window or run stored meanwhile is the one to use.
    const e = this.entry(account.id);
    const same = e?.fingerprint === fp;
    const nowMs = this.now().getTime();
    if (e && same && !this.fromTheFuture(e, nowMs)) {
      const cached = { result: this.withCurrentLevel(e.result, account), fresh: false };
      if (e.retryAt !== undefined && e.retryAt > nowMs) return cached;
      if (!opts.force && this.dueAt(e, accountPart) > nowMs) return cached;
    }
    return { result: await this.run(account, keys, fp, accountPart, same ? e : undefined), fresh: true };
  }

  /**
   * A cached result judged by today's thresholds, not those it was made with, and with only the
   * messages that still render back to its English (one stored by another version may not).
   */
  private withCurrentLevel(r: BalanceResult, account: Account): BalanceResult {
    return judged(withMatchingMessages(r), account, this.opts.thresholds ?? DEFAULT_THRESHOLD_SETTINGS);
  }

  private async run(account: Account, keys: AccountKeys, fp: string, accountPart: string, prev: CacheEntry | undefined): Promise<BalanceResult> {
    const detailed = await this.opts.check(account, keys, {
      thresholds: this.opts.thresholds ?? DEFAULT_THRESHOLD_SETTINGS,
      now: this.now,
    });
    let result = detailed.result;
    // A long recheck (410 Gone) is a final answer, not a failed one: no stale numbers, no backoff.
    const final = detailed.recheckAfterMs !== undefined;
    const noNews = !final && isFailure(result);
    const lastGood = noNews ? (prev?.lastGood ?? (prev && !isFailure(prev.result) ? prev.result : undefined)) : result;
    // A team account's numbers are its shared accounts'.
    if (noNews && lastGood && (lastGood.balance !== null || lastGood.usage !== null || !!lastGood.shared?.length)) {
      result = this.staleFrom(result, lastGood, account);
    }
    // Backoff is for a provider that failed to answer; "out of funds" is an answer, and a
    // top-up must show at the next regular check.
    const failedToAnswer = noNews && result.errorKind !== 'insufficient_funds';
    const entry: CacheEntry = {
      result,
      fingerprint: fp,
      accountFingerprint: accountPart,
      failures: failedToAnswer ? (prev?.failures ?? 0) + 1 : 0,
    };
    if (lastGood) entry.lastGood = lastGood;
    if (detailed.retryAfterMs !== undefined) entry.retryAt = this.now().getTime() + Math.min(detailed.retryAfterMs, MAX_RETRY_AFTER_MS);
    if (final) entry.retryAt = Math.max(entry.retryAt ?? 0, this.now().getTime() + detailed.recheckAfterMs!);
    await this.opts.store.update(RESULT_PREFIX + account.id, entry);
    return result;
  }

  private staleFrom(failed: BalanceResult, good: BalanceResult, account: Account): BalanceResult {
    const r: BalanceResult = {
      ...failed,
      balance: good.balance,
      currency: good.currency,
      usage: good.usage,
      limit: good.limit,
      stale: true,
      details: { ...good.details, staleSince: good.checkedAt },
    };
    if (good.shared) r.shared = good.shared;
    return judged(r, account, this.opts.thresholds ?? DEFAULT_THRESHOLD_SETTINGS);
  }

  /**
   * Forgets cached results of accounts that are no longer configured. With `unusedForMs`, only
   * those nobody has checked for that long: another config sharing the store (a second cron
   * job on one state directory) keeps its own.
   */
  async prune(accountIds: readonly string[], opts: { unusedForMs?: number } = {}): Promise<void> {
    const keep = new Set(accountIds.map((id) => RESULT_PREFIX + id));
    const nowMs = this.now().getTime();
    for (const k of this.opts.store.keys()) {
      if (!k.startsWith(RESULT_PREFIX) || keep.has(k)) continue;
      if (opts.unusedForMs !== undefined) {
        const e = CacheEntrySchema.safeParse(this.opts.store.get(k));
        const checked = e.success ? Date.parse(e.data.result.checkedAt) : NaN;
        if (Number.isFinite(checked) && checked <= nowMs && nowMs - checked < opts.unusedForMs) continue;
      }
      await this.opts.store.update(k, undefined);
    }
  }
}
