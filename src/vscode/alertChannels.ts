// External alert channels in the extension (SPEC §7), driven by the core's channel descriptors: which
// are on and their non-secret parts (chat id, addresses) are settings, the secrets live in SecretStorage
// only. Alerts come from the Notifier after the shared ledger decided them. Every delivery builds the
// channels from the current settings; a failing channel is logged and holds up nothing else.
import * as vscode from 'vscode';
import type { ChannelConfigError, ChannelDescriptor, ChannelField, ChannelId } from '../core/alerts/channels';
import type { DeliveryOptions, DeliveryOutcome } from '../core/alerts/delivery';
import type { Alert } from '../core/alerts/message';
import { COMMAND } from '../core/commandIds';
import { engine } from './engineLoader';
import { httpFromSettings } from './httpFromSettings';
import { descriptorText, t } from './l10n';
import type { Log } from './log';
import { settings } from './settings';
import { ui } from './ui';

const descriptors = (): readonly ChannelDescriptor[] => engine().CHANNELS;
const byId = (id: ChannelId): ChannelDescriptor => descriptors().find((d) => d.id === id)!;
/** Names in the display language, asked when shown (the log keeps the English `d.name`). */
const shownName = (d: ChannelDescriptor): string => descriptorText(d.name);
const secretName = (d: ChannelDescriptor): string => descriptorText(d.secret.name);
const stepName = (d: ChannelDescriptor, f: ChannelField): string => (f.secret ? secretName(d) : descriptorText(f.step ?? f.env));
const secretKey = (d: ChannelDescriptor): string => `llmBalance.channel.${d.id}.${d.secret.storedAs}`;

/** The core names the CLI's environment variables in its messages; here they are settings or secrets. */
function inExtensionTerms(message: string): string {
  const named = (f: ChannelField): string => f.label ?? `llmBalance.channels.${f.setting}`;
  return descriptors().flatMap((d) => d.fields).reduce((m, f) => m.replace(new RegExp(`\\b${f.env}\\b`, 'g'), named(f)), message);
}

const cfg = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('llmBalance.channels');
const enabled = (d: ChannelDescriptor): boolean => cfg().get<unknown>(`${d.id}.enabled`) === true;
const setSetting = (key: string, value: unknown): Thenable<void> => cfg().update(key, value, vscode.ConfigurationTarget.Global);

/** A channel's saved settings, by variable name. */
function savedValues(d: ChannelDescriptor): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of d.fields) {
    const v = f.setting ? cfg().get<unknown>(f.setting) : undefined;
    if (typeof v === 'string' && v.trim()) out[f.env] = v.trim();
  }
  return out;
}

const testAlert = (): Alert => ({
  kind: 'level', accountId: 'llm-balance-test', provider: 'custom', label: t('LLM Balance (test)'), level: 'warning', balance: null, currency: 'USD', threshold: null,
  message: t('TEST: this is a test alert from LLM Balance ("Send Test Alert"). Alerts reach this channel; no account is low and nothing needs doing.'),
  time: new Date().toISOString(),
  cooldownHours: settings.notificationCooldownHours(),
});

type ChannelState = { d: ChannelDescriptor; on: boolean; stored: boolean };

export class AlertChannels implements vscode.Disposable {
  /** Delivery settings (the tests shorten the backoff). */
  deliveryOptions: DeliveryOptions = {};
  private readonly running = new Set<Promise<void>>();
  private readonly closers = new Set<() => Promise<void>>();

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: Log) {}

  /** A channel's secret, from SecretStorage and nowhere else; the log learns each one it reads. */
  private async secret(d: ChannelDescriptor): Promise<string | undefined> {
    const v = (await this.secrets.get(secretKey(d)))?.trim();
    if (v) this.protect(v);
    return v || undefined;
  }

  private protect(secret: string): void {
    for (const s of engine().secretPieces(secret)) this.log.addSecret(s);
  }

  /** Sends alerts to every channel that is on. Never rejects: failures go to the log. */
  deliver(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0 || !descriptors().some(enabled)) return Promise.resolve();
    const p = this.send(alerts, {})
      .then(({ outcomes, problems }) => {
        for (const x of problems) this.log.warn(`Alert channel ${byId(x.channel).name} skipped: ${x.message}`);
        for (const o of outcomes) {
          const what = o.kind === 'level' ? o.level : `${o.level}, ${o.kind}`;
          if (o.ok) this.log.info(`Alert sent to ${byId(o.channel).name}: ${o.accountId} (${what}).`);
          else this.log.error(`Alert to ${byId(o.channel).name} failed for ${o.accountId} (${what}): ${o.error}`);
        }
      })
      .catch((e: unknown) => this.log.error(`Alert channels failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.running.delete(p));
    this.running.add(p);
    return p;
  }

  /** Resolves when every delivery begun so far has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Builds the channels that are on, sends the alerts to all of them and waits (bounded). */
  private async send(alerts: readonly Alert[], over: DeliveryOptions): Promise<{ outcomes: DeliveryOutcome[]; problems: ChannelConfigError[] }> {
    const values: Record<string, string> = {};
    const problems: ChannelConfigError[] = [];
    for (const d of descriptors().filter(enabled)) {
      const secret = await this.secret(d);
      if (secret) Object.assign(values, savedValues(d), { [d.fields.find((f) => f.secret)!.env]: secret });
      else problems.push({ channel: d.id, variable: secretKey(d), message: t('it is on, but no {0} is stored on this machine; run "LLM Balance: Configure Alert Channels".', secretName(d)) });
    }
    const E = engine();
    const http = httpFromSettings();
    const set = E.createChannels(values, { http, timeoutMs: settings.requestTimeoutSeconds() * 1000, t });
    const close = async (): Promise<void> => {
      this.closers.delete(close);
      await set.close();
      await http.close();
    };
    this.closers.add(close);
    try {
      const log = (line: string): void => this.log.info(`Alert channels: ${inExtensionTerms(line)}`);
      const outcomes = await E.deliverAlerts(alerts, set.channels, { ...this.deliveryOptions, ...over, timeoutMs: over.timeoutMs ?? 60_000, log });
      // Said once in the extension's terms, for the log and the test alert's summary alike.
      return {
        outcomes: outcomes.map((o) => (o.ok ? o : { ...o, error: inExtensionTerms(o.error ?? 'not delivered') })),
        problems: [...problems, ...set.errors].map((p) => ({ ...p, message: inExtensionTerms(p.message) })),
      };
    } finally {
      await close();
    }
  }

  // ---- "Send Test Alert" ----

  async sendTestAlert(): Promise<{ delivered: ChannelId[]; failed: { channel: ChannelId; error: string }[] }> {
    if (!descriptors().some(enabled)) {
      const pick = await ui().showInformationMessage(t('LLM Balance: no alert channel is on.'), t('Configure Alert Channels'));
      if (pick) await vscode.commands.executeCommand(COMMAND.configureChannels);
      return { delivered: [], failed: [] };
    }
    // One retry: a test says quickly whether the channel works.
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('LLM Balance: sending a test alert…') },
      () => this.send([testAlert()], { maxAttempts: 2, timeoutMs: 30_000 }),
    );
    const order = (id: ChannelId): number => descriptors().findIndex((d) => d.id === id);
    const delivered = r.outcomes.filter((o) => o.ok).map((o) => o.channel).sort((a, b) => order(a) - order(b));
    const failed = [...r.problems.map((p) => ({ channel: p.channel, error: p.message })), ...r.outcomes.filter((o) => !o.ok).map((o) => ({ channel: o.channel, error: o.error! }))]
      .sort((a, b) => order(a.channel) - order(b.channel));
    for (const id of delivered) this.log.info(`Test alert delivered to ${byId(id).name}.`);
    for (const f of failed) this.log.error(`Test alert to ${byId(f.channel).name} failed: ${f.error}`);
    const parts: string[] = [];
    if (delivered.length) parts.push(t('delivered to {0}', delivered.join(', ')));
    if (failed.length) parts.push(t('failed: {0}', failed.map((f) => `${f.channel} (${f.error.replace(/\.$/, '')})`).join(', ')));
    const summary = t('LLM Balance test alert: {0}.', parts.join(t('; ')));
    if (failed.length === 0) void ui().showInformationMessage(summary);
    else {
      const configure = t('Configure Alert Channels');
      const showLog = t('Show Log');
      const show = delivered.length ? ui().showWarningMessage(summary, configure, showLog) : ui().showErrorMessage(summary, configure, showLog);
      void show.then((pick) => {
        if (pick === showLog) this.log.show();
        if (pick === configure) void vscode.commands.executeCommand(COMMAND.configureChannels);
      });
    }
    return { delivered, failed };
  }

  // ---- "Configure Alert Channels" ----

  /** Returns the channel that was changed, if any. */
  async configure(): Promise<ChannelId | undefined> {
    const state = await Promise.all(descriptors().map(async (d): Promise<ChannelState> => ({ d, on: enabled(d), stored: !!(await this.secret(d)) })));
    const items = state.map((s) => ({ s, label: shownName(s.d), description: this.stateText(s), detail: descriptorText(s.d.detail) }));
    const placeHolder = t('Alerts go to VS Code and to every channel that is on. Which channel?');
    const picked = (await ui().showQuickPick(items, { title: t('Configure Alert Channels'), placeHolder, ignoreFocusOut: true }))?.s;
    if (!picked) return undefined;
    const { d, on, stored } = picked;
    const [name, secret] = [shownName(d), secretName(d)];
    if (on || stored) {
      type Action = vscode.QuickPickItem & { action: 'change' | 'on' | 'off' | 'remove' };
      const actions: Action[] = [{ action: 'change', label: t('Change'), description: t('the {0} and settings', secret) }];
      if (on) actions.push({ action: 'off', label: t('Turn Off'), description: t('keep the stored secret') });
      else actions.push({ action: 'on', label: t('Turn On') });
      actions.push({ action: 'remove', label: t('Remove'), description: t('delete the {0} from secret storage and turn {1} off', secret, name) });
      const title = t('Configure Alert Channels: {0}', name);
      const a = (await ui().showQuickPick(actions, { title, placeHolder: this.stateText(picked), ignoreFocusOut: true }))?.action;
      if (!a) return undefined;
      if (a === 'off' || a === 'remove') {
        if (a === 'remove') await this.secrets.delete(secretKey(d));
        await setSetting(`${d.id}.enabled`, undefined);
        this.log.info(`Alert channel ${d.name} ${a === 'remove' ? 'removed (its secret was deleted from secret storage)' : 'off'}.`);
        void ui().showInformationMessage(a === 'remove'
          ? t('LLM Balance: {0} alerts removed (the {1} was deleted from secret storage).', name, secret)
          : t('LLM Balance: {0} alerts off.', name));
        return d.id;
      }
      if (a === 'on') return (await this.turnOn(d)) && d.id;
    }
    return (await this.setUp(d, stored)) ? d.id : undefined;
  }

  private stateText({ d, on, stored }: ChannelState): string {
    if (on && stored) {
      const v = savedValues(d);
      const shown = d.fields.find((f) => f.shownAs && v[f.env]);
      return shown ? t('on — {0}', descriptorText(shown.shownAs!, v[shown.env]!)) : t('on');
    }
    if (on) return t('on, but no {0} is stored on this machine', secretName(d));
    return stored ? t('off ({0} stored)', secretName(d)) : t('not set up');
  }

  /** Asks every field the channel has a question for, checks them, then stores and turns the channel on. */
  private async setUp(d: ChannelDescriptor, stored: boolean): Promise<boolean> {
    const values = savedValues(d);
    let newSecret: string | undefined;
    for (const f of d.fields.filter((x) => x.prompt)) {
      const keep = f.secret && stored;
      const prompt = descriptorText(f.prompt!);
      const typed = (await ui().showInputBox({
        title: t('Configure Alert Channels: {0} — {1}', shownName(d), stepName(d, f)),
        prompt: f.secret ? t("{0} It is stored in VS Code's secret storage, never in settings.{1}", prompt, keep ? t(' Leave empty to keep the stored {0}.', secretName(d)) : '') : prompt,
        ...(f.secret ? {} : { value: values[f.env] ?? '' }),
        // A webhook URL is pasted, not typed: shown, so a wrong paste is seen before it is saved
        // (only its path is secret). Tokens and SMTP passwords stay masked.
        password: f.masked === true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? engine().pastedProblem(d, f, v.trim(), t) : f.optional || keep ? undefined : t('Paste the {0}.', stepName(d, f))),
      }))?.trim();
      if (typed === undefined || (!typed && !f.optional && !keep)) return false;
      if (f.secret) {
        newSecret = typed || undefined;
        if (newSecret) this.protect(newSecret);
        const secret = newSecret ?? (await this.secret(d));
        if (!secret) return false;
        values[f.env] = secret;
      } else if (typed) values[f.env] = typed;
      else delete values[f.env];
    }

    // The core's own checks, on exactly what will be used, before anything is saved.
    const set = engine().createChannels(values, { t });
    const description = set.channels[0]?.description;
    const problem = set.errors[0];
    await set.close();
    if (problem || !description) {
      const message = inExtensionTerms(problem?.message ?? t('the channel could not be set up'));
      this.log.warn(`Alert channel ${d.name} not saved: ${message}`);
      void ui().showErrorMessage(t('LLM Balance: {0} alerts were not saved — {1}', shownName(d), message));
      return false;
    }

    if (newSecret) await this.secrets.store(secretKey(d), newSecret);
    for (const f of d.fields) if (f.setting && f.prompt) await setSetting(f.setting, values[f.env] || undefined);
    return this.turnOn(d, description);
  }

  private async turnOn(d: ChannelDescriptor, description?: string): Promise<true> {
    await setSetting(`${d.id}.enabled`, true);
    this.log.info(`Alert channel ${d.name} is on${description ? `: ${description}` : ''}.`);
    const text = description ? t('LLM Balance: {0} alerts are on — {1}.', shownName(d), description) : t('LLM Balance: {0} alerts are on.', shownName(d));
    void ui().showInformationMessage(text, t('Send Test Alert')).then((pick) => (pick ? vscode.commands.executeCommand(COMMAND.sendTestAlert) : undefined));
    return true;
  }

  dispose(): void {
    // Deliveries still running lose their connections; nothing more is sent.
    for (const close of [...this.closers]) void close().catch(() => undefined);
  }
}
