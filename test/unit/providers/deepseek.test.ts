import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertKeyRejected, assertOutOfCredit } from '../helpers';
import { DEEPSEEK_INSUFFICIENT, deepseekBalance } from '../../fake/routes/deepseek';
import { HTML_502 } from '../../fake/server';
import { deepseek } from '../../../src/core/providers/deepseek';

describe('provider: deepseek', () => {
  const f = useFakeServer();
  const P = '/deepseek';
  const PATH = `${P}/user/balance`;
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}) => checkVia(f.server, { provider: 'deepseek', ...acct }, P, args);
  const cny = { currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' };
  const usd = { currency: 'USD', total_balance: '7.50', granted_balance: '0.00', topped_up_balance: '7.50' };

  it('reads the CNY balance from decimal strings, with every part in details', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 110);
    assert.equal(r.currency, 'CNY');
    assert.equal(r.level, 'ok');
    assert.equal(r.details?.balance_CNY, 110);
    assert.equal(r.details?.granted_CNY, 10);
    assert.equal(r.details?.topped_up_CNY, 100);
    assert.equal(r.details?.is_available, true);
    assert.equal(f.server.hits(PATH)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('a USD-only account works and uses USD thresholds', async () => {
    f.server.route('GET', PATH, deepseekBalance([usd]));
    const r = await check();
    assert.equal(r.balance, 7.5);
    assert.equal(r.currency, 'USD');
    assert.equal(r.level, 'warning');
    assert.equal(r.details?.balance_CNY, undefined);
  });

  it('a single CNY entry below 35 is critical', async () => {
    f.server.route('GET', PATH, deepseekBalance([{ ...cny, total_balance: '30.50' }]));
    const r = await check();
    assert.equal(r.balance, 30.5);
    assert.equal(r.currency, 'CNY');
    assert.equal(r.level, 'critical');
  });

  // PROVIDERS.md [revised]: without an account currency the funded (largest) wallet wins; the
  // old rule "prefer USD" showed an empty USD wallet as $0 critical beside a funded CNY one.
  it('with two currencies and none chosen, takes the larger whatever the order, and shows the other', async () => {
    for (const infos of [[cny, usd], [usd, cny]]) {
      f.server.route('GET', PATH, deepseekBalance(infos));
      const r = await check();
      assert.equal(r.currency, 'CNY');
      assert.equal(r.balance, 110);
      assert.equal(r.details?.balance_CNY, 110);
      assert.equal(r.details?.balance_USD, 7.5);
      assert.equal(r.details?.topped_up_USD, 7.5);
      assert.equal(r.note, 'Also on this account: USD 7.50.');
    }
  });

  it('an empty wallet never wins over a funded one, in either order', async () => {
    const emptyUsd = { currency: 'USD', total_balance: '0.00', granted_balance: '0.00', topped_up_balance: '0.00' };
    for (const infos of [[emptyUsd, cny], [cny, emptyUsd]]) {
      f.server.route('GET', PATH, deepseekBalance(infos));
      const r = await check();
      assert.equal(r.currency, 'CNY');
      assert.equal(r.balance, 110);
      assert.equal(r.level, 'ok');
      assert.equal(r.note, 'Also on this account: USD 0.00.');
    }
  });

  it('when every wallet is empty, the empty USD one is shown, whatever the order', async () => {
    const empty = (currency: string) => ({ currency, total_balance: '0.00', granted_balance: '0.00', topped_up_balance: '0.00' });
    for (const infos of [[empty('CNY'), empty('USD')], [empty('USD'), empty('CNY')]]) {
      f.server.route('GET', PATH, deepseekBalance(infos));
      const r = await check();
      assert.equal(r.currency, 'USD');
      assert.equal(r.balance, 0);
      assert.equal(r.level, 'critical');
    }
  });

  it('"-0.00" from a drained account is 0, never -0', async () => {
    f.server.route('GET', PATH, deepseekBalance([{ currency: 'CNY', total_balance: '-0.00', granted_balance: '0.00', topped_up_balance: '-0.00' }], false));
    const r = await check();
    assert.ok(Object.is(r.balance, 0), `balance ${String(r.balance)} must be +0`);
    assert.ok(Object.is(r.details?.balance_CNY, 0));
    assert.equal(r.level, 'critical');
  });

  it('the account currency picks the entry; the other wallet is shown beside it', async () => {
    f.server.route('GET', PATH, deepseekBalance([usd, cny]));
    const r = await check(undefined, { currency: 'CNY' });
    assert.equal(r.currency, 'CNY');
    assert.equal(r.balance, 110);
    assert.equal(r.level, 'ok');
    assert.equal(r.note, 'Also on this account: USD 7.50.');
  });

  it('an account currency with no entry falls back and says so', async () => {
    f.server.route('GET', PATH, deepseekBalance([cny]));
    const r = await check(undefined, { currency: 'USD' });
    assert.equal(r.currency, 'CNY');
    assert.equal(r.balance, 110);
    assert.match(r.note ?? '', /no USD balance/);
  });

  it('with two non-USD entries and none chosen, takes the larger', async () => {
    f.server.route('GET', PATH, deepseekBalance([{ ...usd, currency: 'EUR' }, cny]));
    const r = await check();
    assert.equal(r.currency, 'CNY');
    assert.equal(r.balance, 110);
    assert.equal(r.note, 'Also on this account: EUR 7.50.');
  });

  it('is_available false is critical insufficient funds, keeping the real balance', async () => {
    f.server.route('GET', PATH, deepseekBalance([{ ...cny, total_balance: '0.42' }], false));
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 0.42);
    assert.equal(r.currency, 'CNY');
    assert.equal(r.level, 'critical');
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.match(r.error ?? '', /is_available/);
  });

  it('is_available false with a healthy-looking balance is still critical', async () => {
    f.server.route('GET', PATH, deepseekBalance([cny], false));
    const r = await check();
    assert.equal(r.balance, 110);
    assert.equal(r.level, 'critical');
  });

  it('an empty list with is_available false is insufficient funds at 0', async () => {
    f.server.route('GET', PATH, deepseekBalance([], false));
    const r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.equal(r.balance, 0);
    assert.equal(r.level, 'critical');
  });

  it('an empty list while available is a bad_response, not a silent 0', async () => {
    f.server.route('GET', PATH, deepseekBalance([]));
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.equal(r.balance, null);
  });

  it('402 "Insufficient Balance" is insufficient funds: critical, balance unknown', async () => {
    f.server.route('GET', PATH, DEEPSEEK_INSUFFICIENT);
    const r = await check();
    assertOutOfCredit(r, /Insufficient Balance/);
  });

  it('401 "Authentication Fails" is invalid, level error, without the key', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /Authentication Fails/);
  });

  it('a non-numeric amount is a bad_response naming the field', async () => {
    f.server.route('GET', PATH, deepseekBalance([{ ...cny, total_balance: '110,00' }]));
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.equal(r.balance, null);
    assert.match(r.error ?? '', /total_balance/);
  });

  it('a missing total_balance or currency is a bad_response', async () => {
    f.server.route('GET', PATH, deepseekBalance([{ currency: 'CNY' }]));
    let r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /total_balance/);
    f.server.route('GET', PATH, deepseekBalance([{ total_balance: '1.00' }]));
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /currency/);
    f.server.route('GET', PATH, { body: { is_available: true } });
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /balance_infos/);
  });

  it('503 and an HTML 502 page are server errors', async () => {
    f.server.route('GET', PATH, { status: 503, body: { error: { message: 'Service Unavailable' } } });
    let r = await check();
    assert.equal(r.errorKind, 'server');
    assert.equal(r.level, 'error');
    f.server.route('GET', PATH, { status: 502, body: HTML_502 });
    r = await check();
    assert.equal(r.errorKind, 'server');
    assert.match(r.error ?? '', /HTML error page/);
  });

  it('an HTML page with HTTP 200 is a bad_response', async () => {
    f.server.route('GET', PATH, { status: 200, body: HTML_502 });
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /HTML/);
  });

  it('429 is rate_limited', async () => {
    f.server.route('GET', PATH, { status: 429, headers: { 'retry-after': '5' }, body: { error: { message: 'Rate limit reached' } } });
    const r = await check();
    assert.equal(r.errorKind, 'rate_limited');
  });

  it('points at the top-up page', () => {
    assert.equal(deepseek.billingUrl({ id: 'd', provider: 'deepseek' }), 'https://platform.deepseek.com/top_up');
  });
});
