import { CheckError } from '../errors';
import { msg as l10nMsg } from '../message';
import { httpWhere, providerMessage, type HttpResponse } from '../http';
import { parseAmount, roundMoney } from '../numbers';
import { joinUrl, type ProviderAdapter, type ProviderContext, type Reading, type ProviderCheck } from './types';
import { defineProvider } from './descriptor';
import { eachResult, errorObject, forEachPage, hostOfResponse, keyCheckWithSpend, utcMonthStart } from './openai';

// Like OpenAI: no balance endpoint. We check the key (/models) and, with an admin key, sum
// the month's cost report, whose amounts are decimal strings in CENTS.

const BILLING_URL = 'https://console.anthropic.com/settings/billing';
const VERSION = '2023-06-01';
/** Anthropic documents that the cost report leaves Priority Tier out: the month's spend can be understated. */
const PRIORITY_TIER_CAVEAT = l10nMsg('The cost report leaves out Priority Tier costs, so spend may be understated.');

function headers(key: string): Record<string, string> {
  return { 'x-api-key': key, 'anthropic-version': VERSION };
}

function classify(res: HttpResponse): CheckError | undefined {
  if (res.status < 300) return undefined;
  const err = errorObject(res.json);
  const msg = providerMessage(res.json, res.text) ?? '';
  const where = (said: string) => httpWhere(res.status, hostOfResponse(res), said);
  // Low credit arrives as a 400 invalid_request_error, not a 402.
  if (res.status === 400 && err?.type === 'invalid_request_error' && /credit balance is too low/i.test(msg)) {
    return new CheckError('insufficient_funds', l10nMsg('Credit balance too low — {0}', where(msg)), { httpStatus: 400 });
  }
  if (res.status === 402 || err?.type === 'billing_error') {
    return new CheckError('insufficient_funds', l10nMsg('Billing problem — {0}', where(msg || 'billing_error')), { httpStatus: res.status });
  }
  if (res.status === 529 || err?.type === 'overloaded_error') {
    return new CheckError('server', l10nMsg('Anthropic is overloaded — {0}', where(msg)), { httpStatus: res.status });
  }
  return undefined;
}

/** RFC 3339 without milliseconds, as the Admin API documents it. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function monthSpendCents(ctx: ProviderContext, adminKey: string, since: Date): Promise<number> {
  const { http, baseUrl, secrets } = ctx;
  const what = 'Anthropic /organizations/cost_report';
  let cents = 0;
  await forEachPage(
    what,
    async (page) => {
      // 31 daily buckets is the most one page holds (the default is 7); next_page is an opaque cursor.
      const q = new URLSearchParams({ starting_at: rfc3339(since), bucket_width: '1d', limit: '31' });
      if (page !== undefined) q.set('page', page);
      const res = await http.json(`${joinUrl(baseUrl, '/organizations/cost_report')}?${q.toString()}`, { headers: headers(adminKey), secrets, classify });
      return res.json;
    },
    (body) =>
      eachResult(body, what, (r, at) => {
        if (typeof r.currency === 'string' && r.currency.toUpperCase() !== 'USD') {
          throw new CheckError('bad_response', l10nMsg('{0}: {1} is in {2}, expected USD.', what, at, r.currency));
        }
        cents += parseAmount(r.amount, `${at}.amount`);
      }),
  );
  return cents;
}

const descriptor = defineProvider({
  id: 'anthropic',
  name: 'Anthropic',
  description: 'Key check; spend this month and budget left with an admin key (no balance API)',
  defaultBaseUrl: 'https://api.anthropic.com/v1',
  defaultCurrency: 'USD',
  keyEnv: 'ANTHROPIC_API_KEY',
  adminKeyEnv: 'ANTHROPIC_ADMIN_KEY',
  adminKeyName: 'admin key',
  summary: 'Anthropic key check; spend with an admin key',
  readme: {
    reports: 'key validity; with an admin key: spend this month (cost report), and what is left of your `monthlyBudget`',
    key: 'API key; admin key (`sk-ant-admin…`)',
    cannot: 'credit balance (no API); Priority Tier costs (left out of the cost report, so spend can be understated)',
  },
  budget: 'monthly',
  fromEnvironment: true,
  envNote: 'Anthropic key; admin key for this month\'s spend',
  adminKeyPurpose: 'shows this month\'s spend',
});

export const anthropic: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: () => BILLING_URL,
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const anthropicCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, adminKey, secrets, account } = ctx;
    const since = utcMonthStart(ctx.now);
    return keyCheckWithSpend('Anthropic', BILLING_URL, account, since,
      http.json(joinUrl(baseUrl, '/models'), { headers: headers(key), secrets, classify }),
      adminKey ? monthSpendCents(ctx, adminKey, since).then((c) => ({ usd: roundMoney(c / 100), caveat: PRIORITY_TIER_CAVEAT })) : undefined);
  },
};
