// External alert channels in the extension (SPEC §7): Telegram, Slack, Discord, a generic
// webhook and e-mail. Which channels are on and their non-secret parts (chat id, addresses) are
// settings; the secrets (bot token, webhook URLs, the SMTP URL with its password) live in
// SecretStorage only. Alerts come from the Notifier after the shared ledger decided them, so a
// channel repeats nothing the VS Code notification does not. Every delivery builds the channels
// from the current settings; a failing channel is logged and holds up nothing else.
import * as vscode from 'vscode';
import type { ChannelConfigError, ChannelId, ChannelsConfig } from '../core/alerts/channels';
import type { Alert } from '../core/alerts/message';
import type { DeliveryReport, QueueOptions } from '../core/alerts/queue';
import { engine } from './engineLoader';
import { t } from './l10n';
import type { Log } from './log';
import { settings } from './settings';
import { ui } from './ui';

export const CONFIGURE_CHANNELS_COMMAND = 'llmBalance.configureChannels';
export const SEND_TEST_ALERT_COMMAND = 'llmBalance.sendTestAlert';

interface ChannelInfo {
  /** For the log (English). */
  name: string;
  /** The SecretStorage key of the channel's secret. */
  secretKey: string;
}

const CHANNELS: Record<ChannelId, ChannelInfo> = {
  telegram: { name: 'Telegram', secretKey: 'llmBalance.channel.telegram.botToken' },
  slack: { name: 'Slack', secretKey: 'llmBalance.channel.slack.webhookUrl' },
  discord: { name: 'Discord', secretKey: 'llmBalance.channel.discord.webhookUrl' },
  webhook: { name: 'Webhook', secretKey: 'llmBalance.channel.webhook.url' },
  email: { name: 'E-mail', secretKey: 'llmBalance.channel.email.smtpUrl' },
};
const CHANNEL_IDS = Object.keys(CHANNELS) as ChannelId[];

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

// The core names the CLI's environment variables in its messages; here they are settings or secrets.
const WHERE: [RegExp, string][] = [
  [/\bTELEGRAM_BOT_TOKEN\b/g, 'the Telegram bot token'],
  [/\bTELEGRAM_CHAT_ID\b/g, 'llmBalance.channels.telegram.chatId'],
  [/\bTELEGRAM_API_BASE\b/g, 'llmBalance.channels.telegram.apiBase'],
  [/\bSLACK_WEBHOOK_URL\b/g, 'the Slack webhook URL'],
  [/\bDISCORD_WEBHOOK_URL\b/g, 'the Discord webhook URL'],
  [/\bWEBHOOK_URL\b/g, 'the webhook URL'],
  [/\bSMTP_URL\b/g, 'the SMTP URL'],
  [/\bALERT_EMAIL_TO\b/g, 'llmBalance.channels.email.to'],
  [/\bALERT_EMAIL_FROM\b/g, 'llmBalance.channels.email.from'],
];

function inExtensionTerms(message: string): string {
  return WHERE.reduce((m, [re, to]) => m.replace(re, to), message);
}

// ---- settings (the non-secret parts) ----

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('llmBalance.channels');
}

function text(key: string): string {
  const v = cfg().get<unknown>(key);
  return typeof v === 'string' ? v.trim() : '';
}

const channelSettings = {
  enabled: (id: ChannelId): boolean => cfg().get<unknown>(`${id}.enabled`) === true,
  telegramChatId: (): string => text('telegram.chatId'),
  telegramApiBase: (): string => text('telegram.apiBase'),
  emailTo: (): string => text('email.to'),
  emailFrom: (): string => text('email.from'),
  async set(key: string, value: unknown): Promise<void> {
    await cfg().update(key, value, vscode.ConfigurationTarget.Global);
  },
};

// ---- secrets ----

/** The pieces of a secret that could show up in a message on their own. */
function secretParts(secret: string): string[] {
  const out = [secret];
  const afterColon = /^\d+:(.+)$/.exec(secret)?.[1];
  if (afterColon) out.push(afterColon);
  try {
    const u = new URL(secret);
    if (u.password) out.push(u.password, decodeURIComponent(u.password));
    if (u.pathname.length > 1) out.push(u.pathname, u.pathname.replace(/^\/+/, ''));
    const last = u.pathname.split('/').filter(Boolean).pop();
    if (last) out.push(last);
    if (u.search) out.push(u.search);
  } catch {
    /* not a URL (a bot token) */
  }
  return out;
}

/** The channels' secrets, in SecretStorage and nowhere else; the log learns each one it reads. */
class ChannelSecrets {
  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: Log) {}

  async get(id: ChannelId): Promise<string | undefined> {
    const v = (await this.secrets.get(CHANNELS[id].secretKey))?.trim();
    if (!v) return undefined;
    this.protect(v);
    return v;
  }

  async store(id: ChannelId, value: string): Promise<void> {
    this.protect(value);
    await this.secrets.store(CHANNELS[id].secretKey, value);
  }

  async delete(id: ChannelId): Promise<void> {
    await this.secrets.delete(CHANNELS[id].secretKey);
  }

  private protect(secret: string): void {
    for (const s of secretParts(secret)) this.log.addSecret(s);
  }
}

/** The non-secret parts of a channel: as saved in the settings, or as just typed in. */
interface ChannelValues {
  chatId: string;
  to: string;
  from: string;
}

function savedValues(): ChannelValues {
  return { chatId: channelSettings.telegramChatId(), to: channelSettings.emailTo(), from: channelSettings.emailFrom() };
}

/** Adds one channel to the config createChannels takes. */
function addToConfig(c: ChannelsConfig, id: ChannelId, secret: string, v: ChannelValues): void {
  switch (id) {
    case 'telegram': {
      c.telegram = { botToken: secret, chatId: v.chatId };
      const base = channelSettings.telegramApiBase();
      if (base) c.telegram.apiBase = base;
      break;
    }
    case 'slack':
      c.slackWebhookUrl = secret;
      break;
    case 'discord':
      c.discordWebhookUrl = secret;
      break;
    case 'webhook':
      c.webhookUrl = secret;
      break;
    case 'email':
      c.email = { smtpUrl: secret, to: v.to };
      if (v.from) c.email.from = v.from;
      break;
  }
}

// ---- validation of what is typed in ----

const TELEGRAM_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
const TELEGRAM_CHAT = /^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$/;
const ADDRESS = /^[^\s@,<>"]+@[^\s@,<>"]+$/;

/** The hosts Slack and Discord hand out webhook URLs on; a typo there is caught now, not at the first alert. */
const WEBHOOK_HOSTS: Partial<Record<ChannelId, { hosts: RegExp; name: string }>> = {
  slack: { hosts: /^hooks\.slack\.com$/, name: 'hooks.slack.com' },
  discord: { hosts: /^((canary|ptb)\.)?discord(app)?\.com$/, name: 'discord.com' },
};

/** Never quotes the value back whole: its path is a secret. */
export function webhookUrlProblem(v: string, id: ChannelId = 'webhook'): string | undefined {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return t('Paste the whole URL, starting with https://.');
  }
  if (u.username || u.password) return t('The URL must not carry a user name or password.');
  if (engine().checkUrlPolicy(u.toString())) return t('The URL must start with https:// (http:// only for localhost).');
  const known = WEBHOOK_HOSTS[id];
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(u.hostname);
  if (known && !loopback && !known.hosts.test(u.hostname.toLowerCase())) return t('A {0} webhook URL is on {1}, not {2}.', channelText(id).name, known.name, u.hostname);
  return undefined;
}

function smtpUrlProblem(v: string): string | undefined {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return t('Expected smtp://user:password@host:587 or smtps://user:password@host:465.');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') return t('The URL must start with smtp:// (STARTTLS) or smtps:// (TLS).');
  if (!u.hostname) return t('The URL has no host.');
  return undefined;
}

function addressesProblem(v: string): string | undefined {
  const list = v.split(',').map((a) => a.trim()).filter(Boolean);
  return list.length > 0 && list.every((a) => ADDRESS.test(a)) ? undefined : t('One e-mail address or several, comma-separated.');
}

function fromProblem(v: string): string | undefined {
  if (!v) return undefined;
  return ADDRESS.test(v) || /^[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>$/.test(v) ? undefined : t('An address: "alerts@example.com" or "LLM Balance <alerts@example.com>".');
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

export class AlertChannels implements vscode.Disposable {
  /** Delivery queue settings (the tests shorten the backoff). */
  queueOptions: QueueOptions = {};
  private readonly secrets: ChannelSecrets;
  private readonly running = new Set<Promise<void>>();
  private readonly closers = new Set<() => Promise<void>>();

  constructor(context: vscode.ExtensionContext, private readonly log: Log) {
    this.secrets = new ChannelSecrets(context.secrets, log);
  }

  /** Sends alerts to every channel that is on. Never rejects: failures go to the log. */
  deliver(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0 || !CHANNEL_IDS.some((id) => channelSettings.enabled(id))) return Promise.resolve();
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
      for (const p of r.problems) this.log.warn(`Alert channel ${CHANNELS[p.channel].name} skipped: ${inExtensionTerms(p.message)}`);
      for (const o of r.report.outcomes) {
        if (o.ok) this.log.info(`Alert sent to ${CHANNELS[o.channel].name}: ${o.accountId} (${o.level}).`);
        else this.log.error(`Alert to ${CHANNELS[o.channel].name} failed for ${o.accountId} (${o.level}): ${inExtensionTerms(o.error ?? 'not delivered')}`);
      }
    } catch (e) {
      this.log.error(`Alert channels failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Builds the channels that are on, queues the alerts on all of them and waits (bounded). */
  private async send(alerts: readonly Alert[], over: QueueOptions & { timeoutMs?: number }): Promise<SendResult> {
    const config: ChannelsConfig = {};
    const problems: ChannelConfigError[] = [];
    const values = savedValues();
    for (const id of CHANNEL_IDS) {
      if (!channelSettings.enabled(id)) continue;
      const secret = await this.secrets.get(id);
      if (secret) addToConfig(config, id, secret, values);
      else problems.push({ channel: id, variable: CHANNELS[id].secretKey, message: t('it is on, but no {0} is stored on this machine; run "LLM Balance: Configure Alert Channels".', channelText(id).secretName) });
    }
    const E = engine();
    const proxy = settings.proxy();
    const timeoutMs = settings.requestTimeoutSeconds() * 1000;
    const httpOpts: ConstructorParameters<typeof E.HttpClient>[0] = { timeoutMs, strictSSL: proxy.strictSSL };
    if (proxy.proxy) httpOpts.proxy = proxy.proxy;
    const http = new E.HttpClient(httpOpts);
    const set = E.createChannels(config, { http, timeoutMs, t });
    const close = async (): Promise<void> => {
      this.closers.delete(close);
      await set.close();
      await http.close();
    };
    this.closers.add(close);
    try {
      problems.push(...set.errors);
      const report = await E.deliverAlerts(alerts, set.channels, {
        ...this.queueOptions,
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
    const on = CHANNEL_IDS.filter((id) => channelSettings.enabled(id));
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
    const order = (id: ChannelId): number => CHANNEL_IDS.indexOf(id);
    delivered.sort((a, b) => order(a) - order(b));
    failed.sort((a, b) => order(a.channel) - order(b.channel));
    for (const id of delivered) this.log.info(`Test alert delivered to ${CHANNELS[id].name}.`);
    for (const f of failed) this.log.error(`Test alert to ${CHANNELS[f.channel].name} failed: ${f.error}`);
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
    const state = await Promise.all(CHANNEL_IDS.map(async (id) => ({ id, on: channelSettings.enabled(id), stored: (await this.secrets.get(id)) !== undefined })));
    const items: ChannelItem[] = state.map((s) => ({ id: s.id, label: channelText(s.id).name, description: this.stateText(s.id, s.on, s.stored), detail: channelText(s.id).detail }));
    const picked = await ui().showQuickPick(items, { title: t('Configure Alert Channels'), placeHolder: t('Alerts go to VS Code and to every channel that is on. Which channel?'), ignoreFocusOut: true });
    if (!picked) return undefined;
    const id = picked.id;
    const s = state.find((x) => x.id === id)!;
    const info = channelText(id);
    if (s.on || s.stored) {
      const actions: ActionItem[] = [{ action: 'change', label: t('Change'), description: t('the {0} and settings', info.secretName) }];
      if (s.on) actions.push({ action: 'off', label: t('Turn Off'), description: t('keep the stored secret') });
      else if (s.stored) actions.push({ action: 'on', label: t('Turn On') });
      actions.push({ action: 'remove', label: t('Remove'), description: t('delete the {0} from secret storage and turn {1} off', info.secretName, info.name) });
      const a = await ui().showQuickPick(actions, { title: t('Configure Alert Channels: {0}', info.name), placeHolder: this.stateText(id, s.on, s.stored), ignoreFocusOut: true });
      if (!a) return undefined;
      if (a.action === 'off' || a.action === 'remove') {
        if (a.action === 'remove') await this.secrets.delete(id);
        await channelSettings.set(`${id}.enabled`, undefined);
        this.log.info(`Alert channel ${CHANNELS[id].name} ${a.action === 'remove' ? 'removed (its secret was deleted from secret storage)' : 'off'}.`);
        void ui().showInformationMessage(a.action === 'remove'
          ? t('LLM Balance: {0} alerts removed (the {1} was deleted from secret storage).', info.name, info.secretName)
          : t('LLM Balance: {0} alerts off.', info.name));
        return id;
      }
      if (a.action === 'on') return (await this.turnOn(id)) ? id : undefined;
    }
    return (await this.setUp(id, s.stored)) ? id : undefined;
  }

  private stateText(id: ChannelId, on: boolean, stored: boolean): string {
    const secret = channelText(id).secretName;
    const v = savedValues();
    if (on && stored) {
      if (id === 'telegram' && v.chatId) return t('on — chat {0}', v.chatId);
      if (id === 'email' && v.to) return t('on — to {0}', v.to);
      return t('on');
    }
    if (on) return t('on, but no {0} is stored on this machine', secret);
    if (stored) return t('off ({0} stored)', secret);
    return t('not set up');
  }

  /** Asks the secret (and the channel's settings), checks them, then stores and turns the channel on. */
  private async setUp(id: ChannelId, stored: boolean): Promise<boolean> {
    const info = channelText(id);
    const title = (step: string) => t('Configure Alert Channels: {0} — {1}', info.name, step);
    const keep = stored ? t(' Leave empty to keep the stored {0}.', info.secretName) : '';
    const secretPrompt: Record<ChannelId, string> = {
      telegram: t('Paste the bot token from @BotFather (123456789:AA…).'),
      slack: t('Paste the Slack incoming webhook URL (https://hooks.slack.com/services/…).'),
      discord: t('Paste the Discord webhook URL (https://discord.com/api/webhooks/…).'),
      webhook: t('Paste the URL that receives the alerts as a JSON POST (https://…).'),
      email: t('Paste the SMTP URL: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS); percent-encode special characters in the password.'),
    };
    const check = (v: string): string | undefined => {
      if (!v) return stored ? undefined : t('Paste the {0}.', info.secretName);
      if (id === 'telegram') return TELEGRAM_TOKEN.test(v) ? undefined : t('A bot token is digits, ":", then letters, digits, "_" or "-".');
      if (id === 'email') return smtpUrlProblem(v);
      return webhookUrlProblem(v, id);
    };
    const typed = await ui().showInputBox({
      title: title(info.secretName),
      prompt: t("{0} It is stored in VS Code's secret storage, never in settings.{1}", secretPrompt[id], keep),
      // A webhook URL is pasted, not typed: shown, so a wrong paste is seen before it is saved
      // (only its path is secret). Tokens and SMTP passwords stay masked.
      password: id === 'telegram' || id === 'email',
      ignoreFocusOut: true,
      validateInput: (v) => check(v.trim()),
    });
    if (typed === undefined) return false;
    const newSecret = typed.trim() || undefined;
    if (newSecret) for (const s of secretParts(newSecret)) this.log.addSecret(s);
    const secret = newSecret ?? (await this.secrets.get(id));
    if (!secret) return false;

    const values = savedValues();
    if (id === 'telegram') {
      const chat = (await ui().showInputBox({
        title: title(t('chat id')),
        prompt: t('The chat to write to: a numeric id (-1001234567890 for a group or channel) or @channelname. The bot must be a member of it.'),
        value: values.chatId,
        ignoreFocusOut: true,
        validateInput: (v) => (TELEGRAM_CHAT.test(v.trim()) ? undefined : t('A numeric chat id (e.g. -1001234567890) or @channelname.')),
      }))?.trim();
      if (!chat) return false;
      values.chatId = chat;
    }
    if (id === 'email') {
      const to = (await ui().showInputBox({
        title: title(t('to')),
        prompt: t('Who gets the alerts: one address or several, comma-separated.'),
        value: values.to,
        ignoreFocusOut: true,
        validateInput: (v) => addressesProblem(v),
      }))?.trim();
      if (!to) return false;
      const from = (await ui().showInputBox({
        title: title(t('from')),
        prompt: t('The sender address. Leave empty to send as the SMTP user.'),
        value: values.from,
        ignoreFocusOut: true,
        validateInput: (v) => fromProblem(v.trim()),
      }))?.trim();
      if (from === undefined) return false;
      values.to = to;
      values.from = from;
    }

    // The core's own checks, on exactly what will be used, before anything is saved.
    const config: ChannelsConfig = {};
    addToConfig(config, id, secret, values);
    const set = engine().createChannels(config);
    const description = set.channels[0]?.description;
    const problem = set.errors[0];
    await set.close();
    if (problem || !description) {
      const message = inExtensionTerms(problem?.message ?? t('the channel could not be set up'));
      this.log.warn(`Alert channel ${CHANNELS[id].name} not saved: ${message}`);
      void ui().showErrorMessage(t('LLM Balance: {0} alerts were not saved — {1}', info.name, message));
      return false;
    }

    if (newSecret) await this.secrets.store(id, newSecret);
    if (id === 'telegram') await channelSettings.set('telegram.chatId', values.chatId);
    if (id === 'email') {
      await channelSettings.set('email.to', values.to);
      await channelSettings.set('email.from', values.from || undefined);
    }
    await channelSettings.set(`${id}.enabled`, true);
    this.log.info(`Alert channel ${CHANNELS[id].name} is on: ${description}.`);
    void ui()
      .showInformationMessage(t('LLM Balance: {0} alerts are on — {1}.', info.name, description), t('Send Test Alert'))
      .then((pick) => (pick ? vscode.commands.executeCommand(SEND_TEST_ALERT_COMMAND) : undefined));
    return true;
  }

  private async turnOn(id: ChannelId): Promise<boolean> {
    await channelSettings.set(`${id}.enabled`, true);
    this.log.info(`Alert channel ${CHANNELS[id].name} is on.`);
    void ui()
      .showInformationMessage(t('LLM Balance: {0} alerts are on.', channelText(id).name), t('Send Test Alert'))
      .then((pick) => (pick ? vscode.commands.executeCommand(SEND_TEST_ALERT_COMMAND) : undefined));
    return true;
  }

  dispose(): void {
    // Deliveries still running lose their connections; nothing more is sent.
    for (const close of [...this.closers]) void close().catch(() => undefined);
  }
}

/** Runs a command body; an unexpected failure becomes one actionable message. */
function guarded<R>(log: Log, name: string, fn: () => Promise<R>): () => Promise<R | undefined> {
  return async () => {
    try {
      return await fn();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log.error(`${name} failed: ${msg}`);
      void ui().showErrorMessage(t('LLM Balance: {0} failed — {1}', name, msg), t('Show Log')).then((p) => (p ? log.show() : undefined));
      return undefined;
    }
  };
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
