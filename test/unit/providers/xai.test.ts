import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertKeyRejected } from '../helpers';
import { XAI_TEAM, XAI_TEAM_NOT_FOUND, xaiBalance, xaiPath } from '../../fake/routes/xai';
import { HTML_502 } from '../../fake/server';
import { xai } from '../../../src/core/providers/xai';

describe('provider: xai', () => {
  const f = useFakeServer();
  const P = '/xai';
  const PATH = xaiPath(XAI_TEAM);
  const check = (args?: Parameters<typeof checkVia>[3], acct: object = { teamId: XAI_TEAM }) => checkVia(f.server, { provider: 'xai', ...acct }, P, args);

  it('balance = −total.val / 100: "-1000" is $10.00', async () => {
    const r = await check();
    assert.equal(r.status, 'valid');
    assert.equal(r.balance, 10);
    assert.equal(r.currency, 'USD');
    assert.equal(r.level, 'warning');
    assert.equal(r.details?.team_id, XAI_TEAM);
    assert.equal(r.details?.balance_changes, 2);
    assert.equal(f.server.hits(PATH)[0]?.headers.authorization, `Bearer ${VALID_KEY}`);
  });

  it('reads larger, fractional, zero and overdrawn totals', async () => {
    const cases: [unknown, number, string][] = [
      ['-123456', 1234.56, 'ok'],
      ['-450', 4.5, 'critical'],
      ['0', 0, 'critical'],
      ['250', -2.5, 'critical'],
      [-2000, 20, 'ok'],
    ];
    for (const [val, balance, level] of cases) {
      f.server.route('GET', PATH, xaiBalance(val));
      const r = await check();
      assert.equal(r.balance, balance, `val ${String(val)}`);
      assert.ok(!Object.is(r.balance, -0));
      assert.equal(r.level, level, `val ${String(val)}`);
    }
  });

  it('without a teamId it is a config error naming the setting, and sends nothing', async () => {
    const r = await check(undefined, {});
    assert.equal(r.status, 'error');
    assert.equal(r.errorKind, 'config');
    assert.equal(r.level, 'error');
    assert.match(r.error ?? '', /teamId/);
    assert.equal(f.server.requests.length, 0);
  });

  it('URL-encodes the team id', async () => {
    const team = 'team/a b?c';
    f.server.route('GET', xaiPath(encodeURIComponent(team)), xaiBalance('-700'));
    const r = await check(undefined, { teamId: team });
    assert.equal(r.balance, 7);
    assert.equal(f.server.hits(xaiPath('team%2Fa%20b%3Fc')).length, 1);
  });

  it('404 is a config error: team not found', async () => {
    f.server.route('GET', PATH, XAI_TEAM_NOT_FOUND);
    let r = await check();
    assert.equal(r.errorKind, 'config');
    assert.equal(r.status, 'error');
    assert.match(r.error ?? '', /team "team-test-0001" not found/);
    // An unknown team on the fake server answers its own 404.
    r = await check(undefined, { teamId: 'no-such-team' });
    assert.equal(r.errorKind, 'config');
    assert.match(r.error ?? '', /not found/);
  });

  it('401 is invalid, says a management key is needed, and leaks no key', async () => {
    const r = await check({ keys: { key: BAD_KEY } });
    assertKeyRejected(r, /Invalid management key/);
    assert.match(r.error ?? '', /management key/);
  });

  it('403 is auth too', async () => {
    f.server.route('GET', PATH, { status: 403, body: { code: 7, error: 'Permission denied' } });
    const r = await check();
    assert.equal(r.errorKind, 'auth');
    assert.match(r.error ?? '', /Permission denied/);
  });

  it('a missing total or val, or a non-numeric val, is a bad_response naming it', async () => {
    f.server.route('GET', PATH, { body: { changes: [] } });
    let r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /total/);
    f.server.route('GET', PATH, { body: { total: {} } });
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.match(r.error ?? '', /total\.val/);
    f.server.route('GET', PATH, xaiBalance('-10.00 USD'));
    r = await check();
    assert.equal(r.errorKind, 'bad_response');
    assert.equal(r.balance, null);
    assert.match(r.error ?? '', /total\.val/);
  });

  it('an HTML 502 page and a 503 are server errors', async () => {
    f.server.route('GET', PATH, { status: 502, body: HTML_502 });
    let r = await check();
    assert.equal(r.errorKind, 'server');
    f.server.route('GET', PATH, { status: 503, body: { error: 'unavailable' } });
    r = await check();
    assert.equal(r.errorKind, 'server');
  });

  it('the main key is the management key', () => {
    assert.equal(xai.keyName, 'management key');
    assert.equal(xai.keyEnv, 'XAI_MANAGEMENT_KEY');
    assert.equal(xai.billingUrl({ id: 'x', provider: 'xai' }), 'https://console.x.ai');
  });
});
