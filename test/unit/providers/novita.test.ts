import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertKeyRejected } from '../helpers';
import { NOVITA_BALANCE } from '../../fake/routes/novita';
import { HTML_502 } from '../../fake/server';
import { novita } from '../../../src/core/providers/novita';

describe('provider: novita', () => {
  const f = useFakeServer();
  const P = '/novita';
  const PATH = `${P}/openapi/v1/billing/balance/detail`;
  const check = (args?: Parameters<typeof checkVia>[3], acct = {}) => checkVia(f.server, { provider: 'novita', ...acct }, P, args);

  it('divides the 1/10 000 USD strings: 1000000 → $100', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 100);
    assert.equal(r.currency, 'USD');
    assert.equal(r.level, 'ok');
    assert.equal(r.details?.cash_balance, 80);
    assert.equal(r.details?.credit_limit, 20);
    assert.equal(r.details?.pending_charges, 0);
    assert.equal(r.details?.outstanding_invoices, 0);
    assert.equal(r.limit, null);
    assert.equal(r.note, 'Available balance includes a credit line of $20.00 (cash $80.00).');
    assert.equal(f.server.hits(PATH)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('keeps sub-cent amounts and applies USD thresholds', async () => {
    f.server.route('GET', PATH, { body: { ...NOVITA_BALANCE, availableBalance: '81234' } });
    let r = await check();
    assert.equal(r.balance, 8.1234);
    assert.equal(r.level, 'warning');
    f.server.route('GET', PATH, { body: { ...NOVITA_BALANCE, availableBalance: 12345 } });
    r = await check();
    assert.equal(r.balance, 1.2345);
    assert.equal(r.level, 'critical');
  });

  it('a negative balance is read, critical', async () => {
    f.server.route('GET', PATH, { body: { ...NOVITA_BALANCE, availableBalance: '-5000', cashBalance: '-5000' } });
    const r = await check();
    assert.equal(r.balance, -0.5);
    assert.equal(r.level, 'critical');
  });

  it('only availableBalance is required', async () => {
    f.server.route('GET', PATH, { body: { availableBalance: '250000' } });
    const r = await check();
    assert.equal(r.balance, 25);
    assert.equal(r.details?.cash_balance, undefined);
    assert.equal(r.note, undefined, 'no credit line named, none claimed');
  });

  it('a missing or non-numeric availableBalance is a bad_response naming it', async () => {
    f.server.route('GET', PATH, { body: { cashBalance: '1' } });
    let r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /availableBalance/);
    f.server.route('GET', PATH, { body: { ...NOVITA_BALANCE, availableBalance: '100 USD' } });
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.equal(r.balance, null);
    assert.match(r.error ?? '', /availableBalance/);
  });

  it('401 is invalid with the provider message and no key', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /Invalid API key/);
  });

  it('a 500 and an HTML 502 page are server errors', async () => {
    f.server.route('GET', PATH, { status: 500, body: { code: 500, reason: 'INTERNAL_ERROR', message: 'internal error' } });
    let r = await check();
    assert.equal(r.errorKind, 'server');
    f.server.route('GET', PATH, { status: 502, body: HTML_502 });
    r = await check();
    assert.equal(r.errorKind, 'server');
    assert.match(r.error ?? '', /HTML error page/);
  });

  it('an array instead of an object is a bad_response', async () => {
    f.server.route('GET', PATH, { body: [NOVITA_BALANCE] });
    const r = await check();
    assert.equal(r.errorKind, 'bad_response');
  });

  it('points at the billing page', () => {
    assert.equal(novita.billingUrl({ id: 'n', provider: 'novita' }), 'https://novita.ai/billing');
  });
});
