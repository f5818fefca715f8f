import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// OpenAI under /openai/v1. Keys starting "sk-admin" are admin keys (organization costs).

/** OpenAI's 401; it names the key, which our redaction must catch (the real one masks most of it). */
export function unauthorized(req: FakeRequest): FakeReply {
  return {
    status: 401,
    body: {
      error: {
        message: `Incorrect API key provided: ${req.key ?? ''}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    },
  };
}

export const INSUFFICIENT_QUOTA: FakeReply = {
  status: 429,
  body: {
    error: {
      message: 'You exceeded your current quota, please check your plan and billing details.',
      type: 'insufficient_quota',
      param: null,
      code: 'insufficient_quota',
    },
  },
};

export const MISSING_SCOPES: FakeReply = {
  status: 403,
  body: {
    error: {
      message: 'You have insufficient permissions for this operation. Missing scopes: api.usage.read.',
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
  },
};

function models(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return unauthorized(req);
  return {
    body: {
      object: 'list',
      data: [
        { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
        { id: 'gpt-4.1', object: 'model', created: 1744316542, owned_by: 'system' },
      ],
    },
  };
}

/** One cost bucket in the documented shape. */
export function costBucket(startTime: number, ...values: (number | string)[]): Record<string, unknown> {
  return {
    object: 'bucket',
    start_time: startTime,
    end_time: startTime + 86_400,
    results: values.map((value) => ({
      object: 'organization.costs.result',
      amount: { value, currency: 'usd' },
      line_item: null,
      project_id: null,
    })),
  };
}

// Default: two days, 0.06 + 12.28 = 12.34 USD, one page.
function costs(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return unauthorized(req);
  if (!req.key?.startsWith('sk-admin')) return MISSING_SCOPES;
  const start = Number(req.query.get('start_time') ?? 0);
  return {
    body: {
      object: 'page',
      data: [costBucket(start, 0.06), costBucket(start + 86_400, 12.28)],
      has_more: false,
      next_page: null,
    },
  };
}

export const routes: FakeRoute[] = [
  { method: 'GET', path: '/openai/v1/models', handler: models },
  { method: 'GET', path: '/openai/v1/organization/costs', handler: costs },
];
