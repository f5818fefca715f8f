import { isValidKey, type FakeReply, type FakeRequest, type FakeRoute } from '../server';

// Novita under /novita. Amounts are strings in 1/10 000 USD.
export const NOVITA_UNAUTHORIZED: FakeReply = {
  status: 401,
  body: { code: 401, reason: 'INVALID_API_KEY', message: 'Invalid API key', metadata: {} },
};

export const NOVITA_BALANCE = {
  availableBalance: '1000000', cashBalance: '800000', creditLimit: '200000', pendingCharges: '0', outstandingInvoices: '0',
};

function detail(req: FakeRequest): FakeReply {
  if (!isValidKey(req.key)) return NOVITA_UNAUTHORIZED;
  return { body: NOVITA_BALANCE };
}

export const routes: FakeRoute[] = [{ method: 'GET', path: '/novita/openapi/v1/billing/balance/detail', handler: detail }];
