// External alert channels (SPEC §7, §11), one file each, registered here. A channel is on when
// any of its values is set; each value is checked by its field, then the channel is built.
import { HttpClient } from '../../http';
import { english, type Translate } from '../../l10n';
import { redact } from '../../redact';
import { discord } from './discord';
import { email } from './email';
import { secretPieces, type Channel, type ChannelConfigError, type ChannelDescriptor, type ChannelField, type ChannelValues } from './shared';
import { slack } from './slack';
import { telegram } from './telegram';
import { webhook } from './webhook';

export * from './shared';

export const CHANNELS: readonly ChannelDescriptor[] = [telegram, slack, discord, webhook, email];

export interface ChannelOptions {
  /** Shared HTTP client; by default one is created (with `env` for proxies) and closed by `ChannelSet.close`. */
  http?: HttpClient;
  env?: NodeJS.ProcessEnv;
  /** Per-request / per-SMTP-stage time limit; default 10 s. */
  timeoutMs?: number;
  /** The language of the messages (the extension passes vscode.l10n.t); default English. */
  t?: Translate;
}

export interface ChannelSet {
  channels: Channel[];
  /** Channels that are configured wrongly, with what to fix. */
  errors: ChannelConfigError[];
  close(): Promise<void>;
}

/** Builds the channels whose values are set (by variable name: the environment, or what the extension read). Never throws. */
export function createChannels(raw: NodeJS.ProcessEnv | ChannelValues, opts: ChannelOptions = {}): ChannelSet {
  const values: Record<string, string> = {};
  for (const f of CHANNELS.flatMap((d) => d.fields)) if (raw[f.env]?.trim()) values[f.env] = raw[f.env]!.trim();
  const { timeoutMs = 10_000, t = english } = opts;
  let ownHttp: HttpClient | undefined;
  const ctx = { timeoutMs, t, http: (): HttpClient => opts.http ?? (ownHttp ??= new HttpClient({ timeoutMs, env: opts.env ?? process.env })) };
  const channels: Channel[] = [];
  const errors: ChannelConfigError[] = [];
  for (const d of CHANNELS) {
    if (!d.fields.some((f) => !f.modifier && values[f.env] !== undefined)) continue;
    // The first value that is missing or wrong, named by its variable; else the channel, or its cross-field problem.
    const problemOf = (f: ChannelField, v = values[f.env]): string | undefined => (v === undefined ? (f.optional ? undefined : t('is not set.')) : f.validate?.(v, t));
    const wrong = d.fields.map((f) => ({ f, problem: problemOf(f) })).find((x) => x.problem);
    const made = wrong ? { channel: d.id, variable: wrong.f.env, message: `${wrong.f.env} ${wrong.problem}` } : d.create(values, ctx);
    if ('send' in made) channels.push(made);
    else errors.push(made);
  }
  // Whatever went wrong, no message may carry a secret.
  const secrets = CHANNELS.flatMap((d) => d.fields.filter((f) => f.secret && values[f.env])).flatMap((f) => secretPieces(values[f.env]!));
  for (const e of errors) e.message = redact(e.message, secrets);
  return {
    channels,
    errors,
    async close() {
      await Promise.all(channels.map((c) => c.close?.()));
      await ownHttp?.close();
    },
  };
}

/** SPEC §11: channels from TELEGRAM_*, SLACK_WEBHOOK_URL, DISCORD_WEBHOOK_URL, WEBHOOK_URL, SMTP_URL + ALERT_EMAIL_*. */
export const channelsFromEnv = (env: NodeJS.ProcessEnv, opts: ChannelOptions = {}): ChannelSet => createChannels(env, { env, ...opts });
