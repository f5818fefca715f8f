// Polls the accounts on a chained timer, shares results between windows through
// globalState (one window — the leader — polls; the others display), records history and
// raises notifications through the shared ledger.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { AccountKeys } from '../core/check';
import type { BalanceEngine, CheckedResult } from '../core/engine';
import type { HistoryStore } from '../core/history';
import type { CheckWorker } from '../core/checkWorker';
import { NotificationLedger } from '../core/ledger';
import type { Account, BalanceResult } from '../core/model';
import type { ThresholdSettings } from '../core/thresholds';
import { DEFAULT_ALERT_RULES, readAlertRules, type AlertRules } from '../core/alertRules';
import { CHECK_WORKER_FILE, engine } from './engineLoader';
import { httpSettings } from './httpFromSettings';
import type { KeyStore } from './keys';
import { t } from './l10n';
import type { Log } from './log';
import { settings } from './settings';

export const LEADER_KEY = 'llmBalance.leader';
const HEARTBEAT_MS = 15_000;
const LEADER_STALE_MS = 45_000;
const MIN_TICK_MS = 5_000;
/** How long a claim to the poller role is given to reach the other windows before it counts. */
const CLAIM_SETTLE_MS = 500;

export interface MonitoredAccount {
  account: Account;
  source: 'settings' | 'environment';
  envKeys?: AccountKeys;
}

export interface CheckListener {
  (results: BalanceResult[], monitor: BalanceMonitor): Promise<void> | void;
}

export class BalanceMonitor implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  readonly windowId = randomUUID();
  readonly ledger: NotificationLedger;
  accounts: MonitoredAccount[] = [];
  problems: string[] = [];
  results: BalanceResult[] = [];
  thresholds: ThresholdSettings | undefined;
  /** Budget steps and spend spike, as read from the settings (invalid parts reported and defaulted). */
  alertRules: AlertRules = DEFAULT_ALERT_RULES;
  private checking = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private eng: BalanceEngine | undefined;
  /** Where the checks run (a worker thread); made on the first reload, its worker on the first check. */
  checkWorker: CheckWorker | undefined;
  private historyStore: HistoryStore | undefined;
  private disposed = false;
  private started = false;
  private ticking = false;
  private rearmAfterTick = false;
  /** Test hook: how many times the poll timer was armed, and with what delay. */
  readonly timerLog: number[] = [];
  private readonly listeners: CheckListener[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly keys: KeyStore,
    private readonly store: vscode.Memento = context.globalState,
  ) {
    this.ledger = new NotificationLedger(
      { get: (k) => store.get(k), update: (k, v) => store.update(k, v), keys: () => store.keys() },
      () => settings.notificationCooldownHours(),
    );
  }

  get isChecking(): boolean {
    return this.checking > 0;
  }

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
    const problems: string[] = [];
    const accounts: MonitoredAccount[] = [];
    const seen = new Set<string>();
    settings.accounts().forEach((raw, i) => {
      const parsed = E.AccountSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? ` "${(raw as { id: string }).id}"` : '';
        problems.push(`llmBalance.accounts[${i}]${id}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.replace(/\s+/g, ' '));
        return;
      }
      if (seen.has(parsed.data.id)) {
        problems.push(`llmBalance.accounts[${i}]: id "${parsed.data.id}" is used twice; the second is skipped`);
        return;
      }
      seen.add(parsed.data.id);
      if (parsed.data.enabled !== false) accounts.push({ account: parsed.data, source: 'settings' });
    });
    if (settings.useEnvironmentKeys()) {
      const env = E.accountsFromEnv(process.env);
      problems.push(...env.problems);
      for (const a of env.accounts) {
        const id = `env-${a.account.id}`;
        if (seen.has(id)) continue;
        const label = t('{0} (environment)', a.account.label ?? E.PROVIDERS[a.account.provider].name);
        accounts.push({ account: { ...a.account, id, label }, source: 'environment', envKeys: a.keys });
        this.log.addSecret(a.keys.key);
        this.log.addSecret(a.keys.adminKey);
      }
    }
    const th = E.ThresholdsSchema.safeParse(settings.thresholds() ?? E.DEFAULT_THRESHOLDS);
    const pct = E.PercentThresholdsSchema.safeParse(settings.percentThresholds() ?? E.DEFAULT_PERCENT_THRESHOLDS);
    if (!th.success) problems.push(`llmBalance.thresholds: ${th.error.issues[0]?.message ?? 'invalid'}; using the defaults`);
    if (!pct.success) problems.push(`llmBalance.percentThresholds: ${pct.error.issues[0]?.message ?? 'invalid'}; using the defaults`);
    this.thresholds = {
      thresholds: th.success ? th.data : E.DEFAULT_THRESHOLDS,
      percent: pct.success ? pct.data : E.DEFAULT_PERCENT_THRESHOLDS,
    };
    const rules = readAlertRules(settings.alertRules(), 'llmBalance.');
    problems.push(...rules.problems);
    this.alertRules = rules.rules;
    this.accounts = accounts;
    this.problems = problems;
    for (const p of problems) this.log.warn(`Settings: ${p}`);

    // The worker says a proxy it cannot use once per settings change; each affected account in its own result too.
    this.checkWorker ??= new E.CheckWorker({
      file: CHECK_WORKER_FILE,
      log: this.log,
      fallback: (http) => engine().checkOver(new (engine().HttpClient)(http)),
    });
    this.checkWorker.http = httpSettings();
    const ttl = settings.pollIntervalMinutes() * 60_000;
    if (this.eng) {
      // One engine for the window's life, so overlapping checks of an account stay coalesced.
      this.eng.thresholds = this.thresholds;
      this.eng.cacheTtlMs = ttl;
    } else {
      this.eng = new E.BalanceEngine({
        check: this.checkWorker.check,
        store: { get: (k) => this.store.get(k), update: (k, v) => this.store.update(k, v), keys: () => this.store.keys() },
        cacheTtlMs: ttl,
        thresholds: this.thresholds,
        keys: (a) => this.keysFor(a),
      });
    }
    this.refreshFromStore();
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

  /** Shows whatever results the windows have stored, without checking. */
  refreshFromStore(): void {
    if (!this.eng) return;
    let next: BalanceResult[] = [];
    for (const m of this.accounts) {
      const r = this.eng.last(m.account);
      if (r) next.push(r);
    }
    next = engine().expandTeamResults(next);
    if (JSON.stringify(next) !== JSON.stringify(this.results)) {
      this.results = next;
      this.changed.fire();
    }
  }

  isLeader(): boolean {
    const rec = this.store.get<{ id?: unknown; beat?: unknown }>(LEADER_KEY);
    return !!rec && rec.id === this.windowId;
  }

  /** Takes the poller role when nobody holds it or its holder stopped beating. */
  private claimLeadership(): boolean {
    const rec = this.store.get<{ id?: unknown; beat?: unknown }>(LEADER_KEY);
    const now = Date.now();
    const alive = rec && typeof rec.beat === 'number' && now - rec.beat < LEADER_STALE_MS && rec.beat <= now + HEARTBEAT_MS;
    if (!alive || rec.id === this.windowId) {
      // Another window may have written history while this one was not polling: read it afresh.
      if (rec?.id !== this.windowId) this.historyStore = undefined;
      void this.store.update(LEADER_KEY, { id: this.windowId, beat: now });
      return true;
    }
    return false;
  }

  private beat(): void {
    if (this.disposed) return;
    const wasLeader = this.isLeader();
    const leader = this.claimLeadership();
    if (!leader) this.refreshFromStore();
    if (leader && !wasLeader && this.started) {
      this.log.info('This window now polls the accounts.');
      this.arm(MIN_TICK_MS);
    }
    this.beatTimer = setTimeout(() => this.beat(), HEARTBEAT_MS);
  }

  private arm(delayMs: number): void {
    if (this.disposed) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.timerLog.push(delayMs);
    this.pollTimer = setTimeout(() => void this.tick(), delayMs);
  }

  /** One poll: only the leader checks; the next tick is armed after this one ends, never overlapping. */
  private async tick(): Promise<void> {
    this.pollTimer = undefined;
    this.ticking = true;
    try {
      if (await this.confirmLeadership()) await this.run({ force: false });
      else this.refreshFromStore();
    } catch (e) {
      this.log.error(`Background check failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.ticking = false;
      const soon = this.rearmAfterTick;
      this.rearmAfterTick = false;
      this.arm(soon ? MIN_TICK_MS : this.nextDelay());
    }
  }

  /**
   * Claims the poller role and reads it back after other windows' writes had time to arrive:
   * of two windows that claimed at once, only the one whose claim stuck polls.
   */
  private async confirmLeadership(): Promise<boolean> {
    if (!this.claimLeadership()) return false;
    await new Promise((r) => setTimeout(r, CLAIM_SETTLE_MS));
    return !this.disposed && this.isLeader();
  }

  private nextDelay(): number {
    const interval = settings.pollIntervalMinutes() * 60_000;
    if (!this.eng || this.accounts.length === 0) return interval;
    const now = Date.now();
    const soonest = Math.min(...this.accounts.map((m) => this.eng!.nextDue(m.account)));
    return Math.min(interval * 8, Math.max(MIN_TICK_MS, soonest - now));
  }

  /** "Check LLM Balance": bypasses the cache (not an active Retry-After). */
  async checkNow(accountIds?: string[]): Promise<BalanceResult[]> {
    return this.run({ force: true, accountIds });
  }

  private async run(opts: { force: boolean; accountIds?: string[] | undefined }): Promise<BalanceResult[]> {
    if (!this.eng) this.reload();
    const eng = this.eng!;
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
    let checked: CheckedResult[];
    try {
      checked = engine().expandTeamChecks(await eng.checkReported(targets.map((m) => m.account), { force: opts.force }));
    } finally {
      this.checking--;
    }
    const results = checked.map((c) => c.result);
    const fresh = checked.filter((c) => c.fresh).map((c) => c.result);
    for (const r of fresh) {
      if (r.error) this.log.warn(`${r.label}: ${r.error}`);
    }
    this.log.info(`Checked ${results.length} account(s): ${results.map((r) => `${r.accountId}=${r.level}`).join(', ')}`);
    this.refreshFromStore();
    this.changed.fire();
    await this.recordHistory(fresh);
    for (const l of this.listeners) {
      try {
        await l(results, this);
      } catch (e) {
        this.log.error(`After-check step failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return results;
  }

  historyFile(): vscode.Uri {
    return vscode.Uri.joinPath(this.context.globalStorageUri, 'history.json');
  }

  /** The leader's live history, or a fresh read of the file in other windows. */
  async history(): Promise<HistoryStore> {
    if (this.historyStore && this.isLeader()) return this.historyStore;
    const E = engine();
    const h = new E.HistoryStore(this.historyFile().fsPath, { retentionDays: settings.historyRetentionDays(), log: (m) => this.log.warn(m) });
    await h.load();
    if (this.isLeader()) this.historyStore = h;
    return h;
  }

  private async recordHistory(fresh: BalanceResult[]): Promise<void> {
    if (fresh.length === 0 || !this.isLeader()) return;
    try {
      const h = await this.history();
      h.record(fresh);
      for (const r of fresh) {
        if (r.error && r.level === 'error') h.addEvent({ t: Date.parse(r.checkedAt), accountId: r.accountId, label: r.label, kind: 'error', level: r.level, message: r.error });
      }
      await h.save();
      this.changed.fire();
    } catch (e) {
      this.log.error(`Could not write history: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async addNotificationEvent(r: BalanceResult, message: string, level: BalanceResult['level']): Promise<void> {
    try {
      const h = await this.history();
      h.addEvent({ t: Date.now(), accountId: r.accountId, label: r.label, kind: 'notification', level, message, channel: 'vscode' });
      if (this.isLeader()) await h.save();
    } catch (e) {
      this.log.error(`Could not record the notification: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Redraws whoever shows the results (after an acknowledgement, say). */
  refreshViews(): void {
    this.changed.fire();
  }

  billingUrl(accountId: string): string | undefined {
    const m = this.accounts.find((x) => x.account.id === accountId);
    if (!m) return undefined;
    try {
      return engine().PROVIDERS[m.account.provider].billingUrl(m.account);
    } catch {
      return undefined;
    }
  }

  /** Forgets stored results and notification records of accounts that are gone. */
  async forget(accountId: string): Promise<void> {
    await this.store.update(`llmBalance.result.${accountId}`, undefined);
    await this.ledger.clearAccount(accountId);
  }

  dispose(): void {
    this.disposed = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.beatTimer) clearTimeout(this.beatTimer);
    // Hand the poller role over at once rather than after the heartbeat goes stale.
    if (this.isLeader()) void this.store.update(LEADER_KEY, undefined);
    void this.checkWorker?.dispose();
    this.changed.dispose();
  }
}
