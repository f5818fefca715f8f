import {
  DEFAULT_PERCENT_THRESHOLDS, DEFAULT_THRESHOLDS, LEVEL_RANK,
  type Account, type BalanceResult, type Level, type PercentThresholds, type Status, type Thresholds, type ErrorKind,
} from './model';

export interface ThresholdSettings {
  thresholds: Thresholds;
  percent: PercentThresholds;
}

export const DEFAULT_THRESHOLD_SETTINGS: ThresholdSettings = {
  thresholds: DEFAULT_THRESHOLDS,
  percent: DEFAULT_PERCENT_THRESHOLDS,
};

/**
 * The amount thresholds that apply to an account in a currency; undefined when none do.
 * An account's own `warning` / `critical` are amounts in the account's `currency`: they do not
 * apply to a balance reported in another currency.
 */
export function amountThresholds(
  account: Pick<Account, 'warning' | 'critical' | 'currency'>,
  currency: string,
  settings: ThresholdSettings,
): { warning?: number; critical?: number } | undefined {
  const base = settings.thresholds[currency];
  const own = !account.currency || account.currency === currency;
  const warning = (own ? account.warning : undefined) ?? base?.warning;
  const critical = (own ? account.critical : undefined) ?? base?.critical;
  if (warning === undefined && critical === undefined) return undefined;
  const out: { warning?: number; critical?: number } = {};
  if (warning !== undefined) out.warning = warning;
  if (critical !== undefined) out.critical = critical;
  return out;
}

export interface LevelInput {
  status: Status;
  errorKind?: ErrorKind | undefined;
  balance: number | null;
  currency: string;
  limit: number | null;
  /**
   * Money left under `limit` when it is not the balance itself (a key cap). undefined: the
   * balance is what is left of the limit; null: unknown, so no percent verdict.
   */
  limitRemaining?: number | null | undefined;
  insufficientFunds?: boolean;
}

/** Why a level was given: which rule fired and at what threshold (for alert texts). */
export type LevelReason =
  | { rule: 'amount'; threshold: number }
  | { rule: 'percent'; percentLeft: number; thresholdPercent: number; limit: number }
  | { rule: 'funds' }
  | { rule: 'none' };

export interface Verdict {
  level: Level;
  reason: LevelReason;
}

/** SPEC §4: the worse of the amount and percent verdicts, with the rule that decided it. */
export function evaluateLevel(input: LevelInput, account: Pick<Account, 'warning' | 'critical' | 'currency'>, settings: ThresholdSettings): Verdict {
  if (input.status === 'invalid' || input.status === 'error') return { level: 'error', reason: { rule: 'none' } };
  if (input.insufficientFunds || input.errorKind === 'insufficient_funds') return { level: 'critical', reason: { rule: 'funds' } };
  if (input.balance === null) return { level: 'info', reason: { rule: 'none' } };
  let best: Verdict = { level: 'ok', reason: { rule: 'none' } };
  const amount = amountThresholds(account, input.currency, settings);
  if (amount) {
    if (amount.critical !== undefined && input.balance <= amount.critical) best = { level: 'critical', reason: { rule: 'amount', threshold: amount.critical } };
    else if (amount.warning !== undefined && input.balance <= amount.warning) best = { level: 'warning', reason: { rule: 'amount', threshold: amount.warning } };
  }
  const remaining = input.limitRemaining === undefined ? input.balance : input.limitRemaining;
  if (input.limit !== null && input.limit > 0 && remaining !== null) {
    const pct = (remaining / input.limit) * 100;
    let p: Verdict | undefined;
    const at = (level: Level, thresholdPercent: number): Verdict => ({
      level,
      reason: { rule: 'percent', percentLeft: Math.round(pct * 10) / 10, thresholdPercent, limit: input.limit! },
    });
    if (pct <= settings.percent.critical) p = at('critical', settings.percent.critical);
    else if (pct <= settings.percent.warning) p = at('warning', settings.percent.warning);
    if (p && LEVEL_RANK[p.level] > LEVEL_RANK[best.level]) best = p;
  }
  return best;
}

export function computeLevel(input: LevelInput, account: Pick<Account, 'warning' | 'critical' | 'currency'>, settings: ThresholdSettings): Level {
  return evaluateLevel(input, account, settings).level;
}

/** The level inputs a stored result carries (the key cap's remainder rides in details.limit_remaining). */
export function levelInputOf(r: BalanceResult): LevelInput {
  const lr = r.details?.limit_remaining;
  return {
    status: r.status,
    errorKind: r.errorKind,
    balance: r.balance,
    currency: r.currency,
    limit: r.limit,
    limitRemaining: typeof lr === 'number' ? lr : lr === null ? null : undefined,
  };
}

/** The verdict for a result under the current settings (recomputed when thresholds change). */
export function verdictFor(r: BalanceResult, account: Pick<Account, 'warning' | 'critical' | 'currency'>, settings: ThresholdSettings): Verdict {
  return evaluateLevel(levelInputOf(r), account, settings);
}

/** What an alert should quote: the amount or the percent rule that fired. */
export function alertThreshold(r: BalanceResult, account: Pick<Account, 'warning' | 'critical' | 'currency'>, settings: ThresholdSettings): {
  threshold: number | null;
  percent?: { left: number; threshold: number; limit: number };
} {
  const v = verdictFor(r, account, settings);
  if (v.reason.rule === 'amount') return { threshold: v.reason.threshold };
  if (v.reason.rule === 'percent') return { threshold: null, percent: { left: v.reason.percentLeft, threshold: v.reason.thresholdPercent, limit: v.reason.limit } };
  return { threshold: null };
}
