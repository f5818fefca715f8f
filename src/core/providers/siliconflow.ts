import { CheckError } from '../errors';
import { msg as l10nMsg } from '../message';
import { preview } from '../safeText';
import { mentionsNoFunds, providerMessage, type HttpResponse } from '../http';
import { parseAmount, parseOptionalAmount } from '../numbers';
import type { DetailValue } from '../model';
import { asObject, bearer, hostOf, joinUrl, type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import { defineProvider } from './descriptor';

const DEFAULT_BASE_URL = 'https://api.siliconflow.cn';

/**
 * The answer carries no currency: the China site (.cn) bills in CNY, the international one
 * (.com) in USD. Any other host (a proxy, a test server) is unknown here.
 */
export function siliconflowCurrencyForHost(host: string): 'CNY' | 'USD' | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'cn' || h.endsWith('.cn')) return 'CNY';
  if (h === 'siliconflow.com' || h.endsWith('.siliconflow.com')) return 'USD';
  return undefined;
}

// A bad key may come back as the bare JSON string "Api key is invalid", even with HTTP 200.
function classify(res: HttpResponse): CheckError | undefined {
  if (typeof res.json === 'string' && /api key is invalid/i.test(res.json)) {
    return new CheckError('auth', l10nMsg('The key was rejected — {0}', l10nMsg('HTTP {0}: {1}', res.status, preview(res.json.trim()))), { httpStatus: res.status });
  }
  return undefined;
}

const descriptor = defineProvider({
  id: 'siliconflow',
  name: 'SiliconFlow',
  description: 'Total balance (CNY on siliconflow.cn, USD on siliconflow.com)',
  defaultBaseUrl: DEFAULT_BASE_URL,
  defaultCurrency: 'CNY',
  keyEnv: 'SILICONFLOW_API_KEY',
  summary: 'SiliconFlow balance',
  readme: {
    reports: 'total balance as the API reports it (CNY on `.cn`, USD on `.com`)',
    key: 'API key',
    cannot: 'vouchers; the `.cn` endpoint is retired (410): "unavailable", see the console',
  },
  fromEnvironment: true,
  envNote: 'SiliconFlow',
});

export const siliconflow: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: (account) =>
    siliconflowCurrencyForHost(hostOf(account.baseUrl ?? DEFAULT_BASE_URL)) === 'USD'
      ? 'https://cloud.siliconflow.com/expensebill'
      : 'https://cloud.siliconflow.cn/expensebill',
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const siliconflowCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets, account } = ctx;
    const res = await http.json(joinUrl(baseUrl, '/v1/user/info'), { headers: bearer(key), secrets, classify });
    const body = asObject(res.json, 'SiliconFlow /v1/user/info');
    if (body.code !== 20000 && body.code !== '20000') {
      if (body.code === undefined) throw new CheckError('bad_response', l10nMsg('The response has no "{0}" field.', 'code'));
      const msg = providerMessage(body) ?? `code ${JSON.stringify(body.code)}`;
      if (mentionsNoFunds(msg)) throw new CheckError('insufficient_funds', `SiliconFlow: ${msg}`);
      throw new CheckError('bad_response', l10nMsg('SiliconFlow did not return the account (code {0}, expected 20000): {1}.', JSON.stringify(body.code), msg));
    }
    const data = asObject(body.data, 'SiliconFlow user info "data"');
    const total = parseAmount(data.totalBalance, 'data.totalBalance');
    // "balance" is the granted (gift) part, "chargeBalance" the topped-up part.
    const granted = parseOptionalAmount(data.balance, 'data.balance');
    const charged = parseOptionalAmount(data.chargeBalance, 'data.chargeBalance');
    const details: Record<string, DetailValue> = { total_balance: total };
    if (granted !== null) details.granted_balance = granted;
    if (charged !== null) details.charge_balance = charged;
    if (typeof data.status === 'string') details.account_status = data.status;

    return {
      balance: total,
      // An explicit account currency wins; then the host; a host we cannot tell (proxy, test
      // server) gets the default CNY, like the default base URL.
      currency: account.currency ?? siliconflowCurrencyForHost(hostOf(baseUrl)) ?? 'CNY',
      // These legacy fields have disagreed with the console, and vouchers are not in them.
      note: l10nMsg('Total balance as reported by the API; vouchers are not included and the console may show a different figure.'),
      details,
    };
  },
};
