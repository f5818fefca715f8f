// Slack incoming webhook, Block Kit payload.
import { english, type Translate } from '../../l10n';
import { alertContent, EMOJI, safeUrl, type Alert } from '../message';
import { webhookDescriptor } from './webhook';

/** Slack mrkdwn needs only &, < and > escaped. */
function escapeSlack(s: string): string {
  return s.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch] ?? ch);
}

export function formatSlack(a: Alert, t: Translate = english) {
  const c = alertContent(a, t);
  const link = (url: string): string => {
    const u = safeUrl(url);
    return !u || /[|<>\s]/.test(u) ? escapeSlack(url) : `<${u}|${escapeSlack(url)}>`;
  };
  const steps = c.steps.map((s, i) => `${i + 1}. ${escapeSlack(s.text)}${s.url ? `: ${link(s.url)}` : ''}`).join('\n');
  return {
    // The notification / fallback text.
    text: escapeSlack(c.line),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${EMOJI[a.level]} ${c.subject}`.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(c.line).slice(0, 3000) } },
      { type: 'section', fields: c.facts.slice(0, 10).map(([n, v]) => ({ type: 'mrkdwn', text: `*${escapeSlack(n)}:*\n${escapeSlack(v)}`.slice(0, 2000) })) },
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(t('What to do'))}*\n${steps}`.slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(c.footer) }] },
    ],
  };
}

export const slack = webhookDescriptor({
  id: 'slack', name: 'Slack',
  detail: 'A message through a Slack incoming webhook',
  secret: { name: 'incoming webhook URL', storedAs: 'webhookUrl' },
  field: {
    env: 'SLACK_WEBHOOK_URL', label: 'the Slack webhook URL',
    prompt: 'Paste the Slack incoming webhook URL (https://hooks.slack.com/services/…).',
    expectHost: { hosts: /^hooks\.slack\.com$/, host: 'hooks.slack.com' },
  },
}, formatSlack);
