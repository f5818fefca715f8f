// Discord channel webhook, one embed, no mentions.
import { english, type Translate } from '../../l10n';
import { alertContent, safeUrl, type Alert } from '../message';
import { webhookDescriptor } from './webhook';

/** Discord markdown: a backslash escapes any punctuation. */
function escapeDiscord(s: string): string {
  return s.replace(/[\\*_~`|>#[\]()<@:-]/g, '\\$&');
}

const COLOR = { info: 0x1e88e5, warning: 0xfb8c00, critical: 0xe53935, error: 0xb71c1c };

export function formatDiscord(a: Alert, t: Translate = english) {
  const c = alertContent(a, t);
  const steps = c.steps.map((s, i) => `${i + 1}. ${escapeDiscord(s.text)}${safeUrl(s.url) ? `: ${safeUrl(s.url)}` : ''}`).join('\n');
  const embed: Record<string, unknown> = {
    title: c.subject.slice(0, 256),
    description: `${escapeDiscord(c.line)}\n\n**${escapeDiscord(t('What to do'))}**\n${steps}`.slice(0, 4096),
    color: COLOR[a.level],
    fields: c.facts.slice(0, 25).map(([n, v]) => ({ name: n, value: escapeDiscord(v).slice(0, 1024), inline: n !== t('Error') })),
    footer: { text: c.footer.slice(0, 2048) },
    timestamp: a.time,
  };
  if (safeUrl(a.billingUrl)) embed.url = safeUrl(a.billingUrl);
  // No @everyone / role / user pings, whatever a provider's text contains.
  return { content: escapeDiscord(c.line).slice(0, 2000), embeds: [embed], allowed_mentions: { parse: [] } };
}

export const discord = webhookDescriptor({
  id: 'discord', name: 'Discord',
  detail: 'A message through a Discord channel webhook',
  secret: { name: 'webhook URL', storedAs: 'webhookUrl' },
  field: {
    env: 'DISCORD_WEBHOOK_URL', label: 'the Discord webhook URL',
    prompt: 'Paste the Discord webhook URL (https://discord.com/api/webhooks/…).',
    expectHost: { hosts: /^((canary|ptb)\.)?discord(app)?\.com$/, host: 'discord.com' },
  },
}, formatDiscord);
