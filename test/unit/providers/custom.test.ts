import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertNoSecret, assertKeyRejected } from '../helpers';
import { POST_BALANCE_PATH, TEAM_BALANCE_PATH } from '../../fake/routes/custom';
import { HTML_502 } from '../../fake/server';
import { custom, normalizePath } from '../../../src/core/providers/custom';
import type { Account } from '../../../src/core/model';

describe('provider: custom', () => {
  const f = useFakeServer();
  const check = (acct: Partial<Account>, args?: Parameters<typeof checkVia>[3]) => checkVia(f.server, { provider: 'custom', ...acct }, '/custom', args);
  const team = (acct: Partial<Account> = {}) =>
    check({ url: f.server.url + TEAM_BALANCE_PATH, balancePath: 'credits_remaining', limitPath: 'credit_limit', ...acct });

  it('describes itself; the link is the endpoint\'s origin', () => {
    assert.equal(custom.keyEnv, 'CUSTOM_API_KEY');
    assert.equal(custom.billingUrl({ id: 'x', provider: 'custom', url: 'https://credits.example.com/api/x' }), 'https://credits.example.com');
    assert.equal(custom.billingUrl({ id: 'x', provider: 'custom' }), undefined);
  });

  it('reads balance, limit, usage (nested path) and currency with a divisor', async () => {
    const r = await team({ usagePath: 'team.billing.used', currencyPath: 'team.billing.currency', divisor: 100 });
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 7.55);
    assert.equal(r.limit, 10);
    assert.equal(r.usage, 2.45);
    assert.equal(r.currency, 'EUR');
    assert.equal(r.level, 'ok'); // no EUR amount thresholds; 75.5 % of the limit left
  });

  it('without a currencyPath the account currency or USD labels it, and picks the thresholds', async () => {
    const usd = await team({ divisor: 100 });
    assert.equal(usd.currency, 'USD');
    assert.equal(usd.level, 'warning'); // 7.55 ≤ 10 USD
    const cny = await team({ divisor: 100, currency: 'CNY' });
    assert.equal(cny.currency, 'CNY');
    assert.equal(cny.level, 'critical'); // 7.55 ≤ 35 CNY
  });

  it('without a divisor the numbers are taken as they are', async () => {
    const r = await team();
    assert.equal(r.balance, 755);
    assert.equal(r.limit, 1000);
    assert.equal(r.usage, null);
    assert.equal(r.level, 'ok');
  });

  it('sends Authorization: Bearer <key> when no headers are set', async () => {
    await team();
    const hit = f.server.hits(TEAM_BALANCE_PATH)[0];
    assert.equal(hit?.method, 'GET');
    assert.equal(hit?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('fills {key} in configured headers and sends nothing else', async () => {
    const r = await team({ headers: { 'X-Api-Key': '{key}', 'X-Team': 'acme' } });
    assert.equal(r.balance, 755);
    const hit = f.server.hits(TEAM_BALANCE_PATH)[0];
    assert.equal(hit?.headers['x-api-key'], VALID_KEY);
    assert.equal(hit?.headers['x-team'], 'acme');
    assert.equal(hit?.headers.authorization, undefined);
    assert.ok(!hit?.query.toString().includes(VALID_KEY));
  });

  it('POST with {key} in a JSON body; paths into an array', async () => {
    const r = await check({
      url: f.server.url + POST_BALANCE_PATH,
      method: 'POST',
      headers: {},
      body: '{"token":"{key}"}',
      balancePath: 'data.0.balance',
      currencyPath: 'data.0.currency',
    });
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 42.5);
    assert.equal(r.currency, 'USD');
    assert.equal(r.limit, null);
    assert.equal(r.level, 'ok');
    const hit = f.server.hits(POST_BALANCE_PATH)[0];
    assert.equal(hit?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(hit?.body ?? ''), { token: VALID_KEY });
  });

  it('a quote in the key cannot break the JSON body', async () => {
    const odd = 'sk-test-with"quote\\and-backslash-1234';
    const r = await check(
      { url: f.server.url + POST_BALANCE_PATH, method: 'POST', headers: {}, body: '{"token":"{key}"}', balancePath: 'data.0.balance' },
      { keys: { key: odd } },
    );
    assert.equal(r.balance, 42.5);
    assert.deepEqual(JSON.parse(f.server.hits(POST_BALANCE_PATH)[0]?.body ?? ''), { token: odd });
  });

  it('a missing url is a config error', async () => {
    const r = await check({ balancePath: 'balance' });
    assert.equal(r.status, 'error');
    assert.equal(r.errorKind, 'config');
    assert.equal(r.level, 'error');
    assert.match(r.error ?? '', /"url"/);
  });

  it('a missing balancePath is a config error and sends nothing', async () => {
    const r = await check({ url: f.server.url + TEAM_BALANCE_PATH });
    assert.equal(r.errorKind, 'config');
    assert.match(r.error ?? '', /balancePath/);
    assert.equal(f.server.requests.length, 0);
  });

  it('never puts the key in the URL: {key} or the key itself there is a config error', async () => {
    const r1 = await check({ url: `${f.server.url}${TEAM_BALANCE_PATH}?token={key}`, balancePath: 'credits_remaining' });
    assert.equal(r1.errorKind, 'config');
    assert.match(r1.error ?? '', /must not be part of the URL/);
    const r2 = await check({ url: `${f.server.url}${TEAM_BALANCE_PATH}?token=${VALID_KEY}`, balancePath: 'credits_remaining' });
    assert.equal(r2.errorKind, 'config');
    assertNoSecret(r2, VALID_KEY);
    assert.equal(f.server.requests.length, 0);
  });

  it('plain http to a non-loopback host is refused', async () => {
    const r = await check({ url: 'http://credits.example.com/balance', balancePath: 'balance' });
    assert.equal(r.errorKind, 'config');
    assert.match(r.error ?? '', /https/);
  });

  it('a body with GET is a config error', async () => {
    const r = await team({ body: '{}' });
    assert.equal(r.errorKind, 'config');
    assert.match(r.error ?? '', /POST/);
  });

  it('JSONPath-style spellings mean the same dotted path', () => {
    assert.equal(normalizePath('$.data.total_credits'), 'data.total_credits');
    assert.equal(normalizePath('$data.x'), 'data.x');
    assert.equal(normalizePath('balance_infos[1].total_balance'), 'balance_infos.1.total_balance');
    assert.equal(normalizePath("data['total-credits']"), 'data.total-credits');
    assert.equal(normalizePath('$["data"][0]'), 'data.0');
    assert.equal(normalizePath(' team.billing.used '), 'team.billing.used');
  });

  it('reads a JSONPath-style balancePath from the answer', async () => {
    const r = await team({ balancePath: '$.credits_remaining', limitPath: "$['credit_limit']" });
    assert.equal(r.balance, 755);
    assert.equal(r.limit, 1000);
  });

  it('a path that does not resolve is a bad_response naming the path', async () => {
    const r = await team({ usagePath: 'team.billing.spent' });
    assert.equal(r.errorKind, 'bad_response');
    assert.equal(r.balance, null);
    assert.match(r.error ?? '', /usagePath "team\.billing\.spent"/);
  });

  it('a non-numeric or null value is a bad_response naming the path, never NaN', async () => {
    f.server.route('GET', TEAM_BALANCE_PATH, { body: { credits_remaining: 'plenty', credit_limit: null } });
    const r1 = await team();
    assert.equal(r1.errorKind, 'bad_response');
    assert.match(r1.error ?? '', /credits_remaining/);
    f.server.route('GET', TEAM_BALANCE_PATH, { body: { credits_remaining: '1', credit_limit: null } });
    const r2 = await team();
    assert.equal(r2.errorKind, 'bad_response');
    assert.match(r2.error ?? '', /credit_limit/);
  });

  it('a currencyPath that is not a currency code is a bad_response', async () => {
    const r = await team({ currencyPath: 'team.name' });
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /currencyPath "team\.name"/);
  });

  it('a rejected key is invalid without leaking it', async () => {
    const r = await check({ url: f.server.url + TEAM_BALANCE_PATH, balancePath: 'credits_remaining' }, { keys: { key: BAD_KEY } });
    assertKeyRejected(r, /invalid token/);
  });

  it('an HTML page with 200 is a bad_response, a 502 page a server error', async () => {
    f.server.route('GET', TEAM_BALANCE_PATH, { body: '<!DOCTYPE html><html><body>Log in</body></html>' });
    const r1 = await team();
    assert.equal(r1.errorKind, 'bad_response');
    assert.match(r1.error ?? '', /HTML page/);
    f.server.route('GET', TEAM_BALANCE_PATH, { status: 502, body: HTML_502 });
    const r2 = await team();
    assert.equal(r2.errorKind, 'server');
  });
});
