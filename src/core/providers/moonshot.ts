import { CheckError } from '../errors';
import { money, msg as l10nMsg } from '../message';
import { mentionsNoFunds, providerMessage, type HttpResponse } from '../http';
import { parseAmount, parseOptionalAmount } from '../numbers';
import type { Account, DetailValue } from '../model';
import { asObject, bearer, hostOf, joinUrl, type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import { defineProvider } from './descriptor';

const DEFAULT_BASE_URL = 'https://api.moonshot.ai';

/** The answer carries no currency: the China platform (.cn) bills in CNY, the global one in USD. */
export function moonshotCurrencyForHost(host: string): 'CNY' | 'USD' {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'cn' || h.endsWith('.cn') ? 'CNY' : 'USD';
}

function isChina(account: Account): boolean {
  return moonshotCurrencyForHost(hostOf(account.baseUrl ?? DEFAULT_BASE_URL)) === 'CNY';
}

// Wordings of a suspended account: 403 "… is not active, organization … exceeded current quota"
// and 429 "… is suspended due to insufficient balance".
const SUSPENDED = /suspended due to insufficient balance|exceeded current quota/i;

// A suspended account answers exceeded_current_quota_error (403 or 429); that is a money
// problem, not a bad key and not a rate limit.
function classify(res: HttpResponse): CheckError | undefined {
  const o = res.json && typeof res.json === 'object' ? (res.json as Record<string, unknown>) : undefined;
  const err = o?.error && typeof o.error === 'object' ? (o.error as Record<string, unknown>) : undefined;
  if (err?.type === 'exceeded_current_quota_error' || SUSPENDED.test(providerMessage(res.json, res.text) ?? '')) {
    const msg = providerMessage(res.json) ?? 'exceeded_current_quota_error';
    return new CheckError('insufficient_funds', l10nMsg('Moonshot account has no usable quota (HTTP {0}): {1}', res.status, msg), { httpStatus: res.status });
  }
  return undefined;
}

const descriptor = defineProvider({
  id: 'moonshot',
  name: 'Moonshot',
  description: 'Kimi available balance (USD on moonshot.ai, CNY on moonshot.cn)',
  defaultBaseUrl: DEFAULT_BASE_URL,
  defaultCurrency: 'USD',
  keyEnv: 'MOONSHOT_API_KEY',
  summary: 'Moonshot / Kimi balance',
  readme: {
    reports: 'available balance (cash + voucher; CNY on `.cn`, USD on `.ai`)',
    key: 'API key',
    cannot: '—',
  },
  fromEnvironment: true,
  envNote: 'Moonshot / Kimi (`.cn` base URL → CNY)',
});

export const moonshot: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: (account) => (isChina(account) ? 'https://platform.moonshot.cn/console/pay' : 'https://platform.moonshot.ai/console/pay'),
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const moonshotCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets, account } = ctx;
    const res = await http.json(joinUrl(baseUrl, '/v1/users/me/balance'), { headers: bearer(key), secrets, classify });
    const body = asObject(res.json, 'Moonshot /v1/users/me/balance');
    if (body.status !== true || body.code !== 0) {
      const msg = providerMessage(body) ?? `status ${JSON.stringify(body.status)}, code ${JSON.stringify(body.code)}`;
      // An HTTP 200 can still carry a refused key (code 401, scode "unauthorized").
      if (body.code === 401 || body.code === 403 || body.scode === 'unauthorized') {
        const said = providerMessage(body);
        const answered = said
          ? l10nMsg('Moonshot answered code {0}, scode {1}: {2}.', JSON.stringify(body.code), JSON.stringify(body.scode), said)
          : l10nMsg('Moonshot answered code {0}, scode {1}.', JSON.stringify(body.code), JSON.stringify(body.scode));
        throw new CheckError('auth', l10nMsg('The key was rejected — {0}', answered));
      }
      if (mentionsNoFunds(msg)) throw new CheckError('insufficient_funds', `Moonshot: ${msg}`);
      throw new CheckError('bad_response', l10nMsg('Moonshot did not confirm the balance (expected status true and code 0): {0}.', msg));
    }
    const data = asObject(body.data, 'Moonshot balance "data"');
    const available = parseAmount(data.available_balance, 'data.available_balance');
    const voucher = parseOptionalAmount(data.voucher_balance, 'data.voucher_balance');
    const cash = parseOptionalAmount(data.cash_balance, 'data.cash_balance');
    const details: Record<string, DetailValue> = { available_balance: available };
    if (voucher !== null) details.voucher_balance = voucher;
    if (cash !== null) details.cash_balance = cash;

    const reading: Reading = {
      balance: available,
      currency: account.currency ?? moonshotCurrencyForHost(hostOf(baseUrl)),
      details,
    };
    if (cash !== null && cash < 0) {
      reading.note = l10nMsg('Cash balance is negative ({0}): the account is in arrears.', money(cash, reading.currency));
    }
    return reading;
  },
};
