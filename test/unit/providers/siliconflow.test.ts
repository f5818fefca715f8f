import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertNoSecret } from '../helpers';
import { SILICONFLOW_UNAUTHORIZED, SILICONFLOW_USER, siliconflowInfo } from '../../fake/routes/siliconflow';
import { HTML_502 } from '../../fake/server';
import { siliconflow, siliconflowCurrencyForHost } from '../../../src/core/providers/siliconflow';

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
    assert.equal(r.status, 'invalid');
    assert.equal(r.errorKind, 'auth');
    assert.equal(r.level, 'error');
    assert.match(r.error ?? '', /Api key is invalid/);
    assertNoSecret(r, BAD_KEY);
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
