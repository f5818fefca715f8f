import * as fs from 'node:fs';
import * as path from 'node:path';
import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// A team's `llm-balance serve` under /team: the /api/v1/balances answer recorded from this
// repo's serve (test/fixtures/real/team/shared-accounts.json), for any valid bearer token.
const RECORDED = path.resolve(__dirname, '../../../../test/fixtures/real/team/shared-accounts.json');

export const TEAM_UNAUTHORIZED: FakeReply = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer realm="llm-balance"' },
  body: 'unauthorized: send Authorization: Bearer <LLM_BALANCE_SERVE_TOKEN>\n',
};

export function recordedTeamSnapshot(): { checkedAt: string; accounts: unknown[] } {
  const fixture = JSON.parse(fs.readFileSync(RECORDED, 'utf8')) as { responses: { body: { checkedAt: string; accounts: unknown[] } }[] };
  return fixture.responses[0]!.body;
}

function balances(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return TEAM_UNAUTHORIZED;
  return { body: recordedTeamSnapshot() };
}

export const routes: FakeRoute[] = [{ method: 'GET', path: '/team/api/v1/balances', handler: balances }];
