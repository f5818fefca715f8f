// What every alert channel shares: its descriptor shape, the delivery error, and the HTTP
// failure texts. Secrets — the bot token (it sits in the Telegram URL path), every webhook URL,
// the SMTP password — never appear in an error message: errors name the host only and are
// redacted against every piece of the channel's secrets.
import { CheckError } from '../../errors';
import { checkUrlPolicy, isLoopbackHost, providerMessage, type HttpClient, type HttpResponse } from '../../http';
import { english, type Translate } from '../../l10n';
import { redact } from '../../redact';
import { cap, stripControls } from '../../safeText';
import type { Alert } from '../message';

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
  declare readonly retryable: boolean;
  declare readonly retryAfterMs: number | undefined;
  declare readonly status: number | undefined;
  constructor(message: string, o: { retryable: boolean; retryAfterMs?: number; status?: number }) {
    super(message);
    Object.assign(this, o);
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
  /** How the extension names it in messages: "the Telegram bot token"; a setting's is its name, llmBalance.channels.<setting>. */
  label?: string;
  /** The wizard's question (a field without one is not asked), and its name in the step's title (the secret's is the descriptor's). */
  prompt?: string;
  step?: string;
  /** How the channel picker shows the saved value of a channel that is on: "chat {0}". */
  shownAs?: string;
  /** What is wrong with a non-empty value, as the end of a sentence about it ("is not a valid URL."); undefined when fine. */
  validate?: (value: string, t: Translate) => string | undefined;
  /** A typo guard for what is pasted in the wizard (a Slack URL on hooks.slack.com); not applied to the environment. */
  expectHost?: { hosts: RegExp; host: string };
}

export interface ChannelContext {
  http(): HttpClient;
  timeoutMs: number;
  t: Translate;
}

/** Values by environment variable name, trimmed and non-empty. */
export type ChannelValues = Readonly<Record<string, string | undefined>>;

export interface ChannelDescriptor {
  id: ChannelId;
  name: string;
  detail: string;
  /** What the wizard calls the secret, and its SecretStorage key (llmBalance.channel.<id>.<storedAs>). */
  secret: { name: string; storedAs: string };
  /** The secret first. */
  fields: readonly ChannelField[];
  /** Builds the channel from values that passed every field's check; cross-field problems come back as an error. */
  create(values: ChannelValues, ctx: ChannelContext): Channel | ChannelConfigError;
}

/** What is wrong with a value pasted in the wizard: the field's check, then its typo guard. */
export function pastedProblem(d: ChannelDescriptor, f: ChannelField, v: string, t: Translate = english): string | undefined {
  const problem = f.validate?.(v, t);
  if (problem) return t('This {0}', problem);
  const host = URL.canParse(v) ? new URL(v).hostname.toLowerCase() : '';
  if (f.expectHost && !isLoopbackHost(host) && !f.expectHost.hosts.test(host)) return t('A {0} webhook URL is on {1}, not {2}.', d.name, f.expectHost.host, host);
  return undefined;
}

export const hostOf = (url: string): string => (URL.canParse(url) ? new URL(url).host : 'an invalid URL');

/** A secret and the pieces of it that are secret on their own (a URL's path, its last segment, its password; a bot token after the colon), longest first. */
export function secretPieces(secret: string): string[] {
  const out = [secret, /^\d+:(.+)$/.exec(secret)?.[1]];
  try {
    const u = new URL(secret);
    const path = u.pathname.length > 1 ? u.pathname : '';
    out.push(u.password, u.password && decodeURIComponent(u.password), u.search);
    out.push(path, path.replace(/^\/+/, ''), path.split('/').filter(Boolean).pop());
  } catch {
    /* not a URL: the whole string is the secret */
  }
  return [...new Set(out.filter((x): x is string => !!x))].sort((a, b) => b.length - a.length);
}

/** https (http only on loopback), no user name or password; never quotes the URL, whose path is secret. */
export function urlProblem(value: string, t: Translate = english): string | undefined {
  if (!URL.canParse(value)) return t('is not a valid URL.');
  const u = new URL(value);
  if (checkUrlPolicy(u.toString())) return t('must be an https:// URL without a user name or password (http only for localhost); {0} is not.', `${u.protocol}//${u.host}`);
  return undefined;
}

/** POSTs JSON; not reaching the server is a DeliveryError, retryable for a network error or a timeout. */
export async function postJson(http: HttpClient, name: string, url: string, payload: object, secrets: readonly string[]): Promise<HttpResponse> {
  try {
    return await http.send(url, { method: 'POST', body: JSON.stringify(payload), secrets: [...secrets] });
  } catch (e) {
    const retryable = e instanceof CheckError ? e.kind === 'timeout' || e.kind === 'network' : true;
    throw new DeliveryError(redact(`${name}: ${e instanceof Error ? e.message : String(e)}`, secrets), { retryable });
  }
}

export function httpFailure(name: string, host: string, res: HttpResponse, secrets: readonly string[], hint = ''): DeliveryError {
  const detail = providerMessage(res.json, res.text);
  const s = res.status;
  // Redacted whole, then cut: a webhook secret echoed near the cut must not survive as a piece.
  const said = detail ? cap(stripControls(redact(detail, secrets)), 300) : '';
  const text = `${name} (${host}) answered HTTP ${s}${said ? `: ${said}` : ''}.${hint ? ` ${hint}` : ''}`;
  // Telegram's parameters.retry_after and Discord's retry_after, both in seconds, before Retry-After.
  const body = (res.json ?? {}) as { retry_after?: unknown; parameters?: { retry_after?: unknown } };
  const inBody = body.parameters?.retry_after ?? body.retry_after;
  const wait = typeof inBody === 'number' && Number.isFinite(inBody) && inBody >= 0 ? Math.ceil(inBody * 1000) : res.retryAfterMs;
  const retryable = s === 429 || s === 408 || s >= 500;
  return new DeliveryError(redact(text, secrets), wait !== undefined ? { retryable, status: s, retryAfterMs: wait } : { retryable, status: s });
}
