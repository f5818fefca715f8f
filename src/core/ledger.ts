// Decides whether a result deserves a notification (SPEC §7) and remembers what was sent,
// so that the same warning is never shown twice within the cooldown — across restarts,
// windows and CLI runs that share the store.
import { LEVEL_RANK } from './levels';
import type { BalanceResult } from './model';
import type { KeyValueStore } from './kv';

export const NOTIFIED_PREFIX = 'llmBalance.notified.';
export const SNOOZED_PREFIX = 'llmBalance.snoozed.';
/** Who is about to show a notification; read back to settle a race between windows. */
export const CLAIM_PREFIX = 'llmBalance.notifyClaim.';
/** A status bar highlight the user has seen and turned off: `{ level, at }`. */
export const ACK_PREFIX = 'llmBalance.acknowledged.';
const HOUR = 3_600_000;
const LEVEL_RECORDS: readonly NotifyLevel[] = ['warning', 'critical', 'error'];

export type NotifyLevel = 'warning' | 'critical' | 'error';
/** What one notification is about: a level, a budget step (`step.<n>`) or a spend spike. */
export type Claim = NotifyLevel | `step.${number}` | 'spike';
const STEP = 'step.';
/** A budget step's claim, as its record is named. */
export const stepClaim = (step: number): `step.${number}` => `${STEP}${step}`;

/** Where an account's records live: `llmBalance.notified.<id>.<claim>` (SPEC §7). Every read and write goes through here. */
const recordsOf = (accountId: string): string => `${NOTIFIED_PREFIX}${accountId}.`;
const recordKey = (accountId: string, claim: Claim): string => recordsOf(accountId) + claim;
const claimsOf = (accountId: string): string => `${CLAIM_PREFIX}${accountId}.`;
const claimKey = (accountId: string, claim: Claim): string => claimsOf(accountId) + claim;

/** Records as they were before a decision wrote them, by store key. */
export type RecordSnapshot = [key: string, value: unknown][];

export interface NotifyDecision {
  notify: boolean;
  level?: NotifyLevel;
  reason: string;
}

/** The level a result would notify at, or undefined when it never pops up. */
export function notifiableLevel(r: Pick<BalanceResult, 'level' | 'errorKind'>): NotifyLevel | undefined {
  if (r.level === 'warning' || r.level === 'critical') return r.level;
  // Only errors a person must act on: a rejected key or no funds. Transient ones stay quiet.
  if (r.level === 'error' && (r.errorKind === 'auth' || r.errorKind === 'insufficient_funds')) return 'error';
  return undefined;
}

/** What a budget-step decision found: the steps reached in this window, and the one to announce. */
export interface StepDecision {
  /** The highest newly reached step, when it is above every step already announced in this window. */
  notify?: number;
  /** Reached steps not yet recorded in this window (record them all, so a lower one never follows). */
  unrecorded: number[];
}

interface StepRecord {
  at: string;
  window: string;
}

interface AckRecord {
  level: 'warning' | 'critical' | 'error';
  at: number;
}

interface SnoozeRecord {
  until: number;
  level: NotifyLevel;
}

export class NotificationLedger {
  constructor(
    private readonly store: KeyValueStore,
    private readonly cooldown: number | (() => number) = 24,
    private readonly now: () => number = Date.now,
  ) {}

  private get cooldownHours(): number {
    return typeof this.cooldown === 'function' ? this.cooldown() : this.cooldown;
  }

  sentAt(accountId: string, level: NotifyLevel): number | undefined {
    const v = this.store.get(recordKey(accountId, level));
    if (typeof v === 'string') {
      const t = Date.parse(v);
      return Number.isNaN(t) ? undefined : t;
    }
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }

  private within(t: number | undefined): boolean {
    return t !== undefined && this.now() - t < this.cooldownHours * HOUR && t <= this.now() + 60_000;
  }

  /** Pure decision; does not record anything. */
  decide(r: BalanceResult, opts: { force?: boolean } = {}): NotifyDecision {
    const level = notifiableLevel(r);
    if (!level) return { notify: false, reason: `level ${r.level} does not notify` };
    if (opts.force) return { notify: true, level, reason: 'forced' };
    const snooze = this.snooze(r.accountId);
    if (snooze && snooze.until > this.now() && (level === 'error' ? snooze.level === 'error' : LEVEL_RANK[level] <= LEVEL_RANK[snooze.level])) {
      return { notify: false, level, reason: 'snoozed' };
    }
    if (this.within(this.sentAt(r.accountId, level))) return { notify: false, level, reason: 'already notified within cooldown' };
    // A critical notice already covers a warning: improving from critical to warning is no news.
    if (level === 'warning' && this.within(this.sentAt(r.accountId, 'critical'))) {
      return { notify: false, level, reason: 'critical already notified within cooldown' };
    }
    return { notify: true, level, reason: 'new' };
  }

  /** Records a notification as sent now; returns the stored value (for a read-back). */
  async record(accountId: string, level: NotifyLevel): Promise<string> {
    const mark = new Date(this.now()).toISOString();
    await this.store.update(recordKey(accountId, level), mark);
    return mark;
  }

  /** The records behind these claims as they are now (`llmBalance.notified.<id>.<claim>`), for putBack(). */
  snapshot(accountId: string, claims: readonly Claim[]): RecordSnapshot {
    return claims.map((c) => {
      const k = recordKey(accountId, c);
      return [k, this.store.get(k)];
    });
  }

  /** Puts back what snapshot() saw: a send recorded ahead that reached nobody is tried again next time. */
  async putBack(s: RecordSnapshot): Promise<void> {
    for (const [k, v] of s) await this.store.update(k, v);
  }

  /** Claims the showing of a notification (a level, `step.<n>` or `spike`) with a token unique to the caller. */
  async claim(accountId: string, level: Claim, token: string): Promise<void> {
    await this.store.update(claimKey(accountId, level), token);
  }

  /** True unless another caller's claim replaced this one (a missing claim does not count against it). */
  stillClaimed(accountId: string, level: Claim, token: string): boolean {
    const v = this.store.get(claimKey(accountId, level));
    return v === undefined || v === token;
  }

  /**
   * Applies a fresh result: clears the account's level records when it has recovered to ok (so
   * a new drop notifies at once) and returns whether to notify. The caller records after sending.
   * Budget-step and spike records stay: they belong to a budget window and a cooldown, not a level.
   */
  async observe(r: BalanceResult, opts: { force?: boolean } = {}): Promise<NotifyDecision> {
    if (r.level === 'ok' && !r.stale) {
      await this.clearLevels(r.accountId);
      return { notify: false, reason: 'recovered' };
    }
    return this.decide(r, opts);
  }

  private async clearLevels(accountId: string): Promise<void> {
    const drop = new Set([
      ...LEVEL_RECORDS.map((l) => recordKey(accountId, l)),
      ...LEVEL_RECORDS.map((l) => claimKey(accountId, l)),
      SNOOZED_PREFIX + accountId,
      ACK_PREFIX + accountId,
    ]);
    for (const k of this.store.keys()) if (drop.has(k)) await this.store.update(k, undefined);
  }

  // ---- budget steps: `llmBalance.notified.<id>.step.<n>` = { at, window } ----

  /** Steps recorded for the account in this budget window; records of an earlier window are cleared. */
  async stepsInWindow(accountId: string, window: string): Promise<number[]> {
    const prefix = recordsOf(accountId) + STEP;
    const out: number[] = [];
    for (const k of this.store.keys()) {
      if (!k.startsWith(prefix)) continue;
      const v = this.store.get(k) as Partial<StepRecord> | undefined;
      const step = Number(k.slice(prefix.length));
      if (v && v.window === window && Number.isFinite(step)) out.push(step);
      else await this.store.update(k, undefined);
    }
    return out.sort((a, b) => a - b);
  }

  /** Which of the reached steps (ascending) to announce in this window. Does not record. */
  async decideSteps(accountId: string, window: string, reached: readonly number[], opts: { force?: boolean } = {}): Promise<StepDecision> {
    const done = opts.force ? [] : await this.stepsInWindow(accountId, window);
    const unrecorded = reached.filter((s) => !done.includes(s));
    const highest = unrecorded[unrecorded.length - 1];
    // A step below one already announced is no news (it was added to the setting later).
    if (highest === undefined || (done.length > 0 && highest < done[done.length - 1]!)) return { unrecorded };
    return { notify: highest, unrecorded };
  }

  async recordSteps(accountId: string, window: string, steps: readonly number[]): Promise<void> {
    const rec: StepRecord = { at: new Date(this.now()).toISOString(), window };
    for (const s of steps) await this.store.update(recordKey(accountId, stepClaim(s)), rec);
  }

  // ---- spend spike: `llmBalance.notified.<id>.spike`, once per cooldown ----

  spikeDue(accountId: string, opts: { force?: boolean } = {}): boolean {
    if (opts.force) return true;
    const v = this.store.get(recordKey(accountId, 'spike'));
    const t = typeof v === 'string' ? Date.parse(v) : undefined;
    return !this.within(t !== undefined && Number.isFinite(t) ? t : undefined);
  }

  async recordSpike(accountId: string): Promise<void> {
    await this.store.update(recordKey(accountId, 'spike'), new Date(this.now()).toISOString());
  }

  // ---- acknowledged highlights ----

  async acknowledge(accountId: string, level: 'warning' | 'critical' | 'error'): Promise<void> {
    const rec: AckRecord = { level, at: this.now() };
    await this.store.update(ACK_PREFIX + accountId, rec);
  }

  /** True while the account's highlight at `level` is acknowledged: not worse than when seen, and within the cooldown. */
  isAcknowledged(accountId: string, level: BalanceResult['level']): boolean {
    const v = this.store.get(ACK_PREFIX + accountId) as Partial<AckRecord> | undefined;
    if (!v || typeof v.at !== 'number' || (v.level !== 'warning' && v.level !== 'critical' && v.level !== 'error')) return false;
    return LEVEL_RANK[level] <= LEVEL_RANK[v.level] && this.within(v.at);
  }

  snooze(accountId: string): SnoozeRecord | undefined {
    const v = this.store.get(SNOOZED_PREFIX + accountId) as Partial<SnoozeRecord> | undefined;
    if (!v || typeof v.until !== 'number' || (v.level !== 'warning' && v.level !== 'critical' && v.level !== 'error')) return undefined;
    return { until: v.until, level: v.level };
  }

  async snoozeAccount(accountId: string, level: NotifyLevel, hours = 24): Promise<void> {
    await this.store.update(SNOOZED_PREFIX + accountId, { until: this.now() + hours * HOUR, level });
  }

  /** Forgets everything about an account (it was removed). */
  async clearAccount(accountId: string): Promise<void> {
    for (const k of this.store.keys()) {
      if (k.startsWith(recordsOf(accountId)) || k.startsWith(claimsOf(accountId)) || k === SNOOZED_PREFIX + accountId || k === ACK_PREFIX + accountId) await this.store.update(k, undefined);
    }
  }

  /** "Reset Notification State": forget everything sent and snoozed. */
  async reset(): Promise<number> {
    let n = 0;
    for (const k of this.store.keys()) {
      if (k.startsWith(NOTIFIED_PREFIX) || k.startsWith(SNOOZED_PREFIX) || k.startsWith(ACK_PREFIX)) {
        await this.store.update(k, undefined);
        n++;
      } else if (k.startsWith(CLAIM_PREFIX)) await this.store.update(k, undefined);
    }
    return n;
  }
}
