// E-mail over SMTP with nodemailer, which is loaded (dist/mailer.js) only when an e-mail is sent.
import { isLoopbackHost } from '../../http';
import { redact } from '../../redact';
import { cap, stripControls } from '../../safeText';
import { english, type Translate } from '../../l10n';
import { formatHtml, formatSubject, formatText, type Alert } from '../message';
import { DeliveryError, type Channel, type ChannelConfigError, type ChannelDescriptor } from './shared';

interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  user?: string;
  pass?: string;
  to: string[];
  from: string;
}

type MailTransport = { sendMail(mail: object): Promise<unknown>; close(): void };

class EmailChannel implements Channel {
  readonly id = 'email' as const;
  readonly description: string;
  private transport: Promise<MailTransport> | undefined;
  private readonly secrets: string[];

  constructor(private readonly s: SmtpSettings, smtpUrl: string, private readonly timeoutMs: number, private readonly tr: Translate = english) {
    this.secrets = [smtpUrl, s.pass, s.pass && encodeURIComponent(s.pass)].filter((x): x is string => !!x);
    this.description = `E-mail to ${s.to.join(', ')} via ${s.host}:${s.port}`;
  }

  private load(): Promise<MailTransport> {
    this.transport ??= (async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const nodemailer = require('./mailer.js') as typeof import('./mailer');
      const t = this.timeoutMs;
      const auth = this.s.user !== undefined ? { user: this.s.user, pass: this.s.pass ?? '' } : undefined;
      const { host, port, secure, requireTLS } = this.s;
      return nodemailer.createTransport({ host, port, secure, requireTLS, auth, connectionTimeout: t, greetingTimeout: t, socketTimeout: t, logger: false, debug: false }) as unknown as MailTransport;
    })();
    return this.transport;
  }

  async send(alert: Alert): Promise<void> {
    try {
      const t = await this.load();
      await t.sendMail({ from: this.s.from, to: this.s.to, subject: formatSubject(alert, this.tr), text: formatText(alert, this.tr), html: formatHtml(alert, this.tr) });
    } catch (e) {
      throw smtpFailure(e, `${this.s.host}:${this.s.port}`, this.secrets);
    }
  }

  async close(): Promise<void> {
    const t = this.transport;
    this.transport = undefined;
    if (t) (await t.catch(() => undefined))?.close();
  }
}

function smtpFailure(e: unknown, where: string, secrets: readonly string[]): DeliveryError {
  const err = (e ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = err.code ?? '';
  const rc = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const said = cap(stripControls(redact((err.response ?? err.message ?? String(e)).trim(), secrets)), 300);
  const rc4xx = rc !== undefined && rc >= 400 && rc < 500;
  let text: string;
  let retryable: boolean;
  if (code === 'EAUTH' || code === 'ENOAUTH') {
    text = `E-mail: SMTP login to ${where} failed (${said}). Check the user name and password in SMTP_URL.`;
    retryable = rc4xx;
  } else if (code === 'ETLS' || code === 'EREQUIRETLS' || /STARTTLS/i.test(said)) {
    text = `E-mail: ${where} could not secure the connection (${said}). Use smtps:// for TLS on connect, or a server that offers STARTTLS.`;
    retryable = false;
  } else if (code === 'EENVELOPE') {
    text = `E-mail: ${where} refused the sender or a recipient (${said}). Check ALERT_EMAIL_FROM and ALERT_EMAIL_TO.`;
    retryable = rc4xx;
  } else if (['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROXY'].includes(code)) {
    text = `E-mail: could not talk to ${where} (${said}).`;
    retryable = true;
  } else {
    text = `E-mail: sending through ${where} failed (${said}).`;
    retryable = rc === undefined || rc4xx;
  }
  return new DeliveryError(redact(text, secrets), rc !== undefined ? { retryable, status: rc } : { retryable });
}

const ADDRESS = /^[^\s@,<>"]+@[^\s@,<>"]+$/;
const NAMED_ADDRESS = /^[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>$/;
const addresses = (raw: string): string[] => raw.split(',').map((a) => a.trim()).filter(Boolean);

function smtpUrlProblem(v: string): string | undefined {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'is not a valid URL; expected smtp://user:pass@host:port or smtps://user:pass@host:port.';
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') return `must start with smtp:// or smtps:// (it starts with ${u.protocol}//).`;
  if (!u.hostname) return 'has no host.';
  try {
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
  } catch {
    return 'has a badly percent-encoded user name or password.';
  }
  return undefined;
}

function parseSmtp(smtpUrl: string, toRaw: string, fromRaw: string | undefined): SmtpSettings | ChannelConfigError {
  const u = new URL(smtpUrl);
  const secure = u.protocol === 'smtps:';
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  const pass = u.password ? decodeURIComponent(u.password) : undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const from = fromRaw || (user && ADDRESS.test(user) ? user : '');
  if (!from) return { channel: 'email', variable: 'ALERT_EMAIL_FROM', message: 'ALERT_EMAIL_FROM is not set (and the SMTP user is not an address to send from).' };
  // A password never crosses the network in clear text, except to this machine.
  const out: SmtpSettings = { host, port: u.port ? Number(u.port) : secure ? 465 : 587, secure, requireTLS: !secure && !isLoopbackHost(host), to: addresses(toRaw), from };
  if (user !== undefined) out.user = user;
  if (pass !== undefined) out.pass = pass;
  return out;
}

export const email: ChannelDescriptor = {
  id: 'email',
  name: 'E-mail',
  detail: 'An e-mail sent through your SMTP server',
  fields: [
    {
      env: 'SMTP_URL',
      secret: true,
      masked: true,
      label: 'the SMTP URL',
      prompt: 'Paste the SMTP URL: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS); percent-encode special characters in the password.',
      validate: smtpUrlProblem,
    },
    {
      env: 'ALERT_EMAIL_TO',
      setting: 'email.to',
      label: 'llmBalance.channels.email.to',
      prompt: 'Who gets the alerts: one address or several, comma-separated.',
      validate: (v) => (addresses(v).length > 0 && addresses(v).every((a) => ADDRESS.test(a)) ? undefined : 'must be one e-mail address or several, comma-separated.'),
    },
    {
      env: 'ALERT_EMAIL_FROM',
      setting: 'email.from',
      optional: true,
      label: 'llmBalance.channels.email.from',
      prompt: 'The sender address. Leave empty to send as the SMTP user.',
      validate: (v) => (!/[\r\n]/.test(v) && (ADDRESS.test(v) || NAMED_ADDRESS.test(v)) ? undefined : 'must be an e-mail address ("alerts@example.com" or "LLM Balance <alerts@example.com>").'),
    },
  ],
  create(v, ctx) {
    const s = parseSmtp(v.SMTP_URL!, v.ALERT_EMAIL_TO!, v.ALERT_EMAIL_FROM);
    return 'variable' in s ? s : new EmailChannel(s, v.SMTP_URL!, ctx.timeoutMs, ctx.t);
  },
};
