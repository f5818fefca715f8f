// What an alert says, and how each channel spells it. One content model (`alertContent`)
// is rendered as an e-mail subject and plain text / HTML body, a Telegram MarkdownV2 message,
// a Slack Block Kit payload, a Discord embed and the generic webhook JSON. Every string that
// came from a provider or a user is escaped for the format it lands in.
import type { BalanceResult, ErrorKind, ProviderId } from '../model';
import { formatMoney } from '../format';
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
  alert.message = alertLine(alert);
  return alert;
}

const LEVEL_WORD: Record<AlertLevel, string> = { warning: 'WARNING', critical: 'CRITICAL', error: 'ERROR' };

function isKeyError(a: Alert): boolean {
  return a.level === 'error';
}

function money(a: Alert, amount: number): string {
  return formatMoney(amount, a.currency);
}

/** The one-line message (SPEC §7 shape). */
export function alertLine(a: Alert): string {
  const word = LEVEL_WORD[a.level];
  if (isKeyError(a)) {
    if (a.errorKind === 'insufficient_funds') {
      return `${word}: ${a.label} API key error — insufficient funds. Add funds or raise the key's limit to avoid interruption.`;
    }
    return `${word}: ${a.label} API key error — the key was rejected. Check the key, its expiry and the account's funds.`;
  }
  const what = a.errorKind === 'insufficient_funds' ? 'is out of funds' : 'balance low';
  const left = a.balance === null ? '' : ` — ${money(a, a.balance)} left${a.stale ? ' (last known)' : ''}`;
  const limit = a.percent
    ? `; ${a.percent.left}% of the ${money(a, a.percent.limit)} limit left (threshold ${a.percent.threshold}%)`
    : a.threshold === null || a.balance === null ? '' : ` (threshold ${money(a, a.threshold)})`;
  return `${word}: ${a.label} ${what}${left}${limit}. Add funds to avoid interruption.`;
}

/** E-mail subject / headline: "CRITICAL: OpenRouter Balance Low", "ERROR: OpenRouter API Key Error". */
export function formatSubject(a: Alert): string {
  return isKeyError(a) ? `${LEVEL_WORD[a.level]}: ${a.label} API Key Error` : `${LEVEL_WORD[a.level]}: ${a.label} Balance Low`;
}

function durationText(hours: number): string {
  if (!(hours > 0)) return 'at every check';
  if (hours < 1) {
    const m = Math.max(1, Math.round(hours * 60));
    return m === 1 ? 'once a minute' : `once every ${m} minutes`;
  }
  const h = Math.round(hours * 10) / 10;
  return h === 1 ? 'once an hour' : `once every ${h} hours`;
}

/** The footer: how often this alert repeats. */
export function footerText(a: Alert): string {
  const state = isKeyError(a) ? 'the key error lasts' : 'the balance stays at this level';
  return `LLM Balance repeats this alert at most ${durationText(a.cooldownHours)} while ${state}; a worse level alerts at once, and a recovery resets it.`;
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

const DEFAULT_KEY_LOCATION =
  'in VS Code run "LLM Balance: Update API Key"; for the CLI, update the environment variable that holds it (the provider\'s variable such as OPENROUTER_API_KEY, or the "keyEnv" named in the config file)';

/** The content every format renders. */
export function alertContent(a: Alert): AlertContent {
  const facts: [string, string][] = [['Account', a.label === a.accountId ? a.label : `${a.label} (${a.accountId})`]];
  if (a.balance !== null) facts.push(['Balance', `${money(a, a.balance)}${a.stale ? ' (last known; the latest check failed)' : ''}`]);
  else if (!isKeyError(a)) facts.push(['Balance', 'unknown']);
  if (a.threshold !== null) facts.push(['Threshold', `${money(a, a.threshold)} (${a.level})`]);
  if (a.percent) facts.push(['Limit', `${a.percent.left}% of ${money(a, a.percent.limit)} left (threshold ${a.percent.threshold}%, ${a.level})`]);
  if (a.error) facts.push(['Error', a.error]);
  facts.push(['Checked', a.time]);

  const funds: Step = a.billingUrl ? { text: 'Add funds', url: a.billingUrl } : { text: `Add funds in your ${a.label} account's billing page.` };
  let steps: Step[];
  if (isKeyError(a)) {
    steps = [
      { text: 'Check the key: is it the right one, and has it been revoked, deleted or rotated at the provider?' },
      { text: 'Check whether the key has expired or reached a spending limit set on the key itself.' },
      a.billingUrl ? { text: 'Check the account has funds', url: a.billingUrl } : { text: 'Check the account has funds.' },
      { text: `Update the key where it is configured: ${a.keyLocation ?? DEFAULT_KEY_LOCATION}.` },
    ];
  } else {
    steps = [
      funds,
      { text: 'If this level is expected, adjust the thresholds (setting llmBalance.thresholds or the account\'s own warning / critical; CREDIT_WARNING_THRESHOLD / CREDIT_CRITICAL_THRESHOLD for the CLI).' },
    ];
  }
  return { subject: formatSubject(a), line: a.message, facts, steps, footer: footerText(a) };
}

// ---- plain text and HTML (e-mail) ----

export function formatText(a: Alert): string {
  const c = alertContent(a);
  const width = Math.max(...c.facts.map(([n]) => n.length)) + 2;
  const lines = [c.line, '', ...c.facts.map(([n, v]) => `${`${n}:`.padEnd(width)}${v}`), '', 'What to do:'];
  c.steps.forEach((s, i) => lines.push(`${i + 1}. ${s.text}${s.url ? `: ${s.url}` : ''}`));
  lines.push('', '-- ', c.footer);
  return lines.join('\n') + '\n';
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

export function formatHtml(a: Alert): string {
  const c = alertContent(a);
  const rows = c.facts.map(([n, v]) => `<tr><th align="left">${escapeHtml(n)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const steps = c.steps
    .map((s) => {
      const url = safeUrl(s.url);
      return `<li>${escapeHtml(s.text)}${url ? `: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : ''}</li>`;
    })
    .join('');
  return `<p><strong>${escapeHtml(c.line)}</strong></p><table>${rows}</table><p>What to do:</p><ol>${steps}</ol><hr><p><small>${escapeHtml(c.footer)}</small></p>`;
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

export function formatTelegram(a: Alert): string {
  const c = alertContent(a);
  const e = escapeMarkdownV2;
  const lines = [`${EMOJI[a.level]} *${e(c.subject)}*`, e(c.line), ''];
  for (const [n, v] of c.facts) lines.push(`*${e(n)}:* ${e(v)}`);
  lines.push('', '*What to do*');
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

export function formatSlack(a: Alert) {
  const c = alertContent(a);
  const steps = c.steps.map((s, i) => `${i + 1}. ${escapeSlack(s.text)}${s.url ? `: ${slackLink(s.url, s.url)}` : ''}`).join('\n');
  return {
    // The notification / fallback text.
    text: escapeSlack(c.line),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${EMOJI[a.level]} ${c.subject}`.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(c.line).slice(0, 3000) } },
      { type: 'section', fields: c.facts.slice(0, 10).map(([n, v]) => ({ type: 'mrkdwn', text: `*${escapeSlack(n)}:*\n${escapeSlack(v)}`.slice(0, 2000) })) },
      { type: 'section', text: { type: 'mrkdwn', text: `*What to do*\n${steps}`.slice(0, 3000) } },
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

export function formatDiscord(a: Alert) {
  const c = alertContent(a);
  const steps = c.steps
    .map((s, i) => {
      const url = safeUrl(s.url);
      return `${i + 1}. ${escapeDiscord(s.text)}${url ? `: ${url}` : ''}`;
    })
    .join('\n');
  const embed: Record<string, unknown> = {
    title: c.subject.slice(0, 256),
    description: `${escapeDiscord(c.line)}\n\n**What to do**\n${steps}`.slice(0, 4096),
    color: COLOR[a.level],
    fields: c.facts.slice(0, 25).map(([n, v]) => ({ name: n, value: escapeDiscord(v).slice(0, 1024), inline: n !== 'Error' })),
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
export function formatWebhook(a: Alert) {
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
    subject: formatSubject(a),
    message: a.message,
    billingUrl: a.billingUrl ?? null,
    stale: a.stale === true,
    time: a.time,
    cooldownHours: a.cooldownHours,
  };
}
