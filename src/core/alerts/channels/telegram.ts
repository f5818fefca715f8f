// Telegram Bot API: sendMessage in MarkdownV2 to a chat, group or channel.
import type { HttpClient, HttpResponse } from '../../http';
import { english, type Translate } from '../../l10n';
import { redact } from '../../redact';
import { formatTelegram, type Alert } from '../message';
import { DeliveryError, hostOf, httpFailure, transportFailure, urlProblem, type Channel, type ChannelDescriptor } from './shared';

export const DEFAULT_TELEGRAM_API_BASE = 'https://api.telegram.org';

class TelegramChannel implements Channel {
  readonly id = 'telegram' as const;
  readonly description: string;
  private readonly url: string;
  private readonly secrets: string[];

  constructor(botToken: string, private readonly chatId: string, apiBase: string, private readonly http: HttpClient, private readonly t: Translate = english) {
    this.url = `${apiBase}/bot${botToken}/sendMessage`;
    this.secrets = [this.url, `bot${botToken}`, botToken];
    this.description = `Telegram chat ${chatId}`;
  }

  async send(alert: Alert): Promise<void> {
    const body = JSON.stringify({ chat_id: this.chatId, text: formatTelegram(alert, this.t), parse_mode: 'MarkdownV2', link_preview_options: { is_disabled: true } });
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
    throw httpFailure('Telegram', hostOf(this.url), withDescription(res), this.secrets, hint(res));
  }
}

/** Telegram puts its message in "description"; lift it where providerMessage looks. */
function withDescription(res: HttpResponse): HttpResponse {
  const j = res.json as { description?: unknown } | undefined;
  return j && typeof j === 'object' && typeof j.description === 'string' ? { ...res, json: { ...j, message: j.description } } : res;
}

function hint(res: HttpResponse): string {
  const migrated = (res.json as { parameters?: { migrate_to_chat_id?: unknown } } | undefined)?.parameters?.migrate_to_chat_id;
  if (migrated !== undefined) return `The group became a supergroup: set TELEGRAM_CHAT_ID to ${String(migrated)}.`;
  if (res.status === 401 || res.status === 404) return 'Check TELEGRAM_BOT_TOKEN (and TELEGRAM_API_BASE).';
  if (res.status === 400 || res.status === 403) return 'Check TELEGRAM_CHAT_ID and that the bot is a member of the chat.';
  return '';
}

export const telegram: ChannelDescriptor = {
  id: 'telegram',
  name: 'Telegram',
  detail: 'A message from your bot to a chat, group or channel',
  fields: [
    {
      env: 'TELEGRAM_BOT_TOKEN',
      secret: true,
      masked: true,
      label: 'the Telegram bot token',
      prompt: 'Paste the bot token from @BotFather (123456789:AA…).',
      validate: (v) => (/^\d+:[A-Za-z0-9_-]+$/.test(v) ? undefined : 'does not look like a bot token (digits, ":", then letters, digits, "_" or "-").'),
    },
    {
      env: 'TELEGRAM_CHAT_ID',
      setting: 'telegram.chatId',
      label: 'llmBalance.channels.telegram.chatId',
      prompt: 'The chat to write to: a numeric id (-1001234567890 for a group or channel) or @channelname. The bot must be a member of it.',
      validate: (v) => (/^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$/.test(v) ? undefined : 'must be a numeric chat id (e.g. -1001234567890) or a @channelname.'),
    },
    { env: 'TELEGRAM_API_BASE', setting: 'telegram.apiBase', optional: true, modifier: true, label: 'llmBalance.channels.telegram.apiBase', validate: urlProblem },
  ],
  create: (v, ctx) => new TelegramChannel(v.TELEGRAM_BOT_TOKEN!, v.TELEGRAM_CHAT_ID!, (v.TELEGRAM_API_BASE ?? DEFAULT_TELEGRAM_API_BASE).replace(/\/+$/, ''), ctx.http(), ctx.t),
};
