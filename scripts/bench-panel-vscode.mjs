// The balance panel inside code-server, 10 accounts × 90 days of history (test/bench/panel.ts sets
// them up and opens the panel): when the cards were painted and when every chart was drawn, in
// ms after the webview document's navigation start, as the webview's own performance marks say
// (llmb:first-paint, llmb:charts), read from the browser. A fresh code-server per sample, the
// production build.
//
//   node scripts/bench-panel-vscode.mjs [--runs 7]
//
// Human text on stderr; JSON rows {what, ours, reference, ratio, goal} on stdout for
// scripts/bench.mjs. Asserts nothing. Run it under `flock /tmp/llmb-ui.lock` (bench.mjs does).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkInstalled, HostSession, openWorkbench, repoRoot } from './vscode-host.mjs';
import { waitUntil } from './workbench-ui.mjs';
import { stageProductionExtension } from './bench-stage.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Math.max(1, Number(args.runs) || 7);
const say = (s) => console.error(`[bench-panel-vscode] ${s}`);
const tests = path.join(repoRoot, 'out', 'test', 'bench', 'panel.js');
const GOAL = { cards: 200, charts: 400 };

/** The webview frame's marks, once it has drawn every chart. */
async function webviewMarks(page) {
  const probe = `(() => {
    const at = (n) => performance.getEntriesByName(n)[0]?.startTime;
    if (at('llmb:charts') === undefined) return null;
    const nav = performance.getEntriesByType('navigation')[0];
    const res = (name) => performance.getEntriesByType('resource').find((e) => e.name.split('?')[0].endsWith(name));
    const end = (e) => (e ? e.responseEnd : -1);
    return {
      cards: at('llmb:first-paint'), charts: at('llmb:charts'), script: at('llmb:start'), data: at('llmb:data'),
      cardsAt: performance.timeOrigin + at('llmb:first-paint'),
      // Where the time went, for the human text: the page, the stylesheet and scripts, the chart series.
      detail: {
        html: nav ? nav.responseEnd : -1, css: end(res('webview.css')), js: end(res('webview.js')), chartsJs: end(res('webview-charts.js')),
        rendered: at('llmb:rendered') ?? -1, seriesIn: at('llmb:series') ?? -1,
      },
    };
  })()`;
  return waitUntil(async () => {
    for (const frame of page.frames()) {
      const marks = await frame.evaluate(probe).catch(() => null);
      if (marks) return marks;
    }
    return undefined;
  }, { timeoutMs: 60_000, what: 'the panel to draw its charts', intervalMs: 50 });
}

const missing = checkInstalled();
if (missing || !fs.existsSync(tests)) {
  say(missing ?? `no ${tests}: compile first (npx tsc -p . --outDir out)`);
  process.exit(1);
}
const session = new HostSession({ name: 'bench-panel-vscode', logFile: path.join(repoRoot, 'test-results', 'bench-panel-vscode.log'), timeoutMs: (runs + 1) * 120_000 });
const samples = [];
const loads = [];
let points;
const result = await session.run(async (s) => {
  const extension = stageProductionExtension(s.work);
  const browser = await s.launchChromium();
  for (let i = -1; i < runs; i++) {
    const dir = fs.mkdtempSync(path.join(s.work, 'run-'));
    const folder = path.join(dir, 'workspace');
    fs.mkdirSync(folder);
    const server = await s.startCodeServer({ env: { LLMB_BENCH_DIR: dir } });
    const { page, close } = await openWorkbench(browser, { url: server.url, folder, extensionDevelopmentPath: extension, extensionTestsPath: tests, timeoutMs: 90_000 });
    s.logPage(page);
    const setup = await waitUntil(() => fs.existsSync(path.join(dir, 'setup.json')) && JSON.parse(fs.readFileSync(path.join(dir, 'setup.json'), 'utf8')), { timeoutMs: 90_000, what: 'the bench module to set up the accounts' });
    if (setup.error) throw new Error(`setting up the panel failed: ${setup.error}`);
    points = setup.pointsPerAccount;
    const marks = await webviewMarks(page);
    fs.writeFileSync(path.join(dir, 'done'), '');
    await close();
    await server.stop();
    say(`${i < 0 ? 'warm-up' : `run ${i + 1}/${runs}`}: command → cards ${(marks.cardsAt - setup.commandAt).toFixed(0)} ms; cards ${marks.cards.toFixed(0)} ms, charts ${marks.charts.toFixed(0)} ms (script ${marks.script.toFixed(0)}, data ${marks.data.toFixed(0)}; ${Object.entries(marks.detail).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(0) : v}`).join(', ')}); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (i < 0) continue;
    samples.push({ ...marks, command: marks.cardsAt - setup.commandAt });
    loads.push(os.loadavg()[0]);
  }
});
if (!result.ok) {
  session.printFailure(result.error.message.split('\n')[0]);
  process.exit(1);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
const loadText = `load ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`;
{
  const xs = samples.map((m) => m.command);
  say(`command → cards on screen (the host's work before the page counted too): median ${median(xs).toFixed(0)} ms (${spread(xs)}); ${loadText}`);
}
for (const [key, what] of [['cards', 'cards painted'], ['charts', 'every chart drawn']]) {
  const xs = samples.map((m) => m[key]);
  const med = median(xs);
  console.log(JSON.stringify({
    what: `panel, 10 accounts × 90 days (${points} points each after thinning), in code-server: ${what} after the webview's navigation start, median of ${runs}`,
    ours: `${med.toFixed(0)} ms (${spread(xs)})`,
    reference: `goal ${GOAL[key]} ms; ${loadText}`,
    ratio: `${(med / GOAL[key]).toFixed(2)}× the goal`,
    goal: `≤ ${GOAL[key]} ms`,
  }));
}
