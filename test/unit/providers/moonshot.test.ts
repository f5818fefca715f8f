import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertKeyRejected } from '../helpers';
import { MOONSHOT_SUSPENDED, moonshotBalance } from '../../fake/routes/moonshot';
import { HTML_502 } from '../../fake/server';
import { moonshot, moonshotCurrencyForHost } from '../../../src/core/providers/moonshot';
import { formatMoney } from '../../../src/core/format';

describe('provider: moonshot', () => {
  const f = useFakeServer();
  const P = '/moonshot';
  const PATH = `${P}/v1/users/me/balance`;
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}) => checkVia(f.server, { provider: 'moonshot', ...acct }, P, args);

  it('reads available_balance, in USD off the .cn platform, with the parts in details', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 49.58894);
    assert.equal(r.currency, 'USD');
    assert.equal(r.level, 'ok');
    assert.equal(r.details?.voucher_balance, 46.58893);
    assert.equal(r.details?.cash_balance, 3.00001);
    assert.equal(r.note, undefined);
    assert.equal(f.server.hits(PATH)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('the account currency overrides the host and picks the thresholds', async () => {
    const r = await check(undefined, { currency: 'CNY' });
    assert.equal(r.currency, 'CNY');
    assert.equal(r.balance, 49.58894);
    assert.equal(r.level, 'warning');
  });

  it('derives the currency from the host', () => {
    assert.equal(moonshotCurrencyForHost('api.moonshot.cn'), 'CNY');
    assert.equal(moonshotCurrencyForHost('API.MOONSHOT.CN'), 'CNY');
    assert.equal(moonshotCurrencyForHost('api.moonshot.cn.'), 'CNY');
    assert.equal(moonshotCurrencyForHost('api.moonshot.ai'), 'USD');
    assert.equal(moonshotCurrencyForHost('moonshot.cn.example.com'), 'USD');
    assert.equal(moonshotCurrencyForHost('127.0.0.1'), 'USD');
    assert.equal(moonshotCurrencyForHost(''), 'USD');
  });

  it('the billing page follows the platform', () => {
    assert.equal(moonshot.billingUrl({ id: 'm', provider: 'moonshot' }), 'https://platform.moonshot.ai/console/pay');
    assert.equal(moonshot.billingUrl({ id: 'm', provider: 'moonshot', baseUrl: 'https://api.moonshot.cn' }), 'https://platform.moonshot.cn/console/pay');
  });

  it('numbers as strings and a negative cash balance (arrears) are read and noted', async () => {
    f.server.route('GET', PATH, moonshotBalance({ available_balance: '4.5', voucher_balance: '6.5', cash_balance: '-2' }));
    const r = await check();
    assert.equal(r.balance, 4.5);
    assert.equal(r.level, 'critical');
    assert.equal(r.details?.cash_balance, -2);
    assert.match(r.note ?? '', /arrears/);
    // The amount as money in the account's currency, not a bare number.
    assert.ok(r.note?.includes(`(${formatMoney(-2, r.currency)})`), `${r.note} (${r.currency})`);
  });

  it('a zero balance is critical, not missing', async () => {
    f.server.route('GET', PATH, moonshotBalance({ available_balance: 0, voucher_balance: 0, cash_balance: 0 }));
    const r = await check();
    assert.equal(r.balance, 0);
    assert.equal(r.level, 'critical');
  });

  it('status false or a non-zero code is a bad_response with the message', async () => {
    f.server.route('GET', PATH, { body: { code: 5, data: null, scode: '0x5', status: false, message: 'internal hiccup' } });
    let r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /internal hiccup/);
    f.server.route('GET', PATH, { body: { code: 0, data: { available_balance: 1 }, status: false } });
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.equal(r.balance, null);
  });

  it('exceeded_current_quota_error (suspended) is insufficient funds, critical', async () => {
    f.server.route('GET', PATH, MOONSHOT_SUSPENDED);
    let r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.equal(r.status, 'valid');
    assert.equal(r.level, 'critical');
    assert.match(r.error ?? '', /suspended/);
    f.server.route('GET', PATH, { ...MOONSHOT_SUSPENDED, status: 403 });
    r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
  });

  it('the suspended wordings are out of funds even without the error type (403 not active, 429 suspended)', async () => {
    const cases: [number, string][] = [
      [403, 'Your account org-x <ak-y> is not active, organization <org-x> exceeded current quota, please check your plan and billing details'],
      [429, 'Your account org-x <ak-y> is suspended due to insufficient balance, please recharge your account or check your plan and billing details'],
    ];
    for (const [status, message] of cases) {
      f.server.route('GET', PATH, { status, body: { error: { message } } });
      const r = await check();
      assert.equal(r.errorKind, 'insufficient_funds', `${status}: ${r.error}`);
      assert.equal(r.status, 'valid');
      assert.equal(r.level, 'critical');
    }
  });

  it('HTTP 200 with status false and code 401 / scode unauthorized is a rejected key, not ¥0', async () => {
    f.server.route('GET', PATH, { body: { code: 401, data: { available_balance: 0, voucher_balance: 0, cash_balance: 0 }, scode: 'unauthorized', status: false } });
    const r = await check();
    assert.equal(r.status, 'invalid');
    assert.equal(r.errorKind, 'auth');
    assert.equal(r.balance, null);
    assert.match(r.error ?? '', /code 401, scode "unauthorized"/);
  });

  it('an ordinary 429 stays rate_limited; an HTTP 200 refusal about balance is insufficient funds', async () => {
    f.server.route('GET', PATH, { status: 429, body: { error: { message: 'Your account org-0a1b2c request reached max request: 3', type: 'rate_limit_reached_error' } } });
    let r = await check();
    assert.equal(r.errorKind, 'rate_limited');
    f.server.route('GET', PATH, { body: { code: 3, status: false, scode: '0x3', message: 'insufficient balance' } });
    r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.equal(r.level, 'critical');
  });

  it('401 is invalid with the provider message and no key', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /Invalid Authentication/);
  });

  it('missing available_balance or data is a bad_response naming it', async () => {
    f.server.route('GET', PATH, moonshotBalance({ voucher_balance: 1, cash_balance: 1 }));
    let r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /available_balance/);
    f.server.route('GET', PATH, { body: { code: 0, status: true } });
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /data/);
  });

  it('a non-numeric balance is a bad_response', async () => {
    f.server.route('GET', PATH, moonshotBalance({ available_balance: 'N/A' }));
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /available_balance/);
  });

  it('an HTML 502 page is a server error; truncated JSON is a bad_response', async () => {
    f.server.route('GET', PATH, { status: 502, body: HTML_502 });
    let r = await check();
    assert.equal(r.errorKind, 'server');
    f.server.route('GET', PATH, { body: '{"code":0,"data":{"available_balance":4' });
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
  });
});
