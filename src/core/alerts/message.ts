// What an alert says, and how each channel spells it. One content model (`alertContent`)
// is rendered as an e-mail subject and plain text / HTML body, a Telegram MarkdownV2 message,
// a Slack Block Kit payload, a Discord embed and the generic webhook JSON. Every string that
// came from a provider or a user is escaped for the format it lands in.
import type { BalanceResult, ErrorKind, ProviderId } from '../model';
import { formatMoney } from '../format';
import { english, type Translate } from '../l10n';
import { notifiableLevel } from '../ledger';
import { redact } from '../redact';

export type AlertLevel = 'warning' | 'critical' | 'error';

/** One alert about one account, ready for any channel. Carries no secret. */
export interface Alert {
  accountId: string;
  provider: ProviderId;
  label: string;
  level: AlertLevel;
  /** Set for the "API key error" variant (`auth`, `insufficient_funds`) and for out-of-funds criticals. */
  errorKind?: ErrorKind;
  balance: number | null;
  currency: string;
  /** The threshold that was crossed, in `currency`; null when none applies (e.g. a key error). */
  threshold: number | null;
  /** Set when a percent-of-limit threshold fired rather than an amount (a key cap or budget running out). */
  percent?: { left: number; threshold: number; limit: number };
  /** One line, SPEC §7 shape: "CRITICAL: OpenRouter balance low — $0.69 left (threshold $5.00). Add funds to avoid interruption." */
  message: string;
  /** The check's error message (already redacted), for key errors. */
  error?: string;
  billingUrl?: string;
  /** Where the key is configured, for the remediation steps (e.g. "the environment variable OPENROUTER_API_KEY"). */
  keyLocation?: string;
  /** True when the numbers are the last good ones after a failed check. */
  stale?: boolean;
  /** ISO time of the check that raised the alert. */
  time: string;
  /** How often the same alert may repeat (SPEC §7 cooldown). */
  cooldownHours: number;
}

export interface BuildAlertOptions {
  /** The threshold that was crossed (warning or critical amount), if known. */
  threshold?: number | null;
  /** The percent rule that fired instead of an amount, if that is what happened. */
  percent?: { left: number; threshold: number; limit: number };
  billingUrl?: string;
  /** Default 24 (SPEC §7). */
  cooldownHours?: number;
  /** Default: the result's `checkedAt`. */
  now?: Date;
  /** Where the key is configured; default a text naming both the VS Code command and the CLI variable. */
  keyLocation?: string;
  /** Translates the message (the extension passes vscode.l10n.t); default English. */
  t?: Translate;
}

/** SPEC §7: warning, critical, and error with errorKind auth or insufficient_funds — the ledger's rule. */
export function shouldAlert(result: Pick<BalanceResult, 'level' | 'errorKind'>): boolean {
  return notifiableLevel(result) !== undefined;
}

/** Turns a check result into an alert; undefined when the result does not call for one (SPEC §7). */
export function buildAlert(result: BalanceResult, opts: BuildAlertOptions = {}): Alert | undefined {
  if (!shouldAlert(result)) return undefined;
  const level = result.level as AlertLevel;
  const threshold = level === 'error' ? null : opts.threshold ?? null;
  const alert: Alert = {
    accountId: result.accountId,
    provider: result.provider,
    label: result.label,
    level,
    balance: result.balance,
    currency: result.currency,
    threshold: threshold !== null && Number.isFinite(threshold) ? threshold : null,
    message: '',
    time: (opts.now ?? new Date(result.checkedAt)).toISOString(),
    cooldownHours: opts.cooldownHours ?? 24,
  };
  if (result.errorKind) alert.errorKind = result.errorKind;
  if (opts.percent && level !== 'error') {
    alert.percent = opts.percent;
    alert.threshold = null;
  }
  if (result.error) alert.error = redact(result.error);
  if (opts.billingUrl) alert.billingUrl = opts.billingUrl;
  if (opts.keyLocation) alert.keyLocation = opts.keyLocation;
  if (result.stale) alert.stale = true;
  alert.message = alertLine(alert, opts.t);
  return alert;
}

function levelWord(level: AlertLevel, t: Translate): string {
  switch (level) {
    case 'warning': return t('WARNING');
    case 'critical': return t('CRITICAL');
    case 'error': return t('ERROR');
  }
}

function isKeyError(a: Alert): boolean {
  return a.level === 'error';
}

function money(a: Alert, amount: number): string {
  return formatMoney(amount, a.currency);
}

/** The one-line message (SPEC §7 shape). */
export function alertLine(a: Alert, t: Translate = english): string {
  const word = levelWord(a.level, t);
  if (isKeyError(a)) {
    if (a.errorKind === 'insufficient_funds') {
      return t("{0}: {1} API key error — insufficient funds. Add funds or raise the key's limit to avoid interruption.", word, a.label);
    }
    return t("{0}: {1} API key error — the key was rejected. Check the key, its expiry and the account's funds.", word, a.label);
  }
  const head = a.errorKind === 'insufficient_funds' ? t('{0}: {1} is out of funds', word, a.label) : t('{0}: {1} balance low', word, a.label);
  const left = a.balance === null ? '' : a.stale ? t(' — {0} left (last known)', money(a, a.balance)) : t(' — {0} left', money(a, a.balance));
  const limit = a.percent
    ? t('; {0}% of the {1} limit left (threshold {2}%)', a.percent.left, money(a, a.percent.limit), a.percent.threshold)
    : a.threshold === null || a.balance === null ? '' : t(' (threshold {0})', money(a, a.threshold));
  return `${head}${left}${limit}${t('. Add funds to avoid interruption.')}`;
}

/** E-mail subject / headline: "CRITICAL: OpenRouter Balance Low", "ERROR: OpenRouter API Key Error". */
export function formatSubject(a: Alert, t: Translate = english): string {
  return isKeyError(a) ? t('{0}: {1} API Key Error', levelWord(a.level, t), a.label) : t('{0}: {1} Balance Low', levelWord(a.level, t), a.label);
}

function durationText(hours: number, t: Translate): string {
  if (!(hours > 0)) return t('at every check');
  if (hours < 1) {
    const m = Math.max(1, Math.round(hours * 60));
    return m === 1 ? t('once a minute') : t('once every {0} minutes', m);
  }
  const h = Math.round(hours * 10) / 10;
  return h === 1 ? t('once an hour') : t('once every {0} hours', h);
}

/** The footer: how often this alert repeats. */
export function footerText(a: Alert, t: Translate = english): string {
  return isKeyError(a)
    ? t('LLM Balance repeats this alert at most {0} while the key error lasts; a worse level alerts at once, and a recovery resets it.', durationText(a.cooldownHours, t))
    : t('LLM Balance repeats this alert at most {0} while the balance stays at this level; a worse level alerts at once, and a recovery resets it.', durationText(a.cooldownHours, t));
}

export interface Step {
  text: string;
  url?: string;
}

export interface AlertContent {
  subject: string;
  line: string;
  facts: [name: string, value: string][];
  /** "What to do". */
  steps: Step[];
  footer: string;
}

function defaultKeyLocation(t: Translate): string {
  return t('in VS Code run "LLM Balance: Update API Key"; for the CLI, update the environment variable that holds it (the provider\'s variable such as OPENROUTER_API_KEY, or the "keyEnv" named in the config file)');
}

/** The content every format renders. `a.message` is already in the language of `t` (buildAlert). */
export function alertContent(a: Alert, t: Translate = english): AlertContent {
  const lv = levelWord(a.level, t).toLowerCase();
  const facts: [string, string][] = [[t('Account'), a.label === a.accountId ? a.label : `${a.label} (${a.accountId})`]];
  if (a.balance !== null) facts.push([t('Balance'), a.stale ? t('{0} (last known; the latest check failed)', money(a, a.balance)) : money(a, a.balance)]);
  else if (!isKeyError(a)) facts.push([t('Balance'), t('unknown')]);
  if (a.threshold !== null) facts.push([t('Threshold'), t('{0} ({1})', money(a, a.threshold), lv)]);
  if (a.percent) facts.push([t('Limit'), t('{0}% of {1} left (threshold {2}%, {3})', a.percent.left, money(a, a.percent.limit), a.percent.threshold, lv)]);
  if (a.error) facts.push([t('Error'), a.error]);
  facts.push([t('Checked'), a.time]);

  const funds: Step = a.billingUrl ? { text: t('Add funds'), url: a.billingUrl } : { text: t("Add funds in your {0} account's billing page.", a.label) };
  let steps: Step[];
  if (isKeyError(a)) {
    steps = [
      { text: t('Check the key: is it the right one, and has it been revoked, deleted or rotated at the provider?') },
      { text: t('Check whether the key has expired or reached a spending limit set on the key itself.') },
      a.billingUrl ? { text: t('Check the account has funds'), url: a.billingUrl } : { text: t('Check the account has funds.') },
      { text: t('Update the key where it is configured: {0}.', a.keyLocation ?? defaultKeyLocation(t)) },
    ];
  } else {
    steps = [
      funds,
      { text: t("If this level is expected, adjust the thresholds (setting llmBalance.thresholds or the account's own warning / critical; CREDIT_WARNING_THRESHOLD / CREDIT_CRITICAL_THRESHOLD for the CLI).") },
    ];
  }
  return { subject: formatSubject(a, t), line: a.message, facts, steps, footer: footerText(a, t) };
}

// ---- plain text and HTML (e-mail) ----

export function formatText(a: Alert, t: Translate = english): string {
  const c = alertContent(a, t);
  const width = Math.max(...c.facts.map(([n]) => columns(n))) + 2;
  const lines = [c.line, '', ...c.facts.map(([n, v]) => `${n}:${' '.repeat(width - columns(n) - 1)}${v}`), '', t('What to do:')];
  c.steps.forEach((s, i) => lines.push(`${i + 1}. ${s.text}${s.url ? `: ${s.url}` : ''}`));
  lines.push('', '-- ', c.footer);
  return lines.join('\n') + '\n';
}

/** Columns in a monospace font: CJK and full-width characters take two. */
function columns(s: string): number {
  let n = 0;
  for (const c of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1;
  return n;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export function formatHtml(a: Alert, t: Translate = english): string {
  const c = alertContent(a, t);
  const rows = c.facts.map(([n, v]) => `<tr><th align="left">${escapeHtml(n)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const steps = c.steps
    .map((s) => {
      const url = safeUrl(s.url);
      return `<li>${escapeHtml(s.text)}${url ? `: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : ''}</li>`;
    })
    .join('');
  return `<p><strong>${escapeHtml(c.line)}</strong></p><table>${rows}</table><p>${escapeHtml(t('What to do:'))}</p><ol>${steps}</ol><hr><p><small>${escapeHtml(c.footer)}</small></p>`;
}

// ---- Telegram (MarkdownV2) ----

/** Escapes text for Telegram MarkdownV2 (every reserved character gets a backslash). */
export function escapeMarkdownV2(s: string): string {
  return s.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&');
}

/** Inside the (...) of a MarkdownV2 link only ")" and "\" are escaped. */
function escapeMarkdownV2Url(s: string): string {
  return s.replace(/[)\\]/g, '\\$&');
}

const EMOJI: Record<AlertLevel, string> = { warning: '🟠', critical: '🔴', error: '⛔' };
export const TELEGRAM_MAX_LENGTH = 4096;

export function formatTelegram(a: Alert, t: Translate = english): string {
  const c = alertContent(a, t);
  const e = escapeMarkdownV2;
  const lines = [`${EMOJI[a.level]} *${e(c.subject)}*`, e(c.line), ''];
  for (const [n, v] of c.facts) lines.push(`*${e(n)}:* ${e(v)}`);
  lines.push('', `*${e(t('What to do'))}*`);
  for (const s of c.steps) {
    const url = safeUrl(s.url);
    lines.push(`• ${e(s.text)}${url ? `: [${e(new URL(url).host + new URL(url).pathname)}](${escapeMarkdownV2Url(url)})` : ''}`);
  }
  lines.push('', `_${e(c.footer)}_`);
  const text = lines.join('\n');
  // Never cut inside an escape; a shorter message without the footer is still useful.
  return text.length <= TELEGRAM_MAX_LENGTH ? text : `${EMOJI[a.level]} *${e(c.subject)}*\n${e(c.line.slice(0, 1500))}`;
}

// ---- Slack (incoming webhook, Block Kit) ----

/** Slack mrkdwn needs only &, < and > escaped. */
export function escapeSlack(s: string): string {
  return s.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch] ?? ch);
}

function slackLink(url: string | undefined, text: string): string {
  const u = safeUrl(url);
  if (!u || /[|<>\s]/.test(u)) return escapeSlack(text);
  return `<${u}|${escapeSlack(text)}>`;
}

export function formatSlack(a: Alert, t: Translate = english) {
  const c = alertContent(a, t);
  const steps = c.steps.map((s, i) => `${i + 1}. ${escapeSlack(s.text)}${s.url ? `: ${slackLink(s.url, s.url)}` : ''}`).join('\n');
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

// ---- Discord (webhook, one embed) ----

/** Discord markdown: a backslash escapes any punctuation. */
export function escapeDiscord(s: string): string {
  return s.replace(/[\\*_~`|>#[\]()<@:-]/g, '\\$&');
}

const COLOR: Record<AlertLevel, number> = { warning: 0xfb8c00, critical: 0xe53935, error: 0xb71c1c };

export function formatDiscord(a: Alert, t: Translate = english) {
  const c = alertContent(a, t);
  const steps = c.steps
    .map((s, i) => {
      const url = safeUrl(s.url);
      return `${i + 1}. ${escapeDiscord(s.text)}${url ? `: ${url}` : ''}`;
    })
    .join('\n');
  const embed: Record<string, unknown> = {
    title: c.subject.slice(0, 256),
    description: `${escapeDiscord(c.line)}\n\n**${escapeDiscord(t('What to do'))}**\n${steps}`.slice(0, 4096),
    color: COLOR[a.level],
    fields: c.facts.slice(0, 25).map(([n, v]) => ({ name: n, value: escapeDiscord(v).slice(0, 1024), inline: n !== t('Error') })),
    footer: { text: c.footer.slice(0, 2048) },
    timestamp: a.time,
  };
  const url = safeUrl(a.billingUrl);
  if (url) embed.url = url;
  // No @everyone / role / user pings, whatever a provider's text contains.
  return { content: escapeDiscord(c.line).slice(0, 2000), embeds: [embed], allowed_mentions: { parse: [] } };
}

// ---- generic webhook ----

/** The generic webhook payload (WEBHOOK_URL, README "Alert channels"), version 1. Stable: fields are only ever added. */
export function formatWebhook(a: Alert, t: Translate = english) {
  return {
    event: 'llm-balance.alert' as const,
    version: 1 as const,
    account: a.accountId,
    label: a.label,
    provider: a.provider,
    level: a.level,
    errorKind: a.errorKind ?? null,
    balance: a.balance,
    currency: a.currency,
    threshold: a.threshold,
    subject: formatSubject(a, t),
    message: a.message,
    billingUrl: a.billingUrl ?? null,
    stale: a.stale === true,
    time: a.time,
    cooldownHours: a.cooldownHours,
  };
}
