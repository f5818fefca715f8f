import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// Anthropic under /anthropic/v1: x-api-key and anthropic-version, never Bearer. Keys starting
// "sk-ant-admin" are admin keys (cost report).

export function anthropicError(status: number, type: string, message: string): FakeReply {
  return { status, body: { type: 'error', error: { type, message } } };
}

export const UNAUTHORIZED = anthropicError(401, 'authentication_error', 'invalid x-api-key');
export const CREDIT_TOO_LOW = anthropicError(
  400,
  'invalid_request_error',
  'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
);
export const OVERLOADED = anthropicError(529, 'overloaded_error', 'Overloaded');

/** The answer to a request without the headers Anthropic insists on, if it lacks them. */
function badHeaders(req: FakeRequest): FakeReply | undefined {
  const key = req.headers['x-api-key'];
  if (typeof key !== 'string' || !isValidKey(key)) return UNAUTHORIZED;
  if (req.headers['anthropic-version'] !== '2023-06-01') {
    return anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required');
  }
  return undefined;
}

function models(req: FakeRequest): FakeReply {
  const bad = badHeaders(req);
  if (bad) return bad;
  return {
    body: {
      data: [{ type: 'model', id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', created_at: '2025-05-22T00:00:00Z' }],
      has_more: false,
      first_id: 'claude-sonnet-4-20250514',
      last_id: 'claude-sonnet-4-20250514',
    },
  };
}

/** One cost-report bucket; amounts are decimal strings in cents. */
export function costBucket(startingAt: string, ...amounts: (string | number)[]): Record<string, unknown> {
  const end = new Date(Date.parse(startingAt) + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    starting_at: startingAt,
    ending_at: end,
    results: amounts.map((amount) => ({
      currency: 'USD',
      amount,
      workspace_id: null,
      description: null,
      cost_type: 'tokens',
      context_window: '0-200k',
      model: 'claude-sonnet-4-20250514',
      service_tier: 'standard',
      token_type: 'uncached_input_tokens',
    })),
  };
}

// Default: "123.45" + "1000" cents = $11.2345, one page.
function costReport(req: FakeRequest): FakeReply {
  const bad = badHeaders(req);
  if (bad) return bad;
  if (!String(req.headers['x-api-key']).startsWith('sk-ant-admin')) {
    return anthropicError(403, 'permission_error', 'This endpoint requires an Admin API key.');
  }
  const start = req.query.get('starting_at') ?? '2026-01-01T00:00:00Z';
  return {
    body: {
      data: [costBucket(start, '123.45'), costBucket(start, '1000')],
      has_more: false,
      next_page: null,
    },
  };
}

export const routes: FakeRoute[] = [
  { method: 'GET', path: '/anthropic/v1/models', handler: models },
  { method: 'GET', path: '/anthropic/v1/organizations/cost_report', handler: costReport },
];
