// Loaded by scripts/bench-first-check.mjs as extensionTestsPath: in the real extension host,
// the main thread's cost of a first check of 10 accounts — requiring the engine and running the
// checks — the way the extension does it (dist/engine-main.js, checks in dist/check-worker.js)
// and, alternating in the same run, the old way (checks in this thread: dist/engine-main.js with
// dist/engine.js's HTTP client and checks).
//
// Main-thread time is the event loop's active time across the whole first check
// (performance.eventLoopUtilization, this thread only; process.cpuUsage would count the worker
// too), which includes the synchronous require, measured on its own as well.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as inspector from 'node:inspector';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type * as EngineModule from '../../src/engineBundle';
import type * as EngineMainModule from '../../src/engineMain';
import type { AccountChecker } from '../../src/core/checker';
import type { Account } from '../../src/core/model';
import type { KeyValueStore } from '../../src/core/kv';

interface BenchConfig {
  /** A production build's dist folder. */
  dist: string;
  /** The fake provider server (in the launcher's process, so it costs this thread nothing). */
  url: string;
  key: string;
  runs: number;
  /** Set by `--profile DIR`: a CPU profile of this thread for each worker-way run, written there. */
  profileDir?: string;
  /** Set by `--baseline REV`: that revision's production dist, measured the worker way beside ours. */
  baselineDist?: string;
}

interface Sample {
  /** `idle`: nothing but waiting as long as the last worker run took: what else this thread did meanwhile. */
  way: 'worker' | 'inThread' | 'idle' | 'baseline';
  requireMs: number;
  mainThreadMs: number;
  wallMs: number;
}

const PATHS: [Account['provider'], string][] = [
  ['openrouter', '/openrouter/api/v1'], ['openrouter', '/openrouter/api/v1'], ['openai', '/openai/v1'], ['anthropic', '/anthropic/v1'],
  ['deepseek', '/deepseek'], ['moonshot', '/moonshot'], ['siliconflow', '/siliconflow'], ['novita', '/novita'], ['litellm', '/litellm'], ['relay', '/relay/v1'],
];

class MemoryStore implements KeyValueStore {
  private readonly m = new Map<string, unknown>();
  get(k: string): unknown {
    return this.m.get(k);
  }
  update(k: string, v: unknown): Promise<void> {
    if (v === undefined) this.m.delete(k);
    else this.m.set(k, v);
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.m.keys()];
  }
}

/** A fresh evaluation of a bundle, as on a window's first check. */
function freshRequire<T>(file: string): { module: T; ms: number } {
  delete require.cache[require.resolve(file)];
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as T;
  return { module, ms: performance.now() - t0 };
}

/** This thread's CPU profile over `fn` (the sampling itself slows the run: its figures are not reported). */
async function profiled<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 50 });
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

async function once(way: Sample['way'], cfg: BenchConfig, run: number): Promise<Sample> {
  if (way === 'worker' && cfg.profileDir) {
    const dir = cfg.profileDir;
    return profiled(path.join(dir, `first-check-${run}.cpuprofile`), () => measured(way, cfg, run));
  }
  return measured(way, cfg, run);
}

async function measured(way: Sample['way'], cfg: BenchConfig, run: number): Promise<Sample> {
  const accounts = PATHS.map(([provider, p], i) => ({ id: `bench-${run}-${i}`, provider, baseUrl: cfg.url + p }) as Account);
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  let requireMs: number;
  let check: AccountChecker;
  let close: () => Promise<void>;
  let E: typeof EngineMainModule;
  if (way === 'worker' || way === 'baseline') {
    const dist = way === 'baseline' ? cfg.baselineDist! : cfg.dist;
    const r = freshRequire<typeof EngineMainModule>(path.join(dist, 'engine-main.js'));
    requireMs = r.ms;
    E = r.module;
    const worker = new E.CheckWorker({
      file: path.join(dist, 'check-worker.js'),
      log: { info: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) },
      fallback: () => () => Promise.reject(new Error('the bench expects every check in the worker')),
    });
    worker.http = { timeoutMs: 10_000, env: {} };
    check = worker.check;
    close = () => worker.dispose();
  } else {
    // As the extension's fallback does: the main-thread half, and dist/engine.js for the HTTP client and the checks.
    const main = freshRequire<typeof EngineMainModule>(path.join(cfg.dist, 'engine-main.js'));
    const r = freshRequire<typeof EngineModule>(path.join(cfg.dist, 'engine.js'));
    requireMs = main.ms + r.ms;
    E = main.module;
    const http = new r.module.HttpClient({ timeoutMs: 10_000, env: {} });
    check = r.module.checkOver(http);
    close = () => http.close();
  }
  const engine = new E.CheckScheduler({ check, store: new MemoryStore(), cacheTtlMs: 60_000, keys: () => ({ key: cfg.key }) });
  const results = await engine.check(accounts);
  const mainThreadMs = performance.eventLoopUtilization(elu0).active;
  const wallMs = performance.now() - t0;
  await close();
  const failed = results.filter((r) => r.status === 'error' || r.status === 'invalid');
  if (failed.length) throw new Error(`${way}: ${failed.map((r) => `${r.accountId}: ${r.error ?? r.status}`).join('; ')}`);
  return { way, requireMs, mainThreadMs, wallMs };
}

/** The extension host's own activity (VS Code, other extensions) over a window as long as a check took. */
async function idle(ms: number): Promise<Sample> {
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return { way: 'idle', requireMs: 0, mainThreadMs: performance.eventLoopUtilization(elu0).active, wallMs: performance.now() - t0 };
}

/** Waits (up to 30 s) until the host has settled after start-up: two 500 ms windows under 5 % busy. */
async function quiet(): Promise<void> {
  let calm = 0;
  for (let i = 0; i < 60 && calm < 2; i++) {
    const s = await idle(500);
    calm = s.mainThreadMs < 25 ? calm + 1 : 0;
  }
}

export async function run(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const resultsFile = process.env.LLMB_TEST_RESULTS || path.join(root, 'test-results', 'integration.json');
  const outFile = path.join(root, 'test-results', 'bench-first-check.json');
  const cfg = JSON.parse(fs.readFileSync(path.join(root, 'test-results', 'bench-first-check.config.json'), 'utf8')) as BenchConfig;
  const samples: Sample[] = [];
  let error: string | undefined;
  try {
    // The first pair is the cold one (nothing of either way loaded yet in this host): measured
    // once the workbench's own start-up has settled, so that its work is not counted as ours.
    await quiet();
    for (let i = 0; i < cfg.runs; i++) {
      // Alternating, and each way first in turn, so that neither gets the quieter moments.
      const ways: Sample['way'][] = cfg.baselineDist ? ['worker', 'baseline', 'inThread'] : ['worker', 'inThread'];
      // Each way first in turn (with a baseline, the three rotate).
      const order = ways.map((_, k) => ways[(k + i) % ways.length]!);
      for (const way of order) {
        samples.push(await once(way, cfg, i));
        await new Promise((r) => setTimeout(r, 300));
      }
      samples.push(await idle(samples.filter((x) => x.way === 'worker').at(-1)!.wallMs));
      await new Promise((r) => setTimeout(r, 300));
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  fs.writeFileSync(outFile, JSON.stringify({ samples, error, vscodeVersion: vscode.version }));
  const ok = !error && samples.length === cfg.runs * (cfg.baselineDist ? 4 : 3);
  const out = {
    passed: ok ? 1 : 0, failed: ok ? 0 : 1, pending: 0,
    failures: ok ? [] : [{ title: 'first check bench', error: error ?? 'too few samples' }],
    tests: [{ title: 'first check bench', state: ok ? 'passed' : 'failed' }],
    vscodeVersion: vscode.version, appName: vscode.env.appName, uiKind: String(vscode.env.uiKind), resultsFrom: 'env', durationMs: 0,
  };
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(`${resultsFile}.tmp`, JSON.stringify(out));
  fs.renameSync(`${resultsFile}.tmp`, resultsFile);
}
