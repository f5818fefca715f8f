// Slack incoming webhook, Block Kit payload.
import { formatSlack } from '../message';
import { webhookDescriptor } from './webhook';

export const slack = webhookDescriptor({
  id: 'slack',
  name: 'Slack',
  channelName: 'Slack webhook',
  detail: 'A message through a Slack incoming webhook',
  field: {
    env: 'SLACK_WEBHOOK_URL',
    label: 'the Slack webhook URL',
    prompt: 'Paste the Slack incoming webhook URL (https://hooks.slack.com/services/…).',
    expectHost: { hosts: /^hooks\.slack\.com$/, name: 'hooks.slack.com' },
  },
  format: formatSlack,
});
