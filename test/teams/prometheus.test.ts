// End to end on loopback with the real engines: `llm-balance serve` against the fake providers,
// a real Prometheus scraping it every second (with the bearer token, OpenMetrics negotiated)
// and evaluating contrib/prometheus's rules, a real Alertmanager routing them to a webhook
// receiver of ours. The critical alert arrives; a provider that stops answering brings the
// check-failing alert; nothing Prometheus stored holds a key.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';
import { CLI, KEY, Proc, REPO, SERVE_TOKEN, eventually, freePort, tool } from './support';

interface AmAlert { status: string; labels: Record<string, string>; annotations: Record<string, string> }
interface AmPayload { version: string; status: string; receiver: string; alerts: AmAlert[]; groupLabels: Record<string, string> }

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200, `${url}: HTTP ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

/**
 * The contrib rules with their `for:` waits cut to two seconds, so that the test takes
 * seconds rather than half an hour; expressions, labels and texts are the shipped ones.
 */
async function rulesForTest(): Promise<string> {
  const text = await fs.readFile(path.join(REPO, 'contrib/prometheus/llm-balance.rules.yml'), 'utf8');
  const out = text.replace(/^(\s+)for: \d+[smh]$/gm, '$1for: 2s');
  assert.notEqual(out, text, 'no for: found in the rules');
  return out;
}

describe('teams: serve → Prometheus → Alertmanager → webhook (real engines)', function () {
  this.timeout(150_000);
  const fake = new FakeProviderServer();
  const novita = new FakeProviderServer();
  const procs: Proc[] = [];
  const hooks: AmPayload[] = [];
  let receiver: http.Server;
  let dir: string;
  let promUrl = '';
  let serveUrl = '';

  before(async function () {
    this.timeout(60_000);
    const prometheusBin = tool('prometheus');
    const alertmanagerBin = tool('prometheus-alertmanager');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmb-prom-'));
    await fake.start();
    await novita.start();
    // DeepSeek at ¥12: below the critical ¥35.
    fake.route('GET', '/deepseek/user/balance', { body: { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: '12.00', granted_balance: '0.00', topped_up_balance: '12.00' }] } });

    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        try {
          hooks.push(JSON.parse(body) as AmPayload);
        } catch {
          /* a body that is not JSON fails the assertions below */
        }
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;

    const config = {
      accounts: [
        { id: 'openrouter', provider: 'openrouter', label: 'OpenRouter (team)', baseUrl: `${fake.url}/openrouter/api/v1`, keyEnv: 'TEAM_KEY' },
        { id: 'deepseek', provider: 'deepseek', label: 'DeepSeek (team)', baseUrl: `${fake.url}/deepseek`, keyEnv: 'TEAM_KEY' },
        { id: 'novita', provider: 'novita', label: 'Novita (team)', baseUrl: `${novita.url}/novita`, keyEnv: 'TEAM_KEY' },
      ],
    };
    await fs.writeFile(path.join(dir, 'accounts.json'), JSON.stringify(config));
    const serve = new Proc('serve', process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0', '--interval', '0.05', '--config', path.join(dir, 'accounts.json'), '--state-dir', path.join(dir, 'state')], {
      PATH: process.env.PATH ?? '', HOME: dir, TEAM_KEY: KEY, LLM_BALANCE_SERVE_TOKEN: SERVE_TOKEN,
    });
    procs.push(serve);
    serveUrl = (await serve.waitFor(/serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/, 15_000))[1]!;

    const amPort = await freePort();
    await fs.writeFile(path.join(dir, 'alertmanager.yml'), [
      'route:',
      '  receiver: ours',
      '  group_by: [alertname, account]',
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: ours',
      '    webhook_configs:',
      `      - url: ${hookUrl}`,
      '        send_resolved: false',
      '',
    ].join('\n'));
    const am = new Proc('alertmanager', alertmanagerBin, [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'am')}`,
      `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=',
    ], { PATH: process.env.PATH ?? '' });
    procs.push(am);
    await eventually('Alertmanager ready', 30_000, async () => ((await fetch(`http://127.0.0.1:${amPort}/-/ready`)).ok ? true : undefined));

    const promPort = await freePort();
    await fs.writeFile(path.join(dir, 'rules.yml'), await rulesForTest());
    await fs.writeFile(path.join(dir, 'prometheus.yml'), [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files: [rules.yml]',
      'alerting:',
      '  alertmanagers:',
      `    - static_configs: [{ targets: ['127.0.0.1:${amPort}'] }]`,
      'scrape_configs:',
      '  - job_name: llm-balance',
      '    authorization:',
      `      credentials: ${SERVE_TOKEN}`,
      `    static_configs: [{ targets: ['${new URL(serveUrl).host}'] }]`,
      '',
    ].join('\n'));
    const prom = new Proc('prometheus', prometheusBin, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'prom')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ], { PATH: process.env.PATH ?? '' }, dir);
    procs.push(prom);
    promUrl = `http://127.0.0.1:${promPort}`;
    await eventually('Prometheus ready', 30_000, async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined));
  });

  after(async () => {
    for (const p of procs.reverse()) await p.stop('SIGTERM');
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    await fake.stop();
    await novita.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  function firing(alertname: string, account: string): AmAlert | undefined {
    for (const h of hooks) for (const a of h.alerts) if (a.status === 'firing' && a.labels.alertname === alertname && a.labels.account === account) return a;
    return undefined;
  }

  it('Prometheus scrapes serve as OpenMetrics with the bearer token and stores the balances', async () => {
    const target = await eventually('a healthy scrape', 30_000, async () => {
      const t = await getJson<{ data: { activeTargets: { health: string; lastError: string; labels: Record<string, string> }[] } }>(`${promUrl}/api/v1/targets`);
      const a = t.data.activeTargets[0];
      return a && a.health === 'up' ? a : undefined;
    });
    assert.equal(target.lastError, '');
    const q = await getJson<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(`${promUrl}/api/v1/query?query=${encodeURIComponent('llm_balance_remaining')}`);
    const byAccount = Object.fromEntries(q.data.result.map((r) => [r.metric.account, [r.metric.currency, Number(r.value[1])]]));
    assert.deepEqual(byAccount, { openrouter: ['USD', 74.75], deepseek: ['CNY', 12], novita: ['USD', 100] });
    // The UNIT of OpenMetrics reached Prometheus' metadata.
    const meta = await getJson<{ data: Record<string, { type: string; help: string; unit: string }[]> }>(`${promUrl}/api/v1/metadata?metric=llm_balance_check_duration_seconds`);
    assert.equal(meta.data.llm_balance_check_duration_seconds?.[0]?.unit, 'seconds', JSON.stringify(meta.data));
  });

  it('the critical rule fires and Alertmanager delivers it to our webhook', async () => {
    const alert = await eventually('the critical alert at the webhook', 60_000, async () => firing('LLMBalanceCritical', 'deepseek'), 250);
    assert.equal(alert.labels.severity, 'critical');
    assert.equal(alert.labels.label, 'DeepSeek (team)');
    assert.equal(alert.annotations.summary, 'DeepSeek (team): balance critical');
    assert.equal(alert.annotations.description, 'DeepSeek (team) (deepseek) is at or below its critical threshold: 12 CNY left. Add funds to avoid interruption.');
    assert.equal(firing('LLMBalanceCritical', 'openrouter'), undefined, 'a funded account alerted');
    const payload = hooks.find((h) => h.alerts.some((a) => a.labels.alertname === 'LLMBalanceCritical'))!;
    assert.equal(payload.receiver, 'ours');
    if (process.env.LLMB_TEAMS_ALERT_OUT) await fs.writeFile(process.env.LLMB_TEAMS_ALERT_OUT, JSON.stringify(payload, null, 2));
  });

  it('a provider that stops answering brings the check-failing alert, while its last balance is still served', async () => {
    await novita.stop();
    const alert = await eventually('the check-failing alert at the webhook', 60_000, async () => firing('LLMBalanceCheckFailing', 'novita'), 250);
    assert.equal(alert.labels.severity, 'warning');
    assert.match(alert.annotations.description ?? '', /novita/);
    const q = await getJson<{ data: { result: { value: [number, string] }[] } }>(`${promUrl}/api/v1/query?query=${encodeURIComponent('llm_balance_remaining{account="novita"}')}`);
    assert.equal(Number(q.data.result[0]?.value[1]), 100, 'the last good balance is no longer served');
    assert.equal(firing('LLMBalanceCheckFailing', 'openrouter'), undefined);
  });

  it('every dashboard query runs on the real Prometheus; the balance panel has data', async () => {
    const dash = JSON.parse(await fs.readFile(path.join(REPO, 'contrib/grafana/llm-balance.dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    for (const p of dash.panels) {
      for (const t of p.targets) {
        const expr = t.expr.replace(/\$account/g, '.*');
        const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
        const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
        assert.equal(body.status, 'success', `${p.title}: ${expr}: ${body.error}`);
        if (p.title === 'Balance over time') assert.ok((body.data?.result.length ?? 0) >= 3, `${p.title}: no data`);
      }
    }
  });

  it('no key or token in anything Prometheus or Alertmanager stored', async () => {
    const secrets = [KEY, KEY.slice(0, 16), KEY.slice(-12), SERVE_TOKEN, SERVE_TOKEN.slice(0, 12), SERVE_TOKEN.slice(-12)];
    const seen: string[] = [];
    const labels = await getJson<{ data: string[] }>(`${promUrl}/api/v1/labels`);
    for (const name of labels.data) seen.push(JSON.stringify(await getJson(`${promUrl}/api/v1/label/${encodeURIComponent(name)}/values`)));
    seen.push(JSON.stringify(await getJson(`${promUrl}/api/v1/series?match[]=${encodeURIComponent('{__name__=~".+"}')}`)));
    seen.push(JSON.stringify(await getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent('{__name__=~"llm_balance_.+"}[1m]')}`)));
    for (const p of ['/api/v1/targets', '/api/v1/alerts', '/api/v1/rules', '/api/v1/metadata', '/api/v1/status/config']) seen.push(JSON.stringify(await getJson(promUrl + p)));
    seen.push(JSON.stringify(hooks));
    const all = seen.join('\n');
    assert.ok(all.includes('llm_balance_remaining') && all.includes('deepseek'), 'the API answers were empty');
    for (const s of secrets) assert.ok(!all.includes(s), `a secret reached Prometheus or Alertmanager: …${s.slice(-6)}`);
    for (const p of procs) for (const s of secrets) assert.ok(!p.out.includes(s), `${p.name}'s log holds a secret`);
    void serveUrl;
  });
});
