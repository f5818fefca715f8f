// The one place a result's level is decided (SPEC §4). `judge()` returns the level with the
// rule that fired; the check, the engine (when thresholds change after a result was cached)
// and the team server all call it, and every sink reads the verdict carried on the result.
import {
  DEFAULT_PERCENT_THRESHOLDS, DEFAULT_THRESHOLDS, LEVEL_RANK,
  type Account, type BalanceResult, type Level, type LevelRule, type PercentThresholds, type Thresholds, type Verdict,
} from './model';

export interface ThresholdSettings {
  thresholds: Thresholds;
  percent: PercentThresholds;
}

export const DEFAULT_THRESHOLD_SETTINGS: ThresholdSettings = {
  thresholds: DEFAULT_THRESHOLDS,
  percent: DEFAULT_PERCENT_THRESHOLDS,
};

/** The account fields that change a verdict. */
export type ThresholdOverrides = Pick<Account, 'warning' | 'critical' | 'currency'>;

/** What a verdict is made from: a result, or the parts of one a check has so far. */
export type JudgeInput = Pick<BalanceResult, 'status' | 'errorKind' | 'balance' | 'currency' | 'limit' | 'details'>;

export interface Judgement {
  level: Level;
  verdict: Verdict;
}

/**
 * The amount thresholds that apply to an account in a currency. An account's own `warning` /
 * `critical` are amounts in the account's `currency`: they do not apply to a balance reported
 * in another currency. (The panel's lines for an account not checked yet; a verdict's otherwise.)
 */
export function amountsFor(account: ThresholdOverrides, currency: string, settings: ThresholdSettings): Verdict['thresholds'] {
  const base = settings.thresholds[currency];
  const own = !account.currency || account.currency === currency;
  const warning = (own ? account.warning : undefined) ?? base?.warning;
  const critical = (own ? account.critical : undefined) ?? base?.critical;
  const out: Verdict['thresholds'] = {};
  if (warning !== undefined) out.warning = warning;
  if (critical !== undefined) out.critical = critical;
  return out;
}

/**
 * SPEC §4: `error` for a rejected key or a failed check, `critical` when out of funds, `info`
 * without a balance; else the worse of the amount and percent verdicts, with the rule that
 * decided it. The key cap's remainder (when it is not the balance) rides in details.limit_remaining.
 */
export function judge(r: JudgeInput, account: ThresholdOverrides, settings: ThresholdSettings): Judgement {
  const thresholds = amountsFor(account, r.currency, settings);
  const at = (level: Level, fired: LevelRule): Judgement => ({ level, verdict: { fired, thresholds } });
  if (r.status === 'invalid' || r.status === 'error') return at('error', { rule: 'none' });
  if (r.errorKind === 'insufficient_funds') return at('critical', { rule: 'funds' });
  if (r.balance === null) return at('info', { rule: 'none' });
  let best = at('ok', { rule: 'none' });
  if (thresholds.critical !== undefined && r.balance <= thresholds.critical) best = at('critical', { rule: 'amount', threshold: thresholds.critical });
  else if (thresholds.warning !== undefined && r.balance <= thresholds.warning) best = at('warning', { rule: 'amount', threshold: thresholds.warning });
  const lr = r.details?.limit_remaining;
  // Absent: the balance is what is left of the limit; null: unknown, so no percent verdict.
  const remaining = typeof lr === 'number' ? lr : lr === null ? null : r.balance;
  if (r.limit !== null && r.limit > 0 && remaining !== null) {
    const pct = (remaining / r.limit) * 100;
    const percent = (level: Level, thresholdPercent: number) =>
      at(level, { rule: 'percent', percentLeft: Math.round(pct * 10) / 10, thresholdPercent, limit: r.limit! });
    const p = pct <= settings.percent.critical ? percent('critical', settings.percent.critical)
      : pct <= settings.percent.warning ? percent('warning', settings.percent.warning)
      : undefined;
    if (p && LEVEL_RANK[p.level] > LEVEL_RANK[best.level]) best = p;
  }
  return best;
}

/** The result with the level and verdict `judge()` gives it; the same object when they are unchanged. */
export function judged<R extends BalanceResult>(r: R, account: ThresholdOverrides, settings: ThresholdSettings): R {
  const { level, verdict } = judge(r, account, settings);
  if (level === r.level && r.verdict && sameVerdict(verdict, r.verdict)) return r;
  return { ...r, level, verdict };
}

/** Field by field: judged() runs for every result of every check and every cache read (issue 14). */
function sameVerdict(a: Verdict, b: Verdict): boolean {
  const [x, y] = [a.fired, b.fired];
  if (x.rule !== y.rule || !sameAmounts(a.thresholds, b.thresholds)) return false;
  if (x.rule === 'amount' && y.rule === 'amount') return x.threshold === y.threshold;
  if (x.rule === 'percent' && y.rule === 'percent') return x.percentLeft === y.percentLeft && x.thresholdPercent === y.thresholdPercent && x.limit === y.limit;
  return true;
}

function sameAmounts(a: Verdict['thresholds'], b: Verdict['thresholds']): boolean {
  // As JSON compared them before: an absent amount and an undefined one are the same.
  return a.warning === b.warning && a.critical === b.critical;
}

/** What an alert quotes of the carried verdict: the amount, or the percent rule, that fired. */
export function quotedThreshold(r: Pick<BalanceResult, 'verdict'>): { threshold: number | null; percent?: { left: number; threshold: number; limit: number } } {
  const fired = r.verdict?.fired;
  if (fired?.rule === 'amount') return { threshold: fired.threshold };
  if (fired?.rule === 'percent') return { threshold: null, percent: { left: fired.percentLeft, threshold: fired.thresholdPercent, limit: fired.limit } };
  return { threshold: null };
}
