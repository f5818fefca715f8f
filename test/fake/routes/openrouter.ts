import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// OpenRouter under /openrouter/api/v1. Keys containing "mgmt" are management keys.
const unauthorized: FakeReply = { status: 401, body: { error: { code: 401, message: 'Missing Authentication header' } } };

function credits(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return unauthorized;
  return { body: { data: { total_credits: 100.5, total_usage: 25.75 } } };
}

// A key older than this month: lifetime `usage` is far above this month's spend, as on real keys.
function key(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return unauthorized;
  return {
    body: {
      data: {
        label: 'sk-or-v1-au7...890', limit: 100, limit_remaining: 74.5, limit_reset: 'monthly',
        include_byok_in_limit: false, usage: 212.4, usage_daily: 1.5, usage_weekly: 7.25, usage_monthly: 25.5,
        byok_usage: 17.38, is_free_tier: false, is_management_key: false, is_provisioning_key: false,
        expires_at: '2027-12-31T23:59:59Z', rate_limit: { requests: 1000, interval: '1h', note: 'deprecated' },
      },
    },
  };
}

export const FORBIDDEN_CREDITS: FakeReply = {
  status: 403,
  body: { error: { code: 403, message: 'Only management keys can perform this operation' } },
};

export const routes: FakeRoute[] = [
  { method: 'GET', path: '/openrouter/api/v1/credits', handler: credits },
  { method: 'GET', path: '/openrouter/api/v1/key', handler: key },
  { method: 'GET', path: '/openrouter/api/v1/auth/key', handler: key },
];
