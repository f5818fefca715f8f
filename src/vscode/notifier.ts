// VS Code notifications for results that cross a level (SPEC §7). The ledger in globalState
// decides; the record is written before the toast is shown so another window that reads it
// a moment later stays quiet.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { BalanceResult } from '../core/model';
import { engine } from './engineLoader';
import type { Log } from './log';
import type { NotificationLedger } from '../core/ledger';
import type { AlertRules } from '../core/alertRules';
import type { ConfiguredAccount } from '../core/readConfig';
import type { WindowHistory } from './windowHistory';
import { ui } from './ui';
import { isKeyMissing } from '../core/statusView';
import { t } from './l10n';
import { settings } from './settings';
import type { DecidedAlert } from '../core/decideAlerts';
import type { Alert } from '../core/alerts/message';
import { COMMAND } from '../core/commandIds';

const RANK: Record<ShownLevel, number> = { info: 0, warning: 1, critical: 2, error: 3 };

/** "CRITICAL: OpenRouter balance low — $0.69 left (threshold $5.00). Add funds…" → "CRITICAL: OpenRouter balance low — $0.69 left (threshold $5.00)". */
function briefOf(message: string): string {
  // English ends its headline at ". Add funds…"; Chinese at the first "。".
  const cut = message.replace(/\. (Add funds|Check|Add more)[\s\S]*$/, '').replace(/。[\s\S]*$/, '').replace(/\.$/, '');
  return cut.length > 160 ? `${cut.slice(0, 157)}…` : cut;
}

/** The toasts' buttons, in the display language; a pick is compared with these. */
function actionLabels() {
  return { addFunds: t('Add Funds'), updateKey: t('Update Key'), acknowledge: t('Acknowledge'), openPanel: t('Open Panel'), snooze: t('Snooze 24h') };
}

export const KEY_MISSING_PREFIX = 'llmBalance.keyMissingPrompted.';
/** Set after the first check that could alert: before it, even two alerts share one toast. */
export const ALERTS_STARTED_KEY = 'llmBalance.alertsStarted';
const READ_BACK_MS = 300;
/** More accounts than this alerting in one check share one toast. */
const GROUP_ABOVE = 2;

export type ShownLevel = 'info' | 'warning' | 'critical' | 'error';

export interface ShownNotification {
  accountId: string;
  level: ShownLevel;
  message: string;
  /** What raised it: a level, a budget step, a spend spike, or a key missing on this machine. */
  kind: 'level' | 'step' | 'spike' | 'keyMissing';
}

type Pending = DecidedAlert & {
  token: string;
  /** One line in a grouped toast. */
  brief: string;
};

export interface NotifierDeps {
  /** The accounts and alert rules the checks run with (the monitor). */
  config: { readonly accounts: readonly ConfiguredAccount[]; readonly alertRules: AlertRules };
  ledger: NotificationLedger;
  history: Pick<WindowHistory, 'open' | 'addNotification'>;
  billingUrl: (accountId: string) => string | undefined;
  /** Tells this window's claims from other windows'. */
  windowId: string;
  log: Log;
  /** globalState: key-missing prompts and whether alerts have started. */
  store: vscode.Memento;
}

export class Notifier implements vscode.Disposable {
  private readonly notified = new vscode.EventEmitter<ShownNotification>();
  /** Fires for each notification as this window shows it, after the ledger recorded it. */
  readonly onDidNotify = this.notified.event;
  /** Told of each alert as its notification is shown, after the ledger recorded it (the external channels). */
  onAlert: ((alert: Alert) => void) | undefined;
  private readonly log: Log;
  private readonly store: vscode.Memento;

  constructor(private readonly deps: NotifierDeps) {
    this.log = deps.log;
    this.store = deps.store;
  }

  dispose(): void {
    this.notified.dispose();
  }

  async handle(results: readonly BalanceResult[]): Promise<void> {
    await this.promptKeyMissing(results.filter(isKeyMissing));
    const { ledger, config } = this.deps;
    const checked = results.filter((r) => !isKeyMissing(r));
    const decided = await engine().decideAlerts(checked, {
      ledger,
      rules: config.alertRules,
      account: (id) => config.accounts.find((x) => x.account.id === id)?.account,
      cooldownHours: settings.notificationCooldownHours(),
      extras: (r) => {
        const billingUrl = this.deps.billingUrl(r.accountId);
        return billingUrl ? { billingUrl } : {};
      },
      history: () => this.deps.history.open(),
      warn: (m) => this.log.warn(m),
      t,
    });
    const pending: Pending[] = [];
    for (const d of decided) {
      const p: Pending = { ...d, token: `${this.deps.windowId}:${randomUUID()}`, brief: briefOf(d.message) };
      await ledger.claim(d.r.accountId, p.claim, p.token);
      pending.push(p);
    }
    const firstCheck = this.store.get(ALERTS_STARTED_KEY) === undefined;
    if (checked.length) await this.store.update(ALERTS_STARTED_KEY, new Date().toISOString());
    if (pending.length === 0) return;
    // Another window (or an overlapping check in this one) that decided the same at the same
    // moment wrote its own claim; after the writes have crossed, only the last claim shows.
    await new Promise((res) => setTimeout(res, READ_BACK_MS));
    const due = pending.filter((p) => {
      if (ledger.stillClaimed(p.r.accountId, p.claim, p.token)) return true;
      this.log.info(`Another window notified ${p.r.accountId} (${p.claim}); not repeating it.`);
      return false;
    });
    for (const p of due) {
      this.notified.fire({ accountId: p.r.accountId, level: p.level, message: p.message, kind: p.kind });
      this.log.info(`Notified (${p.kind === 'level' ? p.level : p.claim}): ${p.message}`);
      try {
        this.onAlert?.(p.alert);
      } catch (e) {
        this.log.error(`Alert channels failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      await this.deps.history.addNotification(p.r, p.message, p.level);
    }
    const accounts = [...new Set(due.map((p) => p.r.accountId))];
    const fail = (e: unknown) => this.log.error(`Notification action failed: ${e instanceof Error ? e.message : String(e)}`);
    if (accounts.length > GROUP_ABOVE || (firstCheck && accounts.length > 1)) this.showGroup(due, accounts).catch(fail);
    else for (const p of due) this.show(p).catch(fail);
  }

  private async show(p: Pending): Promise<void> {
    const { r, level, message } = p;
    const highlighted = level !== 'info' && p.kind !== 'spike' && settings.statusBarHighlight() === 'untilAcknowledged';
    const L = actionLabels();
    const ack = highlighted ? [L.acknowledge] : [];
    let actions: string[];
    // A team's shared account ("<team>/<id>"): its key and billing are the team server's business.
    if (r.accountId.includes('/')) actions = [...ack, L.openPanel, L.snooze];
    else if (p.kind === 'spike') actions = [L.updateKey, L.openPanel];
    else if (p.kind === 'step') actions = [...ack, L.openPanel];
    else if (level === 'error' && r.errorKind === 'auth') actions = [L.updateKey, ...ack, L.openPanel, L.snooze];
    else actions = [L.addFunds, ...ack, L.openPanel, L.snooze];
    const pick = level === 'info' ? await ui().showInformationMessage(message, ...actions)
      : level === 'warning' ? await ui().showWarningMessage(message, ...actions)
      : await ui().showErrorMessage(message, ...actions);
    switch (pick) {
      case L.addFunds: {
        const url = this.deps.billingUrl(r.accountId);
        if (url && url.startsWith('https://')) await vscode.env.openExternal(vscode.Uri.parse(url));
        else await vscode.commands.executeCommand(COMMAND.showPanel);
        break;
      }
      case L.updateKey:
        await vscode.commands.executeCommand(COMMAND.updateKey, r.accountId);
        break;
      case L.acknowledge:
        await vscode.commands.executeCommand(COMMAND.acknowledge, [r.accountId]);
        break;
      case L.openPanel:
        await vscode.commands.executeCommand(COMMAND.showPanel);
        break;
      case L.snooze:
        if (level !== 'info') await this.deps.ledger.snoozeAccount(r.accountId, level, 24);
        this.log.info(`Snoozed ${r.label} (${level}) for 24 h.`);
        break;
    }
  }

  /** One toast for many accounts: each line says what happened to one of them. */
  private async showGroup(due: readonly Pending[], accounts: readonly string[]): Promise<void> {
    const worst = due.reduce<ShownLevel>((w, p) => (RANK[p.level] > RANK[w] ? p.level : w), 'info');
    const message = t('LLM Balance: {0} accounts need attention — {1}.', accounts.length, due.map((p) => p.brief).join(t('; ')));
    const highlighted = settings.statusBarHighlight() === 'untilAcknowledged' && due.some((p) => p.level !== 'info' && p.kind !== 'spike');
    const L = actionLabels();
    const actions = [...(highlighted ? [L.acknowledge] : []), L.openPanel, L.snooze];
    const pick = worst === 'info' ? await ui().showInformationMessage(message, ...actions)
      : worst === 'warning' ? await ui().showWarningMessage(message, ...actions)
      : await ui().showErrorMessage(message, ...actions);
    switch (pick) {
      case L.acknowledge:
        await vscode.commands.executeCommand(COMMAND.acknowledge, [...accounts]);
        break;
      case L.openPanel:
        await vscode.commands.executeCommand(COMMAND.showPanel);
        break;
      case L.snooze:
        for (const p of due) if (p.kind === 'level') await this.deps.ledger.snoozeAccount(p.r.accountId, p.level, 24);
        this.log.info(`Snoozed ${accounts.length} accounts for 24 h.`);
        break;
    }
  }

  /** After Settings Sync brings accounts without their keys: one prompt for all of them, once per day. */
  private async promptKeyMissing(missing: readonly BalanceResult[]): Promise<void> {
    const due: BalanceResult[] = [];
    for (const r of missing) {
      if (this.deps.config.accounts.find((x) => x.account.id === r.accountId)?.source !== 'settings') continue;
      const k = KEY_MISSING_PREFIX + r.accountId;
      const last = this.store.get<number>(k);
      if (typeof last === 'number' && Date.now() - last < 24 * 3_600_000) continue;
      await this.store.update(k, Date.now());
      due.push(r);
    }
    if (due.length === 0) return;
    const names = due.map((r) => t('"{0}"', r.label)).join(t(', '));
    const text = due.length === 1
      ? t('LLM Balance: no API key is stored on this machine for {0}. Set it to start checking.', names)
      : t('LLM Balance: no API keys are stored on this machine for {0}. Set them to start checking.', names);
    const setKey = t('Set Key');
    // Said: "Check LLM Balance" does not add a toast of its own about the same missing key.
    for (const r of due) this.notified.fire({ accountId: r.accountId, level: 'warning', message: text, kind: 'keyMissing' });
    void ui()
      .showWarningMessage(text, setKey)
      .then((pick) => (pick === setKey ? vscode.commands.executeCommand(COMMAND.updateKey, due.length === 1 ? due[0]!.accountId : undefined) : undefined));
  }
}
