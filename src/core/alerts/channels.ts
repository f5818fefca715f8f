// External alert channels (SPEC §7, §11): Telegram Bot API, Slack / Discord / generic
// webhooks (HTTP through HttpClient, so https is enforced off loopback, with timeouts and
// proxies), and e-mail over SMTP with nodemailer, loaded only when an e-mail is sent.
//
// Secrets — the bot token (it sits in the Telegram URL path), every webhook URL, the SMTP
// password — never appear in an error message, a log line or a description: errors name the
// host only and are redacted against every secret of the channel.
import { HttpClient, checkUrlPolicy, isLoopbackHost, providerMessage, type HttpResponse } from '../http';
import { CheckError } from '../errors';
import { english, type Translate } from '../l10n';
import { redact } from '../redact';
import { cap, stripControls } from '../safeText';
import { formatDiscord, formatHtml, formatSlack, formatSubject, formatTelegram, formatText, formatWebhook, type Alert } from './message';

export const CHANNEL_IDS = ['telegram', 'slack', 'discord', 'webhook', 'email'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

export interface Channel {
  readonly id: ChannelId;
  /** For people and logs; never carries a secret ("Telegram chat 12345", "Slack webhook (hooks.slack.com)"). */
  readonly description: string;
  /** Delivers one alert; throws DeliveryError (message redacted) when it cannot. */
  send(alert: Alert): Promise<void>;
  /** Releases connections. */
  close?(): Promise<void>;
}

/** A failed delivery. The message is redacted; `retryable` says whether trying again can help. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  constructor(message: string, opts: { retryable: boolean; retryAfterMs?: number; status?: number }) {
    super(message);
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
  }
}

/** A channel that is configured wrongly: reported, never thrown, and the other channels still run. */
export interface ChannelConfigError {
  channel: ChannelId;
  /** The variable (or setting) to fix: "TELEGRAM_CHAT_ID". */
  variable: string;
  message: string;
}

export interface TelegramConfig {
  botToken: string;
  chatId: string;
  /** Default https://api.telegram.org. */
  apiBase?: string;
}

export interface EmailConfig {
  /** smtp://user:pass@host:port (STARTTLS, required off loopback) or smtps://… (TLS). */
  smtpUrl: string;
  /** One address or several, comma-separated. */
  to: string;
  /** Default: the SMTP user when it is an address. */
  from?: string;
}

/** Every channel's settings; the extension fills it from SecretStorage, the CLI from the environment. */
export interface ChannelsConfig {
  telegram?: TelegramConfig;
  slackWebhookUrl?: string;
  discordWebhookUrl?: string;
  webhookUrl?: string;
  email?: EmailConfig;
}

export interface ChannelOptions {
  /** Shared HTTP client; by default one is created (and closed by `ChannelSet.close`). */
  http?: HttpClient;
  /** Per-request / per-SMTP-stage time limit; default 10 s. */
  timeoutMs?: number;
  /** Environment for proxies when the HTTP client is created here. */
  env?: NodeJS.ProcessEnv;
  /** The language of the messages (the extension passes vscode.l10n.t); default English. */
  t?: Translate;
}

export interface ChannelSet {
  channels: Channel[];
  /** Channels that are configured wrongly, with what to fix. */
  errors: ChannelConfigError[];
  close(): Promise<void>;
}

export const DEFAULT_TELEGRAM_API_BASE = 'https://api.telegram.org';
const DEFAULT_TIMEOUT_MS = 10_000;

// ---- HTTP helpers ----

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/** The URL and the pieces of it that are secret on their own (the path, its last segment). */
function urlSecrets(url: string): string[] {
  const out = [url];
  try {
    const u = new URL(url);
    if (u.pathname.length > 1) out.push(u.pathname, u.pathname.replace(/^\/+/, ''));
    const last = u.pathname.split('/').filter(Boolean).pop();
    if (last) out.push(last);
    if (u.search) out.push(u.search);
  } catch {
    /* not a URL: the whole string is the secret */
  }
  // Longest first, so a path is masked as a whole before its last segment.
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}

function transportFailure(name: string, e: unknown, secrets: readonly string[]): DeliveryError {
  if (e instanceof CheckError) {
    const retryable = e.kind === 'timeout' || e.kind === 'network';
    return new DeliveryError(redact(`${name}: ${e.message}`, secrets), { retryable });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new DeliveryError(redact(`${name}: ${msg}`, secrets), { retryable: true });
}

function httpFailure(name: string, host: string, res: HttpResponse, secrets: readonly string[], hint = ''): DeliveryError {
  const detail = providerMessage(res.json, res.text);
  const s = res.status;
  // Redacted whole, then cut: a webhook secret echoed near the cut must not survive as a piece.
  const said = detail ? cap(stripControls(redact(detail, secrets)), 300) : '';
  const text = `${name} (${host}) answered HTTP ${s}${said ? `: ${said}` : ''}.${hint ? ` ${hint}` : ''}`;
  const retryable = s === 429 || s === 408 || s >= 500;
  const opts: { retryable: boolean; retryAfterMs?: number; status: number } = { retryable, status: s };
  const bodyWait = retryAfterFromBody(res.json);
  const wait = bodyWait ?? res.retryAfterMs;
  if (wait !== undefined) opts.retryAfterMs = wait;
  return new DeliveryError(redact(text, secrets), opts);
}

/** Telegram's parameters.retry_after and Discord's retry_after, both in seconds. */
function retryAfterFromBody(json: unknown): number | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const o = json as { retry_after?: unknown; parameters?: { retry_after?: unknown } };
  const v = o.parameters?.retry_after ?? o.retry_after;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.ceil(v * 1000) : undefined;
}

// ---- Telegram ----

const TELEGRAM_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
const TELEGRAM_CHAT = /^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$/;

class TelegramChannel implements Channel {
  readonly id = 'telegram' as const;
  readonly description: string;
  private readonly url: string;
  private readonly secrets: string[];

  constructor(private readonly cfg: Required<TelegramConfig>, private readonly http: HttpClient, private readonly t: Translate = english) {
    const base = cfg.apiBase.replace(/\/+$/, '');
    this.url = `${base}/bot${cfg.botToken}/sendMessage`;
    this.secrets = [this.url, `bot${cfg.botToken}`, cfg.botToken];
    this.description = `Telegram chat ${cfg.chatId}`;
  }

  async send(alert: Alert): Promise<void> {
    const body = JSON.stringify({
      chat_id: this.cfg.chatId,
      text: formatTelegram(alert, this.t),
      parse_mode: 'MarkdownV2',
      link_preview_options: { is_disabled: true },
    });
    let res: HttpResponse;
    try {
      res = await this.http.send(this.url, { method: 'POST', body, secrets: this.secrets });
    } catch (e) {
      throw transportFailure('Telegram', e, this.secrets);
    }
    const ok = res.json && typeof res.json === 'object' && (res.json as { ok?: unknown }).ok === true;
    if (res.status >= 200 && res.status < 300 && ok) return;
    if (res.status >= 200 && res.status < 300) {
      throw new DeliveryError(redact(`Telegram (${hostOf(this.url)}) answered HTTP ${res.status} without "ok": true.`, this.secrets), { retryable: false, status: res.status });
    }
    throw httpFailure('Telegram', hostOf(this.url), telegramDescription(res), this.secrets, telegramHint(res));
  }
}

/** Telegram puts its message in "description"; lift it where providerMessage looks. */
function telegramDescription(res: HttpResponse): HttpResponse {
  const j = res.json as { description?: unknown } | undefined;
  if (j && typeof j === 'object' && typeof j.description === 'string') return { ...res, json: { ...j, message: j.description } };
  return res;
}

function telegramHint(res: HttpResponse): string {
  const j = res.json as { parameters?: { migrate_to_chat_id?: unknown } } | undefined;
  const migrated = j?.parameters?.migrate_to_chat_id;
  if (migrated !== undefined) return `The group became a supergroup: set TELEGRAM_CHAT_ID to ${String(migrated)}.`;
  if (res.status === 401 || res.status === 404) return 'Check TELEGRAM_BOT_TOKEN (and TELEGRAM_API_BASE).';
  if (res.status === 400 || res.status === 403) return 'Check TELEGRAM_CHAT_ID and that the bot is a member of the chat.';
  return '';
}

// ---- Slack, Discord, generic webhook ----

type WebhookKind = 'slack' | 'discord' | 'webhook';
const WEBHOOK_NAME: Record<WebhookKind, string> = { slack: 'Slack webhook', discord: 'Discord webhook', webhook: 'Webhook' };
const WEBHOOK_FORMAT: Record<WebhookKind, (a: Alert, t: Translate) => object> = { slack: formatSlack, discord: formatDiscord, webhook: formatWebhook };

class WebhookChannel implements Channel {
  readonly description: string;
  private readonly secrets: string[];
  private readonly name: string;

  constructor(readonly id: WebhookKind, private readonly url: string, private readonly http: HttpClient, private readonly t: Translate = english) {
    this.name = WEBHOOK_NAME[id];
    this.secrets = urlSecrets(url);
    this.description = `${this.name} (${hostOf(url)})`;
  }

  async send(alert: Alert): Promise<void> {
    const body = JSON.stringify(WEBHOOK_FORMAT[this.id](alert, this.t));
    let res: HttpResponse;
    try {
      res = await this.http.send(this.url, { method: 'POST', body, secrets: this.secrets, headers: { 'content-type': 'application/json' } });
    } catch (e) {
      throw transportFailure(this.name, e, this.secrets);
    }
    if (res.status >= 200 && res.status < 300) return;
    const hint = res.status === 404 || res.status === 403 || res.status === 410 ? `The webhook URL may be revoked or wrong: check ${VARIABLE[this.id]}.` : '';
    throw httpFailure(this.name, hostOf(this.url), res, this.secrets, hint);
  }
}

const VARIABLE: Record<WebhookKind, string> = { slack: 'SLACK_WEBHOOK_URL', discord: 'DISCORD_WEBHOOK_URL', webhook: 'WEBHOOK_URL' };

// ---- e-mail ----

interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  user?: string;
  pass?: string;
  to: string[];
  from: string;
}

type MailTransport = { sendMail(mail: object): Promise<unknown>; close(): void };

class EmailChannel implements Channel {
  readonly id = 'email' as const;
  readonly description: string;
  private transport: Promise<MailTransport> | undefined;
  private readonly secrets: string[];

  constructor(private readonly s: SmtpSettings, smtpUrl: string, private readonly timeoutMs: number, private readonly t: Translate = english) {
    this.secrets = [smtpUrl, s.pass].filter((x): x is string => !!x);
    if (s.pass) this.secrets.push(encodeURIComponent(s.pass));
    this.description = `E-mail to ${s.to.join(', ')} via ${s.host}:${s.port}`;
  }

  private load(): Promise<MailTransport> {
    this.transport ??= (async () => {
      // Loaded on first use: bundles that never send e-mail never initialise nodemailer.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const nodemailer = require('./mailer.js') as typeof import('./mailer');
      return nodemailer.createTransport({
        host: this.s.host,
        port: this.s.port,
        secure: this.s.secure,
        requireTLS: this.s.requireTLS,
        auth: this.s.user !== undefined ? { user: this.s.user, pass: this.s.pass ?? '' } : undefined,
        connectionTimeout: this.timeoutMs,
        greetingTimeout: this.timeoutMs,
        socketTimeout: this.timeoutMs,
        logger: false,
        debug: false,
      }) as unknown as MailTransport;
    })();
    return this.transport;
  }

  async send(alert: Alert): Promise<void> {
    const where = `${this.s.host}:${this.s.port}`;
    try {
      const t = await this.load();
      await t.sendMail({
        from: this.s.from,
        to: this.s.to,
        subject: formatSubject(alert, this.t),
        text: formatText(alert, this.t),
        html: formatHtml(alert, this.t),
      });
    } catch (e) {
      throw smtpFailure(e, where, this.secrets);
    }
  }

  async close(): Promise<void> {
    const t = this.transport;
    this.transport = undefined;
    if (t) (await t.catch(() => undefined))?.close();
  }
}

function smtpFailure(e: unknown, where: string, secrets: readonly string[]): DeliveryError {
  const err = (e ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = err.code ?? '';
  const rc = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const said = cap(stripControls(redact((err.response ?? err.message ?? String(e)).trim(), secrets)), 300);
  let text: string;
  let retryable: boolean;
  if (code === 'EAUTH' || code === 'ENOAUTH') {
    text = `E-mail: SMTP login to ${where} failed (${said}). Check the user name and password in SMTP_URL.`;
    retryable = rc !== undefined && rc >= 400 && rc < 500;
  } else if (code === 'ETLS' || code === 'EREQUIRETLS' || /STARTTLS/i.test(said)) {
    text = `E-mail: ${where} could not secure the connection (${said}). Use smtps:// for TLS on connect, or a server that offers STARTTLS.`;
    retryable = false;
  } else if (code === 'EENVELOPE') {
    text = `E-mail: ${where} refused the sender or a recipient (${said}). Check ALERT_EMAIL_FROM and ALERT_EMAIL_TO.`;
    retryable = rc !== undefined && rc >= 400 && rc < 500;
  } else if (['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROXY'].includes(code)) {
    text = `E-mail: could not talk to ${where} (${said}).`;
    retryable = true;
  } else {
    text = `E-mail: sending through ${where} failed (${said}).`;
    retryable = rc === undefined || (rc >= 400 && rc < 500);
  }
  const opts: { retryable: boolean; status?: number } = { retryable };
  if (rc !== undefined) opts.status = rc;
  return new DeliveryError(redact(text, secrets), opts);
}

const ADDRESS = /^[^\s@,<>"]+@[^\s@,<>"]+$/;

function parseAddresses(raw: string): string[] | undefined {
  const list = raw.split(',').map((a) => a.trim()).filter(Boolean);
  if (list.length === 0 || !list.every((a) => ADDRESS.test(a))) return undefined;
  return list;
}

function parseSmtp(cfg: EmailConfig): SmtpSettings | ChannelConfigError {
  const fail = (variable: string, message: string): ChannelConfigError => ({ channel: 'email', variable, message });
  let u: URL;
  try {
    u = new URL(cfg.smtpUrl.trim());
  } catch {
    return fail('SMTP_URL', 'SMTP_URL is not a valid URL; expected smtp://user:pass@host:port or smtps://user:pass@host:port.');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
    return fail('SMTP_URL', `SMTP_URL must start with smtp:// or smtps:// (it starts with ${u.protocol}//).`);
  }
  if (!u.hostname) return fail('SMTP_URL', 'SMTP_URL has no host.');
  const secure = u.protocol === 'smtps:';
  const port = u.port ? Number(u.port) : secure ? 465 : 587;
  let user: string | undefined;
  let pass: string | undefined;
  try {
    user = u.username ? decodeURIComponent(u.username) : undefined;
    pass = u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    return fail('SMTP_URL', 'SMTP_URL has a badly percent-encoded user name or password.');
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const to = parseAddresses(cfg.to ?? '');
  if (!to) return fail('ALERT_EMAIL_TO', 'ALERT_EMAIL_TO must be one e-mail address or several, comma-separated.');
  const fromRaw = cfg.from?.trim() || (user && ADDRESS.test(user) ? user : '');
  if (!fromRaw) return fail('ALERT_EMAIL_FROM', 'ALERT_EMAIL_FROM is not set (and the SMTP user is not an address to send from).');
  if (/[\r\n]/.test(fromRaw) || !(ADDRESS.test(fromRaw) || /^[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>$/.test(fromRaw))) {
    return fail('ALERT_EMAIL_FROM', 'ALERT_EMAIL_FROM must be an e-mail address ("alerts@example.com" or "LLM Balance <alerts@example.com>").');
  }
  // A password never crosses the network in clear text, except to this machine.
  const requireTLS = !secure && !isLoopbackHost(host);
  const out: SmtpSettings = { host, port, secure, requireTLS, to, from: fromRaw };
  if (user !== undefined) out.user = user;
  if (pass !== undefined) out.pass = pass;
  return out;
}

// ---- building channels ----

function webhookProblem(kind: WebhookKind, url: string): ChannelConfigError | undefined {
  const variable = VARIABLE[kind];
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return { channel: kind, variable, message: `${variable} is not a valid URL.` };
  }
  // checkUrlPolicy's own message may quote the URL; ours never does.
  if (checkUrlPolicy(u.toString())) {
    return { channel: kind, variable, message: `${variable} must be an https:// URL without a user name or password (http only for localhost); ${u.protocol}//${u.host} is not.` };
  }
  return undefined;
}

/** Builds the configured channels. Never throws: a wrong setting becomes an entry in `errors`. */
export function createChannels(config: ChannelsConfig, opts: ChannelOptions = {}): ChannelSet {
  const channels: Channel[] = [];
  const errors: ChannelConfigError[] = [];
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let ownHttp: HttpClient | undefined;
  const http = (): HttpClient => opts.http ?? (ownHttp ??= new HttpClient({ timeoutMs, env: opts.env ?? process.env }));

  if (config.telegram) {
    const { botToken, chatId } = config.telegram;
    const apiBase = (config.telegram.apiBase?.trim() || DEFAULT_TELEGRAM_API_BASE).replace(/\/+$/, '');
    const token = botToken.trim();
    const chat = chatId.trim();
    if (!token) errors.push({ channel: 'telegram', variable: 'TELEGRAM_BOT_TOKEN', message: 'TELEGRAM_BOT_TOKEN is not set (TELEGRAM_CHAT_ID is).' });
    else if (!TELEGRAM_TOKEN.test(token)) errors.push({ channel: 'telegram', variable: 'TELEGRAM_BOT_TOKEN', message: 'TELEGRAM_BOT_TOKEN does not look like a bot token (digits, ":", then letters, digits, "_" or "-").' });
    else if (!chat) errors.push({ channel: 'telegram', variable: 'TELEGRAM_CHAT_ID', message: 'TELEGRAM_CHAT_ID is not set (TELEGRAM_BOT_TOKEN is).' });
    else if (!TELEGRAM_CHAT.test(chat)) errors.push({ channel: 'telegram', variable: 'TELEGRAM_CHAT_ID', message: 'TELEGRAM_CHAT_ID must be a numeric chat id (e.g. -1001234567890) or a @channelname.' });
    else {
      const policy = (() => {
        try {
          new URL(apiBase);
        } catch {
          return 'TELEGRAM_API_BASE is not a valid URL.';
        }
        return checkUrlPolicy(apiBase) ? `TELEGRAM_API_BASE must be https:// (http only for localhost), without a user name or password.` : undefined;
      })();
      if (policy) errors.push({ channel: 'telegram', variable: 'TELEGRAM_API_BASE', message: policy });
      else channels.push(new TelegramChannel({ botToken: token, chatId: chat, apiBase }, http(), opts.t));
    }
  }

  const hooks: [WebhookKind, string | undefined][] = [['slack', config.slackWebhookUrl], ['discord', config.discordWebhookUrl], ['webhook', config.webhookUrl]];
  for (const [kind, url] of hooks) {
    if (!url?.trim()) continue;
    const problem = webhookProblem(kind, url);
    if (problem) errors.push(problem);
    else channels.push(new WebhookChannel(kind, url.trim(), http(), opts.t));
  }

  if (config.email) {
    const s = parseSmtp(config.email);
    if ('variable' in s) errors.push(s);
    else channels.push(new EmailChannel(s, config.email.smtpUrl, timeoutMs, opts.t));
  }

  // Whatever went wrong, no message may carry a secret.
  const secrets = [config.telegram?.botToken, config.slackWebhookUrl, config.discordWebhookUrl, config.webhookUrl, config.email?.smtpUrl]
    .filter((x): x is string => !!x?.trim())
    .flatMap((x) => urlSecrets(x.trim()));
  for (const e of errors) e.message = redact(e.message, secrets);

  return {
    channels,
    errors,
    async close() {
      await Promise.all(channels.map((c) => c.close?.()));
      if (ownHttp) await ownHttp.close();
    },
  };
}

/** SPEC §11: channels from TELEGRAM_*, SLACK_WEBHOOK_URL, DISCORD_WEBHOOK_URL, WEBHOOK_URL, SMTP_URL + ALERT_EMAIL_*. */
export function channelsFromEnv(env: NodeJS.ProcessEnv, opts: ChannelOptions = {}): ChannelSet {
  const v = (name: string): string | undefined => {
    const x = env[name]?.trim();
    return x ? x : undefined;
  };
  const config: ChannelsConfig = {};
  const token = v('TELEGRAM_BOT_TOKEN');
  const chat = v('TELEGRAM_CHAT_ID');
  if (token || chat) {
    config.telegram = { botToken: token ?? '', chatId: chat ?? '' };
    const base = v('TELEGRAM_API_BASE');
    if (base) config.telegram.apiBase = base;
  }
  const slack = v('SLACK_WEBHOOK_URL');
  if (slack) config.slackWebhookUrl = slack;
  const discord = v('DISCORD_WEBHOOK_URL');
  if (discord) config.discordWebhookUrl = discord;
  const hook = v('WEBHOOK_URL');
  if (hook) config.webhookUrl = hook;
  const smtp = v('SMTP_URL');
  const to = v('ALERT_EMAIL_TO');
  const from = v('ALERT_EMAIL_FROM');
  const extra: ChannelConfigError[] = [];
  if (smtp) {
    config.email = { smtpUrl: smtp, to: to ?? '' };
    if (from) config.email.from = from;
  } else if (to || from) {
    extra.push({ channel: 'email', variable: 'SMTP_URL', message: 'ALERT_EMAIL_TO / ALERT_EMAIL_FROM are set but SMTP_URL is not (smtp://user:pass@host:port).' });
  }
  const set = createChannels(config, { env, ...opts });
  set.errors.push(...extra);
  return set;
}
