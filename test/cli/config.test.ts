import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, UsageError } from '../../src/cli/config';

describe('CLI config file (through readConfig)', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmb-config-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  const write = async (body: unknown) => {
    const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    await fs.writeFile(file, JSON.stringify(body));
    return file;
  };

  it('a bad account, a repeated id and bad thresholds are all named in one usage error', async () => {
    const file = await write({
      accounts: [{ id: 'ok', provider: 'deepseek' }, { id: 'Bad Id', provider: 'nope' }, { id: 'ok', provider: 'novita' }],
      thresholds: { USD: { warning: 'ten', critical: 5 } },
    });
    const e = await loadConfig(file, {}).then(() => undefined, (err: unknown) => err);
    assert.ok(e instanceof UsageError, String(e));
    const lines = e.message.split('\n');
    assert.equal(lines[0], `Config file ${file} is invalid:`);
    assert.ok(lines.some((l) => l.startsWith('  accounts.1.id: ')), e.message);
    assert.ok(lines.some((l) => l.startsWith('  accounts.1.provider: ')), e.message);
    assert.ok(lines.includes('  accounts.2.id: "ok" is used twice'), e.message);
    assert.ok(lines.some((l) => l.startsWith('  thresholds.USD.warning: ')), e.message);
  });

  it('bad budget steps only warn, under the file\'s name; keys come from each account\'s variable', async () => {
    const file = await write({ accounts: [{ id: 'ds', provider: 'deepseek', keyEnv: 'DS_KEY' }], budgetSteps: [50, 500], thresholds: { CNY: { warning: 9, critical: 3 } } });
    const c = await loadConfig(file, { DS_KEY: ' sk-test-cfg-0123456789 ', CREDIT_WARNING_THRESHOLD: '12' });
    assert.deepEqual(c.warnings, [`${file}: budgetSteps[1]: 500 is not a percentage above 0 and at most 100; that step is skipped`]);
    assert.deepEqual(c.alertRules.budgetSteps, [50]);
    assert.deepEqual(c.accounts.map((a) => [a.account.id, a.keys]), [['ds', { key: 'sk-test-cfg-0123456789' }]]);
    assert.deepEqual(c.thresholds, { USD: { warning: 12, critical: 5 }, CNY: { warning: 9, critical: 3 } });
  });
});
