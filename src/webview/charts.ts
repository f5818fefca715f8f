// The panel's second script (dist/webview-charts.js): uPlot and the chart code, loaded by
// main.ts after the cards are on screen, so that the first paint does not wait for them.
import { createChart, describeChart, readChartColors } from './chart';

export const chartsApi = { createChart, describeChart, readChartColors };
export type ChartsApi = typeof chartsApi;

(globalThis as { llmbCharts?: ChartsApi }).llmbCharts = chartsApi;
