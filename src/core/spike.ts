// Spend spike (SPEC §7): spend over the last window against the median spend per such window
// over the previous 7 days. Spend is what the balance lost (or the usage gained when no balance
// is known) between two checks; a rise of the balance is a top-up, not spend. Pure.
import { formatMoney } from './format';
import { english, type Translate } from './l10n';

export interface SpikeRule {
  windowHours: number;
  factor: number;
  minimum: number;
}

export const DEFAULT_SPIKE_RULE: SpikeRule = { windowHours: 1, factor: 5, minimum: 5 };

export interface SpikePoint {
  t: number;
  balance: number | null;
  usage: number | null;
  currency: string;
}

export interface Spike {
  /** Spend in the last window, in `currency`. */
  spend: number;
  /** Median spend per window over the previous 7 days. */
  usual: number;
  /** spend / usual, rounded; null when the usual spend is nothing. */
  times: number | null;
  currency: string;
  windowHours: number;
  /** The window, ms since the epoch (for the chart). */
  from: number;
  to: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Less history than this gives no verdict: a median of a day or two is noise. */
export const MIN_HISTORY_MS = 3 * DAY;
const BASELINE_MS = 7 * DAY;

/** Spend between consecutive checks, at the time of the later one. Points sorted by t. */
export function spendEvents(points: readonly SpikePoint[]): { t: number; spend: number }[] {
  const out: { t: number; spend: number }[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.currency !== b.currency) continue;
    let spend = 0;
    if (a.balance !== null && b.balance !== null) spend = a.balance - b.balance;
    else if (a.usage !== null && b.usage !== null) spend = b.usage - a.usage;
    // A rise is a top-up (or a usage window that reset): not spend.
    if (spend > 0 && Number.isFinite(spend)) out.push({ t: b.t, spend });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The spike in the window ending at `now`, or undefined (no spike, or too little history to judge). */
export function detectSpike(points: readonly SpikePoint[], now: number, rule: SpikeRule): Spike | undefined {
  if (points.length < 2) return undefined;
  const first = points[0]!.t;
  if (now - first < MIN_HISTORY_MS) return undefined;
  const w = rule.windowHours * HOUR;
  // Judge in the newest currency only: a switch of currency is not spend.
  const currency = points[points.length - 1]!.currency;
  const judged = points.filter((p) => p.currency === currency);
  const events = spendEvents(judged);
  const recentFrom = now - w;
  let spend = 0;
  for (const e of events) if (e.t > recentFrom && e.t <= now) spend += e.spend;
  spend = Math.round(spend * 1e8) / 1e8;
  if (spend <= 0 || spend < rule.minimum) return undefined;
  // A drop is counted when the later check sees it. Without a check near the window's start
  // (VS Code closed for a night, a cron job that runs less often than the window), the drop may
  // have happened hours before the window: no verdict (doubt never raises an alarm).
  let lastBefore: number | undefined;
  for (const p of judged) if (p.t <= recentFrom) lastBefore = p.t;
  if (lastBefore === undefined || lastBefore < recentFrom - w / 2) return undefined;
  // Whole windows before the recent one, within the last 7 days and within the history.
  const start = Math.max(first, recentFrom - BASELINE_MS);
  const count = Math.floor((recentFrom - start) / w);
  if (count < 1) return undefined;
  const sums = new Array<number>(count).fill(0);
  for (const e of events) {
    if (e.t > recentFrom || e.t <= recentFrom - count * w) continue;
    // Windows are (end − w, end]: window k ends k windows before the recent one.
    const idx = Math.floor((recentFrom - e.t) / w);
    if (idx >= 0 && idx < count) sums[idx]! += e.spend;
  }
  const usual = Math.round(median(sums) * 1e8) / 1e8;
  if (spend < rule.factor * usual) return undefined;
  return { spend, usual, times: usual > 0 ? Math.round(spend / usual) : null, currency, windowHours: rule.windowHours, from: recentFrom, to: now };
}

/**
 * Whether the latest result is sound enough to judge spend by. A stale result says nothing new,
 * and a note means the figure is a fallback or partial (OpenRouter's key view instead of the
 * account's credits, say): a drop between two such bases is not spend, and doubt never alarms.
 */
export function spikeJudgeable(r: { stale?: boolean | undefined; status: string; note?: string | undefined }): boolean {
  return !r.stale && r.status === 'valid' && r.note === undefined;
}

/** "the last hour", "the last 3 hours", "the last 30 minutes". */
export function windowText(hours: number, t: Translate = english): string {
  if (hours === 1) return t('the last hour');
  if (hours < 1) return t('the last {0} minutes', Math.round(hours * 60));
  return t('the last {0} hours', Math.round(hours * 10) / 10);
}

/** How a spike notification begins (the panel finds past spikes among the events by it). */
export const SPIKE_EVENT_PREFIX = 'UNUSUAL SPEND:';

/** "UNUSUAL SPEND: OpenRouter dropped $42.10 in the last hour — 18× its usual. Check for a leaked key." */
export function spikeMessage(label: string, s: Spike, t: Translate = english): string {
  const spend = formatMoney(s.spend, s.currency);
  const within = windowText(s.windowHours, t);
  // SPIKE_EVENT_PREFIX in English; the panel also knows its translation (spikeEventPrefixes).
  return s.times === null
    ? t('UNUSUAL SPEND: {0} dropped {1} in {2} — it usually spends {3} in that time. Check for a leaked key.', label, spend, within, formatMoney(0, s.currency))
    : t('UNUSUAL SPEND: {0} dropped {1} in {2} — {3}× its usual. Check for a leaked key.', label, spend, within, s.times);
}

/** How spike notifications begin in English and in the language of `t` (events keep the language they were sent in). */
export function spikeEventPrefixes(t: Translate = english): string[] {
  return [...new Set([SPIKE_EVENT_PREFIX, t('UNUSUAL SPEND:')])];
}
