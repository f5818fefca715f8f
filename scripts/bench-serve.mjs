// `npm run bench:serve`: `llm-balance serve` watching 200 accounts on the fake providers.
// Prints numbers, asserts nothing:
//  - /metrics scrape latency p50 / p99 at 20 scrapes a second (OpenMetrics, keep-alive, as
//    Prometheus scrapes), while the checks run;
//  - the exposition's size;
//  - serve's RSS after 1,000 and after 2,000 checks (a leak shows as growth between the two).
// Needs `npm run build && npx tsc -p . --outDir out`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { FakeProviderServer } = require(path.join(root, 'out/test/fake/server.js'));
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 200);
const SCRAPES_PER_SECOND = 20;
const SCRAPE_SECONDS = 15;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const line = (label, value) => console.log(`${label.padEnd(46)} ${value}`);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const fake = new FakeProviderServer();
await fake.start();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-bench-serve-'));
const providers = [
  ['deepseek', '/deepseek'], ['openrouter', '/openrouter/api/v1'], ['novita', '/novita'], ['moonshot', '/moonshot'],
];
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => {
  const [provider, prefix] = providers[i % providers.length];
  return { id: `acct-${i}`, provider, label: `Account ${i}`, baseUrl: fake.url + prefix, keyEnv: 'BENCH_KEY' };
});
fs.writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify({ accounts }));

const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'serve', '--listen', '127.0.0.1:0', '--interval', '0.05', '--config', path.join(dir, 'accounts.json'), '--state-dir', dir], {
  env: { PATH: process.env.PATH, HOME: dir, BENCH_KEY: 'sk-test-bench-0123456789abcdef' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let err = '';
child.stderr.on('data', (b) => { err += b; });
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
let url;
for (let i = 0; i < 300 && !url; i++) {
  url = /serving (http:\/\/[^/]+)\/metrics/.exec(err)?.[1];
  await sleep(50);
}
if (!url) throw new Error(`serve did not start:\n${err}`);
const health = async () => (await (await fetch(`${url}/healthz`)).json());
while ((await health()).status !== 'ok') await sleep(100);
line(`accounts`, ACCOUNTS);
line('RSS after the first round', `${(rssKb() / 1024).toFixed(1)} MB`);

// Scrapes at a steady 20/s while the checks go on (every 3 s).
const latencies = [];
let bytes = 0;
const started = performance.now();
const inFlight = [];
for (let i = 0; i < SCRAPES_PER_SECOND * SCRAPE_SECONDS; i++) {
  const due = started + (i * 1000) / SCRAPES_PER_SECOND;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  inFlight.push((async () => {
    const t0 = performance.now();
    const res = await fetch(`${url}/metrics`, { headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' } });
    const text = await res.text();
    latencies.push(performance.now() - t0);
    bytes = text.length;
    if (res.status !== 200) throw new Error(`scrape: HTTP ${res.status}`);
  })());
}
await Promise.all(inFlight);
latencies.sort((a, b) => a - b);
line(`scrapes`, `${latencies.length} at ${SCRAPES_PER_SECOND}/s`);
line('scrape latency p50', `${pct(latencies, 50).toFixed(2)} ms`);
line('scrape latency p99', `${pct(latencies, 99).toFixed(2)} ms`);
line('scrape latency max', `${latencies[latencies.length - 1].toFixed(2)} ms`);
line('exposition size', `${(bytes / 1024).toFixed(1)} KB`);

for (const target of (process.env.BENCH_CHECKS ?? '1000,2000').split(',').map(Number)) {
  while ((await health()).rounds * ACCOUNTS < target) await sleep(200);
  const h = await health();
  line(`RSS after ${(h.rounds * ACCOUNTS).toLocaleString('en')} checks`, `${(rssKb() / 1024).toFixed(1)} MB`);
}

child.kill('SIGTERM');
const t0 = Date.now();
const code = await new Promise((r) => child.once('exit', (c) => r(c)));
line('SIGTERM to exit', `${Date.now() - t0} ms (exit ${code})`);
await fake.stop();
fs.rmSync(dir, { recursive: true, force: true });
