// One account's history chart: uPlot (bundled), coloured from the theme, one y axis per
// currency, warning and critical lines, and a marker on every top-up.
import uPlot from 'uplot';
import type { ChartData } from '../panel/protocol';
import { formatDateTime, formatMoney, formatTick } from './format';
import { locale, t } from './l10n';

export interface ChartColors {
  lines: string[];
  warning: string;
  critical: string;
  topUp: string;
  axis: string;
  grid: string;
  font: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The theme's colours, read again whenever the theme changes. */
export function readChartColors(): ChartColors {
  const s = getComputedStyle(document.body);
  const family = cssVar(s, '--vscode-font-family', 'system-ui, sans-serif');
  return {
    lines: [
      cssVar(s, '--vscode-charts-blue', '#3794ff'),
      cssVar(s, '--vscode-charts-purple', '#b180d7'),
      cssVar(s, '--vscode-charts-orange', '#d18616'),
    ],
    warning: cssVar(s, '--vscode-charts-yellow', '#cca700'),
    critical: cssVar(s, '--vscode-charts-red', '#f14c4c'),
    topUp: cssVar(s, '--vscode-charts-green', '#89d185'),
    axis: cssVar(s, '--vscode-descriptionForeground', cssVar(s, '--vscode-foreground', '#888888')),
    grid: cssVar(s, '--vscode-editorWidget-border', cssVar(s, '--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    font: `11px ${family}`,
  };
}

export const CHART_HEIGHT = 160;

/**
 * Time axis labels in the display language ("11月25日", "14:00"); uPlot's own are English
 * ("11/25", "2pm"), kept for English.
 */
const timeTicks: uPlot.Axis.Values | undefined = locale.toLowerCase().startsWith('en') ? undefined : (() => {
  try {
    const day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });
    const hour = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return (_u: uPlot, splits: number[], _axis: number, _space: number, incr: number) =>
      splits.map((v) => (incr < 86_400 ? hour : day).format(new Date(v * 1000)));
  } catch {
    return undefined;
  }
})();

export function createChart(
  el: HTMLElement,
  chart: ChartData,
  thresholds: { warning?: number; critical?: number },
  colors: ChartColors,
): uPlot {
  const dpr = uPlot.pxRatio;
  const main = chart.currencies[0];
  const xs = chart.t.map((t) => t / 1000);
  const data: uPlot.AlignedData = [xs, ...chart.values];
  const lines: { value: number; color: string; name: 'warning' | 'critical'; text: string }[] = [];
  if (main && chart.basis === 'balance') {
    if (thresholds.warning !== undefined) lines.push({ value: thresholds.warning, color: colors.warning, name: 'warning', text: t('warning {0}', formatMoney(thresholds.warning, main)) });
    if (thresholds.critical !== undefined) lines.push({ value: thresholds.critical, color: colors.critical, name: 'critical', text: t('critical {0}', formatMoney(thresholds.critical, main)) });
  }

  const drawOverlay = (u: uPlot) => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.font = colors.font.replace(/^(\d+)px/, (_, px: string) => `${Number(px) * dpr}px`);
    ctx.lineWidth = dpr;
    // Unusual spend first, under the lines: a shaded band with a label, in the critical colour.
    for (const spike of chart.spikes ?? []) {
      const x0 = Math.max(left, u.valToPos(spike.fromMs / 1000, 'x', true));
      const x1 = Math.min(left + width, u.valToPos(spike.toMs / 1000, 'x', true));
      if (x1 < left || x0 > left + width) continue;
      const x = x1 - x0 < 3 * dpr ? x1 - 3 * dpr : x0;
      ctx.globalAlpha = 0.22;
      ctx.fillStyle = colors.critical;
      ctx.fillRect(x, top, Math.max(3 * dpr, x1 - x0), height);
      ctx.globalAlpha = 1;
      ctx.textAlign = x1 > left + width - 90 * dpr ? 'right' : 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(t('unusual spend'), ctx.textAlign === 'right' ? x - 3 * dpr : x1 + 3 * dpr, top + 2 * dpr);
    }
    for (const line of lines) {
      const y = Math.round(u.valToPos(line.value, main!, true)) + 0.5;
      if (y < top || y > top + height) continue;
      ctx.strokeStyle = line.color;
      ctx.setLineDash([5 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.setLineDash([]);
      // Warning is the higher line: its label sits above it, critical's below, so they never collide.
      const below = line.name === 'critical';
      ctx.fillStyle = line.color;
      ctx.textAlign = 'right';
      ctx.textBaseline = below ? 'top' : 'bottom';
      ctx.fillText(line.text, left + width - 4 * dpr, below ? y + 2 * dpr : y - 2 * dpr);
    }
    ctx.fillStyle = colors.topUp;
    for (const up of chart.topUps) {
      if (!chart.currencies.includes(up.currency)) continue;
      const x = u.valToPos(up.t / 1000, 'x', true);
      const y = u.valToPos(up.balance, up.currency, true);
      if (x < left || x > left + width) continue;
      const s = 5 * dpr;
      ctx.beginPath();
      ctx.moveTo(x, y - s - 2 * dpr);
      ctx.lineTo(x - s, y + s - 2 * dpr);
      ctx.lineTo(x + s, y + s - 2 * dpr);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  };

  const yRange = (currency: string): uPlot.Scale.Range => (_u, min, max) => {
    let lo = min;
    let hi = max;
    if (currency === main) for (const l of lines) {
      lo = Math.min(lo, l.value);
      hi = Math.max(hi, l.value);
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    const pad = (hi - lo) * 0.08 || Math.max(Math.abs(hi) * 0.1, 1);
    return [Math.max(lo - pad, lo >= 0 ? 0 : -Infinity), hi + pad];
  };

  const opts: uPlot.Options = {
    width: Math.max(200, el.clientWidth),
    height: CHART_HEIGHT,
    ms: 1e-3,
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
    legend: { show: chart.currencies.length > 1 },
    scales: {
      x: { time: true, range: [chart.fromMs / 1000, chart.toMs / 1000] },
      ...Object.fromEntries(chart.currencies.map((c) => [c, { range: yRange(c) }])),
    },
    series: [
      { value: (_u, v) => (v === null ? '' : formatDateTime(v * 1000)) },
      ...chart.currencies.map((c, i): uPlot.Series => ({
        label: chart.basis === 'usage' ? t('Usage ({0})', c) : t('Balance ({0})', c),
        scale: c,
        stroke: colors.lines[i % colors.lines.length],
        width: 1.5,
        spanGaps: false,
        points: { show: (u, si) => (u.data[si]?.length ?? 0) < 60 },
        value: (_u, v) => (v === null ? '—' : formatMoney(v, c)),
      })),
    ],
    axes: [
      { stroke: colors.axis, font: colors.font, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 }, ...(timeTicks ? { values: timeTicks } : {}) },
      ...chart.currencies.map((c, i): uPlot.Axis => ({
        scale: c,
        side: i === 0 ? 3 : 1,
        label: c,
        labelSize: 14,
        labelFont: colors.font,
        stroke: colors.axis,
        font: colors.font,
        size: 48,
        space: 22,
        grid: { show: i === 0, stroke: colors.grid, width: 1 },
        ticks: { stroke: colors.grid, width: 1 },
        values: (_u, splits) => splits.map((v) => formatTick(v)),
      })),
    ],
    hooks: { draw: [drawOverlay] },
  };
  return new uPlot(opts, data, el);
}

/** What a screen reader hears instead of the canvas. */
export function describeChart(chart: ChartData, label: string, rangeText: string): string {
  const main = chart.currencies[0];
  const values = chart.values[0]?.filter((v): v is number => v !== null) ?? [];
  if (!main || values.length === 0) return t('{0}: no history in the last {1}.', label, rangeText);
  const first = formatMoney(values[0]!, main);
  const last = formatMoney(values[values.length - 1]!, main);
  const lowest = formatMoney(Math.min(...values), main);
  const ups = chart.topUps.length;
  const spikes = chart.spikes?.length ?? 0;
  const trend = chart.basis === 'usage'
    ? t('{0}: Usage over the last {1}, from {2} to {3}, lowest {4}', label, rangeText, first, last, lowest)
    : t('{0}: Balance over the last {1}, from {2} to {3}, lowest {4}', label, rangeText, first, last, lowest);
  const topUps = ups === 0 ? '' : ups === 1 ? t(', 1 top-up') : t(', {0} top-ups', ups);
  const unusual = spikes === 0 ? '' : spikes === 1 ? t(', 1 period of unusual spend') : t(', {0} periods of unusual spend', spikes);
  return `${trend}${topUps}${unusual}${t('.')}`;
}
