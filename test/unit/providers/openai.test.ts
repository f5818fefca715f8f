import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertNoSecret, assertKeyRejected, assertOutOfCredit } from '../helpers';
import { INSUFFICIENT_QUOTA, costBucket } from '../../fake/routes/openai';
import { HTML_502, type FakeRequest } from '../../fake/server';
import { openai } from '../../../src/core/providers/openai';

const ADMIN = 'sk-admin-test-0123456789abcdefADMIN';

function monthStartSeconds(): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000;
}

describe('provider: openai', () => {
  const f = useFakeServer();
  const P = '/openai/v1';
  const COSTS = `${P}/organization/costs`;
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}) => checkVia(f.server, { provider: 'openai', ...acct }, P, args);
  const withAdmin = (acct = {}) => check({ keys: { key: VALID_KEY, adminKey: ADMIN } }, acct);

  it('describes itself per SPEC §11', () => {
    assert.equal(openai.defaultBaseUrl, 'https://api.openai.com/v1');
    assert.equal(openai.keyEnv, 'OPENAI_API_KEY');
    assert.equal(openai.adminKeyEnv, 'OPENAI_ADMIN_KEY');
    assert.equal(openai.adminKeyName, 'admin key');
    assert.match(openai.billingUrl({ id: 'x', provider: 'openai' }) ?? '', /^https:\/\/platform\.openai\.com\//);
  });

  it('without an admin key: valid key, no balance, level info, a note pointing at billing', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.level, 'info');
    assert.equal(r.balance, null);
    assert.equal(r.usage, null);
    assert.equal(r.limit, null);
    assert.equal(r.currency, 'USD');
    assert.match(r.note ?? '', /OpenAI has no balance API; add an admin key and a monthlyBudget/);
    assert.match(r.note ?? '', /platform\.openai\.com\/settings\/organization\/billing/);
    assert.equal(f.server.hits(`${P}/models`)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
    assert.equal(f.server.hits(COSTS).length, 0);
  });

  it('a rejected key is invalid and the echoed key is redacted', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /Incorrect API key provided/);
  });

  it('429 insufficient_quota is out of credit, not a rate limit', async () => {
    f.server.route('GET', `${P}/models`, INSUFFICIENT_QUOTA);
    const r = await check();
    assertOutOfCredit(r, /exceeded your current quota/);
  });

  it('a plain 429 is rate_limited', async () => {
    f.server.route('GET', `${P}/models`, { status: 429, headers: { 'retry-after': '20' }, body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } } });
    const r = await check();
    assert.equal(r.errorKind, 'rate_limited');
    assert.match(r.error ?? '', /20 s/);
  });

  it('an HTML 502 page is a server error', async () => {
    f.server.route('GET', `${P}/models`, { status: 502, body: HTML_502 });
    const r = await check();
    assert.equal(r.errorKind, 'server');
    assert.equal(r.level, 'error');
    assert.match(r.error ?? '', /HTML error page/);
  });

  it('a 200 that is not a model list is a bad_response', async () => {
    f.server.route('GET', `${P}/models`, { body: { hello: 'world' } });
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
  });

  it('with an admin key and a budget: remaining = budget − spend this month', async () => {
    const r = await withAdmin({ monthlyBudget: 100 });
    assert.equal(r.status, 'valid');
    assert.equal(r.usage, 12.34);
    assert.equal(r.balance, 87.66);
    assert.equal(r.limit, 100);
    assert.equal(r.level, 'ok');
    assert.match(r.note ?? '', /monthly budget of \$100\.00/);
    const hit = f.server.hits(COSTS)[0];
    assert.equal(hit?.headers.authorization, `Bearer ${ADMIN}`);
    assert.equal(hit?.query.get('start_time'), String(monthStartSeconds()));
    assert.equal(hit?.query.get('bucket_width'), '1d');
    assert.equal(hit?.query.get('limit'), '31');
    assert.equal(hit?.query.get('page'), null);
    assert.equal(f.server.hits(`${P}/models`)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
    assertNoSecret(r, ADMIN, VALID_KEY);
  });

  it('budget left under the USD critical threshold is critical', async () => {
    const r = await withAdmin({ monthlyBudget: 15 });
    assert.equal(r.balance, 2.66);
    assert.equal(r.level, 'critical');
  });

  it('percent of budget left drives the level when the amount is still large', async () => {
    f.server.route('GET', COSTS, { body: { object: 'page', data: [costBucket(0, 850)], has_more: false, next_page: null } });
    const r = await withAdmin({ monthlyBudget: 1000 });
    assert.equal(r.balance, 150);
    assert.equal(r.level, 'warning'); // 15 % left ≤ 20 %
  });

  it('with an admin key but no budget: spend only, level info', async () => {
    const r = await withAdmin();
    assert.equal(r.balance, null);
    assert.equal(r.usage, 12.34);
    assert.equal(r.limit, null);
    assert.equal(r.level, 'info');
    assert.match(r.note ?? '', /Spent \$12\.34 since .*monthlyBudget/);
  });

  it('sums string amounts across pages, following next_page via ?page=', async () => {
    const pages: Record<string, unknown> = {
      '': { object: 'page', data: [costBucket(0, '1.25', 0.5)], has_more: true, next_page: 'page_AAA' },
      page_AAA: { object: 'page', data: [costBucket(86_400, '2.00'), costBucket(172_800)], has_more: true, next_page: 'page_BBB' },
      page_BBB: { object: 'page', data: [costBucket(259_200, '0.25')], has_more: false, next_page: null },
    };
    f.server.route('GET', COSTS, (req: FakeRequest) => ({ body: pages[req.query.get('page') ?? ''] }));
    const r = await withAdmin({ monthlyBudget: 20 });
    assert.equal(r.usage, 4);
    assert.equal(r.balance, 16);
    assert.deepEqual(f.server.hits(COSTS).map((h) => h.query.get('page')), [null, 'page_AAA', 'page_BBB']);
  });

  it('stops after a bounded number of pages and says the spend is unknown', async () => {
    let n = 0;
    f.server.route('GET', COSTS, () => ({ body: { object: 'page', data: [costBucket(0, 1)], has_more: true, next_page: `p${++n}` } }));
    const r = await withAdmin({ monthlyBudget: 100 });
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, null);
    assert.equal(r.level, 'info');
    assert.match(r.note ?? '', /more than 20 pages/);
    assert.equal(f.server.hits(COSTS).length, 20);
  });

  it('a repeated cursor is not followed forever', async () => {
    f.server.route('GET', COSTS, { body: { object: 'page', data: [], has_more: true, next_page: 'same' } });
    const r = await withAdmin({ monthlyBudget: 100 });
    assert.match(r.note ?? '', /same "next_page"/);
    assert.equal(f.server.hits(COSTS).length, 2);
  });

  it('an admin key without the usage scope (403) leaves the account valid and says why', async () => {
    const notAdmin = 'sk-test-notadmin-0123456789abcdef';
    const r = await check({ keys: { key: VALID_KEY, adminKey: notAdmin } }, { monthlyBudget: 100 });
    assert.equal(r.status, 'valid');
    assert.equal(r.level, 'info');
    assert.equal(r.balance, null);
    assert.equal(r.error, undefined);
    assert.match(r.note ?? '', /admin key was rejected .*Missing scopes: api\.usage\.read.*API key itself is valid/);
    assertNoSecret(r, notAdmin);
  });

  it('a bad admin key is noted without leaking it', async () => {
    const badAdmin = 'sk-admin-bad-0123456789abcdefXYZ';
    const r = await check({ keys: { key: VALID_KEY, adminKey: badAdmin } });
    assert.equal(r.status, 'valid');
    assert.match(r.note ?? '', /admin key was rejected/);
    assertNoSecret(r, badAdmin);
  });

  it('a bad API key makes the account invalid even when the admin key works', async () => {
    const r = await check({ keys: { key: BAD_KEY, adminKey: ADMIN } }, { monthlyBudget: 100 });
    assert.equal(r.status, 'invalid');
    assert.equal(r.errorKind, 'auth');
  });

  it('a non-numeric amount is noted, never summed as NaN or 0', async () => {
    f.server.route('GET', COSTS, { body: { object: 'page', data: [costBucket(0, 'n/a')], has_more: false, next_page: null } });
    const r = await withAdmin({ monthlyBudget: 100 });
    assert.equal(r.balance, null);
    assert.match(r.note ?? '', /amount\.value/);
  });

  it('an empty month is zero spend', async () => {
    f.server.route('GET', COSTS, { body: { object: 'page', data: [], has_more: false, next_page: null } });
    const r = await withAdmin({ monthlyBudget: 50 });
    assert.equal(r.usage, 0);
    assert.equal(r.balance, 50);
    assert.equal(r.level, 'ok');
  });

  it('reads the key and the costs concurrently', async () => {
    let costsArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (costsArrived = resolve));
    let overlapped = false;
    f.server.route('GET', COSTS, () => {
      costsArrived();
      return { body: { object: 'page', data: [], has_more: false, next_page: null } };
    });
    f.server.route('GET', `${P}/models`, async () => {
      // Answer only once the cost request is in flight too (or give up after a second).
      overlapped = await Promise.race([arrived.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1000))]);
      return { body: { object: 'list', data: [] } };
    });
    await withAdmin({ monthlyBudget: 50 });
    assert.equal(overlapped, true);
  });
});

describe('provider: openai — hard spend limit', () => {
  const f = useFakeServer();
  const P = '/openai/v1';
  const limit = (threshold_amount: number, status: string, object = 'organization.spend_limit') => ({
    body: { object, threshold_amount, currency: 'USD', interval: 'month', enforcement: { status } },
  });
  const withAdmin = (acct = {}) => checkVia(f.server, { provider: 'openai', ...acct }, P, { keys: { key: VALID_KEY, adminKey: ADMIN } });

  it('an enforcing organization limit beats monthlyBudget: limit and remaining from OpenAI itself', async () => {
    f.server.route('GET', `${P}/organization/spend_limit`, limit(2000, 'enforcing'));
    const r = await withAdmin({ monthlyBudget: 500 });
    assert.equal(r.limit, 20);
    assert.equal(r.usage, 12.34);
    assert.equal(r.balance, 7.66);
    assert.equal(r.level, 'warning');
    assert.match(r.note ?? '', /Left of OpenAI's hard spend limit for the organization \(\$20\.00\); spent \$12\.34/);
    assert.match(r.note ?? '', /Your monthlyBudget \(\$500\.00\) is not used while this limit is enforced/);
    const q = f.server.hits(`${P}/organization/costs`)[0]?.query;
    assert.equal(q?.get('limit'), '31');
    assert.equal(q?.get('bucket_width'), '1d');
    assert.equal(q?.get('project_ids'), null);
    assert.equal(f.server.hits(`${P}/organization/spend_limit`)[0]?.headers.authorization, `Bearer ${ADMIN}`);
  });

  it('a project account reads the project limit and the project costs only', async () => {
    f.server.route('GET', `${P}/organization/projects/proj_abc/spend_limit`, limit(5000, 'enforcing', 'project.spend_limit'));
    const r = await withAdmin({ projectId: 'proj_abc' });
    assert.equal(r.limit, 50);
    assert.equal(r.balance, 37.66);
    assert.equal(f.server.hits(`${P}/organization/costs`)[0]?.query.getAll('project_ids').join(','), 'proj_abc');
    assert.equal(f.server.hits(`${P}/organization/spend_limit`).length, 0);
  });

  it('a limit that is set but not enforcing is not used, and the note says so', async () => {
    f.server.route('GET', `${P}/organization/spend_limit`, limit(2000, 'inactive'));
    const r = await withAdmin();
    assert.equal(r.balance, null);
    assert.equal(r.limit, null);
    assert.equal(r.usage, 12.34);
    assert.match(r.note ?? '', /hard spend limit of \$20\.00 for the organization is not enforcing/);
  });

  it('a non-numeric threshold loses the limit only, never the spend', async () => {
    f.server.route('GET', `${P}/organization/spend_limit`, { body: { object: 'organization.spend_limit', threshold_amount: 'lots', currency: 'USD', interval: 'month', enforcement: { status: 'enforcing' } } });
    const r = await withAdmin({ monthlyBudget: 100 });
    assert.equal(r.status, 'valid');
    assert.equal(r.limit, 100);
    assert.equal(r.balance, 87.66);
    assert.match(r.note ?? '', /hard spend limit could not be read.*threshold_amount/);
  });
});
