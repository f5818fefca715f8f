import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertNoSecret, assertKeyRejected, assertOutOfCredit } from '../helpers';
import { CREDIT_TOO_LOW, OVERLOADED, anthropicError, costBucket } from '../../fake/routes/anthropic';
import { HTML_502, type FakeRequest } from '../../fake/server';
import { anthropic } from '../../../src/core/providers/anthropic';
import { errorText } from '../../../src/core/message';
import { zhT } from '../messageChecks';

const ADMIN = 'sk-ant-admin-test-0123456789abcdefADMIN';

function monthStartRfc3339(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().replace('.000Z', 'Z');
}

describe('provider: anthropic', () => {
  const f = useFakeServer();
  const P = '/anthropic/v1';
  const COSTS = `${P}/organizations/cost_report`;
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}) => checkVia(f.server, { provider: 'anthropic', ...acct }, P, args);
  const withAdmin = (acct = {}) => check({ keys: { key: VALID_KEY, adminKey: ADMIN } }, acct);
  const page = (data: unknown[], more = false, next: string | null = null) => ({ body: { data, has_more: more, next_page: next } });

  it('describes itself per SPEC §11', () => {
    assert.equal(anthropic.defaultBaseUrl, 'https://api.anthropic.com/v1');
    assert.equal(anthropic.keyEnv, 'ANTHROPIC_API_KEY');
    assert.equal(anthropic.adminKeyEnv, 'ANTHROPIC_ADMIN_KEY');
    assert.equal(anthropic.billingUrl({ id: 'x', provider: 'anthropic' }), 'https://console.anthropic.com/settings/billing');
  });

  it('checks the key with x-api-key and anthropic-version, not Bearer; no balance → info', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.level, 'info');
    assert.equal(r.balance, null);
    assert.equal(r.currency, 'USD');
    assert.match(r.note ?? '', /Anthropic has no balance API; add an admin key and a monthlyBudget.*console\.anthropic\.com/);
    const hit = f.server.hits(`${P}/models`)[0];
    assert.equal(hit?.headers['x-api-key'], VALID_KEY);
    assert.equal(hit?.headers['anthropic-version'], '2023-06-01');
    assert.equal(hit?.headers.authorization, undefined);
    assert.equal(f.server.hits(COSTS).length, 0);
  });

  it('a rejected key is invalid with the provider message', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /invalid x-api-key/);
  });

  it('400 "credit balance is too low" is insufficient funds, not a bad request', async () => {
    f.server.route('GET', `${P}/models`, CREDIT_TOO_LOW);
    const r = await check();
    assertOutOfCredit(r, /credit balance is too low/);
    assert.match(errorText(r, zhT) ?? '', /^信用余额过低 — .* 返回 HTTP 400：Your credit balance is too low/);
  });

  it('402 billing_error is insufficient funds', async () => {
    f.server.route('GET', `${P}/models`, anthropicError(402, 'billing_error', 'Your account has a billing issue.'));
    const r = await check();
    assert.equal(r.errorKind, 'insufficient_funds');
    assert.equal(r.level, 'critical');
  });

  it('another 400 stays a bad_response', async () => {
    f.server.route('GET', `${P}/models`, anthropicError(400, 'invalid_request_error', 'limit: must be at most 1000'));
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.equal(r.status, 'error');
  });

  it('529 overloaded_error is a server error', async () => {
    f.server.route('GET', `${P}/models`, OVERLOADED);
    const r = await check();
    assert.equal(r.errorKind, 'server');
    assert.equal(r.status, 'error');
    assert.match(r.error ?? '', /overloaded.*529/i);
    const host = new URL(f.server.url).host;
    assert.equal(errorText(r, zhT), `Anthropic 过载 — ${host} 返回 HTTP 529：Overloaded`);
    // Without Anthropic's words: the same message, the provider's part left out.
    f.server.route('GET', `${P}/models`, { status: 529, body: {} });
    const bare = await check();
    assert.deepEqual([bare.error, errorText(bare, zhT)], [`Anthropic is overloaded — HTTP 529 from ${host}`, `Anthropic 过载 — ${host} 返回 HTTP 529`]);
    assert.equal(bare.errorL10n?.m, r.errorL10n?.m);
  });

  it('an HTML 502 page is a server error', async () => {
    f.server.route('GET', `${P}/models`, { status: 502, body: HTML_502 });
    const r = await check();
    assert.equal(r.errorKind, 'server');
    assert.match(r.error ?? '', /HTML error page/);
  });

  it('with an admin key and a budget: amounts are cents ("123.45" = $1.2345)', async () => {
    const r = await withAdmin({ monthlyBudget: 50 });
    assert.equal(r.status, 'valid');
    assert.equal(r.usage, 11.2345);
    assert.equal(r.balance, 38.7655);
    assert.equal(r.limit, 50);
    assert.equal(r.level, 'ok');
    const hit = f.server.hits(COSTS)[0];
    assert.equal(hit?.headers['x-api-key'], ADMIN);
    assert.equal(hit?.headers['anthropic-version'], '2023-06-01');
    assert.equal(hit?.query.get('starting_at'), monthStartRfc3339());
    assert.equal(hit?.query.get('bucket_width'), '1d');
    assert.equal(hit?.query.get('limit'), '31');
    assert.equal(f.server.hits(`${P}/models`)[0]?.headers['x-api-key'], VALID_KEY);
    assertNoSecret(r, ADMIN, VALID_KEY);
  });

  it('sums every cost_type, undocumented ones too, and says Priority Tier is left out', async () => {
    const bucket = costBucket('2026-01-01T00:00:00Z', '100', '250.5');
    const results = bucket.results as Record<string, unknown>[];
    results[1]!.cost_type = 'session_usage';
    results.push({ currency: 'USD', amount: '49.5', cost_type: 'web_search', workspace_id: null, description: null });
    f.server.route('GET', COSTS, page([bucket]));
    const r = await withAdmin({ monthlyBudget: 10 });
    assert.equal(r.usage, 4);
    assert.equal(r.balance, 6);
    assert.match(r.note ?? '', /leaves out Priority Tier costs, so spend may be understated/);
    const noBudget = await withAdmin();
    assert.match(noBudget.note ?? '', /Spent \$4\.00 since .*Priority Tier/);
  });

  it('budget nearly spent is critical; 15 % left is a warning', async () => {
    f.server.route('GET', COSTS, page([costBucket('2026-01-01T00:00:00Z', '4700')]));
    const critical = await withAdmin({ monthlyBudget: 50 });
    assert.equal(critical.balance, 3);
    assert.equal(critical.level, 'critical');
    f.server.route('GET', COSTS, page([costBucket('2026-01-01T00:00:00Z', '85000')]));
    const warning = await withAdmin({ monthlyBudget: 1000 });
    assert.equal(warning.balance, 150);
    assert.equal(warning.level, 'warning');
  });

  it('without a budget: spend only, level info', async () => {
    const r = await withAdmin();
    assert.equal(r.balance, null);
    assert.equal(r.usage, 11.2345);
    assert.equal(r.level, 'info');
    assert.match(r.note ?? '', /Spent \$11\.23 since/);
  });

  it('follows next_page via ?page= and sums string and number cents', async () => {
    const pages: Record<string, unknown> = {
      '': { data: [costBucket('2026-01-01T00:00:00Z', '100', 50.5)], has_more: true, next_page: 'cursor-2' },
      'cursor-2': { data: [costBucket('2026-01-02T00:00:00Z', '49.5')], has_more: false, next_page: null },
    };
    f.server.route('GET', COSTS, (req: FakeRequest) => ({ body: pages[req.query.get('page') ?? ''] }));
    const r = await withAdmin({ monthlyBudget: 10 });
    assert.equal(r.usage, 2);
    assert.equal(r.balance, 8);
    assert.deepEqual(f.server.hits(COSTS).map((h) => h.query.get('page')), [null, 'cursor-2']);
  });

  it('a normal key as admin key (403) keeps the account valid and says so', async () => {
    const notAdmin = 'sk-test-not-admin-0123456789abcdef';
    const r = await check({ keys: { key: VALID_KEY, adminKey: notAdmin } }, { monthlyBudget: 50 });
    assert.equal(r.status, 'valid');
    assert.equal(r.level, 'info');
    assert.equal(r.balance, null);
    assert.match(r.note ?? '', /admin key was rejected .*requires an Admin API key/);
    assertNoSecret(r, notAdmin);
  });

  it('a non-numeric amount is noted naming the field', async () => {
    f.server.route('GET', COSTS, page([costBucket('2026-01-01T00:00:00Z', '12,50')]));
    const r = await withAdmin({ monthlyBudget: 50 });
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, null);
    assert.match(r.note ?? '', /data\[0\]\.results\[0\]\.amount/);
  });

  it('has_more without next_page is not a silently partial month', async () => {
    f.server.route('GET', COSTS, page([costBucket('2026-01-01T00:00:00Z', '1')], true, null));
    const r = await withAdmin({ monthlyBudget: 50 });
    assert.equal(r.balance, null);
    assert.match(r.note ?? '', /no "next_page"/);
  });
});
