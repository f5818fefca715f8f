// Records test/fixtures/real/team/*.json from this repo's real `llm-balance serve`: the built
// dist/cli.js run against the fake providers, its /api/v1/balances answers saved as served.
// Run after `npm run build && npx tsc -p . --outDir out`:  node scripts/record-team-fixtures.mjs
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { FakeProviderServer } = require(path.join(root, 'out/test/fake/server.js'));
const outDir = path.join(root, 'test/fixtures/real/team');
const TOKEN = 'team-token-recording-0123456789';
const GOOD = 'sk-test-recording-0123456789abcdef';
const REFUSED = 'sk-revoked-0123456789abcdefghij';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const fake = new FakeProviderServer();
await fake.start();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-record-'));
const config = {
  accounts: [
    { id: 'openrouter-shared', provider: 'openrouter', label: 'OpenRouter (shared)', baseUrl: `${fake.url}/openrouter/api/v1`, keyEnv: 'GOOD_KEY' },
    { id: 'deepseek-shared', provider: 'deepseek', label: 'DeepSeek (shared)', baseUrl: `${fake.url}/deepseek`, keyEnv: 'GOOD_KEY' },
    { id: 'novita-shared', provider: 'novita', label: 'Novita (shared)', baseUrl: `${fake.url}/novita`, keyEnv: 'REFUSED_KEY' },
  ],
};
fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
// The first round is slow, so that the "still starting" answer can be recorded.
fake.route('GET', '/openrouter/api/v1/credits', { delayMs: 1500, body: { data: { total_credits: 100, total_usage: 25.5 } } });

const child = spawn(process.execPath, [path.join(root, 'dist/cli.js'), 'serve', '--listen', '127.0.0.1:0', '--interval', '0.05', '--config', path.join(dir, 'config.json'), '--state-dir', dir], {
  env: { PATH: process.env.PATH, HOME: dir, GOOD_KEY: GOOD, REFUSED_KEY: REFUSED, LLM_BALANCE_SERVE_TOKEN: TOKEN },
  stdio: ['ignore', 'inherit', 'pipe'],
});
let err = '';
child.stderr.on('data', (b) => { err += b; process.stderr.write(b); });
const deadline = Date.now() + 20_000;
let url;
while (!url && Date.now() < deadline) {
  url = /serving (http:\/\/[^/]+)\/metrics/.exec(err)?.[1];
  await sleep(20);
}
if (!url) throw new Error('serve did not start');

async function get(auth = true) {
  const res = await fetch(`${url}/api/v1/balances`, { headers: auth ? { authorization: `Bearer ${TOKEN}` } : {} });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  const headers = {};
  for (const h of ['retry-after', 'www-authenticate']) if (res.headers.get(h)) headers[h] = res.headers.get(h);
  return { status: res.status, headers, body };
}

const recorded = {};
recorded.starting = await get();
while (Date.now() < deadline) {
  const r = await get();
  if (r.status === 200) { recorded.funded = r; break; }
  await sleep(100);
}
recorded.unauthorized = await get(false);
fake.route('GET', '/deepseek/user/balance', { status: 503, body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>' });
while (Date.now() < deadline + 20_000) {
  const r = await get();
  if (r.status === 200 && r.body.accounts.some((a) => a.accountId === 'deepseek-shared' && a.stale)) { recorded.stale = r; break; }
  await sleep(200);
}
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await fake.stop();
fs.rmSync(dir, { recursive: true, force: true });

const commit = (await import('node:child_process')).execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8' }).trim();
const source = `llm-balance serve of this repo (dist/cli.js at ${commit}) against test/fake/server.ts, recorded by scripts/record-team-fixtures.mjs`;
const fixtures = {
  'shared-accounts': {
    reading: 'The team server shares three accounts — OpenRouter $74.50 (key cap left) and DeepSeek ¥110 funded, Novita refusing its key — so the team account itself is fine (info) and carries all three.',
    response: recorded.funded,
    expect: { status: 'valid', level: 'info', balance: null, errorKind: null, note: ['3 shared accounts'], details: { shared_accounts: 3 } },
  },
  'stale-shared-account': {
    reading: 'DeepSeek answered a 503 page after a good check: the team server still shares its ¥110, marked stale; the team account reads fine with three shared accounts.',
    response: recorded.stale,
    expect: { status: 'valid', level: 'info', balance: null, errorKind: null, note: ['3 shared accounts'], details: { shared_accounts: 3 } },
  },
  unauthorized: {
    reading: 'Without the right bearer token the team server answers 401: the team token is wrong (invalid, auth), nothing is shown as money.',
    response: recorded.unauthorized,
    expect: { status: 'invalid', level: 'error', balance: null, errorKind: 'auth' },
  },
  starting: {
    reading: 'The team server is still running its first check (503, Retry-After 5): a server-side transient error, not a key problem and no money figure.',
    response: recorded.starting,
    expect: { status: 'error', level: 'error', balance: null, errorKind: 'server' },
  },
};
fs.mkdirSync(outDir, { recursive: true });
for (const [name, f] of Object.entries(fixtures)) {
  if (!f.response) throw new Error(`nothing recorded for ${name}`);
  const { status, headers, body } = f.response;
  const fixture = { source, reading: f.reading, responses: [{ path: '/api/v1/balances', status, ...(Object.keys(headers).length ? { headers } : {}), body }], expect: f.expect };
  fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(fixture, null, 2) + '\n');
  console.log(`wrote ${path.relative(root, path.join(outDir, name + '.json'))} (HTTP ${status})`);
}
