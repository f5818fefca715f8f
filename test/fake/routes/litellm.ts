import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// A LiteLLM proxy under /litellm (no /v1: /key/info lives at the proxy's root).

export const UNAUTHORIZED: FakeReply = {
  status: 401,
  body: {
    error: {
      message: 'Authentication Error, Invalid proxy server token passed. Received API Key = sk-...BAD, Key Hash (Token) =3f1e. Unable to find token in cache or `LiteLLM_VerificationTokenTable`',
      type: 'auth_error',
      param: 'None',
      code: '401',
    },
  },
};

export const BUDGET_EXCEEDED: FakeReply = {
  status: 400,
  body: {
    error: {
      message: 'Budget has been exceeded! Current cost: 10.5, Max budget: 10.0',
      type: 'budget_exceeded',
      param: null,
      code: '400',
    },
  },
};

export const DB_NOT_CONNECTED: FakeReply = {
  status: 500,
  body: {
    error: {
      message: 'Internal Server Error, Database not connected. Connect a database to your proxy - https://docs.litellm.ai/docs/simple_proxy#managing-auth---virtual-keys',
      type: 'internal_server_error',
      param: 'None',
      code: '500',
    },
  },
};

export function keyInfo(info: Record<string, unknown>): FakeReply {
  return {
    body: {
      key: '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b',
      info: {
        key_name: 'sk-...abcd',
        key_alias: null,
        spend: 1.23,
        max_budget: 10.0,
        budget_duration: '30d',
        budget_reset_at: '2026-09-01T00:00:00Z',
        team_id: null,
        user_id: 'default_user_id',
        models: [],
        metadata: {},
        expires: null,
        ...info,
      },
    },
  };
}

function info(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return UNAUTHORIZED;
  return keyInfo({});
}

export const routes: FakeRoute[] = [{ method: 'GET', path: '/litellm/key/info', handler: info }];
