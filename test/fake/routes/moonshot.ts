import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// Moonshot / Kimi under /moonshot.
export const MOONSHOT_UNAUTHORIZED: FakeReply = {
  status: 401,
  body: { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } },
};

export const MOONSHOT_SUSPENDED: FakeReply = {
  status: 429,
  body: { error: { message: 'Your account org-0a1b2c is suspended, please check your plan and billing details', type: 'exceeded_current_quota_error' } },
};

export function moonshotBalance(data: object): FakeReply {
  return { body: { code: 0, data, scode: '0x0', status: true } };
}

function balance(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return MOONSHOT_UNAUTHORIZED;
  return moonshotBalance({ available_balance: 49.58894, voucher_balance: 46.58893, cash_balance: 3.00001 });
}

export const routes: FakeRoute[] = [{ method: 'GET', path: '/moonshot/v1/users/me/balance', handler: balance }];
