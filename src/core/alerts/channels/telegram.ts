// Telegram Bot API: sendMessage in MarkdownV2 to a chat, group or channel.
import type { HttpResponse } from '../../http';
import { english, type Translate } from '../../l10n';
import { redact } from '../../redact';
import { alertContent, EMOJI, safeUrl, type Alert } from '../message';
import { DeliveryError, hostOf, httpFailure, postJson, urlProblem, type ChannelDescriptor } from './shared';

/** Escapes text for Telegram MarkdownV2 (every reserved character gets a backslash). */
export function escapeMarkdownV2(s: string): string {
  return s.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&');
}

export function formatTelegram(a: Alert, t: Translate = english): string {
  const c = alertContent(a, t);
  const e = escapeMarkdownV2;
  const head = `${EMOJI[a.level]} *${e(c.subject)}*`;
  const lines = [head, e(c.line), '', ...c.facts.map(([n, v]) => `*${e(n)}:* ${e(v)}`), '', `*${e(t('What to do'))}*`];
  for (const s of c.steps) {
    const url = safeUrl(s.url);
    // Inside the (...) of a MarkdownV2 link only ")" and "\" are escaped.
    lines.push(`• ${e(s.text)}${url ? `: [${e(new URL(url).host + new URL(url).pathname)}](${url.replace(/[)\\]/g, '\\$&')})` : ''}`);
  }
  lines.push('', `_${e(c.footer)}_`);
  const text = lines.join('\n');
  // Telegram takes 4096 characters. Never cut inside an escape; a shorter message without the footer is still useful.
  return text.length <= 4096 ? text : `${head}\n${e(c.line.slice(0, 1500))}`;
}

/** Telegram puts its message in "description" (lifted where providerMessage looks), and says what to fix. */
function failure(res: HttpResponse, url: string, secrets: string[]): DeliveryError {
  const j = res.json as { description?: unknown; parameters?: { migrate_to_chat_id?: unknown } } | undefined;
  if (res.status >= 200 && res.status < 300) {
    return new DeliveryError(redact(`Telegram (${hostOf(url)}) answered HTTP ${res.status} without "ok": true.`, secrets), { retryable: false, status: res.status });
  }
  const migrated = j?.parameters?.migrate_to_chat_id;
  const hint = migrated !== undefined ? `The group became a supergroup: set TELEGRAM_CHAT_ID to ${String(migrated)}.`
    : res.status === 401 || res.status === 404 ? 'Check TELEGRAM_BOT_TOKEN (and TELEGRAM_API_BASE).'
      : res.status === 400 || res.status === 403 ? 'Check TELEGRAM_CHAT_ID and that the bot is a member of the chat.' : '';
  const lifted = j && typeof j === 'object' && typeof j.description === 'string' ? { ...res, json: { ...j, message: j.description } } : res;
  return httpFailure('Telegram', hostOf(url), lifted, secrets, hint);
}

export const telegram: ChannelDescriptor = {
  id: 'telegram', name: 'Telegram',
  detail: 'A message from your bot to a chat, group or channel',
  secret: { name: 'bot token', storedAs: 'botToken' },
  fields: [
    {
      env: 'TELEGRAM_BOT_TOKEN', secret: true, masked: true, label: 'the Telegram bot token',
      prompt: 'Paste the bot token from @BotFather (123456789:AA…).',
      validate: (v, t) => (/^\d+:[A-Za-z0-9_-]+$/.test(v) ? undefined : t('does not look like a bot token (digits, ":", then letters, digits, "_" or "-").')),
    },
    {
      env: 'TELEGRAM_CHAT_ID', setting: 'telegram.chatId',
      step: 'chat id', shownAs: 'chat {0}',
      prompt: 'The chat to write to: a numeric id (-1001234567890 for a group or channel) or @channelname. The bot must be a member of it.',
      validate: (v, t) => (/^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$/.test(v) ? undefined : t('must be a numeric chat id (e.g. -1001234567890) or a @channelname.')),
    },
    { env: 'TELEGRAM_API_BASE', setting: 'telegram.apiBase', optional: true, modifier: true, validate: urlProblem },
  ],
  create(v, ctx) {
    const [token, chatId] = [v.TELEGRAM_BOT_TOKEN!, v.TELEGRAM_CHAT_ID!];
    const url = `${(v.TELEGRAM_API_BASE ?? 'https://api.telegram.org').replace(/\/+$/, '')}/bot${token}/sendMessage`;
    const secrets = [url, `bot${token}`, token];
    const send = async (alert: Alert): Promise<void> => {
      const payload = { chat_id: chatId, text: formatTelegram(alert, ctx.t), parse_mode: 'MarkdownV2', link_preview_options: { is_disabled: true } };
      const res = await postJson(ctx.http(), 'Telegram', url, payload, secrets);
      if (res.status < 200 || res.status >= 300 || (res.json as { ok?: unknown } | undefined)?.ok !== true) throw failure(res, url, secrets);
    };
    return { id: 'telegram', description: `Telegram chat ${chatId}`, send };
  },
};
