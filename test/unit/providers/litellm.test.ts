import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertKeyRejected } from '../helpers';
import { BUDGET_EXCEEDED, DB_NOT_CONNECTED, keyInfo } from '../../fake/routes/litellm';
import { HTML_502 } from '../../fake/server';
import { litellm } from '../../../src/core/providers/litellm';
import { errorText } from '../../../src/core/message';
import { zhT } from '../messageChecks';

describe('provider: litellm', () => {
  const f = useFakeServer();
  const INFO = '/litellm/key/info';
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}, prefix = '/litellm') => checkVia(f.server, { provider: 'litellm', ...acct }, prefix, args);

  it('describes itself; the link is the proxy', () => {
    assert.equal(litellm.keyEnv, 'LITELLM_API_KEY');
    assert.equal(litellm.defaultBaseUrl, 'http://localhost:4000');
    assert.equal(litellm.billingUrl({ id: 'x', provider: 'litellm', baseUrl: 'https://llm.corp.example/v1' }), 'https://llm.corp.example');
  });

  it('remaining = max_budget − spend, with budget details', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 8.77);
    assert.equal(r.usage, 1.23);
    assert.equal(r.limit, 10);
    assert.equal(r.currency, 'USD');
    assert.equal(r.level, 'warning'); // 8.77 ≤ 10 USD
    assert.equal(r.details?.budget_duration, '30d');
    assert.equal(r.details?.budget_reset_at, '2026-09-01T00:00:00Z');
    assert.equal(r.details?.key_alias, undefined);
    assert.equal(f.server.hits(INFO)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
    assert.equal(f.server.hits(INFO)[0]?.query.toString(), '');
  });

  it('strips a trailing /v1 from the base URL', async () => {
    const r = await check(undefined, {}, '/litellm/v1');
    assert.equal(r.balance, 8.77);
    assert.equal(f.server.hits(INFO).length, 1);
  });

  it('reads string numbers and the key alias; a large budget left is ok', async () => {
    f.server.route('GET', INFO, keyInfo({ spend: '2.5', max_budget: '100', key_alias: 'ci-bot' }));
    const r = await check();
    assert.equal(r.balance, 97.5);
    assert.equal(r.level, 'ok');
    assert.equal(r.details?.key_alias, 'ci-bot');
  });

  it('percent thresholds: 15 % left is a warning, 8 % is critical', async () => {
    f.server.route('GET', INFO, keyInfo({ spend: 85, max_budget: 100 }));
    assert.equal((await check()).level, 'warning');
    f.server.route('GET', INFO, keyInfo({ spend: 920, max_budget: 1000 }));
    const r = await check();
    assert.equal(r.balance, 80);
    assert.equal(r.level, 'critical');
  });

  it('max_budget null: no balance, spend as usage, "no budget set"', async () => {
    f.server.route('GET', INFO, keyInfo({ max_budget: null, spend: 4.2, budget_duration: null, budget_reset_at: null }));
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, null);
    assert.equal(r.limit, null);
    assert.equal(r.usage, 4.2);
    assert.equal(r.level, 'info');
    assert.match(r.note ?? '', /no budget set/);
    assert.equal(r.details, undefined);
  });

  it('spend over budget gives a negative balance, critical', async () => {
    f.server.route('GET', INFO, keyInfo({ spend: 10.5, max_budget: 10 }));
    const r = await check();
    assert.equal(r.balance, -0.5);
    assert.equal(r.level, 'critical');
  });

  it('401 auth_error is invalid, no key leaked', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /Authentication Error/);
  });

  it("a rejected key is said as any provider's: one message id, one zh-CN; without the proxy's words, no dangling colon", async () => {
    const host = new URL(f.server.url).host;
    f.server.route('GET', INFO, { status: 401, body: { error: { message: 'Invalid proxy server token passed.', type: 'auth_error', code: '401' } } });
    const r = await check();
    assert.equal(r.errorL10n?.m, 'The key was rejected — {0}');
    assert.equal(r.error, `The key was rejected — HTTP 401 from ${host}: Invalid proxy server token passed.`);
    assert.equal(errorText(r, zhT), `密钥被拒绝 — ${host} 返回 HTTP 401：Invalid proxy server token passed.`);
    f.server.route('GET', INFO, { status: 401, body: { error: { code: '401' } } });
    const bare = await check();
    assert.equal(bare.error, `The key was rejected — HTTP 401 from ${host}`);
    assert.equal(errorText(bare, zhT), `密钥被拒绝 — ${host} 返回 HTTP 401`);
  });

  it('an auth_error with a numeric code is auth whatever the HTTP status', async () => {
    f.server.route('GET', INFO, { status: 400, body: { error: { message: 'Authentication Error, invalid user key', type: 'auth_error', param: 'None', code: 401 } } });
    const r = await check();
    assert.equal(r.status, 'invalid');
    assert.equal(r.errorKind, 'auth');
  });

  it('400 budget_exceeded is insufficient funds with the overspend as balance', async () => {
    f.server.route('GET', INFO, BUDGET_EXCEEDED);
    const r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.equal(r.status, 'valid');
    assert.equal(r.level, 'critical');
    assert.equal(r.balance, -0.5);
    assert.match(r.error ?? '', /Budget has been exceeded/);
    assert.match(errorText(r, zhT) ?? '', /^预算已超出 — .* 返回 HTTP 400：Budget has been exceeded/);
  });

  it('"Database not connected" is unavailable with that message, level info', async () => {
    f.server.route('GET', INFO, DB_NOT_CONNECTED);
    const r = await check();
    assert.equal(r.status, 'unavailable');
    assert.equal(r.level, 'info');
    assert.equal(r.balance, null);
    assert.equal(r.error, undefined);
    assert.match(r.note ?? '', /^Database not connected\. Connect a database/);
  });

  it('"Database not connected" as a FastAPI detail is recognised too', async () => {
    f.server.route('GET', INFO, { status: 500, body: { detail: { error: 'Database not connected' } } });
    const r = await check();
    assert.equal(r.status, 'unavailable');
    assert.match(r.note ?? '', /Database not connected/);
  });

  it('an HTML 502 page is a server error', async () => {
    f.server.route('GET', INFO, { status: 502, body: HTML_502 });
    const r = await check();
    assert.equal(r.errorKind, 'server');
    assert.match(r.error ?? '', /HTML error page/);
  });

  it('a missing info object or spend is a bad_response', async () => {
    f.server.route('GET', INFO, { body: { key: 'abc' } });
    assert.equal((await check()).errorKind, 'bad_response');
    f.server.route('GET', INFO, keyInfo({ spend: 'a lot' }));
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /info\.spend/);
  });
});

describe('provider: litellm — the budget that binds', () => {
  const f = useFakeServer();
  const INFO = '/litellm/key/info';
  const check = () => checkVia(f.server, { provider: 'litellm' }, '/litellm');

  it('a team with less left than the key binds; the note names it and when it resets', async () => {
    f.server.route('GET', INFO, keyInfo({ spend: 1, max_budget: 50, team_id: 'team-a', budget_duration: null, budget_reset_at: null }));
    f.server.route('GET', '/litellm/team/info', {
      body: { team_id: 'team-a', team_info: { team_alias: 'QA', team_id: 'team-a', max_budget: 20, spend: 17, budget_duration: '30d', budget_reset_at: '2026-12-31T00:00:00Z' } },
    });
    const r = await check();
    assert.equal(r.balance, 3);
    assert.equal(r.limit, 20);
    assert.equal(r.usage, 17);
    assert.equal(r.level, 'critical'); // $3 ≤ $5
    assert.equal(r.details?.budget_scope, 'team');
    assert.equal(r.details?.key_remaining, 49);
    assert.equal(r.details?.team_remaining, 3);
    assert.match(r.note ?? '', /The team budget binds: \$3\.00 left of \$20\.00/);
    assert.match(r.note ?? '', /resets 2026-12-31T00:00:00Z \(30d window\)/);
    assert.equal(f.server.hits('/litellm/team/info')[0]?.query.get('team_id'), 'team-a');
    assert.equal(f.server.hits('/litellm/user/info').length, 0, 'a team key does not answer to its user budget');
  });

  it('the key binds when it has less left than its team; spend over budget is negative and critical', async () => {
    f.server.route('GET', INFO, keyInfo({ spend: 12, max_budget: 10, team_id: 'team-a' }));
    f.server.route('GET', '/litellm/team/info', { body: { team_id: 'team-a', team_info: { max_budget: 1000, spend: 10 } } });
    const r = await check();
    assert.equal(r.balance, -2);
    assert.equal(r.limit, 10);
    assert.equal(r.level, 'critical');
    assert.equal(r.details?.budget_scope, undefined);
    assert.match(r.note ?? '', /The key budget binds/);
  });

  it('a key outside a team answers to its user budget', async () => {
    f.server.route('GET', INFO, keyInfo({ spend: 0, max_budget: null, user_id: 'u-1' }));
    f.server.route('GET', '/litellm/user/info', { body: { user_id: 'u-1', user_info: { user_id: 'u-1', max_budget: 100, spend: 42.5 } } });
    const r = await check();
    assert.equal(r.balance, 57.5);
    assert.equal(r.limit, 100);
    assert.equal(r.details?.budget_scope, 'user');
    assert.equal(f.server.hits('/litellm/user/info')[0]?.query.get('user_id'), 'u-1');
  });

  it('a team budget the key may not read keeps the key figures and says so', async () => {
    f.server.route('GET', INFO, keyInfo({ spend: 1, max_budget: 50, team_id: 'team-a' }));
    f.server.route('GET', '/litellm/team/info', { status: 401, body: { error: { message: 'Only proxy admin can access', type: 'auth_error', code: '401' } } });
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 49);
    assert.match(r.note ?? '', /The team budget could not be read/);
  });
});
