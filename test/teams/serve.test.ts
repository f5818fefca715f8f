// `llm-balance serve` as a process: the built dist/cli.js against the fake providers, its
// HTTP answers, the last good numbers after a failure, alerts through the ledger and
// channels, slow clients, SIGTERM, and no key anywhere.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';
import { DEFAULT_ALERT_RULES } from '../../src/core/alertRules';
import { decideAlerts } from '../../src/core/decideAlerts';
import { CheckScheduler } from '../../src/core/checkScheduler';
import { checkOver } from '../../src/core/check';
import { HttpClient } from '../../src/core/http';
import { MemoryStore } from '../../src/core/kv';
import { NotificationLedger } from '../../src/core/ledger';
import { AccountSchema, type BalanceResult } from '../../src/core/model';
import { expandTeamResults } from '../../src/core/providers/team';
import { CLI, KEY, Proc, SERVE_TOKEN, eventually, run, sleep } from './support';
import { useCliScratch } from '../cli/support';

interface Served {
  proc: Proc;
  url: string;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`no answer from ${url} within 5 s`)));
    req.end();
  });
}

describe('teams: llm-balance serve', function () {
  this.timeout(60_000);
  const fake = new FakeProviderServer();
  let dir: string;
  let served: Served | undefined;
  useCliScratch(fake, 'llmb-serve-', (d) => (dir = d), {
    beforeCleanup: async () => {
      if (served) await served.proc.stop('SIGKILL');
      served = undefined;
    },
  });

  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      OPENROUTER_API_KEY: KEY,
      OPENROUTER_BASE_URL: `${fake.url}/openrouter/api/v1`,
      DEEPSEEK_API_KEY: KEY,
      DEEPSEEK_BASE_URL: `${fake.url}/deepseek`,
      ...extra,
    };
  }

  async function serve(args: string[] = [], extra: Record<string, string> = {}): Promise<Served> {
    const proc = new Proc('serve', process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0', '--state-dir', path.join(dir, 'state'), ...args], env(extra));
    served = { proc, url: '' };
    const m = await proc.waitFor(/serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/, 15_000);
    served.url = m[1]!;
    await eventually('the first check', 15_000, async () => ((await get(`${served!.url}/healthz`)).body.includes('"status":"ok"') ? true : undefined), 100);
    return served;
  }

  function assertNoKey(text: string): void {
    for (const s of [KEY, KEY.slice(0, 16), KEY.slice(-12), SERVE_TOKEN, SERVE_TOKEN.slice(-12)]) assert.ok(!text.includes(s), `a secret leaked: …${s.slice(-6)}`);
  }

  it('serves /metrics by content negotiation, /api/v1/balances as check --json, /healthz; 404, 405 and 400, never a crash', async () => {
    const { url, proc } = await serve();
    const om = await get(`${url}/metrics`, { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' });
    assert.equal(om.status, 200);
    assert.equal(om.headers['content-type'], 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    assert.ok(om.body.endsWith('# EOF\n'));
    assert.match(om.body, /^llm_balance_remaining\{account="deepseek",provider="deepseek",currency="CNY"\} 110$/m);
    const text = await get(`${url}/metrics`);
    assert.equal(text.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.doesNotMatch(text.body, /# EOF/);
    const api = await get(`${url}/api/v1/balances`);
    const snapshot = JSON.parse(api.body) as { checkedAt: string; accounts: { accountId: string; balance: number }[]; summary: { totalAccounts: number; totalBalance: Record<string, number> }; notificationsSent: unknown[] };
    assert.deepEqual(snapshot.accounts.map((a) => [a.accountId, a.balance]).sort(), [['deepseek', 110], ['openrouter', 74.75]]);
    assert.deepEqual(snapshot.summary.totalBalance, { CNY: 110, USD: 74.75 });
    assert.ok(Array.isArray(snapshot.notificationsSent));
    // As check --json: DeepSeek's note in English, without the message ids the extension translates.
    assert.ok(api.body.includes('"note":"Also on this account: USD 0.00."'), api.body);
    assert.doesNotMatch(api.body, /noteL10n|errorL10n/);
    assert.equal((await get(`${url}/nope`)).status, 404);
    const post = await get(`${url}/metrics`, {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    const head = await get(`${url}/metrics`, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    // A request line that is not HTTP.
    const garbage = await new Promise<string>((resolve) => {
      const s = net.connect(Number(new URL(url).port), '127.0.0.1', () => s.write('\u0000\u0001 nonsense\r\n\r\n'));
      let got = '';
      s.on('data', (b) => (got += b.toString()));
      s.on('close', () => resolve(got));
    });
    assert.match(garbage, /^HTTP\/1\.1 400/);
    assert.equal((await get(`${url}/healthz`)).status, 200, 'the server died after bad requests');
    assert.equal(proc.child.exitCode, null);
    assertNoKey(om.body + text.body + api.body + proc.out);
  });

  it('another address than loopback needs LLM_BALANCE_SERVE_TOKEN; a short token is refused', async () => {
    const open = await run(process.execPath, [CLI, 'serve', '--listen', '0.0.0.0:0', '--state-dir', dir], { env: env() });
    assert.equal(open.code, 3);
    assert.match(open.stderr, /set LLM_BALANCE_SERVE_TOKEN/);
    const short = await run(process.execPath, [CLI, 'serve', '--state-dir', dir], { env: env({ LLM_BALANCE_SERVE_TOKEN: 'short' }) });
    assert.equal(short.code, 3);
    assert.match(short.stderr, /at least 16 characters/);
    const badListen = await run(process.execPath, [CLI, 'serve', '--listen', 'nowhere', '--state-dir', dir], { env: env() });
    assert.equal(badListen.code, 3);
    assert.match(badListen.stderr, /--listen must be HOST:PORT/);
    const badInterval = await run(process.execPath, [CLI, 'serve', '--interval', 'soon', '--state-dir', dir], { env: env() });
    assert.equal(badInterval.code, 3);
    assert.equal(fake.requests.length, 0, 'a provider was called despite the usage errors');
  });

  it('with a token, /metrics and /api/v1/balances need it as a bearer (401 otherwise); /healthz does not', async () => {
    const { url, proc } = await serve([], { LLM_BALANCE_SERVE_TOKEN: SERVE_TOKEN });
    const none = await get(`${url}/metrics`);
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="llm-balance"');
    assert.equal((await get(`${url}/api/v1/balances`, { authorization: `Bearer ${SERVE_TOKEN}x` })).status, 401);
    assert.equal((await get(`${url}/api/v1/balances`, { authorization: `Bearer ${SERVE_TOKEN.slice(0, -1)}` })).status, 401);
    assert.equal((await get(`${url}/metrics`, { authorization: `Basic ${SERVE_TOKEN}` })).status, 401);
    const ok = await get(`${url}/metrics`, { authorization: `Bearer ${SERVE_TOKEN}` });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /llm_balance_up\{account="openrouter"\} 1/);
    assert.equal((await get(`${url}/healthz`)).status, 200);
    assertNoKey(ok.body + none.body + proc.out);
  });

  it('a failed check keeps serving the last good numbers, with up 0 and the time of the last success', async () => {
    const { url } = await serve(['--interval', '0.05']);
    const first = await get(`${url}/metrics`);
    const lastSuccess = /llm_balance_last_success_timestamp_seconds\{account="deepseek"\} (\S+)/.exec(first.body)?.[1];
    assert.ok(lastSuccess, first.body);
    fake.route('GET', '/deepseek/user/balance', { status: 503, body: '<html>503 Service Unavailable</html>' });
    const after = await eventually('a failed deepseek check', 20_000, async () => {
      const m = await get(`${url}/metrics`);
      return /llm_balance_up\{account="deepseek"\} 0/.test(m.body) ? m.body : undefined;
    });
    assert.match(after, /^llm_balance_remaining\{account="deepseek",provider="deepseek",currency="CNY"\} 110$/m);
    assert.match(after, new RegExp(`llm_balance_last_success_timestamp_seconds\\{account="deepseek"\\} ${lastSuccess.replace('.', '\\.')}\\n`));
    assert.match(after, /llm_balance_up\{account="openrouter"\} 1/);
    const api = JSON.parse((await get(`${url}/api/v1/balances`)).body) as { accounts: { accountId: string; stale?: boolean; balance: number; errorKind?: string }[] };
    const ds = api.accounts.find((a) => a.accountId === 'deepseek')!;
    assert.deepEqual([ds.stale, ds.balance, ds.errorKind], [true, 110, 'server']);
  });

  it('alerts once through the ledger and the channels of check (a webhook), not again on the next round', async () => {
    const hooks: unknown[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    try {
      fake.route('GET', '/deepseek/user/balance', { body: { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: '12.00', granted_balance: '0', topped_up_balance: '12.00' }] } });
      const hookUrl = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/hook`;
      const { url, proc } = await serve(['--interval', '0.05'], { WEBHOOK_URL: hookUrl });
      await eventually('the webhook alert', 15_000, async () => (hooks.length > 0 ? true : undefined));
      // Two more rounds (3 s apart) must not repeat it.
      const rounds = async () => Number(/"rounds":(\d+)/.exec((await get(`${url}/healthz`)).body)?.[1]);
      const start = await rounds();
      await eventually('two more rounds', 20_000, async () => ((await rounds()) >= start + 2 ? true : undefined));
      assert.equal(hooks.length, 1, JSON.stringify(hooks));
      const hook = hooks[0] as { accountId?: string; level?: string; text?: string; message?: string };
      assert.match(JSON.stringify(hook), /deepseek/);
      assert.match(JSON.stringify(hook), /critical/i);
      assert.match(proc.out, /CRITICAL: DeepSeek balance low/);
      assertNoKey(JSON.stringify(hooks) + proc.out);
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });

  it('a team account reads the verdicts of the team\'s thresholds: a shared account\'s alert quotes them, not this machine\'s', async () => {
    const config = path.join(dir, 'team.json');
    await fs.writeFile(config, JSON.stringify({
      accounts: [{ id: 'ds', provider: 'deepseek', label: 'DeepSeek (team)', baseUrl: `${fake.url}/deepseek`, keyEnv: 'DEEPSEEK_API_KEY' }],
      thresholds: { CNY: { warning: 200, critical: 50 } },
    }));
    const { url } = await serve(['--config', config]);
    const api = JSON.parse((await get(`${url}/api/v1/balances`)).body) as { accounts: BalanceResult[] };
    assert.deepEqual(api.accounts.map((a) => [a.accountId, a.balance, a.level, a.verdict]), [
      ['ds', 110, 'warning', { fired: { rule: 'amount', threshold: 200 }, thresholds: { warning: 200, critical: 50 } }],
    ]);

    // A developer's window, on the default thresholds (¥110 is fine there: warning at ¥70).
    const client = new HttpClient({ timeoutMs: 5000, env: {} });
    try {
      const engine = new CheckScheduler({ check: checkOver(client), store: new MemoryStore(), cacheTtlMs: 0, keys: () => ({ key: SERVE_TOKEN }) });
      const teamAccount = AccountSchema.parse({ id: 'acme', provider: 'team', label: 'Acme', baseUrl: url });
      const [shared] = expandTeamResults(await engine.check([teamAccount], { force: true }));
      assert.deepEqual([shared!.accountId, shared!.level, shared!.verdict?.fired], ['acme/ds', 'warning', { rule: 'amount', threshold: 200 }]);
      const told = await decideAlerts([shared!], {
        ledger: new NotificationLedger(new MemoryStore(), 24), rules: DEFAULT_ALERT_RULES, account: () => undefined, cooldownHours: 24, history: () => ({ seriesView: () => [] }),
      });
      assert.deepEqual(told.map((d) => d.message), ['WARNING: Team: DeepSeek (team) balance low — ¥110.00 left (threshold ¥200.00). Add funds to avoid interruption.']);
    } finally {
      await client.close();
    }
  });

  it('slow clients cannot hold it: a half-sent request is cut after the header timeout while scrapes go on', async () => {
    const { url } = await serve();
    const port = Number(new URL(url).port);
    const t0 = Date.now();
    const slow = Array.from({ length: 20 }, () => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET /metrics HTTP/1.1\r\nHost: x\r\n'));
      s.on('error', () => undefined);
      let answer = '';
      s.on('data', (b) => (answer += b.toString()));
      const trickle = setInterval(() => s.writable && s.write('X-Slow: 1\r\n'), 500);
      return new Promise<{ ms: number; answer: string }>((resolve) => s.on('close', () => {
        clearInterval(trickle);
        resolve({ ms: Date.now() - t0, answer });
      }));
    });
    const scrape = await get(`${url}/metrics`);
    assert.equal(scrape.status, 200, 'a scrape waited behind the slow clients');
    const closedAfter = await Promise.all(slow);
    for (const { ms, answer } of closedAfter) {
      assert.ok(ms < 9_000, `a slow client held a connection for ${ms} ms`);
      assert.match(answer, /^HTTP\/1\.1 408 /);
    }
  });

  it('at most 64 connections: the rest are closed at once, and the held ones expire so scrapes resume', async () => {
    const { url } = await serve();
    const port = Number(new URL(url).port);
    const t0 = Date.now();
    const sockets = await Promise.all(Array.from({ length: 80 }, () => new Promise<{ closedAfter: Promise<number> }>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      s.resume();
      const closedAfter = new Promise<number>((r) => s.on('close', () => r(Date.now() - t0)));
      s.on('connect', () => resolve({ closedAfter }));
    })));
    const times = await Promise.all(sockets.map((s) => s.closedAfter));
    const atOnce = times.filter((ms) => ms < 1_000).length;
    assert.ok(atOnce >= 16, `only ${atOnce} of the connections beyond the limit were refused at once`);
    assert.ok(times.every((ms) => ms < 9_000), `a silent connection was held for ${Math.max(...times)} ms`);
    assert.equal((await get(`${url}/metrics`)).status, 200);
  });

  it('a check on the same state directory is not locked out by serve: it takes its turn between rounds', async () => {
    await serve(['--interval', '0.05']);
    const out = await run(process.execPath, [CLI, 'check', '--json', '--state-dir', path.join(dir, 'state')], { env: env(), timeoutMs: 30_000 });
    assert.equal(out.code, 0, out.stderr);
    const json = JSON.parse(out.stdout) as { accounts: { accountId: string; balance: number }[] };
    assert.deepEqual(json.accounts.map((a) => [a.accountId, a.balance]).sort(), [['deepseek', 110], ['openrouter', 74.75]]);
  });

  it('SIGTERM finishes the running check, saves state and exits 0', async () => {
    const { url, proc } = await serve(['--interval', '0.05']);
    const hitsBefore = fake.hits('/openrouter/api/v1/credits').length;
    fake.route('GET', '/openrouter/api/v1/credits', { delayMs: 2000, body: { data: { total_credits: 50, total_usage: 10 } } });
    await eventually('the next round to start', 10_000, async () => (fake.hits('/openrouter/api/v1/credits').length > hitsBefore ? true : undefined), 20);
    const t0 = Date.now();
    process.kill(proc.child.pid!, 'SIGTERM');
    const exit = await proc.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, proc.out);
    assert.ok(Date.now() - t0 >= 1000, 'it did not wait for the running check');
    assert.match(proc.out, /stopped/);
    const state = JSON.parse(await fs.readFile(path.join(dir, 'state', 'state.json'), 'utf8')) as Record<string, { result?: { balance: number } }>;
    assert.equal(state['llmBalance.result.openrouter']?.result?.balance, 40, 'the slow check was not saved');
    const history = await fs.readFile(path.join(dir, 'state', 'history.json'), 'utf8');
    assert.match(history, /openrouter/);
    await sleep(100);
    await assert.rejects(get(`${url}/healthz`), 'still listening after exit');
  });
});
