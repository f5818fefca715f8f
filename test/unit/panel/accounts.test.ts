// The threshold lines the panel draws (SPEC §9): a result's card has the lines its verdict was
// judged by; a configured account with no result yet has the lines its settings give.
import * as assert from 'node:assert/strict';
import { judged, DEFAULT_THRESHOLD_SETTINGS, amountsFor, type ThresholdSettings } from '../../../src/core/thresholds';
import { PROVIDERS } from '../../../src/core/providers/registry';
import type { Account, BalanceResult } from '../../../src/core/model';
import type { ConfiguredAccount } from '../../../src/core/readConfig';
import { panelAccounts } from '../../../src/panel/accounts';

const engineParts = { PROVIDERS, amountsFor };

const settings: ThresholdSettings = { ...DEFAULT_THRESHOLD_SETTINGS, thresholds: { USD: { warning: 12, critical: 6 }, CNY: { warning: 80, critical: 40 } } };

function configured(account: Partial<Account> & Pick<Account, 'id' | 'provider'>, source: ConfiguredAccount['source'] = 'settings'): ConfiguredAccount {
  return { account: account as Account, source };
}

function resultOf(a: Account, over: Partial<BalanceResult>, by: ThresholdSettings): BalanceResult {
  const r: BalanceResult = {
    accountId: a.id, provider: a.provider, label: a.id, status: 'valid', level: 'ok', balance: 50,
    currency: 'USD', usage: null, limit: null, checkedAt: '2026-12-01T12:00:00.000Z', ...over,
  };
  return judged(r, a, by);
}

const lines = (monitor: Parameters<typeof panelAccounts>[0]) => Object.fromEntries(panelAccounts(monitor, engineParts).map((p) => [p.account.id, p.thresholds]));

describe('panelAccounts: the threshold lines of each card', () => {
  it('an account not checked yet draws the lines its settings give: its own amounts, else its currency\'s, else its provider\'s currency', () => {
    const accounts = [
      configured({ id: 'own', provider: 'openrouter', warning: 20, critical: 3 }),
      configured({ id: 'cny', provider: 'openrouter', currency: 'CNY' }),
      configured({ id: 'sf', provider: 'siliconflow' }),
      configured({ id: 'or', provider: 'openrouter' }),
      configured({ id: 'env', provider: 'deepseek' }, 'environment'),
    ];
    assert.deepEqual(lines({ accounts, results: [], thresholds: settings }), {
      own: { warning: 20, critical: 3 },
      cny: { warning: 80, critical: 40 },
      sf: { warning: 80, critical: 40 },
      or: { warning: 12, critical: 6 },
      env: { warning: 12, critical: 6 },
    });
  });

  it('once there is a result, its verdict\'s lines win over the settings of now', () => {
    const a = { id: 'a', provider: 'openrouter' } as Account;
    const judgedBy: ThresholdSettings = { ...settings, thresholds: { USD: { warning: 30, critical: 15 } } };
    const r = resultOf(a, { balance: 20 }, judgedBy);
    assert.equal(r.level, 'warning');
    assert.deepEqual(lines({ accounts: [configured(a)], results: [r], thresholds: settings }), { a: { warning: 30, critical: 15 } });
  });

  it('a result in another currency than the account\'s own amounts: the verdict has none of them, and neither do the lines', () => {
    const a = { id: 'a', provider: 'openrouter', currency: 'USD', warning: 20, critical: 10 } as Account;
    const r = resultOf(a, { currency: 'EUR', balance: 5 }, settings);
    assert.deepEqual(lines({ accounts: [configured(a)], results: [r], thresholds: settings }), { a: {} });
  });

  it('before the settings are read there are no lines, rather than made-up ones', () => {
    assert.deepEqual(lines({ accounts: [configured({ id: 'a', provider: 'openrouter' })], results: [], thresholds: undefined }), { a: {} });
  });

  it('an environment account keeps its key variable beside the lines', () => {
    const [p] = panelAccounts({ accounts: [configured({ id: 'env', provider: 'deepseek' }, 'environment')], results: [], thresholds: settings }, engineParts);
    assert.equal(p?.keyEnv, PROVIDERS.deepseek.keyEnv);
    assert.deepEqual(p?.thresholds, { warning: 12, critical: 6 });
  });
});
