// The one message protocol between the balance panel (extension host) and its webview, in
// both directions. Each side validates what it receives with these schemas. Imported by the
// browser bundle too: nothing here may depend on Node or on 'vscode', and it uses zod/mini
// (about 20 kB in the bundle, where full zod is 450 kB). The level, status and error-kind
// lists come from zod-free src/core/levels.ts, so the bundle does not pull in full zod.
import * as z from 'zod/mini';
import { ERROR_KINDS, LEVELS, STATUSES } from '../core/levels';

export const LevelSchema = z.enum(LEVELS);
export const StatusSchema = z.enum(STATUSES);
export const ErrorKindSchema = z.enum(ERROR_KINDS);

export const RANGES = ['24h', '7d', '30d', '90d'] as const;
export const RangeSchema = z.enum(RANGES);
export type Range = z.infer<typeof RangeSchema>;
export const DEFAULT_RANGE: Range = '7d';
export const RANGE_MS: Record<Range, number> = {
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
  '30d': 30 * 24 * 3_600_000,
  '90d': 90 * 24 * 3_600_000,
};
/** The most points the host sends per chart series (it downsamples before sending). */
export const MAX_SERIES_POINTS = 2000;

/** zod 4 numbers are finite: NaN and Infinity fail. */
const num = z.number();
const count = z.int().check(z.nonnegative());

// Chart series are checked in one loop each rather than element by element: the same rule
// (finite numbers, at most MAX_SERIES_POINTS) at a tenth of the cost on a 250 kB message.
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const series = z.custom<number[]>(
  (v) => Array.isArray(v) && v.length <= MAX_SERIES_POINTS && v.every(isFiniteNumber),
  `an array of at most ${MAX_SERIES_POINTS} finite numbers`,
);
const seriesWithGaps = z.custom<(number | null)[]>(
  (v) => Array.isArray(v) && v.length <= MAX_SERIES_POINTS && v.every((x) => x === null || isFiniteNumber(x)),
  `an array of at most ${MAX_SERIES_POINTS} finite numbers or nulls`,
);

/** Mirrors `Eta` in src/core/forecast.ts (checked both ways in src/panel/viewData.ts). */
export const EtaSchema = z.union([z.object({ ms: num, at: z.string() }), z.literal('now'), z.null()]);

/** Mirrors `Forecast` in src/core/forecast.ts. */
export const ForecastSchema = z.object({
  enoughData: z.boolean(),
  reason: z.optional(z.string()),
  basis: z.nullable(z.enum(['balance', 'usage'])),
  currency: z.nullable(z.string()),
  balance: z.nullable(num),
  burnPerDay: z.nullable(num),
  points: count,
  spanMs: num,
  untilWarning: EtaSchema,
  untilCritical: EtaSchema,
  untilZero: EtaSchema,
});

export const ThresholdViewSchema = z.object({ warning: z.optional(num), critical: z.optional(num) });

/**
 * One account's chart for the chosen range: times `t` (ms) and, per currency, one value array
 * aligned with `t` (null where a point is in another currency). One y axis per currency.
 */
export const ChartSchema = z.object({
  basis: z.nullable(z.enum(['balance', 'usage'])),
  fromMs: num,
  toMs: num,
  currencies: z.array(z.string()),
  t: series,
  values: z.array(seriesWithGaps),
  /** Rises of the balance: drawn as markers so that top-ups read as such. */
  topUps: z.array(z.object({ t: num, amount: num, balance: num, currency: z.string() })),
  /** Points in the range before downsampling. */
  sourcePoints: count,
  /** Windows of unusual spend (SPEC §7 spend spike), shaded on the chart. */
  spikes: z.optional(z.array(z.object({ fromMs: num, toMs: num }))),
});
export type ChartData = z.infer<typeof ChartSchema>;

const accountFields = {
  id: z.string(),
  label: z.string(),
  provider: z.string(),
  /** null: configured but not checked yet. */
  status: z.nullable(StatusSchema),
  level: LevelSchema,
  balance: z.nullable(num),
  currency: z.string(),
  usage: z.nullable(num),
  limit: z.nullable(num),
  /** What is left of the key's own cap when that is not the balance (OpenRouter: the account vs the key). */
  keyCapLeft: z.optional(num),
  /** The key comes from the environment: nothing to update here. */
  readOnly: z.optional(z.boolean()),
  /** The environment variable that holds a read-only account's key. */
  keyEnv: z.optional(z.string()),
  note: z.optional(z.string()),
  error: z.optional(z.string()),
  errorKind: z.optional(ErrorKindSchema),
  checkedAt: z.nullable(z.string()),
  stale: z.boolean(),
  thresholds: ThresholdViewSchema,
  canAddFunds: z.boolean(),
  forecast: ForecastSchema,
};

/** One account as the panel shows it: its card and its chart. */
export const AccountViewSchema = z.object({ ...accountFields, chart: ChartSchema });
export type AccountView = z.infer<typeof AccountViewSchema>;

/**
 * A card as the host sends it first: the chart only when it has nothing to draw (so the card can
 * say so), the others follow in a `charts` message, so that the cards reach the screen first.
 */
export const CardViewSchema = z.object({ ...accountFields, chart: z.optional(ChartSchema) });
export type CardView = z.infer<typeof CardViewSchema>;

export const EventViewSchema = z.object({
  t: num,
  accountId: z.string(),
  label: z.string(),
  kind: z.enum(['notification', 'error']),
  level: LevelSchema,
  message: z.string(),
  channel: z.optional(z.string()),
});
export type EventView = z.infer<typeof EventViewSchema>;

export const SummarySchema = z.object({
  accounts: count,
  totals: z.array(z.object({ currency: z.string(), amount: num })),
  errors: count,
  critical: count,
  warning: count,
});
export type Summary = z.infer<typeof SummarySchema>;

const panelFields = {
  generatedAt: num,
  range: RangeSchema,
  summary: SummarySchema,
  events: z.array(EventViewSchema),
};

export const PanelDataSchema = z.object({ ...panelFields, accounts: z.array(AccountViewSchema) });
export type PanelData = z.infer<typeof PanelDataSchema>;

/** What a `data` message carries: the panel with some or all charts still to come. */
export const PanelCardsSchema = z.object({ ...panelFields, accounts: z.array(CardViewSchema) });
export type PanelCards = z.infer<typeof PanelCardsSchema>;

/** The id of the page's inert JSON element with the first cards (src/panel/html.ts writes it). */
export const CARDS_ELEMENT_ID = 'llmb-cards';

/** The charts a `data` message left out, for the data of the same `generatedAt`. */
export const ChartsSchema = z.object({
  generatedAt: num,
  charts: z.array(z.object({ id: z.string(), chart: ChartSchema })),
});
export type Charts = z.infer<typeof ChartsSchema>;

/** Host → webview. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('data'), data: PanelCardsSchema }),
  z.object({ type: z.literal('charts'), charts: ChartsSchema }),
  /** A check started or finished; accountId null means every account. */
  z.object({ type: z.literal('busy'), accountId: z.nullable(z.string()), busy: z.boolean() }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

const accountId = z.string().check(z.minLength(1), z.maxLength(64));

/** Webview → host. `ready` starts every exchange (also after the webview is reloaded). */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  /** `painted`: the `generatedAt` of the cards it drew from the page itself; the host then sends only their charts. */
  z.object({ type: z.literal('ready'), range: z.optional(RangeSchema), painted: z.optional(num) }),
  z.object({ type: z.literal('range'), range: RangeSchema }),
  z.object({ type: z.literal('check'), accountId: z.optional(accountId) }),
  z.object({ type: z.literal('updateKey'), accountId }),
  z.object({ type: z.literal('addFunds'), accountId }),
  z.object({ type: z.literal('addAccount') }),
  z.object({ type: z.literal('export') }),
  /** Once, after the first data is on screen: ms since the webview's navigation started. */
  z.object({ type: z.literal('painted'), marks: z.record(z.string().check(z.maxLength(40)), num) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** What the webview keeps with vscode.setState and the serializer hands back after a reload. */
export const PanelStateSchema = z.object({
  range: z.optional(RangeSchema),
  /** The `generatedAt` of the page's cards once drawn: a reload of the same page does not draw them again. */
  shown: z.optional(num),
});
export type PanelState = z.infer<typeof PanelStateSchema>;
