import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// A one-api / new-api relay under /relay (its OpenAI-style base would be /relay/v1).

export function relayError(status: number, message: string): FakeReply {
  return { status, body: { error: { message, type: 'new_api_error' } } };
}

export const INVALID_TOKEN = relayError(401, '无效的令牌 (request id: 20260512093012345678901)');
export const EXPIRED_TOKEN = relayError(401, '该令牌已过期 (request id: 20260512093012345678902)');
export const QUOTA_USED_UP = relayError(401, '该令牌额度已用尽 (request id: 20260512093012345678903)');

export function subscription(hardLimit: number | string): Record<string, unknown> {
  return {
    object: 'billing_subscription',
    has_payment_method: true,
    soft_limit_usd: hardLimit,
    hard_limit_usd: hardLimit,
    system_hard_limit_usd: hardLimit,
    access_until: 0,
  };
}

// Default: limit 50, usage 1234.5 cents = 12.345 → 37.655 left.
function sub(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return INVALID_TOKEN;
  return { body: subscription(50) };
}

function usage(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return INVALID_TOKEN;
  return { body: { object: 'list', total_usage: 1234.5 } };
}

export const routes: FakeRoute[] = [
  { method: 'GET', path: '/relay/v1/dashboard/billing/subscription', handler: sub },
  { method: 'GET', path: '/relay/v1/dashboard/billing/usage', handler: usage },
];
