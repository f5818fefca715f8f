import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertKeyRejected } from '../helpers';
import { SILICONFLOW_UNAUTHORIZED, SILICONFLOW_USER, siliconflowInfo } from '../../fake/routes/siliconflow';
import { HTML_502 } from '../../fake/server';
import { siliconflow, siliconflowCurrencyForHost } from '../../../src/core/providers/siliconflow';
import { CheckScheduler } from '../../../src/core/checkScheduler';
import { checkOver, GONE_RECHECK_MS } from '../../../src/core/check';
import { HttpClient } from '../../../src/core/http';
import { MemoryStore } from '../../../src/core/kv';
import { AccountSchema } from '../../../src/core/model';

describe('provider: siliconflow', () => {
  const f = useFakeServer();
  const P = '/siliconflow';
  const PATH = `${P}/v1/user/info`;
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}) => checkVia(f.server, { provider: 'siliconflow', ...acct }, P, args);

  it('reads totalBalance from strings; an unknown host defaults to CNY', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 88.88);
    assert.equal(r.currency, 'CNY');
    assert.equal(r.level, 'ok');
    assert.equal(r.details?.granted_balance, 0.88);
    assert.equal(r.details?.charge_balance, 88);
    assert.equal(r.details?.account_status, 'normal');
    assert.equal(f.server.hits(PATH)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('the account currency wins and picks the thresholds', async () => {
    const r = await check(undefined, { currency: 'USD' });
    assert.equal(r.currency, 'USD');
    assert.equal(r.balance, 88.88);
    assert.equal(r.level, 'ok');
    f.server.route('GET', PATH, siliconflowInfo({ ...SILICONFLOW_USER, totalBalance: '8.88' }));
    const low = await check(undefined, { currency: 'USD' });
    assert.equal(low.level, 'warning');
  });

  it('CNY thresholds: 30 is critical, 50 is warning', async () => {
    f.server.route('GET', PATH, siliconflowInfo({ ...SILICONFLOW_USER, totalBalance: '30' }));
    assert.equal((await check()).level, 'critical');
    f.server.route('GET', PATH, siliconflowInfo({ ...SILICONFLOW_USER, totalBalance: '50.00' }));
    assert.equal((await check()).level, 'warning');
  });

  it('derives the currency from the host', () => {
    assert.equal(siliconflowCurrencyForHost('api.siliconflow.cn'), 'CNY');
    assert.equal(siliconflowCurrencyForHost('api.siliconflow.com'), 'USD');
    assert.equal(siliconflowCurrencyForHost('API.SILICONFLOW.COM.'), 'USD');
    assert.equal(siliconflowCurrencyForHost('127.0.0.1'), undefined);
    assert.equal(siliconflowCurrencyForHost('proxy.example.com'), undefined);
    assert.equal(siliconflowCurrencyForHost('notsiliconflow.com'), undefined);
  });

  it('the billing page follows the site', () => {
    assert.equal(siliconflow.billingUrl({ id: 's', provider: 'siliconflow' }), 'https://cloud.siliconflow.cn/expensebill');
    assert.equal(siliconflow.billingUrl({ id: 's', provider: 'siliconflow', baseUrl: 'https://api.siliconflow.com' }), 'https://cloud.siliconflow.com/expensebill');
  });

  it('the bare string "Api key is invalid" is auth, with 401 or with 200', async () => {
    let r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /Api key is invalid/);
    f.server.route('GET', PATH, { ...SILICONFLOW_UNAUTHORIZED, status: 200 });
    r = await check();
    assert.equal(r.errorKind, 'auth');
    assert.equal(r.status, 'invalid');
  });

  it('a code other than 20000 is a bad_response with the message', async () => {
    f.server.route('GET', PATH, { body: { code: 50000, message: 'System error', status: false, data: null } });
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /System error/);
    assert.equal(r.balance, null);
  });

  it('a missing code or totalBalance is a bad_response naming the field', async () => {
    f.server.route('GET', PATH, { body: { message: 'OK', data: SILICONFLOW_USER } });
    let r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /"code"/);
    const { totalBalance: _omit, ...noTotal } = SILICONFLOW_USER;
    f.server.route('GET', PATH, siliconflowInfo(noTotal));
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /totalBalance/);
  });

  it('a non-numeric string is a bad_response, never NaN', async () => {
    f.server.route('GET', PATH, siliconflowInfo({ ...SILICONFLOW_USER, totalBalance: '88.88 CNY' }));
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /totalBalance/);
  });

  it('an HTML 502 page is a server error', async () => {
    f.server.route('GET', PATH, { status: 502, body: HTML_502 });
    const r = await check();
    assert.equal(r.errorKind, 'server');
    assert.match(r.error ?? '', /HTML error page/);
  });
});

// The China endpoint was retired on 2026-08-14 and answers 410 Gone (PROVIDERS.md [revised]).
describe('provider: siliconflow — a retired endpoint (410 Gone)', () => {
  const f = useFakeServer();
  const P = '/siliconflow';
  const PATH = `${P}/v1/user/info`;
  let http: HttpClient;
  let now: number;
  beforeEach(() => {
    http = new HttpClient({ timeoutMs: 1500, env: {} });
    now = Date.parse('2026-11-01T00:00:00Z');
  });
  afterEach(async () => {
    await http.close();
  });
  let account: ReturnType<typeof AccountSchema.parse>;
  beforeEach(() => {
    account = AccountSchema.parse({ id: 'sf', provider: 'siliconflow', baseUrl: f.server.url + P });
  });
  const engine = (store: MemoryStore) => new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 30 * 60_000, keys: () => ({ key: VALID_KEY }), now: () => new Date(now) });

  it('is unavailable at level info, with a note pointing to the console, whatever the body says', async () => {
    for (const body of ['', '<html><body><h1>410 Gone</h1></body></html>', { code: 41000, message: 'insufficient balance check is no longer available' }]) {
      f.server.route('GET', PATH, { status: 410, body });
      const r = await checkVia(f.server, { provider: 'siliconflow' }, P);
      assert.equal(r.status, 'unavailable');
      assert.equal(r.level, 'info');
      assert.equal(r.balance, null);
      assert.equal(r.errorKind, undefined);
      assert.equal(r.error, undefined);
      assert.match(r.note ?? '', /^SiliconFlow no longer reports a balance at 127\.0\.0\.1:\d+ \(HTTP 410 Gone\); see it in the console: https:\/\/cloud\.siliconflow\.cn\/expensebill\. Checked again in 24 h\./);
    }
  });

  it('a 410 from any provider reads the same way (the rule lives in the check, not the adapter)', async () => {
    f.server.route('GET', '/deepseek/user/balance', { status: 410, body: { error: { message: 'Gone' } } });
    const r = await checkVia(f.server, { provider: 'deepseek' }, '/deepseek');
    assert.equal(r.status, 'unavailable');
    assert.equal(r.level, 'info');
    assert.match(r.note ?? '', /^DeepSeek no longer reports a balance .*https:\/\/platform\.deepseek\.com\/top_up/);
  });

  it('is asked again only after a day, not every poll — not even when forced — and shows no stale numbers', async () => {
    const store = new MemoryStore();
    const e = engine(store);
    const good = await e.checkOne(account);
    assert.equal(good.balance, 88.88);
    f.server.route('GET', PATH, { status: 410, body: '' });
    now += 31 * 60_000;
    const gone = await e.checkOne(account);
    assert.equal(gone.status, 'unavailable');
    assert.equal(gone.balance, null, 'the last balance is not shown as if it were still reported');
    assert.equal(gone.stale, undefined);
    assert.equal(f.server.hits(PATH).length, 2);
    for (let i = 0; i < 10; i++) {
      now += 31 * 60_000; // ten poll intervals: five hours
      await e.checkOne(account);
    }
    await e.checkOne(account, { force: true });
    assert.equal(f.server.hits(PATH).length, 2, 'a retired endpoint is not asked again within the day');
    assert.equal(e.nextDue(account), Date.parse(gone.checkedAt) + GONE_RECHECK_MS);
    now = Date.parse(gone.checkedAt) + GONE_RECHECK_MS + 1;
    await e.checkOne(account);
    assert.equal(f.server.hits(PATH).length, 3);
  });

  it('a changed base URL (the international endpoint) is checked at once', async () => {
    const store = new MemoryStore();
    const e = engine(store);
    f.server.route('GET', PATH, { status: 410, body: '' });
    await e.checkOne(account);
    const moved = AccountSchema.parse({ ...account, baseUrl: f.server.url + '/sf-com' });
    f.server.route('GET', '/sf-com/v1/user/info', siliconflowInfo(SILICONFLOW_USER));
    const r = await e.checkOne(moved);
    assert.equal(r.balance, 88.88);
  });
});
