// Runs checks for many accounts: concurrently, one request at a time per account (overlapping
// checks coalesce), results cached for a TTL, exponential backoff after failures (never
// sooner than Retry-After), and the last good numbers kept — marked stale — when a check fails.
import { z } from 'zod';
import { checkAccountDetailed, type AccountKeys } from './check';
import type { HttpClient } from './http';
import type { KeyValueStore } from './kv';
import { BalanceResultSchema, type Account, type BalanceResult } from './model';
import { computeLevel, DEFAULT_THRESHOLD_SETTINGS, type ThresholdSettings } from './thresholds';

export const RESULT_PREFIX = 'llmBalance.result.';
const MAX_BACKOFF_FACTOR = 8;

const CacheEntrySchema = z.object({
  result: BalanceResultSchema,
  fingerprint: z.string(),
  failures: z.number().int().min(0),
  retryAt: z.number().optional(),
  lastGood: BalanceResultSchema.optional(),
});
type CacheEntry = z.infer<typeof CacheEntrySchema>;

export interface EngineOptions {
  http: HttpClient;
  keys: (account: Account) => AccountKeys | Promise<AccountKeys>;
  /** Results are fresh this long; the poll interval in the extension, 1 h in the CLI. */
  cacheTtlMs: number;
  thresholds?: ThresholdSettings;
  store: KeyValueStore;
  now?: () => Date;
}

export interface CheckRunOptions {
  /** Bypass the cache and backoff (not an active Retry-After). */
  force?: boolean;
}

/** Identifies the settings a cached result was made with; a change invalidates it. */
export function fingerprint(account: Account): string {
  return JSON.stringify(account, Object.keys(account).sort());
}

/** A failure that says nothing about the money: the numbers from before still stand, marked stale. */
function isFailure(r: BalanceResult): boolean {
  return (r.status === 'error' || r.status === 'invalid') && r.errorKind !== 'insufficient_funds';
}

export class BalanceEngine {
  private readonly inFlight = new Map<string, Promise<BalanceResult>>();
  private readonly now: () => Date;

  constructor(private readonly opts: EngineOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  set thresholds(t: ThresholdSettings) {
    this.opts.thresholds = t;
  }

  set cacheTtlMs(ms: number) {
    this.opts.cacheTtlMs = ms;
  }

  private entry(accountId: string): CacheEntry | undefined {
    const parsed = CacheEntrySchema.safeParse(this.opts.store.get(RESULT_PREFIX + accountId));
    return parsed.success ? parsed.data : undefined;
  }

  /** The latest result for an account, if any was stored. */
  last(accountId: string): BalanceResult | undefined {
    return this.entry(accountId)?.result;
  }

  /** When the account is next due for a check (ms since epoch); 0 when never checked. */
  nextDue(account: Account): number {
    const e = this.entry(account.id);
    if (!e || e.fingerprint !== fingerprint(account)) return 0;
    const checked = Date.parse(e.result.checkedAt);
    const factor = Math.min(2 ** Math.max(0, e.failures - 1), MAX_BACKOFF_FACTOR);
    return Math.max(checked + this.opts.cacheTtlMs * factor, e.retryAt ?? 0);
  }

  async check(accounts: readonly Account[], opts: CheckRunOptions = {}): Promise<BalanceResult[]> {
    return Promise.all(accounts.map((a) => this.checkOne(a, opts)));
  }

  checkOne(account: Account, opts: CheckRunOptions = {}): Promise<BalanceResult> {
    const running = this.inFlight.get(account.id);
    if (running) return running;
    const e = this.entry(account.id);
    const sameConfig = e?.fingerprint === fingerprint(account);
    const nowMs = this.now().getTime();
    if (e && sameConfig) {
      if (e.retryAt !== undefined && e.retryAt > nowMs) return Promise.resolve(e.result);
      if (!opts.force && this.nextDue(account) > nowMs) return Promise.resolve(e.result);
    }
    const p = this.run(account, sameConfig ? e : undefined).finally(() => this.inFlight.delete(account.id));
    this.inFlight.set(account.id, p);
    return p;
  }

  private async run(account: Account, prev: CacheEntry | undefined): Promise<BalanceResult> {
    let keys: AccountKeys;
    try {
      keys = await this.opts.keys(account);
    } catch {
      keys = {};
    }
    const detailed = await checkAccountDetailed(account, keys, {
      http: this.opts.http,
      thresholds: this.opts.thresholds ?? DEFAULT_THRESHOLD_SETTINGS,
      now: this.now,
    });
    let result = detailed.result;
    const failed = isFailure(result);
    const lastGood = failed ? (prev?.lastGood ?? (prev && !isFailure(prev.result) ? prev.result : undefined)) : result;
    if (failed && lastGood && (lastGood.balance !== null || lastGood.usage !== null)) {
      result = this.staleFrom(result, lastGood);
    }
    const entry: CacheEntry = {
      result,
      fingerprint: fingerprint(account),
      failures: failed ? (prev?.failures ?? 0) + 1 : 0,
    };
    if (lastGood) entry.lastGood = lastGood;
    if (detailed.retryAfterMs !== undefined) entry.retryAt = this.now().getTime() + detailed.retryAfterMs;
    await this.opts.store.update(RESULT_PREFIX + account.id, entry);
    return result;
  }

  private staleFrom(failed: BalanceResult, good: BalanceResult): BalanceResult {
    const r: BalanceResult = {
      ...failed,
      balance: good.balance,
      currency: good.currency,
      usage: good.usage,
      limit: good.limit,
      stale: true,
      details: { ...good.details, staleSince: good.checkedAt },
    };
    r.level = computeLevel({ status: r.status, errorKind: r.errorKind, balance: r.balance, currency: r.currency, limit: r.limit }, {}, this.opts.thresholds ?? DEFAULT_THRESHOLD_SETTINGS);
    return r;
  }

  /** Forgets cached results of accounts that are no longer configured. */
  async prune(accountIds: readonly string[]): Promise<void> {
    const keep = new Set(accountIds.map((id) => RESULT_PREFIX + id));
    for (const k of this.opts.store.keys()) {
      if (k.startsWith(RESULT_PREFIX) && !keep.has(k)) await this.opts.store.update(k, undefined);
    }
  }
}
