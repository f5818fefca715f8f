// E-mail over SMTP with nodemailer, which is loaded (dist/mailer.js) only when an e-mail is sent.
import { isLoopbackHost } from '../../http';
import { english, type Translate } from '../../l10n';
import { redact } from '../../redact';
import { cap, stripControls } from '../../safeText';
import { alertContent, formatSubject, safeUrl, type Alert } from '../message';
import { DeliveryError, type ChannelDescriptor } from './shared';

export function formatText(a: Alert, t: Translate = english): string {
  const c = alertContent(a, t);
  // Columns in a monospace font: CJK and full-width characters take two.
  const wide = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
  const columns = (s: string): number => [...s].reduce((n, ch) => n + (wide.test(ch) ? 2 : 1), 0);
  const width = Math.max(...c.facts.map(([n]) => columns(n))) + 2;
  const lines = [c.line, '', ...c.facts.map(([n, v]) => `${n}:${' '.repeat(width - columns(n) - 1)}${v}`), '', t('What to do:')];
  c.steps.forEach((s, i) => lines.push(`${i + 1}. ${s.text}${s.url ? `: ${s.url}` : ''}`));
  return [...lines, '', '-- ', c.footer].join('\n') + '\n';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

export function formatHtml(a: Alert, t: Translate = english): string {
  const c = alertContent(a, t);
  const rows = c.facts.map(([n, v]) => `<tr><th align="left">${escapeHtml(n)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const link = (url: string | undefined): string => (url ? `: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : '');
  const steps = c.steps.map((s) => `<li>${escapeHtml(s.text)}${link(safeUrl(s.url))}</li>`).join('');
  return `<p><strong>${escapeHtml(c.line)}</strong></p><table>${rows}</table><p>${escapeHtml(t('What to do:'))}</p><ol>${steps}</ol><hr><p><small>${escapeHtml(c.footer)}</small></p>`;
}

const NETWORK_CODES = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROXY'];

/** nodemailer's error, in words that say what to fix, and whether trying again can help. */
function smtpFailure(e: unknown, where: string, secrets: readonly string[]): DeliveryError {
  const err = (e ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = err.code ?? '';
  const rc = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const said = cap(stripControls(redact((err.response ?? err.message ?? String(e)).trim(), secrets)), 300);
  const rc4xx = rc !== undefined && rc >= 400 && rc < 500;
  const [text, retryable]: [string, boolean] =
    code === 'EAUTH' || code === 'ENOAUTH' ? [`SMTP login to ${where} failed (${said}). Check the user name and password in SMTP_URL.`, rc4xx]
      : code === 'ETLS' || code === 'EREQUIRETLS' || /STARTTLS/i.test(said)
        ? [`${where} could not secure the connection (${said}). Use smtps:// for TLS on connect, or a server that offers STARTTLS.`, false]
        : code === 'EENVELOPE' ? [`${where} refused the sender or a recipient (${said}). Check ALERT_EMAIL_FROM and ALERT_EMAIL_TO.`, rc4xx]
          : NETWORK_CODES.includes(code) ? [`could not talk to ${where} (${said}).`, true]
            : [`sending through ${where} failed (${said}).`, rc === undefined || rc4xx];
  return new DeliveryError(redact(`E-mail: ${text}`, secrets), rc !== undefined ? { retryable, status: rc } : { retryable });
}

const ADDRESS = /^[^\s@,<>"]+@[^\s@,<>"]+$/;
const NAMED_ADDRESS = /^[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>$/;
const addresses = (raw: string): string[] => raw.split(',').map((a) => a.trim()).filter(Boolean);

function smtpUrlProblem(v: string, t: Translate): string | undefined {
  if (!URL.canParse(v)) return t('is not a valid URL; expected smtp://user:pass@host:port or smtps://user:pass@host:port.');
  const u = new URL(v);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') return t('must start with smtp:// or smtps:// (it starts with {0}//).', u.protocol);
  if (!u.hostname) return t('has no host.');
  try {
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
  } catch {
    return t('has a badly percent-encoded user name or password.');
  }
  return undefined;
}

type MailTransport = { sendMail(mail: object): Promise<unknown>; close(): void };

export const email: ChannelDescriptor = {
  id: 'email', name: 'E-mail',
  detail: 'An e-mail sent through your SMTP server',
  secret: { name: 'SMTP URL', storedAs: 'smtpUrl' },
  fields: [
    {
      env: 'SMTP_URL', secret: true, masked: true, label: 'the SMTP URL',
      prompt: 'Paste the SMTP URL: smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS); percent-encode special characters in the password.',
      validate: smtpUrlProblem,
    },
    {
      env: 'ALERT_EMAIL_TO', setting: 'email.to',
      step: 'to', shownAs: 'to {0}',
      prompt: 'Who gets the alerts: one address or several, comma-separated.',
      validate: (v, t) => (addresses(v).length > 0 && addresses(v).every((a) => ADDRESS.test(a)) ? undefined : t('must be one e-mail address or several, comma-separated.')),
    },
    {
      env: 'ALERT_EMAIL_FROM', setting: 'email.from', optional: true, step: 'from',
      prompt: 'The sender address. Leave empty to send as the SMTP user.',
      validate: (v, t) => (!/[\r\n]/.test(v) && (ADDRESS.test(v) || NAMED_ADDRESS.test(v)) ? undefined : t('must be an e-mail address ("alerts@example.com" or "LLM Balance <alerts@example.com>").')),
    },
  ],
  create(v, ctx) {
    const { t } = ctx;
    const u = new URL(v.SMTP_URL!);
    const secure = u.protocol === 'smtps:';
    const user = u.username ? decodeURIComponent(u.username) : undefined;
    const pass = u.password ? decodeURIComponent(u.password) : undefined;
    const [host, port] = [u.hostname.replace(/^\[|\]$/g, ''), u.port ? Number(u.port) : secure ? 465 : 587];
    const from = v.ALERT_EMAIL_FROM || (user && ADDRESS.test(user) ? user : '');
    if (!from) return { channel: 'email', variable: 'ALERT_EMAIL_FROM', message: t('ALERT_EMAIL_FROM is not set (and the SMTP user is not an address to send from).') };
    const to = addresses(v.ALERT_EMAIL_TO!);
    const secrets = [v.SMTP_URL!, u.password, pass, pass && encodeURIComponent(pass)].filter((x): x is string => !!x);
    let transport: Promise<MailTransport> | undefined;
    const load = async (): Promise<MailTransport> => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const nodemailer = require('./mailer.js') as typeof import('./mailer');
      const ms = ctx.timeoutMs;
      // A password never crosses the network in clear text, except to this machine.
      const requireTLS = !secure && !isLoopbackHost(host);
      const auth = user !== undefined ? { user, pass: pass ?? '' } : undefined;
      const timeouts = { connectionTimeout: ms, greetingTimeout: ms, socketTimeout: ms };
      return nodemailer.createTransport({ host, port, secure, requireTLS, auth, ...timeouts, logger: false, debug: false }) as unknown as MailTransport;
    };
    const send = async (alert: Alert): Promise<void> => {
      try {
        const mail = { from, to, subject: formatSubject(alert, t), text: formatText(alert, t), html: formatHtml(alert, t) };
        await (await (transport ??= load())).sendMail(mail);
      } catch (e) {
        throw smtpFailure(e, `${host}:${port}`, secrets);
      }
    };
    const close = async (): Promise<void> => {
      const open = transport;
      transport = undefined;
      if (open) (await open.catch(() => undefined))?.close();
    };
    return { id: 'email', description: `E-mail to ${to.join(', ')} via ${host}:${port}`, send, close };
  },
};
