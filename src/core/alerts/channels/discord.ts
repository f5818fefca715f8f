// Discord channel webhook, one embed, no mentions.
import { formatDiscord } from '../message';
import { webhookDescriptor } from './webhook';

export const discord = webhookDescriptor({
  id: 'discord',
  name: 'Discord',
  channelName: 'Discord webhook',
  detail: 'A message through a Discord channel webhook',
  field: {
    env: 'DISCORD_WEBHOOK_URL',
    label: 'the Discord webhook URL',
    prompt: 'Paste the Discord webhook URL (https://discord.com/api/webhooks/…).',
    expectHost: { hosts: /^((canary|ptb)\.)?discord(app)?\.com$/, name: 'discord.com' },
  },
  format: formatDiscord,
});
