// VS Code's own "Activation" figure for LLM Balance against a floor extension (one status bar
// item, test/bench/floor-extension), in code-server, alternating runs: ours, floor, ours, floor…
// Each run is a fresh code-server and profile; the extension is the production build in a
// folder of its own, loaded as the development extension (the floor is loaded the same way).
// The figure is what "Developer: Show Running Extensions" prints (codeLoadingTime +
// activateCallTime, whole ms); the split comes from "Developer: Startup Performance".
//
// Fifteen pairs by default: with seven, the floor's own runs spread 27-47 ms on this machine and
// one slow or fast floor run moved the ratio from 1.07x to 1.25x between two benches.
//   node scripts/bench-activation.mjs [--runs 15] [--baseline REF] [--manifest]
//
// --baseline REF also measures the production build of git revision REF (e.g. main, or a source
// folder with its node_modules) in the same alternation, for a before/after in one run;
// --manifest the floor's code under our package.json (what the manifest's contributions alone
// cost). Both are printed on stderr only.
//
// Human text on stderr; the last lines on stdout are JSON rows {what, ours, reference, ratio, goal}
// for scripts/bench.mjs. Asserts nothing. Run it under `flock /tmp/llmb-ui.lock` (bench.mjs does).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkInstalled, HostSession, openWorkbench, repoRoot } from './vscode-host.mjs';
import { runCommand, waitUntil } from './workbench-ui.mjs';
import { stageFloorWithOurManifest, stageProductionExtension, stageProductionExtensionAt } from './bench-stage.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '15' }, baseline: { type: 'string' }, manifest: { type: 'boolean', default: false } } });
const runs = Math.max(1, Number(args.runs) || 15);
const say = (s) => console.error(`[bench-activation] ${s}`);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

const EXTENSIONS = {
  ours: { dir: '', name: 'llm-balance', status: '.statusbar-item[id$="llmBalance.status" i]' },
  floor: { dir: path.join(repoRoot, 'test', 'bench', 'floor-extension'), name: 'llm-balance-floor', status: '.statusbar-item[id$="floor.status" i]' },
  baseline: { dir: '', name: 'llm-balance', status: '.statusbar-item[id$="llmBalance.status" i]' },
  manifest: { dir: '', name: 'llm-balance', status: '.statusbar-item[id$="floor.status" i]' },
};
const measured = ['ours', 'floor', ...(args.baseline ? ['baseline'] : []), ...(args.manifest ? ['manifest'] : [])];
const extensionId = (which) => (which === 'floor' ? 'llmbalance.llm-balance-floor' : 'llmbalance.llm-balance');

/** The Running Extensions row of package `name` (its aria-label): "Activation: 12ms" → 12. */
async function runningExtensionsFigure(page, name) {
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page.locator(`.runtime-extensions-editor .monaco-list-row[aria-label="${name}"]`);
  const text = await waitUntil(async () => {
    const t = (await row.first().locator('.activation-time').textContent({ timeout: 500 }).catch(() => '')) ?? '';
    return /Activation: \d+ms/.test(t) ? t : undefined;
  }, { timeoutMs: 20_000, what: `the activation time of ${name} in Running Extensions`, intervalMs: 100 });
  return Number(/Activation: (\d+)ms/.exec(text)[1]);
}

/**
 * The "Extension Activation Stats" row of `id` in Startup Performance: load code, call activate.
 * The view is a read-only text editor; its text is read through the clipboard.
 */
async function startupPerformanceSplit(page, id) {
  await runCommand(page, 'Developer: Startup Performance');
  const editor = page.locator('.editor-instance .monaco-editor').last();
  await editor.waitFor({ state: 'visible', timeout: 20_000 });
  const text = await waitUntil(async () => {
    await editor.locator('.view-lines').click({ timeout: 2000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    const t = await page.evaluate(() => navigator.clipboard.readText());
    return t.includes(id) ? t : undefined;
  }, { timeoutMs: 20_000, what: `${id} in Startup Performance`, intervalMs: 500 });
  // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
  const row = text.split('\n').map((l) => l.split('|').map((c) => c.trim())).find((cells) => cells[1] === id);
  if (!row) throw new Error(`no row for ${id} in:\n${text.split('\n').filter((l) => l.includes('llmbalance')).join('\n')}`);
  // A cell that is not a number is an error, not 0 ms.
  const ms = (cell) => {
    if (!/^\d+(\.\d+)?$/.test(cell ?? '')) throw new Error(`not a time in Startup Performance: "${cell}" in ${row.join(' | ')}`);
    return Number(cell);
  };
  return { codeLoadingMs: ms(row[3]), activateCallMs: ms(row[4]) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs)}–${Math.max(...xs)}`;

const missing = checkInstalled();
if (missing) {
  say(missing);
  process.exit(1);
}
const session = new HostSession({ name: 'bench-activation', logFile: path.join(repoRoot, 'test-results', 'bench-activation.log'), timeoutMs: (runs * 2 + 2) * 90_000 });
const samples = Object.fromEntries(measured.map((w) => [w, []]));
const splits = Object.fromEntries(measured.map((w) => [w, []]));
const loads = [];
const result = await session.run(async (s) => {
  EXTENSIONS.ours.dir = stageProductionExtension(s.work);
  if (args.baseline) EXTENSIONS.baseline.dir = stageProductionExtensionAt(s.work, args.baseline);
  if (args.manifest) EXTENSIONS.manifest.dir = stageFloorWithOurManifest(s.work, EXTENSIONS.floor.dir);
  const browser = await s.launchChromium();
  const folder = path.join(s.work, 'workspace');
  fs.mkdirSync(folder, { recursive: true });
  // One warm-up pair (file cache, code-server's first start), then the measured pairs.
  for (let i = -1; i < runs; i++) {
    for (const which of measured) {
      const ext = EXTENSIONS[which];
      const server = await s.startCodeServer();
      const { page, close } = await openWorkbench(browser, { url: server.url, folder, extensionDevelopmentPath: ext.dir, timeoutMs: 90_000 });
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      s.logPage(page);
      s.onFailure = async () => {
        await page.screenshot({ path: path.join(repoRoot, 'test-results', 'bench-activation-failure.png'), timeout: 5000 });
        s.log(`editor: ${(await page.locator('.runtime-extensions-editor').first().innerHTML({ timeout: 2000 }).catch(() => '(none)')).slice(0, 3000)}`);
      };
      await page.locator(ext.status).first().waitFor({ state: 'visible', timeout: 60_000 });
      const ms = await runningExtensionsFigure(page, ext.name);
      const split = await startupPerformanceSplit(page, extensionId(which)).catch((e) => {
        s.log(`no split for ${which}: ${e.message}`);
        return undefined;
      });
      await close();
      await server.stop();
      const note = split ? ` (code loading ${split.codeLoadingMs} ms + activate call ${split.activateCallMs} ms)` : '';
      say(`${i < 0 ? 'warm-up' : `run ${i + 1}/${runs}`} ${which.padEnd(8)} ${ms} ms${note}; load ${load()}`);
      if (i < 0) continue;
      samples[which].push(ms);
      if (split) splits[which].push(split);
      loads.push(os.loadavg()[0]);
    }
  }
});
if (!result.ok) {
  session.printFailure(result.error.message.split('\n')[0]);
  process.exit(1);
}

const splitText = (xs) => xs.length ? `; load code ${median(xs.map((x) => x.codeLoadingMs))} + call ${median(xs.map((x) => x.activateCallMs))}` : '';
const loadText = `load ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`;
const ours = median(samples.ours);
const floor = median(samples.floor);
for (const w of measured) say(`${w.padEnd(8)} median ${median(samples[w])} ms (${spread(samples[w])}${splitText(splits[w])}): ${samples[w].join(', ')}`);
// Each run against the floor measured next to it (the load moves on a shared machine).
for (const w of measured.filter((x) => x !== 'floor')) {
  // A floor run of 0 ms has no ratio: left out, and said so (never Infinity× or NaN×).
  const ratios = samples[w].flatMap((x, i) => (samples.floor[i] > 0 ? [x / samples.floor[i]] : []));
  const skipped = samples[w].length - ratios.length;
  say(`${w}/floor, run by run: ${ratios.length ? `median ${median(ratios).toFixed(2)}×` : 'n/a'}${skipped ? ` (${skipped} run(s) with a 0 ms floor left out)` : ''}`);
}
say(`${loadText}${args.baseline ? `; baseline = ${args.baseline}` : ''}`);
console.log(JSON.stringify({
  what: `VS Code's "Activation" figure in code-server (code loading + activate call), median of ${runs} alternating runs, production build`,
  ours: `${ours} ms (${spread(samples.ours)}${splitText(splits.ours)})`,
  reference: `floor extension, one status bar item: ${floor} ms (${spread(samples.floor)}${splitText(splits.floor)}); ${loadText}`,
  ratio: floor > 0 ? `${(ours / floor).toFixed(2)}×` : 'n/a (floor 0 ms)',
  goal: '≤ 1.25× the floor',
}));
