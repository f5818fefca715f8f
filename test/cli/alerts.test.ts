// Budget steps and spend spikes through the built CLI (SPEC §7, §11), against the fake providers.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';
import { BOT_TOKEN, CHAT_ID, FakeTelegram } from '../unit/alerts/fakes';
import { runCli, useCliScratch } from './support';

const KEY = 'sk-test-cli-alerts-0123456789abcdef';
const HOUR = 3_600_000;

interface Run {
  code: number;
  stderr: string;
  sent: { accountId: string; level: string; channel: string; kind?: string }[];
}

async function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const { code, stdout, stderr } = await runCli(['check', '--json', ...args], env);
  const json = stdout.trim() ? (JSON.parse(stdout) as { notificationsSent: Run['sent'] }) : { notificationsSent: [] };
  return { code, stderr, sent: json.notificationsSent };
}

describe('llm-balance CLI: budget steps and spend spikes', function () {
  this.timeout(30_000);
  const server = new FakeProviderServer();
  const P = '/openrouter/api/v1';
  let dir: string;
  let env: Record<string, string>;
  let config: string;
  const keyInfo = (remaining: number, reset: string | null = 'monthly') =>
    server.route('GET', `${P}/key`, { body: { data: { label: 'x', limit: 100, limit_remaining: remaining, limit_reset: reset, usage: 500, usage_monthly: 100 - remaining } } });
  const writeConfig = (extra: object) =>
    fs.writeFile(config, JSON.stringify({ accounts: [{ id: 'or', provider: 'openrouter', label: 'OpenRouter', baseUrl: server.url + P, keyEnv: 'OR_KEY' }], ...extra }));
  const state = async () => JSON.parse(await fs.readFile(path.join(dir, 'llm-balance', 'state.json'), 'utf8')) as Record<string, unknown>;

  useCliScratch(server, 'llmb-cli-alerts-', (d) => {
    dir = d;
    config = path.join(dir, 'config.json');
    env = { OR_KEY: KEY, XDG_STATE_HOME: dir };
  });

  it('announces each budget step once per window, the highest of several, and re-arms when the window resets', async () => {
    await writeConfig({ budgetSteps: [90, 20, 50, 80] });
    // The default fake key: $25.50 of a $100 monthly cap used.
    const first = await cli(['--config', config], env);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.sent, [{ accountId: 'or', level: 'info', channel: 'console', kind: 'step' }]);
    assert.match(first.stderr, /^BUDGET: OpenRouter passed 20% of its \$100\.00 monthly limit — \$25\.50 used, \$74\.50 left\.$/m);

    const again = await cli(['--config', config, '--force'], env);
    assert.deepEqual(again.sent, [], 'the same step twice');

    keyInfo(16);
    const both = await cli(['--config', config, '--force'], env);
    // 84 % used: 50 and 80 at once, one notice for 80; 16 % left is also the percent warning line.
    assert.equal(both.code, 1);
    assert.deepEqual(both.sent.map((s) => [s.level, s.kind ?? 'level']), [['warning', 'level']], 'the level alert says it; the step is not repeated beside it');
    const s = await state();
    assert.ok(s['llmBalance.notified.or.step.50'] && s['llmBalance.notified.or.step.80'], 'crossed steps were not recorded');
    assert.equal(s['llmBalance.notified.or.step.90'], undefined);

    keyInfo(9);
    const ninety = await cli(['--config', config, '--force'], env);
    assert.deepEqual(ninety.sent.map((x) => [x.level, x.kind ?? 'level']), [['critical', 'level']]);

    // The key's cap now resets daily: a new window, so the steps count again (the level was already said).
    keyInfo(9, 'daily');
    const reset = await cli(['--config', config, '--force'], env);
    assert.deepEqual(reset.sent, [{ accountId: 'or', level: 'critical', channel: 'console', kind: 'step' }]);
    assert.match(reset.stderr, /^CRITICAL: OpenRouter passed 90% of its \$100\.00 daily limit — \$91\.00 used, \$9\.00 left\.$/m);
    const after = await state();
    assert.equal(Object.keys(after).filter((k) => k.includes('.step.')).length, 4);
    assert.match(JSON.stringify(after['llmBalance.notified.or.step.20']), /"window":"day:/);
  });

  it('reports invalid step and spike values and keeps checking with the rest', async () => {
    await writeConfig({ budgetSteps: [20, 150], spendSpike: { factor: 0.5, minimum: -1 } });
    const r = await cli(['--config', config], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /budgetSteps\[1\]: 150 is not a percentage above 0 and at most 100; that step is skipped/);
    assert.match(r.stderr, /spendSpike\.factor: 0\.5 is outside 1–1000; using 5/);
    assert.match(r.stderr, /spendSpike\.minimum: -1 is outside 0–1000000; using 5/);
    assert.deepEqual(r.sent.map((s) => s.kind), ['step'], 'the valid step 20 still works');
  });

  /** Hourly history ending 70 minutes ago at `lastBalance`, spending $1 an hour. */
  async function writeHistory(days: number, lastBalance: number): Promise<void> {
    const now = Date.now();
    const points: unknown[] = [];
    const end = now - 70 * 60_000;
    for (let t = end - days * 24 * HOUR, b = lastBalance + days * 24; t <= end; t += HOUR, b -= 1) points.push([Math.round(t), b, null, null, 'USD', 'ok']);
    await fs.mkdir(path.join(dir, 'llm-balance'), { recursive: true });
    await fs.writeFile(path.join(dir, 'llm-balance', 'history.json'), JSON.stringify({ version: 1, accounts: { or: { label: 'OpenRouter', points } }, events: [] }));
  }

  it('warns of a spend spike from the history, once per cooldown', async () => {
    await writeConfig({});
    // The fake's balance is $74.75: $42.10 below the last recorded $116.85, against a usual $1 an hour.
    await writeHistory(7, 116.85);
    const r = await cli(['--config', config], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.sent, [{ accountId: 'or', level: 'warning', channel: 'console', kind: 'spike' }]);
    assert.match(r.stderr, /^UNUSUAL SPEND: OpenRouter dropped \$42\.10 in the last hour — 42× its usual\. Check for a leaked key\.$/m);
    const again = await cli(['--config', config, '--force'], env);
    assert.deepEqual(again.sent, [], 'the spike was announced twice within the cooldown');
    const history = JSON.parse(await fs.readFile(path.join(dir, 'llm-balance', 'history.json'), 'utf8')) as { events: { message: string }[] };
    assert.equal(history.events.filter((e) => e.message.startsWith('UNUSUAL SPEND')).length, 1);
  });

  it('gives no spike verdict on less than 3 days of history, and a top-up is not spend', async () => {
    await writeConfig({});
    await writeHistory(2, 116.85);
    assert.deepEqual((await cli(['--config', config], env)).sent, [], 'judged on 2 days of history');
    await fs.rm(path.join(dir, 'llm-balance'), { recursive: true });
    // Seven days, but the balance rose to $74.75 from $30: a top-up.
    await writeHistory(7, 30);
    assert.deepEqual((await cli(['--config', config], env)).sent, [], 'a top-up counted as spend');
  });

  describe('through the alert channels', () => {
    const telegram = new FakeTelegram();
    const hooks = new FakeProviderServer([]);
    const SLACK_PATH = '/services/T0001/B0001/cli-steps-spikes-secret';
    const HOOK_PATH = '/hook/cli-steps-spikes-secret';
    const channelEnv = () => ({
      ...env, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: CHAT_ID, TELEGRAM_API_BASE: telegram.url,
      SLACK_WEBHOOK_URL: hooks.url + SLACK_PATH, WEBHOOK_URL: hooks.url + HOOK_PATH,
    });
    const payloads = (p: string) => hooks.hits(p).map((h) => JSON.parse(h.body) as { kind: string; account: string; level: string; message: string; text?: string });
    const spikeLine = 'UNUSUAL SPEND: OpenRouter dropped $42.10 in the last hour — 42× its usual. Check for a leaked key.';
    const stepLine = 'BUDGET: OpenRouter passed 20% of its $100.00 monthly limit — $25.50 used, $74.50 left.';
    before(() => Promise.all([telegram.start(), hooks.start()]));
    after(() => Promise.all([telegram.stop(), hooks.stop()]));
    beforeEach(() => {
      telegram.reset();
      hooks.reset();
      hooks.route('POST', SLACK_PATH, { body: 'ok' });
      hooks.route('POST', HOOK_PATH, { status: 204 });
    });

    it('a budget step and a spend spike reach Telegram, Slack and the webhook once; the next run within the cooldown sends nothing', async () => {
      await writeConfig({ budgetSteps: [20] });
      await writeHistory(7, 116.85);
      const r = await cli(['--config', config], channelEnv());
      assert.equal(r.code, 0, r.stderr);
      const sent = (run: Run) => run.sent.map((x) => `${x.channel} ${x.kind ?? 'level'} ${x.level}`).sort();
      assert.deepEqual(sent(r), [
        'console spike warning', 'console step info', 'slack spike warning', 'slack step info', 'telegram spike warning', 'telegram step info', 'webhook spike warning', 'webhook step info',
      ]);
      assert.deepEqual(payloads(HOOK_PATH).map((p) => [p.kind, p.account, p.level, p.message]), [['step', 'or', 'info', stepLine], ['spike', 'or', 'warning', spikeLine]]);
      assert.deepEqual(payloads(SLACK_PATH).map((p) => p.text), [stepLine, spikeLine]);
      assert.equal(telegram.messages.length, 2);
      assert.match(telegram.messages[1]!.text, /^🟠 \*UNUSUAL SPEND: OpenRouter\*\nUNUSUAL SPEND: OpenRouter dropped \$42\\\.10 in the last hour/);
      // Nothing of the provider key went out (the Telegram token is in its own URL path, by design).
      const out = JSON.stringify([hooks.requests, telegram.messages, r.stderr]);
      for (const piece of [KEY, KEY.slice(0, 12), KEY.slice(-12)]) assert.ok(!out.includes(piece), 'a piece of the key reached a channel or the log');

      const again = await cli(['--config', config, '--force'], channelEnv());
      assert.deepEqual(again.sent, [], 'sent again within the cooldown');
      assert.equal(telegram.calls, 2);
      assert.equal(hooks.hits(HOOK_PATH).length + hooks.hits(SLACK_PATH).length, 4);
    });

    it('a step and a spike that no channel took are not recorded: the next run tries again', async () => {
      await writeConfig({ budgetSteps: [20] });
      await writeHistory(7, 116.85);
      // A webhook that is gone (404) is not retried: both alerts fail at once.
      hooks.route('POST', HOOK_PATH, { status: 404, body: 'no such hook' });
      const only = { ...env, WEBHOOK_URL: hooks.url + HOOK_PATH };
      const failed = await cli(['--config', config], only);
      assert.deepEqual(failed.sent.map((x) => `${x.channel} ${x.kind}`).sort(), ['console spike', 'console step']);
      assert.match(failed.stderr, /no channel took the budget-step alert for or; the next run will try again/);
      assert.match(failed.stderr, /no channel took the spend-spike alert for or; the next run will try again/);
      const s = await state();
      assert.equal(s['llmBalance.notified.or.step.20'], undefined);
      assert.equal(s['llmBalance.notified.or.spike'], undefined);

      hooks.route('POST', HOOK_PATH, { status: 204 });
      const retried = await cli(['--config', config, '--force'], only);
      assert.deepEqual(retried.sent.map((x) => `${x.channel} ${x.kind}`).sort(), ['console spike', 'console step', 'webhook spike', 'webhook step']);
      assert.deepEqual(payloads(HOOK_PATH).slice(-2).map((p) => p.kind), ['step', 'spike']);
      assert.ok((await state())['llmBalance.notified.or.step.20']);
    });
  });
});
