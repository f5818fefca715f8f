import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// A team credit service under /custom: a GET with the key in a header, and a POST that takes
// the key in a JSON body.

const UNAUTHORIZED: FakeReply = { status: 401, body: { error: 'invalid token' } };

export const TEAM_BALANCE_PATH = '/custom/api/credits/teams/acme/balance';
export const POST_BALANCE_PATH = '/custom/api/balance';

function teamBalance(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return UNAUTHORIZED;
  return {
    body: {
      credits_remaining: 755,
      credit_limit: 1000,
      team: { name: 'acme', billing: { used: '245', currency: 'eur' } },
    },
  };
}

function postBalance(req: FakeRequest): FakeReply {
  let token: unknown;
  try {
    token = (JSON.parse(req.body) as { token?: unknown }).token;
  } catch {
    return { status: 400, body: { error: 'body is not JSON' } };
  }
  if (typeof token !== 'string' || !isValidKey(token)) return UNAUTHORIZED;
  return { body: { data: [{ balance: '42.50', currency: 'USD' }] } };
}

export const routes: FakeRoute[] = [
  { method: 'GET', path: TEAM_BALANCE_PATH, handler: teamBalance },
  { method: 'POST', path: POST_BALANCE_PATH, handler: postBalance },
];
