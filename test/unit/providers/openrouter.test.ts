import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertNoSecret } from '../helpers';
import { FORBIDDEN_CREDITS } from '../../fake/routes/openrouter';
import { HTML_502 } from '../../fake/server';

describe('provider: openrouter', () => {
  const f = useFakeServer();
  const P = '/openrouter/api/v1';
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}) => checkVia(f.server, { provider: 'openrouter', ...acct }, P, args);

  it('reports account balance = total_credits − total_usage and key details', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 74.75);
    assert.equal(r.currency, 'USD');
    assert.equal(r.usage, 25.5, 'the key\'s usage, shown against the key\'s limit');
    assert.equal(r.limit, 100);
    assert.equal(r.details?.total_usage, 25.75);
    assert.equal(r.level, 'ok');
    assert.equal(r.details?.usage_daily, 1.5);
    assert.equal(r.details?.key_limit_remaining, 74.5);
    assert.equal(f.server.hits(`${P}/credits`)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('allows a negative balance and calls it critical', async () => {
    f.server.route('GET', `${P}/credits`, { body: { data: { total_credits: '10', total_usage: '10.69' } } });
    const r = await check();
    assert.equal(r.balance, -0.69);
    assert.equal(r.level, 'critical');
  });

  it('falls back to key info on 403 and says so', async () => {
    f.server.route('GET', `${P}/credits`, FORBIDDEN_CREDITS);
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 74.5);
    assert.equal(r.limit, 100);
    assert.match(r.note ?? '', /management key/);
  });

  it('uses the management key for /credits when one is set', async () => {
    const mgmt = 'sk-test-mgmt-0123456789abcdef';
    await check({ keys: { key: VALID_KEY, adminKey: mgmt } });
    assert.equal(f.server.hits(`${P}/credits`)[0]?.headers.authorization, `Bearer ${mgmt}`);
    assert.equal(f.server.hits(`${P}/key`)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('a rejected key is invalid, level error, with the provider message and no key', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assert.equal(r.status, 'invalid');
    assert.equal(r.errorKind, 'auth');
    assert.equal(r.level, 'error');
    assert.match(r.error ?? '', /Missing Authentication header/);
    assertNoSecret(r, BAD_KEY);
  });

  it('402 is insufficient funds: critical, balance unknown', async () => {
    f.server.route('GET', `${P}/credits`, { status: 402, body: { error: { code: 402, message: 'Insufficient credits. Add more using https://openrouter.ai/credits' } } });
    const r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.equal(r.level, 'critical');
    assert.equal(r.balance, null, "a 402 does not say how much is left");
  });

  it('429 is rate_limited and mentions Retry-After', async () => {
    f.server.route('GET', `${P}/credits`, { status: 429, headers: { 'retry-after': '30' }, body: { error: { code: 429, message: 'Rate limit exceeded' } } });
    const r = await check();
    assert.equal(r.errorKind, 'rate_limited');
    assert.equal(r.status, 'error');
    assert.match(r.error ?? '', /30 s/);
  });

  it('an HTML 502 page is a server error, not a parse crash', async () => {
    f.server.route('GET', `${P}/credits`, { status: 502, body: HTML_502 });
    const r = await check();
    assert.equal(r.errorKind, 'server');
    assert.match(r.error ?? '', /HTML error page/);
  });

  it('a non-numeric string is a bad_response, never NaN', async () => {
    f.server.route('GET', `${P}/credits`, { body: { data: { total_credits: 'lots', total_usage: 1 } } });
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.equal(r.balance, null);
    assert.match(r.error ?? '', /total_credits/);
  });

  it('missing data is a bad_response', async () => {
    f.server.route('GET', `${P}/credits`, { body: { nothing: true } });
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
  });
});
