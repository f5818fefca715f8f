// The Prometheus / OpenMetrics exposition of a set of results (SPEC §12).
//
// A small pure formatter rather than prom-client: our metrics are a snapshot of the latest
// results, rebuilt whole on every scrape, not counters instrumented over time; prom-client's
// global registry and metric objects would have to be cleared and refilled for each scrape,
// and the exact OpenMetrics details (info type, `# EOF`, UNIT rules) are easier to own here.
// It is imported by the CLI only, so the extension bundle does not grow.
import { getProvider, LEVELS, type BalanceResult } from './model';
import { redact } from './redact';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

export interface MetricsInput {
  /** The threshold metric is what each was judged by (its verdict): the account's own amounts, else the defaults. */
  results: readonly BalanceResult[];
  /** Seconds the latest real check of each account took (cached answers are not checks). */
  durations?: ReadonlyMap<string, number>;
}

/** What the main `usage` figure of a provider covers (a monthly budget's is the month); the key-cap windows come from details. */
const usageWindow = (provider: BalanceResult['provider']) => (getProvider(provider).budget === 'monthly' ? 'month' : 'total');
const DETAIL_WINDOWS: [detail: string, window: string][] = [['usage_daily', 'day'], ['usage_weekly', 'week'], ['usage_monthly', 'month']];
const LABEL_MAX = 80;

interface Family {
  name: string;
  help: string;
  /** OpenMetrics allows a unit only as the name's suffix: seconds, never a currency. */
  unit?: string;
  type: 'gauge';
  samples: { labels: Record<string, string>; value: number }[];
}

/** Label values are data: escaped, keys redacted, capped — never markup and never a secret. */
function labelValue(v: string): string {
  const clean = redact(v).replace(/[\u0000-\u001f\u007f]/g, ' ');
  const capped = [...clean].length > LABEL_MAX ? [...clean].slice(0, LABEL_MAX - 1).join('') + '…' : clean;
  return capped.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Shortest text that round-trips 15 significant digits: no float noise such as 0.30000000000000004. */
function num(v: number): string {
  return String(Number(v.toPrecision(15)));
}

function lastSuccessSeconds(r: BalanceResult): number | undefined {
  if (r.stale) {
    const since = r.details?.staleSince;
    const t = typeof since === 'string' ? Date.parse(since) : NaN;
    return Number.isFinite(t) ? t / 1000 : undefined;
  }
  if (r.status === 'error' || r.status === 'invalid') return undefined;
  const t = Date.parse(r.checkedAt);
  return Number.isFinite(t) ? t / 1000 : undefined;
}

/** A check got an answer from the provider: not a failure, not numbers kept from before. */
export function isUp(r: BalanceResult): boolean {
  return !r.stale && r.status !== 'error' && r.status !== 'invalid';
}

export function buildFamilies(input: MetricsInput): Family[] {
  const f = (name: string, help: string, extra: Partial<Family> = {}): Family => ({ name, help, type: 'gauge', samples: [], ...extra });
  const remaining = f('llm_balance_remaining', 'Money left on the account, in the currency label (the last good figure while checks fail).');
  const limit = f('llm_balance_limit', 'Credits, budget or key cap of the account, in the currency label.');
  const usage = f('llm_balance_usage', 'Spend in the provider window named by the window label, in the currency label.');
  const threshold = f('llm_balance_threshold', 'The warning and critical amounts that apply to the account, in the currency label.');
  const level = f('llm_balance_level', 'Threshold verdict of the account: 1 for the current level, 0 for the others.');
  const up = f('llm_balance_up', '1 when the latest check of the account got an answer, 0 when it failed.');
  const lastSuccess = f('llm_balance_last_success_timestamp_seconds', 'When the account last answered a check (Unix time).', { unit: 'seconds' });
  const duration = f('llm_balance_check_duration_seconds', 'How long the latest check of the account took.', { unit: 'seconds' });
  // A gauge of 1 rather than OpenMetrics' info type: promtool check metrics (the 0.0.4 parser)
  // rejects that type, and the SPEC's name already carries the _info suffix.
  const info = f('llm_balance_info', 'The account and its display label (always 1).');

  const sorted = [...input.results].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  for (const r of sorted) {
    const account = r.accountId;
    const money = { account, provider: r.provider, currency: r.currency };
    if (r.balance !== null && Number.isFinite(r.balance)) remaining.samples.push({ labels: money, value: r.balance });
    if (r.limit !== null && Number.isFinite(r.limit)) limit.samples.push({ labels: money, value: r.limit });
    if (r.usage !== null && Number.isFinite(r.usage)) usage.samples.push({ labels: { ...money, window: usageWindow(r.provider) }, value: r.usage });
    for (const [detail, window] of DETAIL_WINDOWS) {
      const v = r.details?.[detail];
      if (typeof v === 'number' && Number.isFinite(v)) usage.samples.push({ labels: { ...money, window }, value: v });
    }
    for (const lv of ['warning', 'critical'] as const) {
      const v = r.verdict?.thresholds[lv];
      if (v !== undefined && Number.isFinite(v)) threshold.samples.push({ labels: { account, currency: r.currency, level: lv }, value: v });
    }
    for (const lv of LEVELS) level.samples.push({ labels: { account, level: lv }, value: r.level === lv ? 1 : 0 });
    up.samples.push({ labels: { account }, value: isUp(r) ? 1 : 0 });
    const t = lastSuccessSeconds(r);
    if (t !== undefined) lastSuccess.samples.push({ labels: { account }, value: t });
    const d = input.durations?.get(account);
    if (d !== undefined && Number.isFinite(d)) duration.samples.push({ labels: { account }, value: d });
    info.samples.push({ labels: { account, provider: r.provider, label: r.label }, value: 1 });
  }
  return [remaining, limit, usage, threshold, level, up, lastSuccess, duration, info];
}

/** The exposition text; no timestamps (node_exporter's textfile collector refuses them). */
export function renderMetrics(input: MetricsInput, format: ExpositionFormat): string {
  const lines: string[] = [];
  for (const fam of buildFamilies(input)) {
    lines.push(`# HELP ${fam.name} ${fam.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${fam.name} ${fam.type}`);
    if (fam.unit && format === 'openmetrics') lines.push(`# UNIT ${fam.name} ${fam.unit}`);
    for (const s of fam.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${labelValue(v)}"`).join(',');
      lines.push(`${fam.name}${labels ? `{${labels}}` : ''} ${num(s.value)}`);
    }
  }
  if (format === 'openmetrics') lines.push('# EOF');
  return lines.join('\n') + '\n';
}

/**
 * Content negotiation for GET /metrics: OpenMetrics when the client asks for it (Prometheus
 * does, with a higher q than text/plain), else the 0.0.4 text that every scraper reads.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus';
  let best: { format: ExpositionFormat; q: number } = { format: 'prometheus', q: -1 };
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().split(';').map((s) => s.trim().toLowerCase());
    let q = 1;
    for (const p of params) if (p.startsWith('q=')) q = Number(p.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const format: ExpositionFormat | undefined = type === 'application/openmetrics-text' ? 'openmetrics' : type === 'text/plain' || type === '*/*' || type === 'text/*' ? 'prometheus' : undefined;
    if (format && (q > best.q || (q === best.q && format === 'openmetrics'))) best = { format, q };
  }
  return best.format;
}
