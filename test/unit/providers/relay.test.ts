import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertKeyRejected } from '../helpers';
import { EXPIRED_TOKEN, QUOTA_USED_UP, relayError, subscription } from '../../fake/routes/relay';
import { HTML_502 } from '../../fake/server';
import { relay } from '../../../src/core/providers/relay';

describe('provider: relay', () => {
  const f = useFakeServer();
  const SUB = '/relay/v1/dashboard/billing/subscription';
  const USAGE = '/relay/v1/dashboard/billing/usage';
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}, prefix = '/relay') => checkVia(f.server, { provider: 'relay', ...acct }, prefix, args);

  it('describes itself; the billing link is the relay itself', () => {
    assert.equal(relay.keyEnv, 'RELAY_API_KEY');
    assert.equal(relay.defaultBaseUrl, 'http://localhost:3000');
    assert.equal(relay.billingUrl({ id: 'x', provider: 'relay', baseUrl: 'https://relay.example.com/v1' }), 'https://relay.example.com');
    assert.equal(relay.billingUrl({ id: 'x', provider: 'relay' }), undefined);
  });

  it('remaining = hard_limit_usd − total_usage / 100 (usage in cents)', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 37.655);
    assert.equal(r.usage, 12.345);
    assert.equal(r.limit, 50);
    assert.equal(r.currency, 'USD');
    assert.equal(r.level, 'ok');
    assert.equal(f.server.hits(SUB)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
    assert.equal(f.server.hits(USAGE)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('a base URL ending in /v1 reaches the same endpoints', async () => {
    const r = await check(undefined, {}, '/relay/v1');
    assert.equal(r.balance, 37.655);
    assert.equal(f.server.hits(SUB).length, 1);
    assert.equal(f.server.hits(USAGE).length, 1);
  });

  it('the account currency labels the figures and picks the thresholds', async () => {
    const r = await check(undefined, { currency: 'cny' });
    assert.equal(r.currency, 'CNY');
    assert.equal(r.balance, 37.655);
    assert.equal(r.level, 'warning'); // CNY warning 70, critical 35
  });

  it('reads string numbers', async () => {
    f.server.route('GET', SUB, { body: subscription('20.00') });
    f.server.route('GET', USAGE, { body: { object: 'list', total_usage: '1650' } });
    const r = await check();
    assert.equal(r.balance, 3.5);
    assert.equal(r.usage, 16.5);
    assert.equal(r.level, 'critical');
  });

  it('15 % of the limit left is a warning even above the amount thresholds', async () => {
    f.server.route('GET', SUB, { body: subscription(100) });
    f.server.route('GET', USAGE, { body: { object: 'list', total_usage: 8500 } });
    const r = await check();
    assert.equal(r.balance, 15);
    assert.equal(r.level, 'warning');
  });

  it('hard_limit_usd 100000000 is an unlimited token: no limit, no balance, usage shown', async () => {
    f.server.route('GET', SUB, { body: subscription(100000000) });
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, null);
    assert.equal(r.limit, null);
    assert.equal(r.usage, 12.345);
    assert.equal(r.level, 'info');
    assert.match(r.note ?? '', /unlimited token/i);
  });

  it('reports the token expiry from access_until', async () => {
    f.server.route('GET', SUB, { body: { ...subscription(50), access_until: 1798761600 } });
    const r = await check();
    assert.equal(r.details?.expires_at, '2027-01-01T00:00:00.000Z');
  });

  it('无效的令牌 (invalid token) is auth, level error, no key leaked', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /无效的令牌/);
  });

  it('该令牌已过期 (expired) is auth and says expired', async () => {
    f.server.route('GET', SUB, EXPIRED_TOKEN);
    f.server.route('GET', USAGE, EXPIRED_TOKEN);
    const r = await check();
    assert.equal(r.status, 'invalid');
    assert.equal(r.errorKind, 'auth');
    assert.match(r.error ?? '', /expired/);
    assert.match(r.error ?? '', /该令牌已过期/);
  });

  it('额度已用尽 (quota used up) on a 401 is insufficient funds, not a bad key', async () => {
    f.server.route('GET', SUB, QUOTA_USED_UP);
    f.server.route('GET', USAGE, QUOTA_USED_UP);
    const r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.equal(r.status, 'valid');
    assert.equal(r.level, 'critical');
    assert.equal(r.balance, 0);
  });

  it('an English "quota used up" is insufficient funds too', async () => {
    f.server.route('GET', SUB, relayError(401, 'token quota is used up'));
    const r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
  });

  it('an error object inside HTTP 200 is an error with its message', async () => {
    f.server.route('GET', USAGE, relayError(200, '当前分组上游负载已饱和，请稍后再试'));
    const r = await check();
    assert.equal(r.status, 'error');
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /当前分组上游负载已饱和/);
  });

  it('an HTTP 200 error saying the quota is used up is insufficient funds', async () => {
    f.server.route('GET', SUB, relayError(200, '该令牌额度已用尽'));
    const r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
  });

  it('an HTTP 200 error saying the token is invalid is auth', async () => {
    f.server.route('GET', SUB, relayError(200, '无效的令牌'));
    const r = await check();
    assert.equal(r.errorKind, 'auth');
  });

  it('an HTML 502 page is a server error', async () => {
    f.server.route('GET', USAGE, { status: 502, body: HTML_502 });
    const r = await check();
    assert.equal(r.errorKind, 'server');
    assert.match(r.error ?? '', /HTML error page/);
  });

  it('a missing or non-numeric figure is a bad_response naming it', async () => {
    f.server.route('GET', USAGE, { body: { object: 'list', total_usage: 'NaN' } });
    const r1 = await check();
    assert.equal(r1.errorKind, 'bad_response');
    assert.match(r1.error ?? '', /total_usage/);
    f.server.route('GET', SUB, { body: { object: 'billing_subscription' } });
    const r2 = await check();
    assert.equal(r2.errorKind, 'bad_response');
    assert.match(r2.error ?? '', /hard_limit_usd/);
  });
});

describe('provider: relay — what the relay echoes', () => {
  const f = useFakeServer();
  it('a token fragment echoed in an exhausted-token message is dropped from the error', async () => {
    const body = { error: { message: '该令牌额度已用尽 TokenStatusExhausted[sk-abc***xyz]', type: 'new_api_error' } };
    f.server.route('GET', '/relay/v1/dashboard/billing/subscription', { status: 403, body });
    f.server.route('GET', '/relay/v1/dashboard/billing/usage', { status: 403, body });
    const r = await checkVia(f.server, { provider: 'relay' }, '/relay');
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.match(r.error ?? '', /该令牌额度已用尽 TokenStatusExhausted/);
    assert.doesNotMatch(r.error ?? '', /sk-|abc|xyz/);
  });
});
