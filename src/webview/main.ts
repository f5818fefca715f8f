// The balance panel, browser side. Paints the cards the page came with (inert JSON the host
// wrote into it), says `ready`, renders whatever the host sends (all validated against the
// shared protocol), and turns clicks into messages. Nothing here reaches the network: the CSP
// allows scripts by nonce and resources from the extension only. The cards come first; uPlot
// and the charts (./charts.ts, a second script with the same nonce, downloaded with the page)
// run after the cards are on screen, and the chart series arrive in a message of their own.
import 'uplot/dist/uPlot.min.css';
import './panel.css';
import type uPlot from 'uplot';
import {
  CARDS_ELEMENT_ID, DEFAULT_RANGE, HostMessageSchema, PanelCardsSchema, PanelStateSchema, RangeSchema,
  type Charts, type PanelCards, type PanelState, type Range, type WebviewMessage,
} from '../panel/protocol';
import type { ChartColors } from './chart';
import type { ChartsApi } from './charts';
import { formatAgo } from './format';
import { t } from './l10n';
import { ALL, rangeText, renderPanel, renderToolbar } from './render';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

performance.mark('llmb:start');
const self = document.currentScript as HTMLScriptElement | null;
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const saved = PanelStateSchema.safeParse(vscode.getState() ?? {});
let state: PanelState = saved.success ? saved.data : {};
let range: Range = state.range ?? DEFAULT_RANGE;
let data: PanelCards | undefined;
let chartsApi: ChartsApi | undefined;
let chartsScript: HTMLScriptElement | undefined;
/** Cards whose chart series have not arrived yet. */
let pending = new Set<string>();
const busy = new Set<string>();
const charts = new Map<string, uPlot>();
let colors: ChartColors | undefined;
let chartJob = 0;
let firstPaintScheduled = false;
/** Charts wait for the cards' first paint. */
let firstPaintDone = false;

// Says when a check ends, for screen readers (outside #app, which every render replaces).
const announcer = document.createElement('div');
announcer.setAttribute('role', 'status');
announcer.setAttribute('aria-live', 'polite');
announcer.className = 'sr-only';
document.body.append(announcer);

function announceFinished(accountId: string | null): void {
  const label = accountId ? data?.accounts.find((a) => a.id === accountId)?.label : undefined;
  announcer.textContent = accountId ? t('Check of {0} finished.', label ?? accountId) : t('Check of every account finished.');
}

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function saveState(change: PanelState): void {
  state = { ...state, ...change };
  vscode.setState(state);
}

/**
 * The cards the page came with, if they are for this range and this page has not drawn them
 * before (VS Code reloads the same page when a hidden panel is shown again: then they are old).
 */
function pageCards(): PanelCards | undefined {
  const text = document.getElementById(CARDS_ELEMENT_ID)?.textContent;
  if (!text) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = PanelCardsSchema.safeParse(raw);
  if (!parsed.success || parsed.data.range !== range || parsed.data.generatedAt === state.shown) return undefined;
  return parsed.data;
}

/** Shows new cards (from the page or a `data` message). */
function show(cards: PanelCards, fromPage: boolean): void {
  if (!data) performance.mark('llmb:data');
  const previous = data;
  data = cards;
  range = data.range;
  saveState(fromPage ? { range, shown: data.generatedAt } : { range });
  render(previous);
}

function destroyCharts(): void {
  chartJob++;
  for (const c of charts.values()) c.destroy();
  charts.clear();
}

/** dist/webview-charts.js, next to this script. */
const chartsUrl = new URL('webview-charts.js', self?.src ?? location.href).toString();

/**
 * Downloads the chart code now without running it (a preload, with this script's nonce): it
 * arrives while the cards are painted. Not in the page's head, where it would share the first
 * requests' slow path through VS Code's service worker with the stylesheet and this script.
 */
function preloadCharts(): void {
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'script';
  link.nonce = self?.nonce ?? '';
  link.href = chartsUrl;
  document.head.append(link);
}

/** Runs uPlot and the chart code (dist/webview-charts.js, with this script's nonce), once. */
function loadCharts(): void {
  if (chartsScript) return;
  chartsScript = document.createElement('script');
  chartsScript.nonce = self?.nonce ?? '';
  chartsScript.src = chartsUrl;
  chartsScript.addEventListener('load', () => {
    chartsApi = (globalThis as { llmbCharts?: ChartsApi }).llmbCharts;
    drawCharts();
  });
  document.head.append(chartsScript);
}

/** Takes the chart series the host sent after the cards (for the cards on screen only). */
function receiveCharts(c: Charts): void {
  if (!data || c.generatedAt !== data.generatedAt) return;
  if (!performance.getEntriesByName('llmb:series').length) performance.mark('llmb:series');
  const byId = new Map(c.charts.map((x) => [x.id, x.chart]));
  for (const a of data.accounts) {
    const chart = byId.get(a.id);
    if (chart) a.chart = chart;
  }
  pending = new Set([...pending].filter((id) => !byId.has(id)));
  drawCharts();
}

/** Creates charts a few at a time after the cards are on screen, so the first paint stays fast. */
function drawCharts(): void {
  if (!data || !chartsApi || !firstPaintDone) return;
  destroyCharts();
  const api = chartsApi;
  const job = chartJob;
  const current = data;
  colors = api.readChartColors();
  const queue = current.accounts.filter((a) => a.chart && a.chart.t.length > 0);
  const step = () => {
    if (job !== chartJob) return;
    const started = performance.now();
    while (queue.length && performance.now() - started < 12) {
      const a = queue.shift()!;
      const el = app.querySelector<HTMLElement>(`[data-chart="${CSS.escape(a.id)}"]`);
      if (!el || !a.chart) continue;
      el.setAttribute('aria-label', api.describeChart(a.chart, a.label, rangeText(current.range)));
      charts.set(a.id, api.createChart(el, a.chart, a.thresholds, colors!));
    }
    if (queue.length) setTimeout(step, 0);
    else if (pending.size === 0) performance.mark('llmb:charts');
  };
  step();
}

function render(previous: PanelCards | undefined): void {
  if (!data) return;
  // Until the new series arrive, a card keeps the chart it showed for the same range.
  pending = new Set(data.accounts.filter((a) => !a.chart).map((a) => a.id));
  if (previous && previous.range === data.range) {
    const old = new Map(previous.accounts.filter((a) => a.chart && a.chart.t.length > 0).map((a) => [a.id, a.chart]));
    for (const a of data.accounts) a.chart ??= old.get(a.id);
  }
  // Keep keyboard focus on the same control across re-renders (live updates replace the DOM).
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  destroyCharts();
  app.replaceChildren(...renderPanel(data, { busy, now: Date.now() }));
  app.removeAttribute('aria-busy');
  if (focusKey) app.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  if (!firstPaintScheduled) {
    firstPaintScheduled = true;
    performance.mark('llmb:rendered');
    requestAnimationFrame(() => setTimeout(() => {
      firstPaintDone = true;
      performance.mark('llmb:first-paint');
      reportPaint();
      loadCharts();
      drawCharts();
    }, 0));
  } else {
    drawCharts();
  }
}

/** Tells the host when the first data reached the screen, for `npm run bench` inside VS Code. */
function reportPaint(): void {
  const marks: Record<string, number> = {};
  for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('llmb:')) marks[m.name.slice(5)] = Math.round(m.startTime);
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  if (fcp) marks.fcp = Math.round(fcp.startTime);
  post({ type: 'painted', marks });
}

/** Busy changes only touch the buttons, so charts are not rebuilt for them. */
function renderBusy(): void {
  if (!data) return;
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  app.querySelector('header.toolbar')?.replaceWith(renderToolbar(data.range, { busy, now: Date.now() }, data.accounts.length > 0));
  for (const b of app.querySelectorAll<HTMLButtonElement>('.card-actions [data-action="check"]')) {
    const id = b.dataset.account ?? '';
    const isBusy = busy.has(id) || busy.has(ALL);
    b.textContent = isBusy ? t('Checking…') : t('Check now');
    if (isBusy) b.setAttribute('aria-disabled', 'true');
    else b.removeAttribute('aria-disabled');
  }
  if (focusKey) app.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!data) performance.mark('llmb:message');
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) return;
  const msg = parsed.data;
  switch (msg.type) {
    case 'data':
      show(msg.data, false);
      break;
    case 'charts':
      receiveCharts(msg.charts);
      break;
    case 'busy':
      if (msg.busy) busy.add(msg.accountId ?? ALL);
      else busy.delete(msg.accountId ?? ALL);
      renderBusy();
      if (!msg.busy) announceFinished(msg.accountId);
      break;
  }
});

app.addEventListener('click', (event) => {
  const target = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
  if (!target || target.getAttribute('aria-disabled') === 'true') return;
  const account = target.dataset.account;
  switch (target.dataset.action) {
    case 'range': {
      const r = RangeSchema.safeParse(target.dataset.range);
      if (!r.success || r.data === range) return;
      range = r.data;
      saveState({ range });
      for (const b of app.querySelectorAll('[data-action="range"]')) b.setAttribute('aria-pressed', String(b.getAttribute('data-range') === range));
      post({ type: 'range', range });
      break;
    }
    case 'check':
      post(account ? { type: 'check', accountId: account } : { type: 'check' });
      break;
    case 'updateKey':
      if (account) post({ type: 'updateKey', accountId: account });
      break;
    case 'addFunds':
      if (account) post({ type: 'addFunds', accountId: account });
      break;
    case 'addAccount':
      post({ type: 'addAccount' });
      break;
    case 'export':
      post({ type: 'export' });
      break;
  }
});

// Charts follow the width of their card.
const chartResize = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const id = (entry.target as HTMLElement).dataset.chart;
    const chart = id ? charts.get(id) : undefined;
    const width = Math.floor(entry.contentRect.width);
    if (chart && width > 0 && Math.abs(chart.width - width) > 1) chart.setSize({ width, height: chart.height });
  }
});
new MutationObserver(() => {
  for (const el of app.querySelectorAll('[data-chart]')) chartResize.observe(el);
}).observe(app, { childList: true });

// A theme change swaps the --vscode-* variables and the body class: redraw the canvases.
const themeObserver = new MutationObserver(() => {
  if (!chartsApi) return;
  const next = chartsApi.readChartColors();
  if (JSON.stringify(next) !== JSON.stringify(colors)) drawCharts();
});
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

// "Checked 5 min ago" stays true while the panel is open.
setInterval(() => {
  for (const t of app.querySelectorAll<HTMLElement>('time[data-ago]')) t.textContent = formatAgo(t.dataset.ago ?? '', Date.now());
}, 30_000);

// Asks for the charts (or everything) before painting, so the host works while this page paints.
preloadCharts();
const first = pageCards();
post(first ? { type: 'ready', range, painted: first.generatedAt } : { type: 'ready', range });
if (first) show(first, true);
