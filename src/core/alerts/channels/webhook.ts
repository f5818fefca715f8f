// Webhooks: a JSON POST to a URL whose path is the secret. Slack and Discord are the same
// channel with their own payload; the generic one posts the versioned llm-balance.alert event.
import { english, type Translate } from '../../l10n';
import { formatSubject, type Alert } from '../message';
import { hostOf, httpFailure, postJson, secretPieces, urlProblem, type ChannelDescriptor, type ChannelField } from './shared';

type WebhookSpec = Omit<ChannelDescriptor, 'fields' | 'create'> & { channelName?: string; field: Omit<ChannelField, 'secret' | 'validate'> };

/** A webhook channel's descriptor: one secret URL, pasted (so shown in the wizard, only its path is secret). */
export function webhookDescriptor(d: WebhookSpec, format: (a: Alert, t: Translate) => object): ChannelDescriptor {
  const { channelName = `${d.name} webhook`, field, ...rest } = d;
  return {
    ...rest,
    fields: [{ ...field, secret: true, validate: urlProblem }],
    create(v, ctx) {
      const url = v[field.env]!;
      const secrets = secretPieces(url);
      const send = async (alert: Alert): Promise<void> => {
        const res = await postJson(ctx.http(), channelName, url, format(alert, ctx.t), secrets);
        if (res.status >= 200 && res.status < 300) return;
        const hint = [403, 404, 410].includes(res.status) ? `The webhook URL may be revoked or wrong: check ${field.env}.` : '';
        throw httpFailure(channelName, hostOf(url), res, secrets, hint);
      };
      return { id: d.id, description: `${channelName} (${hostOf(url)})`, send };
    },
  };
}

/** The generic webhook payload (WEBHOOK_URL, README "Alert channels"), version 1. Stable: fields are only ever added. */
export function formatWebhook(a: Alert, t: Translate = english) {
  // A step or a spike has no threshold, error kind or stale numbers: null / false, as in every version-1 payload.
  const level = a.kind === 'level' ? a : undefined;
  return {
    event: 'llm-balance.alert' as const,
    version: 1 as const,
    kind: a.kind,
    account: a.accountId,
    label: a.label,
    provider: a.provider,
    level: a.level,
    errorKind: level?.errorKind ?? null,
    balance: a.balance,
    currency: a.currency,
    threshold: level ? level.threshold : null,
    subject: formatSubject(a, t),
    message: a.message,
    billingUrl: a.billingUrl ?? null,
    stale: level?.stale === true,
    time: a.time,
    cooldownHours: a.cooldownHours,
    /** A budget step: { step, usedPercent, used, limit, remaining, what }; else null. */
    step: a.kind === 'step' ? a.step : null,
    /** A spend spike: { spend, usual, times, windowHours }; else null. */
    spike: a.kind === 'spike' ? a.spike : null,
  };
}

export const webhook = webhookDescriptor({
  id: 'webhook', name: 'Webhook', channelName: 'Webhook',
  detail: 'A JSON POST to your own endpoint (event "llm-balance.alert", version 1)',
  secret: { name: 'webhook URL', storedAs: 'url' },
  field: { env: 'WEBHOOK_URL', label: 'the webhook URL', prompt: 'Paste the URL that receives the alerts as a JSON POST (https://…).' },
}, formatWebhook);
