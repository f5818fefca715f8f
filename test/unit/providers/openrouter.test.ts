import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertKeyRejected } from '../helpers';
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

  // The default key is older than this month: lifetime usage 212.4, this month 25.5.
  it('spend against a monthly cap is this month\'s (limit − limit_remaining), never the lifetime usage', async () => {
    const r = await check();
    assert.equal(r.usage, 25.5);
    assert.equal(r.details?.key_usage, 212.4);
    assert.equal(r.details?.key_cap_usage, 25.5);
    assert.equal(r.details?.limit_remaining, 74.5);
  });

  const keyData = (data: Record<string, unknown>) => ({ body: { data } });

  it('without limit_remaining, the remaining cap is derived from the usage of the cap\'s window', async () => {
    f.server.route('GET', `${P}/credits`, FORBIDDEN_CREDITS);
    f.server.route('GET', `${P}/key`, keyData({ limit: 80, limit_reset: 'daily', usage: 412.37, usage_daily: 60, usage_weekly: 231.5, usage_monthly: 412.37 }));
    const r = await check();
    assert.equal(r.balance, 20, '80 − 60 spent today, not 80 − 412.37');
    assert.equal(r.usage, 60);
    assert.equal(r.limit, 80);
    assert.equal(r.level, 'ok'); // $20 left, 25 % of the cap
  });

  it('a weekly cap reads usage_weekly', async () => {
    f.server.route('GET', `${P}/credits`, FORBIDDEN_CREDITS);
    f.server.route('GET', `${P}/key`, keyData({ limit: 300, limit_reset: 'weekly', usage: 900, usage_daily: 10, usage_weekly: 231.5, usage_monthly: 412.37 }));
    const r = await check();
    assert.equal(r.balance, 68.5);
    assert.equal(r.usage, 231.5);
  });

  it('a cap that never resets (limit_reset null) is spent by the lifetime usage', async () => {
    f.server.route('GET', `${P}/credits`, FORBIDDEN_CREDITS);
    f.server.route('GET', `${P}/key`, keyData({ limit: 50, limit_reset: null, usage: 45 }));
    const r = await check();
    assert.equal(r.balance, 5);
    assert.equal(r.usage, 45);
    assert.equal(r.level, 'critical');
  });

  it('a resetting cap with no window figure: what is left is unknown, said in a note, no alarm', async () => {
    f.server.route('GET', `${P}/credits`, FORBIDDEN_CREDITS);
    f.server.route('GET', `${P}/key`, keyData({ limit: 100, limit_reset: 'monthly', usage: 99.9 }));
    const r = await check();
    assert.equal(r.balance, null);
    assert.equal(r.usage, null);
    assert.equal(r.limit, 100);
    assert.equal(r.level, 'info');
    assert.match(r.note ?? '', /monthly cap .* unknown/);
  });

  it('/credits zeros beside a key that has spent are not a balance: key view, note, no alarm', async () => {
    f.server.route('GET', `${P}/credits`, { body: { data: { total_credits: 0, total_usage: 0 } } });
    const r = await check();
    assert.equal(r.balance, 74.5, "the key's own cap");
    assert.equal(r.limit, 100);
    assert.equal(r.level, 'ok');
    assert.equal(r.details?.total_credits, undefined, 'the zeros are not reported as the account');
    assert.match(r.note ?? '', /\$0 credits and \$0 usage, but this key alone has spent \$212\.40/);
  });

  it('zeros beside an unlimited key that has spent: balance unknown (info), never $0 critical', async () => {
    f.server.route('GET', `${P}/credits`, { body: { data: { total_credits: 0, total_usage: 0 } } });
    f.server.route('GET', `${P}/key`, keyData({ limit: null, usage: 3.18 }));
    const r = await check();
    assert.equal(r.balance, null);
    assert.equal(r.status, 'valid');
    assert.equal(r.level, 'info');
    assert.equal(r.usage, 3.18);
  });

  it('zeros with a key that has spent nothing are believed: an empty account is $0, critical', async () => {
    f.server.route('GET', `${P}/credits`, { body: { data: { total_credits: 0, total_usage: 0 } } });
    f.server.route('GET', `${P}/key`, keyData({ limit: null, usage: 0 }));
    const r = await check();
    assert.equal(r.balance, 0);
    assert.equal(r.level, 'critical');
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
    assertKeyRejected(r, /Missing Authentication header/);
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
