// Measures the balance panel with 10 accounts × 90 days of history checked every 5 minutes
// (never thinned: the worst case). Prints numbers; asserts nothing.
//
//   node scripts/bench-panel.mjs [--runs N]
//
// Host side: the time to build the view (forecasts, downsampling) per range and the series
// sizes sent. Browser side (Debian chromium): the production (minified) webview bundle in the
// production HTML and CSP; first paint = navigation start → cards on screen, which includes
// loading the bundle, the `ready` handshake, validating the data and rendering.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Math.max(1, Number(args.runs) || 7);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside the repository (out/ is ignored by git) so that the bundle finds playwright-core.
fs.mkdirSync(path.join(repoRoot, 'out'), { recursive: true });
const work = fs.mkdtempSync(path.join(repoRoot, 'out', 'bench-panel-'));
const require = createRequire(import.meta.url);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(0)} ms (min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)}, n=${s.length})`;
};

try {
  // The production webview bundle, as `npm run build:production` makes it.
  await esbuild.build({
    entryPoints: { webview: path.join(repoRoot, 'src/webview/main.ts'), 'webview-charts': path.join(repoRoot, 'src/webview/charts.ts') },
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', loader: { '.css': 'css' },
    minify: true, legalComments: 'none', outdir: work, logLevel: 'warning',
  });
  // The fixture and the browser harness of the webview test, bundled for plain Node.
  await esbuild.build({
    stdin: {
      contents: `export * from './test/webview/fixture'; export * from './test/webview/harness'; export * from './test/webview/themes'; export { MAX_SERIES_POINTS } from './src/panel/protocol';`,
      resolveDir: repoRoot, loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['playwright-core'],
    outfile: path.join(work, 'harness.cjs'), logLevel: 'warning',
  });
  process.env.LLMB_WEBVIEW_DIST = work;
  process.env.LLMB_REPO_ROOT = repoRoot;
  const h = require(path.join(work, 'harness.cjs'));

  const kb = (n) => `${(n / 1024).toFixed(0)} kB`;
  console.log(`webview bundle (minified): webview.js ${kb(fs.statSync(path.join(work, 'webview.js')).size)}, webview-charts.js ${kb(fs.statSync(path.join(work, 'webview-charts.js')).size)}, webview.css ${kb(fs.statSync(path.join(work, 'webview.css')).size)}`);

  let t0 = performance.now();
  const fixture = h.makeFixture();
  console.log(`fixture: 10 accounts × 90 days every 5 min = ${fixture.rawPointsPerAccount} points per account (${(performance.now() - t0).toFixed(0)} ms to make)`);

  console.log('\nhost: building the view (forecast + downsampling), per range');
  const byRange = {};
  for (const range of ['24h', '7d', '30d', '90d']) {
    const times = [];
    let data;
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      data = fixture.data(range);
      times.push(performance.now() - t0);
    }
    byRange[range] = data;
    const sizes = data.accounts.map((a) => a.chart.t.length);
    const source = data.accounts.map((a) => a.chart.sourcePoints);
    console.log(`  ${range.padEnd(4)} build ${stats(times)}; points per series sent: max ${Math.max(...sizes)} (limit ${h.MAX_SERIES_POINTS}), from up to ${Math.max(...source)}; message ${kb(JSON.stringify(data).length)}`);
  }

  // The same store after thinning (what is on disk, and in memory, after a save).
  fixture.store.compact();
  const thinned = fixture.store.series('openrouter').length;
  const thinnedTimes = [];
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    fixture.data('90d');
    thinnedTimes.push(performance.now() - t0);
  }
  console.log(`  after thinning (as saved): ${thinned} points per account for 90 days; 90d build ${stats(thinnedTimes)}`);

  console.log(`\nbrowser: ${runs} fresh page loads per case`);
  const server = await h.startPanelServer();
  const browser = await h.launchBrowser();
  try {
    for (const [name, range, width] of [['90 d, 1200 px', '90d', 1200], ['7 d, 1200 px', '7d', 1200], ['90 d, 360 px', '90d', 360]]) {
      const first = [];
      const render = [];
      const charts = [];
      const detail = {};
      for (let i = 0; i < runs + 1; i++) {
        const page = await h.openPanel(browser, server, { data: byRange[range], theme: h.DARK, width, height: 900 });
        const t = await h.waitForCharts(page);
        await page.close();
        if (i === 0) continue; // the first load warms the browser's caches
        first.push(t.firstPaintMs);
        render.push(t.renderMs);
        charts.push(t.chartsMs);
        for (const [k, v] of Object.entries(t.detail)) (detail[k] ??= []).push(v);
      }
      console.log(`  ${name}: first paint ${stats(first)}`);
      console.log(`  ${' '.repeat(name.length)}  data → cards ${stats(render)}; all 10 charts drawn ${stats(charts)}`);
      const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(0);
      console.log(`  ${' '.repeat(name.length)}  milestones (median ms after navigation): ${Object.entries(detail).map(([k, v]) => `${k} ${med(v)}`).join(', ')}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`\nload average while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
