// The exporter's output and contrib/ checked by the real tools: promtool (from Debian's
// prometheus package) on `check --format openmetrics` and `--textfile`, promtool's rule tests,
// and systemd's own verifier on the unit. A missing tool fails these tests; it never skips them.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';
import { PROVIDER_IDS } from '../../src/core/model';
import { ADMIN_KEY, CLI, KEY, REPO, everyProviderConfig, keyEnv, run, tool } from './support';
import { useCliScratch } from '../cli/support';

const FAMILIES = [
  'llm_balance_remaining', 'llm_balance_limit', 'llm_balance_usage', 'llm_balance_threshold', 'llm_balance_level',
  'llm_balance_up', 'llm_balance_last_success_timestamp_seconds', 'llm_balance_check_duration_seconds', 'llm_balance_info',
];

describe('teams: exposition and contrib/ under the real tools', function () {
  this.timeout(60_000);
  const fake = new FakeProviderServer();
  let dir: string;
  useCliScratch(fake, 'llmb-teams-', (d) => (dir = d));

  async function checkCli(args: string[]) {
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(everyProviderConfig(fake.url)));
    return run(process.execPath, [CLI, 'check', '--config', path.join(dir, 'config.json'), '--state-dir', path.join(dir, 'state'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...keyEnv() },
    });
  }

  it('check --format openmetrics: every provider\'s default fake answer passes promtool check metrics, with no key in it', async () => {
    const promtool = tool('promtool');
    const out = await checkCli(['--format', 'openmetrics']);
    // The team's recorded snapshot shares an account whose key was refused: the worst is error.
    assert.equal(out.code, 2, out.stderr);
    const text = out.stdout;
    assert.ok(text.endsWith('# EOF\n'), text.slice(-200));
    const lint = await run(promtool, ['check', 'metrics'], { input: text });
    assert.equal(lint.code, 0, `promtool check metrics:\n${lint.stdout}${lint.stderr}\n${text}`);
    assert.equal((lint.stdout + lint.stderr).trim(), '', 'promtool has complaints');
    for (const id of PROVIDER_IDS) {
      // A team account is shown as the accounts it shares, under its own id.
      const account = id === 'team' ? 'team-acct/openrouter-shared' : `${id}-acct`;
      assert.match(text, new RegExp(`^llm_balance_info\\{account="${account}",`, 'm'), `no ${id} account in the output`);
      assert.match(text, new RegExp(`^llm_balance_up\\{account="${account}"\\} 1$`, 'm'), `${id} is not up`);
    }
    assert.match(text, /^llm_balance_remaining\{account="deepseek-acct",provider="deepseek",currency="CNY"\} 110$/m);
    // The custom account's label carries quotes, a backslash and a newline.
    assert.match(text, /label="Credits \\"team\\" \\\\ A B"/);
    for (const f of FAMILIES) assert.match(text, new RegExp(`^${f}[{ ]`, 'm'), `no samples of ${f}`);
    for (const secret of [KEY, ADMIN_KEY, KEY.slice(0, 20), KEY.slice(-16)]) assert.ok(!text.includes(secret), 'a key leaked into the metrics');
  });

  it('check --textfile DIR writes llm_balance.prom atomically, 0.0.4 text without timestamps, readable by node_exporter', async () => {
    const promtool = tool('promtool');
    const tf = path.join(dir, 'textfile');
    const out = await checkCli(['--textfile', tf]);
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stdout, /Account/, 'the table still goes to stdout');
    assert.deepEqual(await fs.readdir(tf), ['llm_balance.prom'], 'a temp file was left behind');
    const file = path.join(tf, 'llm_balance.prom');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o644);
    const text = await fs.readFile(file, 'utf8');
    assert.doesNotMatch(text, /# EOF|# UNIT/);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^\S+\{[^}]*\} \S+$/, `a sample with a timestamp or no labels: ${line}`);
    const lint = await run(promtool, ['check', 'metrics'], { input: text });
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
  });

  it('--format rejects an unknown format and --json with another format, before any check', async () => {
    const bad = await checkCli(['--format', 'xml']);
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /--format must be one of table, json, openmetrics/);
    const both = await checkCli(['--json', '--format', 'openmetrics']);
    assert.equal(both.code, 3);
    assert.equal(fake.requests.length, 0, 'a provider was called despite the usage error');
    const json = await checkCli(['--format', 'json']);
    assert.equal((JSON.parse(json.stdout) as { accounts: unknown[] }).accounts.length, PROVIDER_IDS.length - 1 + 3);
  });

  it('contrib/prometheus: the rules load and their promtool tests pass', async () => {
    const promtool = tool('promtool');
    const dirRules = path.join(REPO, 'contrib/prometheus');
    const check = await run(promtool, ['check', 'rules', 'llm-balance.rules.yml'], { cwd: dirRules });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /SUCCESS: 6 rules found/);
    const testFiles = ['llm-balance.rules.test.yml', 'llm-balance.spike.test.yml'];
    const tests = await run(promtool, ['test', 'rules', ...testFiles], { cwd: dirRules });
    assert.equal(tests.code, 0, tests.stdout + tests.stderr);
    assert.equal(tests.stdout.match(/SUCCESS/g)?.length, 2, tests.stdout);
    const testText = (await Promise.all(testFiles.map((f) => fs.readFile(path.join(dirRules, f), 'utf8')))).join('\n');
    const rules = await fs.readFile(path.join(dirRules, 'llm-balance.rules.yml'), 'utf8');
    for (const alert of ['LLMBalanceCritical', 'LLMBalanceWarning', 'LLMBalanceStale', 'LLMBalanceCheckFailing', 'LLMBalanceSpendSpike']) {
      assert.match(rules, new RegExp(`alert: ${alert}\\n`));
      assert.match(testText, new RegExp(`alertname: ${alert}\\n`), `${alert} has no test`);
    }
  });

  it('contrib/grafana: the dashboard is valid JSON whose queries use only the exported families', async () => {
    const dash = JSON.parse(await fs.readFile(path.join(REPO, 'contrib/grafana/llm-balance.dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const titles = dash.panels.map((p) => p.title);
    assert.ok(titles.includes('Balance over time') && titles.includes('Time to zero'), titles.join(', '));
    for (const p of dash.panels) {
      for (const t of p.targets) {
        for (const m of t.expr.matchAll(/\bllm_balance_[a-z_]+/g)) assert.ok(FAMILIES.includes(m[0]), `${p.title}: unknown metric ${m[0]}`);
      }
    }
  });

  it('contrib/systemd: systemd-analyze verify accepts the unit', async () => {
    const unit = await fs.readFile(path.join(REPO, 'contrib/systemd/llm-balance.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/bin\/llm-balance serve /m);
    assert.match(unit, /^NoNewPrivileges=yes$/m);
    assert.match(unit, /^DynamicUser=yes$/m);
    // The verifier insists that the binary exists: point it at this build.
    const local = path.join(dir, 'llm-balance.service');
    await fs.writeFile(local, unit.replace('/usr/bin/llm-balance', `${process.execPath} ${CLI}`));
    const out = await run('systemd-analyze', ['verify', local]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.equal((out.stdout + out.stderr).trim(), '', out.stdout + out.stderr);
  });
});
