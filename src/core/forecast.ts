// Burn rate and run-out estimates from history (SPEC §9 "Forecast"). Pure; plain Node.
import type { HistoryPoint } from './history';
import { roundMoney } from './numbers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How far back the burn rate looks. */
export const FORECAST_WINDOW_MS = 7 * DAY;
/** The least span of data that gives a burn rate worth showing. */
export const FORECAST_MIN_SPAN_MS = HOUR;

export const NOT_ENOUGH_DATA = 'not enough data yet';
export const NOT_BURNING = 'not burning';

/**
 * When a level will be reached:
 * - `{ ms, at }`: in `ms` milliseconds from `now`, at the ISO instant `at`;
 * - `'now'`: already reached (the latest balance is at or below it, or the estimate has passed);
 * - `null`: no estimate (no such threshold, no balance, not enough data, or not burning).
 */
export type Eta = { ms: number; at: string } | 'now' | null;

export interface Forecast {
  /** True when the window holds at least two points spanning at least an hour. */
  enoughData: boolean;
  /** Why there is no burn rate or no ETA: "not enough data yet", "not burning". */
  reason?: string;
  /** What the burn rate is measured on: the balance, or (no balance reported) the usage. */
  basis: 'balance' | 'usage' | null;
  /** The currency of the latest point; points in other currencies are ignored. */
  currency: string | null;
  /** The latest balance in `currency`, when there is one. */
  balance: number | null;
  /**
   * Money spent per day over the window: the sum of decreases of the balance (or increases of
   * the usage) divided by the span. Rises of the balance are top-ups and drops of the usage are
   * resets of its window: neither counts, though their time does.
   */
  burnPerDay: number | null;
  /** The points the rate was computed from. */
  points: number;
  spanMs: number;
  untilWarning: Eta;
  untilCritical: Eta;
  untilZero: Eta;
}

export function forecast(
  points: readonly Readonly<HistoryPoint>[],
  thresholds: { warning?: number; critical?: number },
  now: number,
): Forecast {
  const latest = points[points.length - 1];
  const currency = latest?.currency ?? null;
  const inWindow = points.filter((p) => p.currency === currency && p.t >= now - FORECAST_WINDOW_MS);
  const withBalance = inWindow.filter((p) => p.balance !== null);
  const basis: Forecast['basis'] = withBalance.length > 0 ? 'balance' : inWindow.some((p) => p.usage !== null) ? 'usage' : null;
  const series = basis === 'balance' ? withBalance : basis === 'usage' ? inWindow.filter((p) => p.usage !== null) : [];
  const lastWithBalance = [...points].reverse().find((p) => p.currency === currency && p.balance !== null);
  const balance = lastWithBalance?.balance ?? null;

  const result: Forecast = {
    enoughData: false,
    basis,
    currency,
    balance,
    burnPerDay: null,
    points: series.length,
    spanMs: 0,
    untilWarning: reached(balance, thresholds.warning),
    untilCritical: reached(balance, thresholds.critical),
    untilZero: reached(balance, 0),
  };

  const first = series[0];
  const last = series[series.length - 1];
  const span = first && last ? last.t - first.t : 0;
  result.spanMs = span;
  if (series.length < 2 || span < FORECAST_MIN_SPAN_MS) {
    result.reason = NOT_ENOUGH_DATA;
    return result;
  }
  result.enoughData = true;

  let spent = 0;
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1]!;
    const b = series[i]!;
    const delta = basis === 'balance' ? a.balance! - b.balance! : b.usage! - a.usage!;
    if (delta > 0) spent += delta;
  }
  const burn = roundMoney((spent * DAY) / span);
  result.burnPerDay = burn;
  if (burn <= 0) {
    result.reason = NOT_BURNING;
    return result;
  }
  if (balance !== null && lastWithBalance) {
    const eta = (level: number | undefined): Eta => {
      if (level === undefined) return null;
      const already = reached(balance, level);
      if (already) return already;
      const at = lastWithBalance.t + ((balance - level) / burn) * DAY;
      if (at <= now) return 'now';
      return { ms: Math.round(at - now), at: new Date(Math.round(at)).toISOString() };
    };
    result.untilWarning = eta(thresholds.warning);
    result.untilCritical = eta(thresholds.critical);
    result.untilZero = eta(0);
  }
  return result;
}

function reached(balance: number | null, level: number | undefined): Eta {
  return balance !== null && level !== undefined && balance <= level ? 'now' : null;
}
