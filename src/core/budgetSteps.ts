// Budget steps (SPEC §7): how much of a known limit or budget is used, in which budget window,
// and which configured steps that crosses. Pure; the ledger remembers what was sent.
import { formatMoney } from './format';
import { english, type Translate } from './l10n';
import { getProvider, type BalanceResult } from './model';

export interface BudgetUsage {
  /** Percent of the limit used, 0–∞ (over budget is above 100). */
  usedPercent: number;
  limit: number;
  remaining: number;
  currency: string;
  /** Identifies the budget window; a new id means the window reset and the steps re-arm. */
  window: string;
  /** How the window reads in a message: "monthly", "daily", "weekly", or a reset date. */
  period: 'daily' | 'weekly' | 'monthly' | 'lifetime' | { resetsAt: string };
  /** "limit" for a key cap, "budget" for a spend budget. */
  noun: 'limit' | 'budget';
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The Monday (UTC) of the week holding d, as YYYY-MM-DD. */
function weekStart(d: Date): string {
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  m.setUTCDate(m.getUTCDate() - ((m.getUTCDay() + 6) % 7));
  return day(m);
}

/**
 * What a result says about its budget; undefined when no limit is known, the numbers are stale
 * (a failed check says nothing new), or the remainder is unknown.
 */
export function budgetUsage(r: BalanceResult, now: Date = new Date(r.checkedAt)): BudgetUsage | undefined {
  if (r.stale || r.limit === null || !(r.limit > 0)) return undefined;
  const lr = r.details?.limit_remaining;
  const remaining = typeof lr === 'number' ? lr : lr === null ? null : r.balance;
  if (remaining === null || !Number.isFinite(remaining)) return undefined;
  const usedPercent = Math.max(0, ((r.limit - remaining) / r.limit) * 100);
  const base = { usedPercent, limit: r.limit, remaining, currency: r.currency };
  const reset = r.details?.key_limit_reset;
  if (reset === 'daily') return { ...base, window: `day:${day(now)}`, period: 'daily', noun: 'limit' };
  if (reset === 'weekly') return { ...base, window: `week:${weekStart(now)}`, period: 'weekly', noun: 'limit' };
  if (reset === 'monthly') return { ...base, window: `month:${day(now).slice(0, 7)}`, period: 'monthly', noun: 'limit' };
  const resetAt = r.details?.budget_reset_at;
  if (typeof resetAt === 'string' && Number.isFinite(Date.parse(resetAt))) {
    return { ...base, window: `until:${new Date(resetAt).toISOString()}`, period: { resetsAt: new Date(resetAt).toISOString().slice(0, 10) }, noun: 'budget' };
  }
  const budget = getProvider(r.provider).budget;
  if (budget === 'monthly') return { ...base, window: `month:${day(now).slice(0, 7)}`, period: 'monthly', noun: 'budget' };
  // A cap that never resets: a raised cap is a new window, so its steps count again.
  return { ...base, window: `lifetime:${r.limit}`, period: 'lifetime', noun: budget ? 'budget' : 'limit' };
}

/** The configured steps the usage has reached, ascending. */
export function crossedSteps(usage: Pick<BudgetUsage, 'usedPercent'>, steps: readonly number[]): number[] {
  // A hair of tolerance so that 80.0000001 % of float noise still counts 80 as reached, and 79.99999 does too.
  return [...new Set(steps)].filter((s) => usage.usedPercent + 1e-9 >= s).sort((a, b) => a - b);
}

/** The level a step notification takes. */
export type StepLevel = 'info' | 'warning' | 'critical';

/** A budget step's numbers, in the usage's currency: what a step alert carries (and the webhook sends). */
export interface StepFacts {
  /** The step announced, percent of the limit used. */
  step: number;
  usedPercent: number;
  used: number;
  limit: number;
  remaining: number;
  /** "monthly limit", "budget (resets 2026-12-31)": already in the alert's language. */
  what: string;
}

/** The level a step notification takes: what the usual rule gives, an information message below the warning line. */
export function stepLevel(r: Pick<BalanceResult, 'level'>): StepLevel {
  return r.level === 'warning' || r.level === 'critical' ? r.level : 'info';
}

/**
 * The first word of an alert's line and subject (a spike's line has its own): the level in
 * capitals, BUDGET for a step below the warning line. Here, where the step's line is made; the
 * alert texts (alerts/message.ts) take it from here.
 */
export function levelWord(level: StepLevel | 'error', t: Translate): string {
  return level === 'info' ? t('BUDGET') : level === 'warning' ? t('WARNING') : level === 'critical' ? t('CRITICAL') : t('ERROR');
}

/** "monthly limit", "budget": what was passed, in words (whole phrases, so a language can order them). */
export function budgetText(u: BudgetUsage, t: Translate): string {
  const limit = u.noun === 'limit';
  if (typeof u.period === 'object') return limit ? t('limit (resets {0})', u.period.resetsAt) : t('budget (resets {0})', u.period.resetsAt);
  switch (u.period) {
    case 'daily': return limit ? t('daily limit') : t('daily budget');
    case 'weekly': return limit ? t('weekly limit') : t('weekly budget');
    case 'monthly': return limit ? t('monthly limit') : t('monthly budget');
    default: return limit ? t('limit') : t('budget');
  }
}

/**
 * A step's numbers and its line, worked out once: the toast shows the line, the channels get both.
 * "WARNING: OpenRouter passed 80% of its $100.00 monthly limit — $84.00 used, $16.00 left."
 */
export function stepNotice(label: string, step: number, u: BudgetUsage, level: StepLevel, t: Translate = english): { facts: StepFacts; message: string } {
  const m = (n: number) => formatMoney(n, u.currency);
  const facts: StepFacts = {
    step,
    usedPercent: Math.round(u.usedPercent * 10) / 10,
    used: Math.round((u.limit - u.remaining) * 100) / 100,
    limit: u.limit,
    remaining: u.remaining,
    what: budgetText(u, t),
  };
  const message = t('{0}: {1} passed {2}% of its {3} {4} — {5} used, {6} left.', levelWord(level, t), label, step, m(u.limit), facts.what, m(facts.used), m(u.remaining));
  return { facts, message };
}
