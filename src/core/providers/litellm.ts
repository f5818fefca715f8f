import { CheckError } from '../errors';
import { providerMessage, type HttpResponse } from '../http';
import type { DetailValue } from '../model';
import { asObject, bearer, joinUrl, type ProviderAdapter, type Reading } from './types';
import { parseAmount, parseOptionalAmount, roundMoney } from '../numbers';
import { errorObject, hostOfResponse } from './openai';
import { originOf } from './relay';

// A LiteLLM proxy's virtual key: remaining = max_budget − spend from /key/info. The proxy's
// own URL is the base; users often paste the OpenAI-style ".../v1", which /key/info is not under.

const DB_DOWN = /database not connected/i;

/** `onDbDown` hears the message when the proxy says it has no database. */
function classify(res: HttpResponse, onDbDown: (message: string) => void): CheckError | undefined {
  if (res.status < 300) return undefined;
  const err = errorObject(res.json);
  const msg = providerMessage(res.json, res.text) ?? '';
  const where = `HTTP ${res.status} from ${hostOfResponse(res)}`;
  // Without a database the proxy cannot track keys at all: not the key's fault.
  if (DB_DOWN.test(res.text)) {
    const m = DB_DOWN.test(msg) ? msg.replace(/^Internal Server Error,\s*/i, '') : 'Database not connected';
    onDbDown(m);
    return new CheckError('server', m, { httpStatus: res.status });
  }
  // The proxy's auth errors carry code "401" (string or number), whatever the HTTP status.
  if (err?.type === 'auth_error' || String(err?.code) === '401') {
    return new CheckError('auth', `The key was rejected — ${where}: ${msg}`, { httpStatus: res.status });
  }
  if (err?.type === 'budget_exceeded') {
    return new CheckError('insufficient_funds', `Budget exceeded — ${where}: ${msg}`, { httpStatus: res.status, balance: overBudgetBalance(msg) });
  }
  return undefined;
}

/** "Budget has been exceeded! Current cost: 10.5, Max budget: 10.0" → −0.5; else 0. */
function overBudgetBalance(msg: string): number {
  const m = /current cost:\s*([-+]?\d+(?:\.\d+)?)[\s\S]*?max budget:\s*([-+]?\d+(?:\.\d+)?)/i.exec(msg);
  if (!m?.[1] || !m[2]) return 0;
  return roundMoney(Number(m[2]) - Number(m[1]));
}

export const litellm: ProviderAdapter = {
  id: 'litellm',
  name: 'LiteLLM',
  description: 'Virtual key budget left on a LiteLLM proxy (set your proxy URL)',
  defaultBaseUrl: 'http://localhost:4000',
  defaultCurrency: 'USD',
  keyEnv: 'LITELLM_API_KEY',
  billingUrl: (account) => originOf(account.baseUrl),
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets } = ctx;
    const root = baseUrl.replace(/\/v1$/i, '');
    let dbDown: string | undefined;
    let res;
    try {
      res = await http.json(joinUrl(root, '/key/info'), { headers: bearer(key), secrets, classify: (r) => classify(r, (m) => (dbDown = m)) });
    } catch (e) {
      if (dbDown !== undefined) return { balance: null, currency: 'USD', status: 'unavailable', note: dbDown };
      throw e;
    }
    const info = asObject(asObject(res.json, 'LiteLLM /key/info').info, 'LiteLLM /key/info "info"');
    const spend = parseAmount(info.spend, 'info.spend');
    const maxBudget = parseOptionalAmount(info.max_budget, 'info.max_budget');
    const details: Record<string, DetailValue> = {};
    for (const f of ['key_alias', 'budget_duration', 'budget_reset_at'] as const) {
      if (typeof info[f] === 'string' && info[f] !== '') details[f] = info[f];
    }
    if (maxBudget === null) {
      return {
        balance: null,
        currency: 'USD',
        usage: spend,
        limit: null,
        status: 'valid',
        note: 'This key has no budget set (max_budget is null); showing its spend only.',
        details,
      };
    }
    return { balance: roundMoney(maxBudget - spend), currency: 'USD', usage: spend, limit: maxBudget, details };
  },
};
