// What an alert says: one content model (`alertContent`) that each channel's file renders in its
// own format, escaping every string that came from a provider or a user for where it lands.
import type { BalanceResult, ErrorKind, ProviderId } from '../model';
import { levelWord, stepNotice, type BudgetUsage, type StepFacts, type StepLevel } from '../budgetSteps';
import { formatMoney } from '../format';
import { english, type Translate } from '../l10n';
import { notifiableLevel, type NotifyLevel } from '../ledger';
import { redact } from '../redact';
import { errorText } from '../message';
import { spikeMessage, windowText, type Spike } from '../spike';

/** `info`: a budget step below the warning line. */
export type AlertLevel = 'info' | 'warning' | 'critical' | 'error';
/** What raised an alert: a level (SPEC §7's balance / key alerts), a budget step, or a spend spike. */
export type AlertKind = Alert['kind'];

/** A spend spike's numbers, in the alert's currency. */
export interface SpikeFacts {
  spend: number;
  /** Median spend per window over the previous 7 days. */
  usual: number;
  times: number | null;
  windowHours: number;
}

/** What every alert carries. */
interface AlertCommon {
  accountId: string;
  provider: ProviderId;
  label: string;
  balance: number | null;
  currency: string;
  /** One line, SPEC §7 shape: "CRITICAL: OpenRouter balance low — $0.69 left (threshold $5.00). Add funds to avoid interruption." */
  message: string;
  billingUrl?: string;
  /** Where the key is configured, for the remediation steps (e.g. "the environment variable OPENROUTER_API_KEY"). */
  keyLocation?: string;
  /** ISO time of the check that raised the alert. */
  time: string;
  /** How often the same alert may repeat (SPEC §7 cooldown). */
  cooldownHours: number;
}

/** A balance low, out of funds, or a key error (SPEC §7's level alerts). */
export interface LevelAlert extends AlertCommon {
  kind: 'level';
  level: NotifyLevel;
  /** Set for the "API key error" variant (`auth`, `insufficient_funds`) and for out-of-funds criticals. */
  errorKind?: ErrorKind;
  /** The threshold that was crossed, in `currency`; null when none applies (e.g. a key error). */
  threshold: number | null;
  /** Set when a percent-of-limit threshold fired rather than an amount (a key cap or budget running out). */
  percent?: { left: number; threshold: number; limit: number };
  /** The check's error message (already redacted), for key errors. */
  error?: string;
  /** True when the numbers are the last good ones after a failed check. */
  stale?: boolean;
}

/** A budget step crossed, at the level the usual rule gives (`info` below the warning line). */
export interface StepAlert extends AlertCommon {
  kind: 'step';
  level: StepLevel;
  step: StepFacts;
}

/** Unusual spend: always a warning. */
export interface SpikeAlert extends AlertCommon {
  kind: 'spike';
  level: 'warning';
  spike: SpikeFacts;
}

/** One alert about one account, ready for any channel. Carries no secret. */
export type Alert = LevelAlert | StepAlert | SpikeAlert;

export interface BuildAlertOptions extends Partial<Pick<LevelAlert, 'percent' | 'billingUrl' | 'keyLocation' | 'cooldownHours'>> {
  /** The amount threshold that was crossed (or `percent`, the percent rule that fired instead). */
  threshold?: number | null;
  /** Translates the message (the extension passes vscode.l10n.t); default English. */
  t?: Translate;
}

/** Turns a check result into an alert; undefined when the result does not call for one (SPEC §7, the ledger's rule). */
export function buildAlert(result: BalanceResult, opts: BuildAlertOptions = {}): LevelAlert | undefined {
  const level = notifiableLevel(result);
  if (level === undefined) return undefined;
  const threshold = level === 'error' || opts.percent ? null : opts.threshold ?? null;
  const alert: LevelAlert = {
    kind: 'level',
    accountId: result.accountId,
    provider: result.provider,
    label: result.label,
    level,
    balance: result.balance,
    currency: result.currency,
    threshold: threshold !== null && Number.isFinite(threshold) ? threshold : null,
    message: '',
    time: new Date(result.checkedAt).toISOString(),
    cooldownHours: opts.cooldownHours ?? 24,
  };
  if (result.errorKind) alert.errorKind = result.errorKind;
  if (opts.percent && level !== 'error') alert.percent = opts.percent;
  if (result.error) alert.error = redact(errorText(result, opts.t ?? english)!);
  if (opts.billingUrl) alert.billingUrl = opts.billingUrl;
  if (opts.keyLocation) alert.keyLocation = opts.keyLocation;
  if (result.stale) alert.stale = true;
  alert.message = alertLine(alert, opts.t);
  return alert;
}

export type ExtraAlertOptions = Pick<BuildAlertOptions, 'billingUrl' | 'keyLocation' | 'cooldownHours' | 't'>;

/** A budget-step alert: its line and numbers are the toast's (stepNotice), its level the step's. */
export function buildStepAlert(r: BalanceResult, step: number, u: BudgetUsage, level: StepLevel, opts: ExtraAlertOptions = {}): StepAlert {
  const notice = stepNotice(r.label, step, u, level, opts.t ?? english);
  return {
    ...common(r, opts),
    kind: 'step',
    level,
    balance: r.balance,
    currency: u.currency,
    message: notice.message,
    step: notice.facts,
  };
}

/** A spend-spike alert (always a warning: SPEC §7's "UNUSUAL SPEND" line). */
export function buildSpikeAlert(r: BalanceResult, s: Spike, opts: ExtraAlertOptions = {}): SpikeAlert {
  return {
    ...common(r, opts),
    kind: 'spike',
    level: 'warning',
    balance: r.currency === s.currency ? r.balance : null,
    currency: s.currency,
    message: spikeMessage(r.label, s, opts.t),
    spike: { spend: s.spend, usual: s.usual, times: s.times, windowHours: s.windowHours },
  };
}

function common(r: BalanceResult, opts: ExtraAlertOptions) {
  return {
    accountId: r.accountId,
    provider: r.provider,
    label: r.label,
    time: new Date(r.checkedAt).toISOString(),
    cooldownHours: opts.cooldownHours ?? 24,
    ...(opts.billingUrl ? { billingUrl: opts.billingUrl } : {}),
    ...(opts.keyLocation ? { keyLocation: opts.keyLocation } : {}),
  };
}

/** The one-line message (SPEC §7 shape). */
function alertLine(a: LevelAlert, t: Translate = english): string {
  const word = levelWord(a.level, t);
  const money = (n: number): string => formatMoney(n, a.currency);
  if (a.level === 'error') {
    return a.errorKind === 'insufficient_funds'
      ? t("{0}: {1} API key error — insufficient funds. Add funds or raise the key's limit to avoid interruption.", word, a.label)
      : t("{0}: {1} API key error — the key was rejected. Check the key, its expiry and the account's funds.", word, a.label);
  }
  const head = a.errorKind === 'insufficient_funds' ? t('{0}: {1} is out of funds', word, a.label) : t('{0}: {1} balance low', word, a.label);
  const left = a.balance === null ? '' : a.stale ? t(' — {0} left (last known)', money(a.balance)) : t(' — {0} left', money(a.balance));
  const limit = a.percent
    ? t('; {0}% of the {1} limit left (threshold {2}%)', a.percent.left, money(a.percent.limit), a.percent.threshold)
    : a.threshold === null || a.balance === null ? '' : t(' (threshold {0})', money(a.threshold));
  return `${head}${left}${limit}${t('. Add funds to avoid interruption.')}`;
}

/** E-mail subject / headline: "CRITICAL: OpenRouter Balance Low", "ERROR: OpenRouter API Key Error", "WARNING: OpenRouter passed 80% of its monthly limit", "UNUSUAL SPEND: OpenRouter". */
export function formatSubject(a: Alert, t: Translate = english): string {
  const word = levelWord(a.level, t);
  if (a.kind === 'spike') return t('UNUSUAL SPEND: {0}', a.label);
  if (a.kind === 'step') return t('{0}: {1} passed {2}% of its {3}', word, a.label, a.step.step, a.step.what);
  return a.level === 'error' ? t('{0}: {1} API Key Error', word, a.label) : t('{0}: {1} Balance Low', word, a.label);
}

function durationText(hours: number, t: Translate): string {
  const [m, h] = [Math.max(1, Math.round(hours * 60)), Math.round(hours * 10) / 10];
  if (!(hours > 0)) return t('at every check');
  if (hours < 1) return m === 1 ? t('once a minute') : t('once every {0} minutes', m);
  return h === 1 ? t('once an hour') : t('once every {0} hours', h);
}

/** The footer: how often this alert repeats. */
export function footerText(a: Alert, t: Translate = english): string {
  if (a.kind === 'spike') return t('LLM Balance reports unusual spend on an account at most {0}.', durationText(a.cooldownHours, t));
  if (a.kind === 'step') return t('LLM Balance says each budget step once per budget window; the steps count again when the window resets.');
  return a.level === 'error'
    ? t('LLM Balance repeats this alert at most {0} while the key error lasts; a worse level alerts at once, and a recovery resets it.', durationText(a.cooldownHours, t))
    : t('LLM Balance repeats this alert at most {0} while the balance stays at this level; a worse level alerts at once, and a recovery resets it.', durationText(a.cooldownHours, t));
}

/** The content every format renders. `a.message` is already in the language of `t` (buildAlert). */
export function alertContent(a: Alert, t: Translate = english) {
  const money = (n: number): string => formatMoney(n, a.currency);
  const facts: [name: string, value: string][] = [[t('Account'), a.label === a.accountId ? a.label : `${a.label} (${a.accountId})`]];
  const keyLocation = a.keyLocation ?? t('in VS Code run "LLM Balance: Update API Key"; for the CLI, update the environment variable that holds it (the provider\'s variable such as OPENROUTER_API_KEY, or the "keyEnv" named in the config file)');
  const done = (steps: { text: string; url?: string }[]) => ({ subject: formatSubject(a, t), line: a.message, facts: [...facts, [t('Checked'), a.time] as [string, string]], steps, footer: footerText(a, t) });
  if (a.kind === 'step') {
    const s = a.step;
    facts.push([t('Used'), t('{0} of {1} ({2}%)', money(s.used), money(s.limit), s.usedPercent)], [t('Left'), money(s.remaining)], [t('Step'), t('{0}% of the {1}', s.step, s.what)]);
    return done([
      a.billingUrl ? { text: t('See what used it, and add funds or raise the limit if needed'), url: a.billingUrl } : { text: t("See what used it in your {0} account, and add funds or raise the limit if needed.", a.label) },
      { text: t('If this pace is expected, change the steps (setting llmBalance.budgetSteps; "budgetSteps" in the CLI\'s config file).') },
    ]);
  }
  if (a.kind === 'spike') {
    const s = a.spike;
    facts.push([t('Spent'), t('{0} in {1}', money(s.spend), windowText(s.windowHours, t))]);
    facts.push([t('Usual'), t('{0} in such a window (median of the previous 7 days)', money(s.usual))]);
    if (a.balance !== null) facts.push([t('Balance'), money(a.balance)]);
    return done([
      { text: t("Check the {0} account's activity for requests you do not recognise.", a.label) },
      { text: t('If the key may have leaked, revoke it at the provider and store a new one: {0}.', keyLocation) },
      { text: t('If the spend is expected, raise the spike rule (settings llmBalance.spendSpike.factor and .minimum; "spendSpike" in the CLI\'s config file).') },
    ]);
  }
  const lv = levelWord(a.level, t).toLowerCase();
  if (a.balance !== null) facts.push([t('Balance'), a.stale ? t('{0} (last known; the latest check failed)', money(a.balance)) : money(a.balance)]);
  else if (a.level !== 'error') facts.push([t('Balance'), t('unknown')]);
  if (a.threshold !== null) facts.push([t('Threshold'), t('{0} ({1})', money(a.threshold), lv)]);
  if (a.percent) facts.push([t('Limit'), t('{0}% of {1} left (threshold {2}%, {3})', a.percent.left, money(a.percent.limit), a.percent.threshold, lv)]);
  if (a.error) facts.push([t('Error'), a.error]);
  const steps: { text: string; url?: string }[] = a.level === 'error'
    ? [
      { text: t('Check the key: is it the right one, and has it been revoked, deleted or rotated at the provider?') },
      { text: t('Check whether the key has expired or reached a spending limit set on the key itself.') },
      a.billingUrl ? { text: t('Check the account has funds'), url: a.billingUrl } : { text: t('Check the account has funds.') },
      { text: t('Update the key where it is configured: {0}.', keyLocation) },
    ]
    : [
      a.billingUrl ? { text: t('Add funds'), url: a.billingUrl } : { text: t("Add funds in your {0} account's billing page.", a.label) },
      { text: t("If this level is expected, adjust the thresholds (setting llmBalance.thresholds or the account's own warning / critical; CREDIT_WARNING_THRESHOLD / CREDIT_CRITICAL_THRESHOLD for the CLI).") },
    ];
  return done(steps);
}

/** A link only when it is http(s); anything else is left out. */
export function safeUrl(url: string | undefined): string | undefined {
  const u = url && URL.canParse(url) ? new URL(url) : undefined;
  return u && (u.protocol === 'https:' || u.protocol === 'http:') ? u.toString() : undefined;
}

export const EMOJI: Record<AlertLevel, string> = { info: '🔵', warning: '🟠', critical: '🔴', error: '⛔' };
