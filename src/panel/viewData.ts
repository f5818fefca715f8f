// Builds what the webview shows from the model: pure (no 'vscode'), so it is unit-tested and
// benchmarked on plain Node. Charts are downsampled here, never in the browser.
import type { Account, BalanceResult } from '../core/model';
import { forecast, FORECAST_WINDOW_MS, type Forecast } from '../core/forecast';
import { lowerBound, type HistoryEvent, type HistoryPoint } from '../core/history';
import { roundMoney } from '../core/numbers';
import { byConcern, noteText, summarizeResults } from '../core/statusView';
import { errorText } from '../core/message';
import { english, type Translate } from '../core/l10n';
import { detectSpike, SPIKE_EVENT_PREFIX, type SpikeRule } from '../core/spike';
import { downsampleIndices } from './downsample';
import {
  MAX_SERIES_POINTS, RANGE_MS,
  type CardView, type ChartData, type Charts, type EventView, type PanelCards, type PanelData, type Range, type Summary,
} from './protocol';
import type * as z from 'zod/mini';
import type { ForecastSchema } from './protocol';

// The protocol repeats the forecast's shape (see protocol.ts); they must stay the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const PROTOCOL_MATCHES_CORE: Same<Forecast, z.infer<typeof ForecastSchema>> = true;

/** The part of HistoryStore the panel reads. */
export interface HistoryReader {
  seriesView(accountId: string, sinceMs?: number): readonly Readonly<HistoryPoint>[];
  events(limit?: number): HistoryEvent[];
}

export const EMPTY_HISTORY: HistoryReader = { seriesView: () => [], events: () => [] };

/** The points at or after `t` of a time-sorted list, without copying them. */
function since(points: readonly Readonly<HistoryPoint>[], t: number): readonly Readonly<HistoryPoint>[] {
  const lo = lowerBound(points, t);
  return lo === 0 ? points : points.slice(lo);
}

export interface PanelInput {
  results: readonly BalanceResult[];
  accounts: readonly { account: Account; thresholds: { warning?: number; critical?: number }; keyEnv?: string }[];
  history: HistoryReader;
  billingUrl: (accountId: string) => string | undefined;
  range: Range;
  now: number;
  /** Events shown, newest first. */
  maxEvents?: number;
  maxPoints?: number;
  /** The spend-spike rule: spikes (announced ones, and one going on now) are marked on the chart. */
  spendSpike?: SpikeRule;
  /** How spike notifications begin (English and the display language); default the English one. */
  spikeEventPrefixes?: readonly string[];
  /** The display language, for our notes and errors in the results; default English. */
  t?: Translate;
}

const SPIKE_LOOKBACK_MS = 8 * 24 * 3_600_000;

/**
 * Spike windows in the chart's range: from the spike notifications sent, and the one going on now
 * if any. `points` is the account's history from at least SPIKE_LOOKBACK_MS ago.
 */
function spikeWindows(input: PanelInput, id: string, fromMs: number, events: readonly HistoryEvent[], points: readonly Readonly<HistoryPoint>[]): { fromMs: number; toMs: number }[] {
  const rule = input.spendSpike;
  if (!rule) return [];
  const w = rule.windowHours * 3_600_000;
  const prefixes = input.spikeEventPrefixes ?? [SPIKE_EVENT_PREFIX];
  const out = events
    .filter((e) => e.accountId === id && e.kind === 'notification' && prefixes.some((p) => e.message.startsWith(p)) && e.t >= fromMs)
    .map((e) => ({ fromMs: e.t - w, toMs: e.t }));
  const now = detectSpike(since(points, input.now - SPIKE_LOOKBACK_MS), input.now, rule);
  if (now && !out.some((x) => x.toMs > now.from)) out.push({ fromMs: now.from, toMs: now.to });
  return out.sort((a, b) => a.fromMs - b.fromMs);
}

/** Only https pages are opened from the panel. */
export function isHttpsUrl(url: string | undefined): url is string {
  if (!url) return false;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** A rise of at least a cent between two points in the same currency counts as a top-up. */
const TOP_UP_MIN = 0.01;

export function buildChart(points: readonly Readonly<HistoryPoint>[], range: Range, now: number, maxPoints = MAX_SERIES_POINTS): ChartData {
  let withBalance = 0;
  let withUsage = 0;
  for (const p of points) {
    if (p.balance !== null) withBalance++;
    if (p.usage !== null) withUsage++;
  }
  const basis: ChartData['basis'] = withBalance ? 'balance' : withUsage ? 'usage' : null;
  const valueOf = basis === 'balance' ? (p: Readonly<HistoryPoint>) => p.balance : (p: Readonly<HistoryPoint>) => p.usage;
  const usable = basis === null ? [] : (basis === 'balance' ? withBalance : withUsage) === points.length ? points : points.filter((p) => valueOf(p) !== null);

  const topUps: ChartData['topUps'] = [];
  if (basis === 'balance') {
    for (let i = 1; i < usable.length; i++) {
      const a = usable[i - 1]!;
      const b = usable[i]!;
      const rise = b.balance! - a.balance!;
      if (a.currency === b.currency && rise >= TOP_UP_MIN) {
        topUps.push({ t: b.t, amount: roundMoney(rise), balance: b.balance!, currency: b.currency });
      }
    }
  }

  const times = usable.map((p) => p.t);
  const kept = downsampleIndices(times, usable.map(valueOf), maxPoints).map((i) => usable[i]!);
  // The current currency gets the first (left) axis.
  const latest = kept[kept.length - 1]?.currency;
  const currencies = [...new Set(kept.map((p) => p.currency))].sort((a, b) => (a === latest ? -1 : b === latest ? 1 : 0));
  return {
    basis,
    fromMs: now - RANGE_MS[range],
    toMs: now,
    currencies,
    t: kept.map((p) => p.t),
    values: currencies.map((c) => kept.map((p) => (p.currency === c ? valueOf(p) : null))),
    topUps: topUps.slice(-200),
    sourcePoints: usable.length,
  };
}

export function buildSummary(results: readonly BalanceResult[], accounts: number): Summary {
  // One summary rule for the status bar, the CLI and the panel (totals per currency, never Infinity).
  const s = summarizeResults(results);
  return {
    accounts,
    totals: Object.entries(s.totals).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([currency, amount]) => ({ currency, amount })),
    errors: s.errors,
    critical: s.critical,
    warning: s.warning,
  };
}

/** Whether any point has a number to draw (buildChart draws nothing otherwise). */
const hasValues = (points: readonly Readonly<HistoryPoint>[]) => points.some((p) => p.balance !== null || p.usage !== null);

interface Entry { id: string; account?: Account; thresholds: { warning?: number; critical?: number }; keyEnv?: string | undefined; result?: BalanceResult }

function entriesOf(input: PanelInput): Entry[] {
  const resultById = new Map(input.results.map((r) => [r.accountId, r]));
  const entries: Entry[] = [];
  for (const a of input.accounts) entries.push({ id: a.account.id, account: a.account, thresholds: a.thresholds, keyEnv: a.keyEnv, result: resultById.get(a.account.id) });
  const configured = new Set(entries.map((e) => e.id));
  // A team's shared account: the lines its result was judged by (the team server's thresholds).
  for (const r of input.results) if (!configured.has(r.accountId)) entries.push({ id: r.accountId, thresholds: { ...r.verdict?.thresholds }, result: r });
  // Worst first, in the status bar's order; an account not checked yet counts as "info".
  entries.sort((a, b) => byConcern(a.result ?? { level: 'info', balance: null }, b.result ?? { level: 'info', balance: null }));
  return entries;
}

/**
 * The cards, and what buildPanelCharts draws their charts from: each account's history as read
 * for its card, so that a push reads it once and the charts show the same points as the cards.
 */
export interface PanelBuild {
  cards: PanelCards;
  /** By account id: its points from the earliest time the card, its chart or its spike needs. */
  histories: ReadonlyMap<string, readonly Readonly<HistoryPoint>[]>;
  /** The events the spike marks are found in (none without a spike rule). */
  spikeEvents: readonly HistoryEvent[];
}

/** One account's chart for the range, with its spend spikes; `points` as in PanelBuild.histories. */
function chartOf(input: PanelInput, id: string, points: readonly Readonly<HistoryPoint>[], spikeEvents: readonly HistoryEvent[]): ChartData {
  const fromMs = input.now - RANGE_MS[input.range];
  const chart = buildChart(since(points, fromMs), input.range, input.now, input.maxPoints);
  const spikes = spikeWindows(input, id, fromMs, spikeEvents, points);
  if (spikes.length) chart.spikes = spikes;
  return chart;
}

/**
 * The cards: everything but the charts that have something to draw (those come from
 * buildPanelCharts), so that the cards go out before the heavier chart series.
 */
export function buildPanelCards(input: PanelInput): PanelBuild {
  const { now, range } = input;
  const entries = entriesOf(input);
  const from = now - Math.max(RANGE_MS[range], FORECAST_WINDOW_MS, input.spendSpike ? SPIKE_LOOKBACK_MS : 0);
  const spikeEvents = input.spendSpike ? input.history.events() : [];
  const histories = new Map<string, readonly Readonly<HistoryPoint>[]>();
  const accounts: CardView[] = entries.map(({ id, account, thresholds, keyEnv, result }) => {
    const points = input.history.seriesView(id, from);
    histories.set(id, points);
    const lastWeek = since(points, now - FORECAST_WINDOW_MS);
    const view: CardView = {
      id,
      label: result?.label ?? account?.label ?? id,
      provider: result?.provider ?? account?.provider ?? 'custom',
      status: result?.status ?? null,
      level: result?.level ?? 'info',
      balance: result?.balance ?? null,
      currency: result?.currency ?? account?.currency ?? 'USD',
      usage: result?.usage ?? null,
      limit: result?.limit ?? null,
      checkedAt: result?.checkedAt ?? null,
      stale: result?.stale ?? false,
      thresholds: { ...thresholds },
      canAddFunds: isHttpsUrl(input.billingUrl(id)),
      forecast: forecast(lastWeek, thresholds, now),
    };
    if (!hasValues(since(points, now - RANGE_MS[range]))) view.chart = chartOf(input, id, points, spikeEvents);
    const capLeft = result?.details?.limit_remaining;
    if (typeof capLeft === 'number' && Number.isFinite(capLeft)) view.keyCapLeft = capLeft;
    if (keyEnv) {
      view.readOnly = true;
      view.keyEnv = keyEnv;
    }
    const t = input.t ?? english;
    if (result?.note !== undefined) view.note = noteText(result, t, !!keyEnv)!;
    if (result?.error !== undefined) view.error = errorText(result, t)!;
    if (result?.errorKind !== undefined) view.errorKind = result.errorKind;
    return view;
  });

  const events: EventView[] = input.history.events(input.maxEvents ?? 50);
  const cards: PanelCards = {
    generatedAt: now,
    range,
    accounts,
    summary: buildSummary(input.results, entries.length),
    events,
  };
  return { cards, histories, spikeEvents };
}

/** The charts buildPanelCards left out, from the histories it read. */
export function buildPanelCharts(input: PanelInput, { cards, histories, spikeEvents }: PanelBuild): Charts {
  const charts = cards.accounts.filter((a) => !a.chart).map((a) => ({ id: a.id, chart: chartOf(input, a.id, histories.get(a.id) ?? [], spikeEvents) }));
  return { generatedAt: cards.generatedAt, charts };
}

/** Cards and their charts together: what the panel shows once both have arrived. */
export function withCharts(cards: PanelCards, charts: Charts): PanelData {
  const byId = new Map(charts.charts.map((c) => [c.id, c.chart]));
  return {
    ...cards,
    accounts: cards.accounts.map(({ chart, ...a }) => {
      const c = chart ?? byId.get(a.id);
      if (!c) throw new Error(`no chart for ${a.id}`);
      return { ...a, chart: c };
    }),
  };
}

export function buildPanelData(input: PanelInput): PanelData {
  const built = buildPanelCards(input);
  return withCharts(built.cards, buildPanelCharts(input, built));
}
