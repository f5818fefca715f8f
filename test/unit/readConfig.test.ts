import * as assert from 'node:assert/strict';
import { DEFAULT_PERCENT_THRESHOLDS, DEFAULT_THRESHOLDS } from '../../src/core/model';
import { readConfig } from '../../src/core/readConfig';

describe('readConfig', () => {
  const good = { id: 'or', provider: 'openrouter' };

  it('skips an invalid or repeated account, keeps the rest, and says which and why', () => {
    const c = readConfig({ accounts: [good, { id: 'Bad Id', provider: 'nope' }, { ...good, label: 'again' }, { id: 'off', provider: 'deepseek', enabled: false }] }, {});
    assert.deepEqual(c.accounts.map((a) => [a.account.id, a.source, a.index]), [['or', 'settings', 0], ['off', 'settings', 3]]);
    const [bad, dup] = c.problems;
    assert.equal(c.problems.length, 2);
    assert.ok(bad?.kind === 'account' && bad.index === 1 && bad.id === 'Bad Id');
    assert.deepEqual(bad.issues.map((i) => i.path).sort(), ['id', 'provider']);
    assert.deepEqual(dup, { kind: 'duplicate', index: 2, id: 'or' });
  });

  it('a value that is not a list is no accounts, not a crash', () => {
    assert.deepEqual(readConfig({ accounts: 'or' }, {}).accounts, []);
    assert.deepEqual(readConfig({}, {}).problems, []);
  });

  it('invalid thresholds fall back to the defaults, each with a problem; valid ones are used', () => {
    const bad = readConfig({ accounts: [], thresholds: { USD: { warning: 'ten' } }, percentThresholds: { warning: 500 } }, {});
    assert.deepEqual(bad.thresholds, { thresholds: DEFAULT_THRESHOLDS, percent: DEFAULT_PERCENT_THRESHOLDS });
    assert.deepEqual(bad.problems.map((p) => p.kind), ['thresholds', 'percentThresholds']);
    const own = readConfig({ thresholds: { EUR: { warning: 9, critical: 3 } }, percentThresholds: { warning: 30, critical: 15 } }, {});
    assert.deepEqual(own.thresholds, { thresholds: { EUR: { warning: 9, critical: 3 } }, percent: { warning: 30, critical: 15 } });
    assert.deepEqual(own.problems, []);
  });

  it('budget steps and spike settings: a bad one is reported without a setting prefix and defaulted', () => {
    const c = readConfig({ budgetSteps: [80, 150], spendSpike: { factor: 0 } }, {});
    assert.deepEqual(c.alertRules.budgetSteps, [80]);
    assert.equal(c.alertRules.spendSpike.factor, 5);
    assert.deepEqual(c.problems, [
      { kind: 'rule', message: 'budgetSteps[1]: 150 is not a percentage above 0 and at most 100; that step is skipped' },
      { kind: 'rule', message: 'spendSpike.factor: 0 is outside 1–1000; using 5' },
    ]);
  });

  it('environment accounts only when asked, as env-<provider>, translated label, never over a configured id', () => {
    const env = { DEEPSEEK_API_KEY: 'sk-test-env-0123456789', NOVITA_API_KEY: 'sk-test-env-novita-012345', NOVITA_BASE_URL: 'not a url' };
    assert.deepEqual(readConfig({ accounts: [] }, env).accounts, []);
    const t = (m: string, ...a: (string | number | boolean)[]) => `«${m.replace('{0}', String(a[0]))}»`;
    const c = readConfig({ accounts: [{ id: 'env-deepseek', provider: 'deepseek' }], useEnvironmentKeys: true }, env, { t });
    assert.deepEqual(c.accounts.map((a) => [a.account.id, a.source]), [['env-deepseek', 'settings']], 'the configured account keeps its id');
    assert.equal(c.problems.length, 1);
    assert.ok(c.problems[0]!.kind === 'environment' && /^NOVITA_API_KEY: baseUrl/.test(c.problems[0]!.message), JSON.stringify(c.problems));
    const d = readConfig({ accounts: [], useEnvironmentKeys: true }, { DEEPSEEK_API_KEY: env.DEEPSEEK_API_KEY }, { t });
    assert.deepEqual(d.accounts.map((a) => [a.account.id, a.account.label, a.envKeys]), [['env-deepseek', '«{0} (environment)»'.replace('{0}', 'DeepSeek'), { key: env.DEEPSEEK_API_KEY }]]);
  });
});
