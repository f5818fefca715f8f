// External alert channels in the extension (SPEC §7): Telegram, Slack, Discord, a generic
// webhook and e-mail. Which channels are on and their non-secret parts (chat id, addresses) are
// settings; the secrets (bot token, webhook URLs, the SMTP URL with its password) live in
// SecretStorage only. Alerts come from the Notifier after the shared ledger decided them, so a
// channel repeats nothing the VS Code notification does not. Every delivery builds the channels
// from the current settings; a failing channel is logged and holds up nothing else.
import * as vscode from 'vscode';
import type { ChannelConfigError, ChannelDescriptor, ChannelField, ChannelId } from '../core/alerts/channels';
import type { Alert } from '../core/alerts/message';
import type { DeliveryOptions, DeliveryReport } from '../core/alerts/delivery';
import { guarded } from './commands';
import { engine } from './engineLoader';
import { t } from './l10n';
import type { Log } from './log';
import { settings } from './settings';
import { ui } from './ui';
import { COMMAND } from '../core/commandIds';
import { httpFromSettings } from './httpFromSettings';

export const CONFIGURE_CHANNELS_COMMAND = COMMAND.configureChannels;
export const SEND_TEST_ALERT_COMMAND = COMMAND.sendTestAlert;

const descriptors = (): readonly ChannelDescriptor[] => engine().CHANNELS;
const descriptor = (id: ChannelId): ChannelDescriptor => descriptors().find((d) => d.id === id)!;
const secretField = (d: ChannelDescriptor): ChannelField => d.fields.find((f) => f.secret)!;
/** What people read about a channel, in the display language (asked when shown, not at load). */
function channelText(id: ChannelId): { name: string; secretName: string; detail: string } {
  switch (id) {
    case 'telegram': return { name: 'Telegram', secretName: t('bot token'), detail: t('A message from your bot to a chat, group or channel') };
    case 'slack': return { name: 'Slack', secretName: t('incoming webhook URL'), detail: t('A message through a Slack incoming webhook') };
    case 'discord': return { name: 'Discord', secretName: t('webhook URL'), detail: t('A message through a Discord channel webhook') };
    case 'webhook': return { name: 'Webhook', secretName: t('webhook URL'), detail: t('A JSON POST to your own endpoint (event "llm-balance.alert", version 1)') };
    case 'email': return { name: t('E-mail'), secretName: t('SMTP URL'), detail: t('An e-mail sent through your SMTP server') };
  }
}
/** What the secret is called in prompts: "bot token", "webhook URL", "SMTP URL". */
const secretName = (d: ChannelDescriptor): string => channelText(d.id).secretName;
/** A field's wizard step, in the display language: its name in the title, and its question. */
function fieldText(f: ChannelField, d: ChannelDescriptor): { step: string; prompt: string } {
  switch (f.env) {
    case 'TELEGRAM_BOT_TOKEN': return { step: secretName(d), prompt: t('Paste the bot token from @BotFather (123456789:AA…).') };
    case 'TELEGRAM_CHAT_ID': return { step: t('chat id'), prompt: t('The chat to write to: a numeric id (-1001234567890 for a group or channel) or @channelname. The bot must be a member of it.') };
    case 'SLACK_WEBHOOK_URL': return { step: secretName(d), prompt: t('Paste the Slack incoming webhook URL (https://hooks.slack.com/services/…).') };
    case 'DISCORD_WEBHOOK_URL': return { step: secretName(d), prompt: t('Paste the Discord webhook URL (https://discord.com/api/webhooks/…).') };
    case 'WEBHOOK_URL': return { step: secretName(d), prompt: t('Paste the URL that receives the alerts as a JSON POST (https://…).') };
    case 'SMTP_URL': return { step: secretName(d), prompt: t('Paste the SMTP URL: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS); percent-encode special characters in the password.') };
    case 'ALERT_EMAIL_TO': return { step: t('to'), prompt: t('Who gets the alerts: one address or several, comma-separated.') };
    case 'ALERT_EMAIL_FROM': return { step: t('from'), prompt: t('The sender address. Leave empty to send as the SMTP user.') };
    default: return { step: f.secret ? secretName(d) : (f.setting ?? '').split('.').pop() ?? '', prompt: f.prompt ?? '' };
  }
}
const secretKey = (d: ChannelDescriptor): string => `llmBalance.channel.${d.id}.${{ telegram: 'botToken', slack: 'webhookUrl', discord: 'webhookUrl', webhook: 'url', email: 'smtpUrl' }[d.id]}`;

/** The core names the CLI's environment variables in its messages; here they are settings or secrets. */
function inExtensionTerms(message: string): string {
  return descriptors().flatMap((d) => d.fields).reduce((m, f) => m.replace(new RegExp(`\\b${f.env}\\b`, 'g'), f.label), message);
}

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('llmBalance.channels');
}

const enabled = (id: ChannelId): boolean => cfg().get<unknown>(`${id}.enabled`) === true;
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

/** The channels' secrets, in SecretStorage and nowhere else; the log learns each one it reads. */
class ChannelSecrets {
  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: Log) {}

  async get(id: ChannelId): Promise<string | undefined> {
    const v = (await this.secrets.get(secretKey(descriptor(id))))?.trim();
    if (v) this.protect(v);
    return v || undefined;
  }

  async store(id: ChannelId, value: string): Promise<void> {
    this.protect(value);
    await this.secrets.store(secretKey(descriptor(id)), value);
  }

  async delete(id: ChannelId): Promise<void> {
    await this.secrets.delete(secretKey(descriptor(id)));
  }

  protect(secret: string): void {
    for (const s of engine().secretPieces(secret)) this.log.addSecret(s);
  }
}

/** The wizard's check of one typed value: the field's own validator, then the typo guard for a pasted URL. */
function fieldProblem(f: ChannelField, v: string, d: ChannelDescriptor, keepStored: boolean): string | undefined {
  if (!v) return f.optional || keepStored ? undefined : t('Paste the {0}.', f.secret ? secretName(d) : fieldText(f, d).step);
  const problem = f.validate?.(v);
  if (problem) return t('This {0}', problem);
  const host = (() => {
    try {
      return new URL(v).hostname.toLowerCase();
    } catch {
      return '';
    }
  })();
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(host);
  if (f.expectHost && !loopback && !f.expectHost.hosts.test(host)) return t('A {0} webhook URL is on {1}, not {2}.', channelText(d.id).name, f.expectHost.name, host);
  return undefined;
}

// ---- the test alert ----

function testAlert(): Alert {
  return {
    accountId: 'llm-balance-test',
    provider: 'custom',
    label: t('LLM Balance (test)'),
    level: 'warning',
    balance: null,
    currency: 'USD',
    threshold: null,
    message: t('TEST: this is a test alert from LLM Balance ("Send Test Alert"). Alerts reach this channel; no account is low and nothing needs doing.'),
    time: new Date().toISOString(),
    cooldownHours: settings.notificationCooldownHours(),
  };
}

// ---- delivery ----

interface SendResult {
  report: DeliveryReport;
  /** Channels that are on but cannot be built (no secret here, a wrong setting). */
  problems: ChannelConfigError[];
}

interface ActionItem extends vscode.QuickPickItem {
  action: 'change' | 'on' | 'off' | 'remove';
}

interface ChannelItem extends vscode.QuickPickItem {
  id: ChannelId;
}

const nameOf = (id: ChannelId): string => descriptor(id).name;

export class AlertChannels implements vscode.Disposable {
  /** Delivery settings (the tests shorten the backoff). */
  deliveryOptions: DeliveryOptions = {};
  private readonly secrets: ChannelSecrets;
  private readonly running = new Set<Promise<void>>();
  private readonly closers = new Set<() => Promise<void>>();

  constructor(context: vscode.ExtensionContext, private readonly log: Log) {
    this.secrets = new ChannelSecrets(context.secrets, log);
  }

  /** Sends alerts to every channel that is on. Never rejects: failures go to the log. */
  deliver(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0 || !descriptors().some((d) => enabled(d.id))) return Promise.resolve();
    const p = this.deliverNow(alerts).finally(() => this.running.delete(p));
    this.running.add(p);
    return p;
  }

  /** Resolves when every delivery begun so far has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async deliverNow(alerts: readonly Alert[]): Promise<void> {
    try {
      const r = await this.send(alerts, {});
      for (const p of r.problems) this.log.warn(`Alert channel ${nameOf(p.channel)} skipped: ${inExtensionTerms(p.message)}`);
      for (const o of r.report.outcomes) {
        if (o.ok) this.log.info(`Alert sent to ${nameOf(o.channel)}: ${o.accountId} (${o.level}).`);
        else this.log.error(`Alert to ${nameOf(o.channel)} failed for ${o.accountId} (${o.level}): ${inExtensionTerms(o.error ?? 'not delivered')}`);
      }
    } catch (e) {
      this.log.error(`Alert channels failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Builds the channels that are on, sends the alerts to all of them and waits (bounded). */
  private async send(alerts: readonly Alert[], over: DeliveryOptions): Promise<SendResult> {
    const values: Record<string, string> = {};
    const problems: ChannelConfigError[] = [];
    for (const d of descriptors()) {
      if (!enabled(d.id)) continue;
      const secret = await this.secrets.get(d.id);
      if (secret) Object.assign(values, savedValues(d), { [secretField(d).env]: secret });
      else problems.push({ channel: d.id, variable: secretKey(d), message: t('it is on, but no {0} is stored on this machine; run "LLM Balance: Configure Alert Channels".', secretName(d)) });
    }
    const E = engine();
    const timeoutMs = settings.requestTimeoutSeconds() * 1000;
    const http = httpFromSettings();
    const set = E.createChannels(values, { http, timeoutMs, t });
    const close = async (): Promise<void> => {
      this.closers.delete(close);
      await set.close();
      await http.close();
    };
    this.closers.add(close);
    try {
      problems.push(...set.errors);
      const report = await E.deliverAlerts(alerts, set.channels, {
        ...this.deliveryOptions,
        ...over,
        timeoutMs: over.timeoutMs ?? 60_000,
        log: (line) => this.log.info(`Alert channels: ${inExtensionTerms(line)}`),
      });
      return { report, problems };
    } finally {
      await close();
    }
  }

  // ---- "Send Test Alert" ----

  async sendTestAlert(): Promise<{ delivered: ChannelId[]; failed: { channel: ChannelId; error: string }[] }> {
    const on = descriptors().filter((d) => enabled(d.id));
    if (on.length === 0) {
      const pick = await ui().showInformationMessage(t('LLM Balance: no alert channel is on.'), t('Configure Alert Channels'));
      if (pick) await vscode.commands.executeCommand(CONFIGURE_CHANNELS_COMMAND);
      return { delivered: [], failed: [] };
    }
    // One retry: a test says quickly whether the channel works.
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('LLM Balance: sending a test alert…') },
      () => this.send([testAlert()], { maxAttempts: 2, timeoutMs: 30_000 }),
    );
    const delivered: ChannelId[] = [];
    const failed: { channel: ChannelId; error: string }[] = [];
    for (const p of r.problems) failed.push({ channel: p.channel, error: inExtensionTerms(p.message) });
    for (const o of r.report.outcomes) {
      if (o.ok) delivered.push(o.channel);
      else failed.push({ channel: o.channel, error: inExtensionTerms(o.error ?? 'not delivered') });
    }
    const order = (id: ChannelId): number => descriptors().findIndex((d) => d.id === id);
    delivered.sort((a, b) => order(a) - order(b));
    failed.sort((a, b) => order(a.channel) - order(b.channel));
    for (const id of delivered) this.log.info(`Test alert delivered to ${nameOf(id)}.`);
    for (const f of failed) this.log.error(`Test alert to ${nameOf(f.channel)} failed: ${f.error}`);
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
        if (pick === configure) void vscode.commands.executeCommand(CONFIGURE_CHANNELS_COMMAND);
      });
    }
    return { delivered, failed };
  }

  // ---- "Configure Alert Channels" ----

  /** Returns the channel that was changed, if any. */
  async configure(): Promise<ChannelId | undefined> {
    const state = await Promise.all(descriptors().map(async (d) => ({ id: d.id, on: enabled(d.id), stored: (await this.secrets.get(d.id)) !== undefined })));
    const items: ChannelItem[] = state.map((s) => ({ id: s.id, label: channelText(s.id).name, description: this.stateText(s.id, s.on, s.stored), detail: channelText(s.id).detail }));
    const picked = await ui().showQuickPick(items, { title: t('Configure Alert Channels'), placeHolder: t('Alerts go to VS Code and to every channel that is on. Which channel?'), ignoreFocusOut: true });
    if (!picked) return undefined;
    const id = picked.id;
    const s = state.find((x) => x.id === id)!;
    const info = { name: channelText(id).name, secretName: secretName(descriptor(id)) };
    if (s.on || s.stored) {
      const actions: ActionItem[] = [{ action: 'change', label: t('Change'), description: t('the {0} and settings', info.secretName) }];
      if (s.on) actions.push({ action: 'off', label: t('Turn Off'), description: t('keep the stored secret') });
      else if (s.stored) actions.push({ action: 'on', label: t('Turn On') });
      actions.push({ action: 'remove', label: t('Remove'), description: t('delete the {0} from secret storage and turn {1} off', info.secretName, info.name) });
      const a = await ui().showQuickPick(actions, { title: t('Configure Alert Channels: {0}', info.name), placeHolder: this.stateText(id, s.on, s.stored), ignoreFocusOut: true });
      if (!a) return undefined;
      if (a.action === 'off' || a.action === 'remove') {
        if (a.action === 'remove') await this.secrets.delete(id);
        await setSetting(`${id}.enabled`, undefined);
        this.log.info(`Alert channel ${nameOf(id)} ${a.action === 'remove' ? 'removed (its secret was deleted from secret storage)' : 'off'}.`);
        void ui().showInformationMessage(a.action === 'remove'
          ? t('LLM Balance: {0} alerts removed (the {1} was deleted from secret storage).', info.name, info.secretName)
          : t('LLM Balance: {0} alerts off.', info.name));
        return id;
      }
      if (a.action === 'on') return (await this.turnOn(id)) && id;
    }
    return (await this.setUp(id, s.stored)) ? id : undefined;
  }

  private stateText(id: ChannelId, on: boolean, stored: boolean): string {
    const secret = secretName(descriptor(id));
    const v = savedValues(descriptor(id));
    if (on && stored) {
      if (v.TELEGRAM_CHAT_ID) return t('on — chat {0}', v.TELEGRAM_CHAT_ID);
      if (v.ALERT_EMAIL_TO) return t('on — to {0}', v.ALERT_EMAIL_TO);
      return t('on');
    }
    if (on) return t('on, but no {0} is stored on this machine', secret);
    if (stored) return t('off ({0} stored)', secret);
    return t('not set up');
  }

  /** Asks every field the channel has a question for, checks them, then stores and turns the channel on. */
  private async setUp(id: ChannelId, stored: boolean): Promise<boolean> {
    const d = descriptor(id);
    const values = savedValues(d);
    let newSecret: string | undefined;
    for (const f of d.fields.filter((x) => x.prompt)) {
      const keep = f.secret && stored;
      const typed = (await ui().showInputBox({
        title: t('Configure Alert Channels: {0} — {1}', channelText(id).name, fieldText(f, d).step),
        prompt: f.secret ? t("{0} It is stored in VS Code's secret storage, never in settings.{1}", fieldText(f, d).prompt, keep ? t(' Leave empty to keep the stored {0}.', secretName(d)) : '') : fieldText(f, d).prompt,
        ...(f.secret ? {} : { value: values[f.env] ?? '' }),
        // A webhook URL is pasted, not typed: shown, so a wrong paste is seen before it is saved
        // (only its path is secret). Tokens and SMTP passwords stay masked.
        password: f.masked === true,
        ignoreFocusOut: true,
        validateInput: (v) => fieldProblem(f, v.trim(), d, !!keep),
      }))?.trim();
      if (typed === undefined || (!typed && !f.optional && !keep)) return false;
      if (f.secret) {
        newSecret = typed || undefined;
        if (newSecret) this.secrets.protect(newSecret);
        const secret = newSecret ?? (await this.secrets.get(id));
        if (!secret) return false;
        values[f.env] = secret;
      } else if (typed) values[f.env] = typed;
      else delete values[f.env];
    }

    // The core's own checks, on exactly what will be used, before anything is saved.
    const set = engine().createChannels(values);
    const description = set.channels[0]?.description;
    const problem = set.errors[0];
    await set.close();
    if (problem || !description) {
      const message = inExtensionTerms(problem?.message ?? t('the channel could not be set up'));
      this.log.warn(`Alert channel ${d.name} not saved: ${message}`);
      void ui().showErrorMessage(t('LLM Balance: {0} alerts were not saved — {1}', channelText(id).name, message));
      return false;
    }

    if (newSecret) await this.secrets.store(id, newSecret);
    for (const f of d.fields) if (f.setting && f.prompt) await setSetting(f.setting, values[f.env] || undefined);
    return this.turnOn(id, description);
  }

  private async turnOn(id: ChannelId, description?: string): Promise<true> {
    await setSetting(`${id}.enabled`, true);
    this.log.info(`Alert channel ${nameOf(id)} is on${description ? `: ${description}` : ''}.`);
    void ui()
      .showInformationMessage(description ? t('LLM Balance: {0} alerts are on — {1}.', channelText(id).name, description) : t('LLM Balance: {0} alerts are on.', channelText(id).name), t('Send Test Alert'))
      .then((pick) => (pick ? vscode.commands.executeCommand(SEND_TEST_ALERT_COMMAND) : undefined));
    return true;
  }

  dispose(): void {
    // Deliveries still running lose their connections; nothing more is sent.
    for (const close of [...this.closers]) void close().catch(() => undefined);
  }
}

/** "Configure Alert Channels" and "Send Test Alert"; the returned channels take the Notifier's alerts. */
export function registerAlertChannels(context: vscode.ExtensionContext, deps: { log: Log }): AlertChannels {
  const channels = new AlertChannels(context, deps.log);
  context.subscriptions.push(
    channels,
    vscode.commands.registerCommand(CONFIGURE_CHANNELS_COMMAND, guarded(deps.log, t('Configure Alert Channels'), () => channels.configure())),
    vscode.commands.registerCommand(SEND_TEST_ALERT_COMMAND, guarded(deps.log, t('Send Test Alert'), () => channels.sendTestAlert())),
  );
  return channels;
}
