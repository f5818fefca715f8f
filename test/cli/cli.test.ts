// The CLI end to end: the built dist/cli.js as a child process against the fake providers.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';
import { runCli, useCliScratch, type CliRun } from './support';

const KEY = 'sk-test-cli-0123456789abcdefghij';

interface Run extends CliRun {
  json?: {
    checkedAt: string;
    accounts: { accountId: string; balance: number | null; currency: string; level: string; status: string; stale?: boolean; error?: string; errorKind?: string; verdict?: unknown }[];
    summary: { totalAccounts: number; totalBalance: Record<string, number>; accountsWithErrors: number; accountsCritical: number; accountsWarning: number };
    notificationsSent: { accountId: string; level: string; channel: string }[];
  };
}

async function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const run: Run = await runCli(args, env);
  if (args.includes('--json') && run.stdout.trim()) run.json = JSON.parse(run.stdout) as Run['json'];
  return run;
}

describe('llm-balance CLI', function () {
  this.timeout(30_000);
  const server = new FakeProviderServer();
  let dir: string;
  let env: Record<string, string>;
  useCliScratch(server, 'llmb-cli-', (d) => {
    dir = d;
    env = {
      OPENROUTER_API_KEY: KEY,
      OPENROUTER_BASE_URL: `${server.url}/openrouter/api/v1`,
      DEEPSEEK_API_KEY: KEY,
      DEEPSEEK_BASE_URL: `${server.url}/deepseek`,
      XDG_STATE_HOME: dir,
    };
  });

  it('check --json prints one JSON object with the right numbers and exits 0', async () => {
    const r = await cli(['check', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const j = r.json!;
    assert.equal(j.accounts.length, 2);
    const or = j.accounts.find((a) => a.accountId === 'openrouter')!;
    assert.equal(or.balance, 74.75);
    assert.equal(or.currency, 'USD');
    assert.equal(j.summary.totalAccounts, 2);
    assert.equal(j.summary.totalBalance.USD, 74.75);
    assert.equal(j.summary.accountsWithErrors, 0);
    assert.deepEqual(j.notificationsSent, []);
    assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY));
    // The note stays English, and the message ids the extension translates stay out of the JSON (SPEC §11).
    const ds = j.accounts.find((a) => a.accountId === 'deepseek') as { note?: string } | undefined;
    assert.equal(ds?.note, 'Also on this account: USD 0.00.');
    assert.ok(!/noteL10n|errorL10n/.test(r.stdout), r.stdout);
  });

  it('the table is readable and has totals', async () => {
    const r = await cli(['check'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /OpenRouter\s+\$74\.75/);
    assert.match(r.stdout, /Total: \$74\.75/);
  });

  it('exit 1 for a warning, 2 for critical; notifies once per cooldown across runs', async () => {
    server.route('GET', '/openrouter/api/v1/credits', { body: { data: { total_credits: 10, total_usage: 2 } } });
    const w = await cli(['check', '--json'], env);
    assert.equal(w.code, 1);
    // Each result says which rule set its level (SPEC §3 lists the fields; this one is added beside them).
    assert.deepEqual(w.json!.accounts.find((a) => a.accountId === 'openrouter')!.verdict, { fired: { rule: 'amount', threshold: 10 }, thresholds: { warning: 10, critical: 5 } });
    assert.deepEqual(w.json!.notificationsSent, [{ accountId: 'openrouter', level: 'warning', channel: 'console' }]);
    assert.match(w.stderr, /WARNING: OpenRouter balance low — \$8\.00 left \(threshold \$10\.00\)/);
    const again = await cli(['check', '--json', '--force'], env);
    assert.deepEqual(again.json!.notificationsSent, [], 'notified twice');
    const forced = await cli(['check', '--json', '--force-notify'], env);
    assert.equal(forced.json!.notificationsSent.length, 1);
    server.route('GET', '/openrouter/api/v1/credits', { body: { data: { total_credits: 10, total_usage: 9.31 } } });
    const c = await cli(['check', '--json', '--force'], env);
    assert.equal(c.code, 2);
    assert.equal(c.json!.accounts.find((a) => a.accountId === 'openrouter')!.balance, 0.69);
    assert.deepEqual(c.json!.notificationsSent.map((n) => n.level), ['critical']);
  });

  it('caches for an hour; --force goes to the provider', async () => {
    await cli(['check', '--json'], env);
    const n = server.hits('/openrouter/api/v1/credits').length;
    await cli(['check', '--json'], env);
    assert.equal(server.hits('/openrouter/api/v1/credits').length, n);
    await cli(['check', '--json', '--force'], env);
    assert.equal(server.hits('/openrouter/api/v1/credits').length, n + 1);
  });

  it('CREDIT_*_THRESHOLD override the USD thresholds', async () => {
    const r = await cli(['check', '--json'], { ...env, CREDIT_WARNING_THRESHOLD: '100', CREDIT_CRITICAL_THRESHOLD: '50' });
    assert.equal(r.json!.accounts.find((a) => a.accountId === 'openrouter')!.level, 'warning');
    assert.equal(r.code, 1);
    const bad = await cli(['check'], { ...env, CREDIT_WARNING_THRESHOLD: 'ten' });
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /CREDIT_WARNING_THRESHOLD must be a number/);
  });

  it('a rejected key: exit 2, redacted error in JSON', async () => {
    const bad = 'sk-bad-cli-abcdefghijklmnopqrstuvwxyz';
    server.route('GET', '/openrouter/api/v1/credits', (req) => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${req.key}` } } }));
    const r = await cli(['check', '--json'], { ...env, OPENROUTER_API_KEY: bad });
    assert.equal(r.code, 2);
    const a = r.json!.accounts.find((x) => x.accountId === 'openrouter')!;
    assert.equal(a.status, 'invalid');
    assert.ok(!r.stdout.includes(bad) && !r.stderr.includes(bad), 'key leaked');
  });

  it('--config with keyEnv, custom thresholds and a disabled account', async () => {
    const cfg = path.join(dir, 'accounts.json');
    await fs.writeFile(cfg, JSON.stringify({
      accounts: [
        { id: 'or-work', provider: 'openrouter', label: 'OpenRouter (work)', baseUrl: `${server.url}/openrouter/api/v1`, keyEnv: 'WORK_KEY', warning: 80 },
        { id: 'ds', provider: 'deepseek', baseUrl: `${server.url}/deepseek`, keyEnv: 'DS_KEY' },
        { id: 'off', provider: 'deepseek', enabled: false, keyEnv: 'DS_KEY' },
      ],
      thresholds: { CNY: { warning: 200, critical: 20 } },
    }));
    const r = await cli(['check', '--json', '--config', cfg], { WORK_KEY: KEY, XDG_STATE_HOME: dir });
    assert.deepEqual(r.json!.accounts.map((a) => [a.accountId, a.level]), [['or-work', 'warning'], ['ds', 'error']]);
    assert.match(r.json!.accounts[1]!.error ?? '', /key missing/);
    assert.equal(r.code, 2);
  });

  it('bad config and usage errors exit 3 with a clear message', async () => {
    const cfg = path.join(dir, 'bad.json');
    await fs.writeFile(cfg, JSON.stringify({ accounts: [{ id: 'Bad Id', provider: 'nope' }] }));
    const r = await cli(['check', '--config', cfg], env);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /accounts\.0\.id/);
    assert.match(r.stderr, /accounts\.0\.provider/);
    await fs.writeFile(cfg, '{ not json');
    assert.match((await cli(['check', '--config', cfg], env)).stderr, /not valid JSON/);
    assert.equal((await cli(['check', '--config', path.join(dir, 'missing.json')], env)).code, 3);
    assert.equal((await cli(['check', '--bogus'], env)).code, 3);
    assert.equal((await cli(['frobnicate'], env)).code, 3);
    const none = await cli(['check'], { XDG_STATE_HOME: dir });
    assert.equal(none.code, 3);
    assert.match(none.stderr, /OPENROUTER_API_KEY/);
    const afile = path.join(dir, 'afile');
    await fs.writeFile(afile, 'x');
    const unwritable = await cli(['check', '--json', '--state-dir', path.join(afile, 'sub')], env);
    assert.equal(unwritable.code, 3);
    assert.match(unwritable.stderr, /not writable/);
    const plain = await cli(['check'], { ...env, OPENROUTER_BASE_URL: 'http://openrouter.example.com/api/v1' });
    assert.equal(plain.code, 2);
    assert.match(plain.stdout, /https/);
  });

  it('history shows what check recorded; a corrupt state file is set aside', async () => {
    await cli(['check', '--json', '--state-dir', dir], env);
    const h = await cli(['history', '24', '--json', '--state-dir', dir], env);
    assert.equal(h.code, 0, h.stderr);
    const hj = JSON.parse(h.stdout) as { accounts: { accountId: string; points: { balance: number }[] }[] };
    assert.equal(hj.accounts.find((a) => a.accountId === 'openrouter')!.points[0]!.balance, 74.75);
    const text = await cli(['history', '--state-dir', dir], env);
    assert.match(text.stdout, /\$74\.75/);
    await fs.writeFile(path.join(dir, 'state.json'), '{{{ corrupt');
    await fs.writeFile(path.join(dir, 'history.json'), 'also corrupt');
    const r = await cli(['check', '--json', '--state-dir', dir], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /corrupt/);
    await fs.access(path.join(dir, 'state.json.bak'));
    await fs.access(path.join(dir, 'history.json.bak'));
    assert.equal((await cli(['history', 'abc', '--state-dir', dir], env)).code, 3);
  });

  it('a relative XDG_STATE_HOME is ignored: runs from two working directories keep one ledger and alert once', async () => {
    server.route('GET', '/openrouter/api/v1/credits', { body: { data: { total_credits: 10, total_usage: 2 } } });
    const relative = { ...env, HOME: dir, XDG_STATE_HOME: 'state' };
    const runs: Run[] = [];
    for (const cwd of ['a', 'b']) {
      await fs.mkdir(path.join(dir, cwd));
      const r: Run = await runCli(['check', '--json', '--force'], relative, { cwd: path.join(dir, cwd) });
      r.json = JSON.parse(r.stdout) as Run['json'];
      runs.push(r);
    }
    assert.deepEqual(runs.map((r) => r.code), [1, 1], runs.map((r) => r.stderr).join('\n'));
    assert.deepEqual(runs.map((r) => r.json!.notificationsSent.length), [1, 0], 'the second run found the first one\'s ledger');
    await fs.access(path.join(dir, '.local', 'state', 'llm-balance', 'state.json'));
    for (const cwd of ['a', 'b']) assert.deepEqual(await fs.readdir(path.join(dir, cwd)), [], `nothing written under ${cwd}/`);
  });

  it('a hung provider is given up after the timeout and the rest still report', async () => {
    server.route('GET', '/deepseek/user/balance', { hang: true });
    const r = await cli(['check', '--json'], { ...env, LLM_BALANCE_TIMEOUT_SECONDS: '1' });
    const ds = r.json!.accounts.find((a) => a.accountId === 'deepseek')!;
    assert.equal(ds.errorKind, 'timeout');
    assert.equal(r.json!.accounts.find((a) => a.accountId === 'openrouter')!.balance, 74.75);
    assert.equal(r.code, 2);
  });

  it('delivers alerts to a webhook, reports them in notificationsSent, and does not repeat them', async () => {
    const received: unknown[] = [];
    let failNext = false;
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failNext) {
          res.writeHead(500).end('nope');
          return;
        }
        received.push(JSON.parse(body));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook/secret-path-123`;
    try {
      server.route('GET', '/openrouter/api/v1/credits', { body: { data: { total_credits: 10, total_usage: 9.31 } } });
      const r = await cli(['check', '--json'], { ...env, WEBHOOK_URL: hookUrl });
      assert.equal(r.code, 2);
      assert.deepEqual(r.json!.notificationsSent, [
        { accountId: 'openrouter', level: 'critical', channel: 'console' },
        { accountId: 'openrouter', level: 'critical', channel: 'webhook' },
      ]);
      assert.equal(received.length, 1);
      const p = received[0] as { account: string; level: string; balance: number; threshold: number; currency: string };
      assert.deepEqual([p.account, p.level, p.balance, p.threshold, p.currency], ['openrouter', 'critical', 0.69, 5, 'USD']);
      const again = await cli(['check', '--json', '--force'], { ...env, WEBHOOK_URL: hookUrl });
      assert.deepEqual(again.json!.notificationsSent, []);
      assert.equal(received.length, 1, 'the webhook was alerted twice');
      // A failing channel is reported, never fatal, and never shows the secret URL.
      failNext = true;
      const failed = await cli(['check', '--json', '--force-notify'], { ...env, WEBHOOK_URL: hookUrl });
      assert.equal(failed.code, 2);
      assert.deepEqual(failed.json!.notificationsSent.map((n) => n.channel), ['console']);
      assert.match(failed.stderr, /webhook/);
      assert.ok(!failed.stderr.includes('secret-path-123'), failed.stderr);
    } finally {
      hook.close();
    }
  });
});
