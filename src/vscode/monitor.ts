// Polls the accounts on a chained timer. Of several windows, the one holding the poller lease
// checks and keeps its own results; the others show what it stored in globalState. What
// happens after a check (history, notifications) is the listeners' business.
import * as vscode from 'vscode';
import type { AccountKeys } from '../core/check';
import type { CheckScheduler, CheckedResult } from '../core/checkScheduler';
import type { CheckWorker } from '../core/checkWorker';
import type { InThreadChecks } from '../core/inThreadChecks';
import type { Account, BalanceResult } from '../core/model';
import type { PollerLease } from '../core/pollerLease';
import type { ConfiguredAccount } from '../core/readConfig';
import type { ThresholdSettings } from '../core/thresholds';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../core/alertRules';
import { CHECK_WORKER_FILE, engine } from './engineLoader';
import { httpSettings } from './httpFromSettings';
import type { KeyStore } from './keys';
import { t } from './l10n';
import type { Log } from './log';
import { describeSettingsProblem, settings } from './settings';

const HEARTBEAT_MS = 15_000;
const MIN_TICK_MS = 5_000;

export type MonitoredAccount = ConfiguredAccount;

/** What a check run found: every result, and those this run asked the provider for. */
export interface CheckReport {
  results: BalanceResult[];
  fresh: BalanceResult[];
}

export type CheckListener = (report: CheckReport) => Promise<void> | void;

/** The monitor's timers, so that a test can see what it arms without waiting for it. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface MonitorDeps {
  /** globalState: the shared result cache (and the other windows' results). */
  store: vscode.Memento;
  log: Log;
  keys: KeyStore;
  lease: PollerLease;
  timers?: Timers;
}

export class BalanceMonitor implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  accounts: MonitoredAccount[] = [];
  problems: string[] = [];
  results: BalanceResult[] = [];
  thresholds: ThresholdSettings | undefined;
  /** Budget steps and spend spike, as read from the settings (invalid parts reported and defaulted). */
  alertRules: AlertRules = DEFAULT_ALERT_RULES;
  private checking = 0;
  private pollTimer: unknown;
  private beatTimer: unknown;
  private scheduler: CheckScheduler | undefined;
  /** Where the checks run (a worker thread); made on the first reload, its worker on the first check. */
  checkWorker: CheckWorker | undefined;
  /** The checks in this thread when the worker cannot run; closes the HTTP client that new settings replace. */
  private inThreadChecks: InThreadChecks | undefined;
  /** Results this window made while it held the lease: shown without reading them back from globalState. */
  private readonly own = new Map<string, BalanceResult>();
  private disposed = false;
  private started = false;
  private ticking = false;
  private rearmAfterTick = false;
  private readonly listeners: CheckListener[] = [];
  private readonly store: vscode.Memento;
  private readonly log: Log;
  private readonly keys: KeyStore;
  private readonly lease: PollerLease;
  private readonly timers: Timers;

  constructor(deps: MonitorDeps) {
    this.store = deps.store;
    this.log = deps.log;
    this.keys = deps.keys;
    this.lease = deps.lease;
    this.timers = deps.timers ?? realTimers;
  }

  get isChecking(): boolean {
    return this.checking > 0;
  }

  /** Listeners run one after another, in the order added, after each check run. */
  onDidCheck(l: CheckListener): void {
    this.listeners.push(l);
  }

  /** Loads the engine and the accounts, shows cached results, and arms the first check. */
  start(firstCheckDelayMs = 1500): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.reload();
    this.arm(firstCheckDelayMs);
    this.beat();
  }

  /** Re-reads settings: accounts, thresholds, proxy, interval. Invalid entries are skipped and reported. */
  reload(): void {
    const E = engine();
    const config = E.readConfig(settings.rawConfig(), process.env, { t });
    this.accounts = config.accounts.filter((m) => m.account.enabled !== false);
    for (const m of this.accounts) {
      this.log.addSecret(m.envKeys?.key);
      this.log.addSecret(m.envKeys?.adminKey);
    }
    this.thresholds = config.thresholds;
    this.alertRules = config.alertRules;
    this.problems = config.problems.map(describeSettingsProblem);
    for (const p of this.problems) this.log.warn(`Settings: ${p}`);

    // The worker says a proxy it cannot use once per settings change; each affected account in its own result too.
    this.inThreadChecks ??= new E.InThreadChecks(engine);
    this.checkWorker ??= new E.CheckWorker({ file: CHECK_WORKER_FILE, log: this.log, fallback: this.inThreadChecks.checkerFor });
    this.checkWorker.http = httpSettings();
    const ttl = settings.pollIntervalMinutes() * 60_000;
    if (this.scheduler) {
      // One scheduler for the window's life, so overlapping checks of an account stay coalesced.
      this.scheduler.thresholds = this.thresholds;
      this.scheduler.cacheTtlMs = ttl;
    } else {
      this.scheduler = new E.CheckScheduler({
        check: this.checkWorker.check,
        store: { get: (k) => this.store.get(k), update: (k, v) => this.store.update(k, v), keys: () => this.store.keys() },
        cacheTtlMs: ttl,
        thresholds: this.thresholds,
        keys: (a) => this.keysFor(a),
      });
    }
    // The thresholds may have changed: the stored results are judged afresh by the scheduler.
    this.own.clear();
    this.show();
  }

  /** Re-arms the poll timer after a settings change, without waiting for the old delay. */
  rearm(): void {
    if (!this.started) return;
    // A tick in progress re-arms itself when it ends; never start a second one beside it.
    if (this.ticking) this.rearmAfterTick = true;
    else this.arm(MIN_TICK_MS);
  }

  private async keysFor(a: Account): Promise<AccountKeys> {
    const m = this.accounts.find((x) => x.account.id === a.id);
    if (m?.envKeys) return m.envKeys;
    const k = await this.keys.get(a.id);
    this.log.addSecret(k.key);
    this.log.addSecret(k.adminKey);
    return k;
  }

  /** Shows this window's own results while it polls, else what the polling window stored. */
  private show(): void {
    if (!this.scheduler) return;
    const polling = this.lease.held();
    if (!polling) this.own.clear();
    const next: BalanceResult[] = [];
    for (const m of this.accounts) {
      const r = (polling ? this.own.get(m.account.id) : undefined) ?? this.scheduler.last(m.account);
      if (r) next.push(r);
    }
    const expanded = engine().expandTeamResults(next);
    if (JSON.stringify(expanded) !== JSON.stringify(this.results)) {
      this.results = expanded;
      this.changed.fire();
    }
  }

  private beat(): void {
    if (this.disposed) return;
    const { held, gained } = this.lease.claim();
    // A new term: the previous poller may have stored newer results than this window's own.
    if (gained) this.own.clear();
    if (!held) this.show();
    if (gained && this.started) {
      this.log.info('This window now polls the accounts.');
      this.arm(MIN_TICK_MS);
    }
    this.beatTimer = this.timers.set(() => this.beat(), HEARTBEAT_MS);
  }

  private arm(delayMs: number): void {
    if (this.disposed) return;
    if (this.pollTimer !== undefined) this.timers.clear(this.pollTimer);
    this.pollTimer = this.timers.set(() => void this.tick(), delayMs);
  }

  /** One poll: only the lease holder checks; the next tick is armed after this one ends, never overlapping. */
  private async tick(): Promise<void> {
    this.pollTimer = undefined;
    this.ticking = true;
    try {
      // Of two windows that claimed at once, only the one whose claim stuck polls.
      const lease = await this.lease.confirm();
      if (lease.gained) this.own.clear();
      if (lease.held && !this.disposed) await this.run({ force: false });
      else this.show();
    } catch (e) {
      this.log.error(`Background check failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.ticking = false;
      const soon = this.rearmAfterTick;
      this.rearmAfterTick = false;
      this.arm(soon ? MIN_TICK_MS : this.nextDelay());
    }
  }

  private nextDelay(): number {
    const interval = settings.pollIntervalMinutes() * 60_000;
    if (!this.scheduler || this.accounts.length === 0) return interval;
    const now = Date.now();
    const soonest = Math.min(...this.accounts.map((m) => this.scheduler!.nextDue(m.account)));
    return Math.min(interval * 8, Math.max(MIN_TICK_MS, soonest - now));
  }

  /** "Check LLM Balance": bypasses the cache (not an active Retry-After). */
  async checkNow(accountIds?: string[]): Promise<BalanceResult[]> {
    return this.run({ force: true, accountIds });
  }

  private async run(opts: { force: boolean; accountIds?: string[] | undefined }): Promise<BalanceResult[]> {
    if (!this.scheduler) this.reload();
    const scheduler = this.scheduler!;
    // A team's shared account ("<teamId>/<accountId>") is checked through its team account.
    const ids = opts.accountIds?.map((id) => id.split('/')[0]);
    const targets = this.accounts.filter((m) => !ids || ids.includes(m.account.id));
    if (targets.length === 0) {
      this.results = [];
      this.changed.fire();
      return [];
    }
    this.checking++;
    this.changed.fire();
    let reported: CheckedResult[];
    try {
      reported = await scheduler.checkReported(targets.map((m) => m.account), { force: opts.force });
    } finally {
      this.checking--;
    }
    if (this.lease.held()) for (const c of reported) this.own.set(c.result.accountId, c.result);
    const checked = engine().expandTeamChecks(reported);
    const results = checked.map((c) => c.result);
    const fresh = checked.filter((c) => c.fresh).map((c) => c.result);
    for (const r of fresh) {
      if (r.error) this.log.warn(`${r.label}: ${r.error}`);
    }
    this.log.info(`Checked ${results.length} account(s): ${results.map((r) => `${r.accountId}=${r.level}`).join(', ')}`);
    this.show();
    this.changed.fire();
    for (const l of this.listeners) {
      try {
        await l({ results, fresh });
      } catch (e) {
        this.log.error(`After-check step failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return results;
  }

  /** Redraws whoever shows the results (after an acknowledgement, say). */
  refreshViews(): void {
    this.changed.fire();
  }

  /** Forgets the stored result of an account that is gone. */
  async forget(accountId: string): Promise<void> {
    this.own.delete(accountId);
    await this.store.update(`llmBalance.result.${accountId}`, undefined);
  }

  dispose(): void {
    this.disposed = true;
    if (this.pollTimer !== undefined) this.timers.clear(this.pollTimer);
    if (this.beatTimer !== undefined) this.timers.clear(this.beatTimer);
    // Hand the poller role over at once rather than after the heartbeat goes stale.
    this.lease.release();
    void this.checkWorker?.dispose();
    void this.inThreadChecks?.dispose();
    this.changed.dispose();
  }
}
