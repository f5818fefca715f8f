// Provider `team`: a team's serve read over real HTTP (the fake server's /team route serves the
// answer recorded from this repo's serve), and its shared accounts put in the team account's place.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VALID_KEY, checkVia, useFakeServer } from '../unit/helpers';
import { CheckScheduler } from '../../src/core/checkScheduler';
import { HttpClient } from '../../src/core/http';
import { checkOver } from '../../src/core/check';
import { AccountSchema, BalanceResultSchema, type BalanceResult } from '../../src/core/model';
import { expandTeamResults, team } from '../../src/core/providers/team';
import { PROVIDERS } from '../../src/core/providers/registry';
import { recordedTeamSnapshot } from '../fake/routes/team';

const REAL = path.resolve(__dirname, '../../../test/fixtures/real/team');

function memoryStore() {
  const data = new Map<string, unknown>();
  return { get: (k: string) => data.get(k), update: (k: string, v: unknown) => void (v === undefined ? data.delete(k) : data.set(k, v)), keys: () => [...data.keys()] };
}

describe('provider: team', () => {
  const f = useFakeServer();

  it('is registered with its key variable and no billing page', () => {
    assert.equal(PROVIDERS.team, team);
    assert.equal(team.keyEnv, 'LLM_BALANCE_TEAM_TOKEN');
    assert.equal(team.billingUrl({ id: 't', provider: 'team' }), undefined);
  });

  it('reads the shared accounts with the bearer token; the team account itself is info, with a note', async () => {
    const r = await checkVia(f.server, { provider: 'team', id: 'acme' }, '/team');
    assert.equal(f.server.hits('/team/api/v1/balances')[0]?.key, VALID_KEY);
    assert.deepEqual([r.status, r.level, r.balance], ['valid', 'info', null]);
    assert.match(r.note ?? '', /^3 shared accounts, checked by the team server at /);
    assert.deepEqual(r.shared?.map((s) => [s.accountId, s.balance, s.currency, s.level]), [
      ['openrouter-shared', 74.5, 'USD', 'ok'], ['deepseek-shared', 110, 'CNY', 'ok'], ['novita-shared', null, 'USD', 'error'],
    ]);
  });

  it('expands into one result per shared account, "<team>/<id>" and "Team: …", valid results all', async () => {
    const r = await checkVia(f.server, { provider: 'team', id: 'acme' }, '/team');
    const out = expandTeamResults([r, { ...r, accountId: 'solo', provider: 'deepseek', shared: undefined }]);
    assert.deepEqual(out.map((x) => [x.accountId, x.label, x.provider]), [
      ['acme/openrouter-shared', 'Team: OpenRouter (shared)', 'openrouter'],
      ['acme/deepseek-shared', 'Team: DeepSeek (shared)', 'deepseek'],
      ['acme/novita-shared', 'Team: Novita (shared)', 'novita'],
      ['solo', r.label, 'deepseek'],
    ]);
    for (const x of out) BalanceResultSchema.parse(x);
    assert.ok(out.every((x) => x.shared === undefined));
  });

  it('a stale shared account stays stale, with the server\'s error kind and its last numbers', () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(REAL, 'stale-shared-account.json'), 'utf8')) as { responses: { body: { accounts: BalanceResult[] } }[] };
    const shared = fixture.responses[0]!.body.accounts;
    const teamResult: BalanceResult = { accountId: 'acme', provider: 'team', label: 'Acme', status: 'valid', level: 'info', balance: null, currency: 'USD', usage: null, limit: null, checkedAt: new Date().toISOString(), shared };
    const ds = expandTeamResults([teamResult]).find((x) => x.accountId === 'acme/deepseek-shared')!;
    assert.deepEqual([ds.stale, ds.balance, ds.currency, ds.errorKind], [true, 110, 'CNY', 'server']);
  });

  it('when the team server fails, its last shared numbers stay (stale) and the team account shows its error once', async () => {
    const account = AccountSchema.parse({ id: 'acme', provider: 'team', label: 'Acme', baseUrl: `${f.server.url}/team` });
    const http = new HttpClient({ timeoutMs: 2000, env: {} });
    try {
      const engine = new CheckScheduler({ check: checkOver(http), store: memoryStore(), cacheTtlMs: 0, keys: () => ({ key: VALID_KEY }) });
      await engine.check([account], { force: true });
      f.server.route('GET', '/team/api/v1/balances', { status: 401, body: 'unauthorized\n' });
      const [failed] = await engine.check([account], { force: true });
      assert.equal(failed!.stale, true);
      const out = expandTeamResults([failed!]);
      assert.deepEqual(out.map((x) => x.accountId), ['acme', 'acme/openrouter-shared', 'acme/deepseek-shared', 'acme/novita-shared']);
      assert.deepEqual([out[0]!.status, out[0]!.errorKind, out[0]!.shared], ['invalid', 'auth', undefined]);
      const or = out[1]!;
      assert.deepEqual([or.stale, or.balance, or.level, or.errorKind], [true, 74.5, 'ok', undefined]);
      assert.match(or.note ?? '', /The team server "Acme" could not be read \(The key was rejected — HTTP 401/);
      assert.equal(typeof or.details?.staleSince, 'string');
    } finally {
      await http.close();
    }
  });

  it('something that is not a serve answer is a bad_response; unreadable entries are left out and counted', async () => {
    f.server.route('GET', '/team/api/v1/balances', { body: { data: { total_credits: 5 } } });
    const bad = await checkVia(f.server, { provider: 'team', id: 'acme' }, '/team');
    assert.deepEqual([bad.status, bad.errorKind], ['error', 'bad_response']);
    assert.match(bad.error ?? '', /is this an llm-balance serve/);
    const snap = recordedTeamSnapshot();
    f.server.route('GET', '/team/api/v1/balances', { body: { ...snap, accounts: [...snap.accounts, { accountId: 'x', balance: 'NaN' }, snap.accounts[0]] } });
    const partial = await checkVia(f.server, { provider: 'team', id: 'acme' }, '/team');
    assert.equal(partial.shared?.length, 3);
    assert.match(partial.note ?? '', /2 entries were not readable and left out/);
  });

  it('the team token and provider keys in shared text are redacted before they are shown', async () => {
    const snap = recordedTeamSnapshot();
    const leaky = { ...(snap.accounts[0] as object), accountId: 'leaky', label: `Leaky ${VALID_KEY}`, error: `failed with sk-live-0123456789abcdefghijklmnop` };
    f.server.route('GET', '/team/api/v1/balances', { body: { ...snap, accounts: [leaky] } });
    const r = await checkVia(f.server, { provider: 'team', id: 'acme' }, '/team');
    const text = JSON.stringify(expandTeamResults([r]));
    assert.ok(!text.includes(VALID_KEY) && !text.includes('0123456789abcdefghijklmnop'), text);
  });
});
