// What every alert channel shares: its descriptor shape, the delivery error, and the HTTP
// failure texts. Secrets — the bot token (it sits in the Telegram URL path), every webhook URL,
// the SMTP password — never appear in an error message: errors name the host only and are
// redacted against every piece of the channel's secrets.
import { CheckError } from '../../errors';
import { checkUrlPolicy, providerMessage, type HttpClient, type HttpResponse } from '../../http';
import { redact } from '../../redact';
import { cap, stripControls } from '../../safeText';
import type { Alert } from '../message';
import type { Translate } from '../../l10n';

export type ChannelId = 'telegram' | 'slack' | 'discord' | 'webhook' | 'email';

export interface Channel {
  readonly id: ChannelId;
  /** For people and logs; never carries a secret ("Telegram chat 12345", "Slack webhook (hooks.slack.com)"). */
  readonly description: string;
  /** Delivers one alert; throws DeliveryError (message redacted) when it cannot. */
  send(alert: Alert): Promise<void>;
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
  /** The variable to fix: "TELEGRAM_CHAT_ID". */
  variable: string;
  message: string;
}

/** One value a channel needs. The CLI reads it from `env`; the extension from `setting` or, for the secret, SecretStorage. */
export interface ChannelField {
  env: string;
  /** Under llmBalance.channels; absent for the secret. */
  setting?: string;
  secret?: true;
  /** Shown masked in the wizard (a token, a password; a pasted URL stays visible). */
  masked?: true;
  optional?: true;
  /** Set alone, it does not turn the channel on (an API base without a token). */
  modifier?: true;
  /** How the extension names it in messages: "the Telegram bot token". */
  label: string;
  /** The wizard's question; a field without one is not asked. */
  prompt?: string;
  /** What is wrong with a non-empty value, as the end of a sentence about it ("is not a valid URL."); undefined when fine. */
  validate?: (value: string) => string | undefined;
  /** A typo guard for what is pasted in the wizard (a Slack URL on hooks.slack.com); not applied to the environment. */
  expectHost?: { hosts: RegExp; name: string };
}

export interface ChannelContext {
  http(): HttpClient;
  timeoutMs: number;
  /** The language of the alert text (the extension passes vscode.l10n.t); English by default. */
  t: Translate;
}

/** Values by environment variable name, trimmed and non-empty. */
export type ChannelValues = Readonly<Record<string, string | undefined>>;

export interface ChannelDescriptor {
  id: ChannelId;
  name: string;
  detail: string;
  /** The secret first. */
  fields: readonly ChannelField[];
  /** Builds the channel from values that passed every field's check; cross-field problems come back as an error. */
  create(values: ChannelValues, ctx: ChannelContext): Channel | ChannelConfigError;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/** A secret and the pieces of it that are secret on their own (a URL's path, its last segment, its password; a bot token after the colon), longest first. */
export function secretPieces(secret: string): string[] {
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
    /* not a URL: the whole string is the secret */
  }
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}

/** https (http only on loopback), no user name or password; never quotes the URL, whose path is secret. */
export function urlProblem(value: string): string | undefined {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'is not a valid URL.';
  }
  if (checkUrlPolicy(u.toString())) return `must be an https:// URL without a user name or password (http only for localhost); ${u.protocol}//${u.host} is not.`;
  return undefined;
}

export function transportFailure(name: string, e: unknown, secrets: readonly string[]): DeliveryError {
  const retryable = e instanceof CheckError ? e.kind === 'timeout' || e.kind === 'network' : true;
  return new DeliveryError(redact(`${name}: ${e instanceof Error ? e.message : String(e)}`, secrets), { retryable });
}

export function httpFailure(name: string, host: string, res: HttpResponse, secrets: readonly string[], hint = ''): DeliveryError {
  const detail = providerMessage(res.json, res.text);
  const s = res.status;
  // Redacted whole, then cut: a webhook secret echoed near the cut must not survive as a piece.
  const said = detail ? cap(stripControls(redact(detail, secrets)), 300) : '';
  const text = `${name} (${host}) answered HTTP ${s}${said ? `: ${said}` : ''}.${hint ? ` ${hint}` : ''}`;
  const opts: { retryable: boolean; retryAfterMs?: number; status: number } = { retryable: s === 429 || s === 408 || s >= 500, status: s };
  const wait = retryAfterFromBody(res.json) ?? res.retryAfterMs;
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
