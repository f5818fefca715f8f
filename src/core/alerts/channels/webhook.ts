// Webhooks: a JSON POST to a URL whose path is the secret. Slack and Discord are the same
// channel with their own payload; the generic one posts the versioned llm-balance.alert event.
import type { HttpClient, HttpResponse } from '../../http';
import { english, type Translate } from '../../l10n';
import { formatWebhook, type Alert } from '../message';
import { hostOf, httpFailure, secretPieces, transportFailure, urlProblem, type Channel, type ChannelDescriptor, type ChannelField, type ChannelId } from './shared';

class WebhookChannel implements Channel {
  readonly description: string;
  private readonly secrets: string[];

  constructor(readonly id: ChannelId, private readonly name: string, private readonly variable: string, private readonly url: string, private readonly format: (a: Alert, t: Translate) => object, private readonly http: HttpClient, private readonly t: Translate = english) {
    this.secrets = secretPieces(url);
    this.description = `${name} (${hostOf(url)})`;
  }

  async send(alert: Alert): Promise<void> {
    let res: HttpResponse;
    try {
      res = await this.http.send(this.url, { method: 'POST', body: JSON.stringify(this.format(alert, this.t)), secrets: this.secrets, headers: { 'content-type': 'application/json' } });
    } catch (e) {
      throw transportFailure(this.name, e, this.secrets);
    }
    if (res.status >= 200 && res.status < 300) return;
    const hint = [403, 404, 410].includes(res.status) ? `The webhook URL may be revoked or wrong: check ${this.variable}.` : '';
    throw httpFailure(this.name, hostOf(this.url), res, this.secrets, hint);
  }
}

/** A webhook channel's descriptor: one secret URL. */
export function webhookDescriptor(d: { id: ChannelId; name: string; channelName: string; detail: string; field: Omit<ChannelField, 'secret' | 'validate'>; format: (a: Alert, t: Translate) => object }): ChannelDescriptor {
  return {
    id: d.id,
    name: d.name,
    detail: d.detail,
    fields: [{ ...d.field, secret: true, validate: urlProblem }],
    create: (v, ctx) => new WebhookChannel(d.id, d.channelName, d.field.env, v[d.field.env]!, d.format, ctx.http(), ctx.t),
  };
}

export const webhook = webhookDescriptor({
  id: 'webhook',
  name: 'Webhook',
  channelName: 'Webhook',
  detail: 'A JSON POST to your own endpoint (event "llm-balance.alert", version 1)',
  field: { env: 'WEBHOOK_URL', label: 'the webhook URL', prompt: 'Paste the URL that receives the alerts as a JSON POST (https://…).' },
  format: formatWebhook,
});
