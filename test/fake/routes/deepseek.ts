import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// DeepSeek under /deepseek. Error bodies follow DeepSeek's OpenAI-style shape.
export const DEEPSEEK_UNAUTHORIZED: FakeReply = {
  status: 401,
  body: { error: { message: 'Authentication Fails (no such user)', type: 'authentication_error', param: null, code: 'invalid_request_error' } },
};

export const DEEPSEEK_INSUFFICIENT: FakeReply = {
  status: 402,
  body: { error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' } },
};

export function deepseekBalance(infos: object[], isAvailable = true): FakeReply {
  return { body: { is_available: isAvailable, balance_infos: infos } };
}

function balance(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return DEEPSEEK_UNAUTHORIZED;
  // Real accounts often list an empty USD wallet beside the funded one, first as often as not.
  return deepseekBalance([
    { currency: 'USD', total_balance: '0.00', granted_balance: '0.00', topped_up_balance: '0.00' },
    { currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' },
  ]);
}

export const routes: FakeRoute[] = [{ method: 'GET', path: '/deepseek/user/balance', handler: balance }];
