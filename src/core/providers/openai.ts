import { CheckError } from '../errors';
import { providerMessage, type HttpResponse } from '../http';
import type { Account } from '../model';
import { parseAmount, roundMoney } from '../numbers';
import { asObject, bearer, joinUrl, type ProviderAdapter, type Reading } from './types';

// OpenAI gives an API key no balance. We check the key (/models) and, with an admin key, sum
// this month's costs; with a monthlyBudget that becomes "budget left". The spend helpers
// below are shared with the Anthropic adapter, which works the same way.

const BILLING_URL = 'https://platform.openai.com/settings/organization/billing/overview';

/** Cost reports are paged; a month of daily buckets fits in one page, so more means a loop. */
export const MAX_COST_PAGES = 20;

/** The first instant of the UTC month `now` falls in. */
export function utcMonthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The provider's error object ({"error":{…}}) from an answer, if there is one. */
export function errorObject(json: unknown): Record<string, unknown> | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const e = (json as Record<string, unknown>).error;
  return e && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>) : undefined;
}

export function hostOfResponse(res: HttpResponse): string {
  try {
    return new URL(res.url).host;
  } catch {
    return 'the provider';
  }
}

/**
 * Fetches a cost report page by page: `next_page` goes back as the `page` query parameter
 * while `has_more`. A partial month would understate spend, so an odd cursor is an error.
 */
export async function forEachPage(
  what: string,
  fetchPage: (page: string | undefined) => Promise<unknown>,
  onPage: (body: Record<string, unknown>) => void,
): Promise<void> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let n = 0; n < MAX_COST_PAGES; n++) {
    const body = asObject(await fetchPage(cursor), what);
    onPage(body);
    if (body.has_more !== true) return;
    const next = body.next_page;
    if (typeof next !== 'string' || next === '') {
      throw new CheckError('bad_response', `${what}: "has_more" is true but there is no "next_page".`);
    }
    if (seen.has(next)) throw new CheckError('bad_response', `${what}: the same "next_page" came back twice.`);
    seen.add(next);
    cursor = next;
  }
  throw new CheckError('bad_response', `${what}: more than ${MAX_COST_PAGES} pages; not showing a partial month.`);
}

/** Buckets are `data: [{ results: [...] }]`; yields every result object. */
export function eachResult(body: Record<string, unknown>, what: string, fn: (r: Record<string, unknown>, at: string) => void): void {
  const data = body.data;
  if (!Array.isArray(data)) throw new CheckError('bad_response', `${what}: the response has no "data" list.`);
  data.forEach((bucket, i) => {
    const results = asObject(bucket, `${what} data[${i}]`).results;
    if (!Array.isArray(results)) throw new CheckError('bad_response', `${what}: data[${i}] has no "results" list.`);
    results.forEach((r, j) => fn(asObject(r, `${what} data[${i}].results[${j}]`), `data[${i}].results[${j}]`));
  });
}

function money(n: number): string {
  return `$${n.toFixed(2)}`;
}

/** Month-to-date spend as a Reading: budget left when the account has a monthlyBudget. */
export function spendReading(spend: number, account: Account, since: Date, providerName: string): Reading {
  const usage = roundMoney(spend);
  const day = since.toISOString().slice(0, 10);
  const details = { spend_since: since.toISOString() };
  const budget = account.monthlyBudget;
  if (budget !== undefined) {
    return {
      balance: roundMoney(budget - spend),
      currency: 'USD',
      usage,
      limit: budget,
      // Say plainly that this is the user's own budget, not money held by the provider.
      note: `Left of your monthly budget of ${money(budget)} (spent ${money(usage)} since ${day}); ${providerName} has no balance API.`,
      details,
    };
  }
  return {
    balance: null,
    currency: 'USD',
    usage,
    limit: null,
    status: 'valid',
    note: `Spent ${money(usage)} since ${day}. Set a monthlyBudget on this account to see what is left of it.`,
    details,
  };
}

/** The note for an admin-key failure: the account stays valid, the spend is just unknown. */
export function adminFailureNote(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const why = e instanceof CheckError && e.kind === 'auth' ? `the admin key was rejected (${msg.replace(/^The key was rejected — /, '')})` : msg;
  return `Could not read this month's spend: ${why}. The API key itself is valid.`;
}

function classify(res: HttpResponse): CheckError | undefined {
  const err = errorObject(res.json);
  // OpenAI reports an exhausted prepaid balance as 429 insufficient_quota: money, not rate.
  if (res.status === 429 && (err?.code === 'insufficient_quota' || err?.type === 'insufficient_quota')) {
    const msg = providerMessage(res.json, res.text) ?? 'insufficient_quota';
    return new CheckError('insufficient_funds', `Out of credit — HTTP 429 from ${hostOfResponse(res)}: ${msg}`, { httpStatus: 429 });
  }
  return undefined;
}

async function monthSpend(ctx: Parameters<ProviderAdapter['check']>[0], adminKey: string, since: Date): Promise<number> {
  const { http, baseUrl, secrets } = ctx;
  const what = 'OpenAI /organization/costs';
  let total = 0;
  await forEachPage(
    what,
    async (page) => {
      const q = new URLSearchParams({ start_time: String(Math.floor(since.getTime() / 1000)), bucket_width: '1d', limit: '31' });
      if (page !== undefined) q.set('page', page);
      const res = await http.json(`${joinUrl(baseUrl, '/organization/costs')}?${q.toString()}`, { headers: bearer(adminKey), secrets, classify });
      return res.json;
    },
    (body) =>
      eachResult(body, what, (r, at) => {
        const amount = asObject(r.amount, `${what} ${at}.amount`);
        if (typeof amount.currency === 'string' && amount.currency.toLowerCase() !== 'usd') {
          throw new CheckError('bad_response', `${what}: ${at} is in ${amount.currency}, expected USD.`);
        }
        total += parseAmount(amount.value, `${at}.amount.value`);
      }),
  );
  return total;
}

export const openai: ProviderAdapter = {
  id: 'openai',
  name: 'OpenAI',
  description: 'Key check; spend this month and budget left with an admin key (no balance API)',
  defaultBaseUrl: 'https://api.openai.com/v1',
  defaultCurrency: 'USD',
  keyEnv: 'OPENAI_API_KEY',
  adminKeyEnv: 'OPENAI_ADMIN_KEY',
  adminKeyName: 'admin key',
  billingUrl: () => BILLING_URL,
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, adminKey, secrets, account } = ctx;
    const since = utcMonthStart(ctx.now);
    return keyCheckWithSpend('OpenAI', BILLING_URL, account, since,
      http.json(joinUrl(baseUrl, '/models'), { headers: bearer(key), secrets, classify }),
      adminKey ? monthSpend(ctx, adminKey, since) : undefined);
  },
};

/**
 * OpenAI and Anthropic alike: the API key decides the account's state (GET /models); an admin
 * key only adds this month's spend, and its failure is a note, not an account error.
 */
export async function keyCheckWithSpend(
  name: string,
  billingUrl: string,
  account: Account,
  since: Date,
  keyCheck: Promise<HttpResponse>,
  spendUsd: Promise<number> | undefined,
): Promise<Reading> {
  const [models, spend] = await Promise.allSettled([keyCheck, spendUsd ?? Promise.resolve(undefined)]);
  if (models.status === 'rejected') throw models.reason;
  const list = asObject(models.value.json, `${name} /models`);
  if (!Array.isArray(list.data)) throw new CheckError('bad_response', `${name} /models: the response has no "data" list.`);
  if (!spendUsd) {
    return {
      balance: null,
      currency: 'USD',
      status: 'valid',
      note: `${name} has no balance API; add an admin key and a monthlyBudget to track spend, or check ${billingUrl}`,
    };
  }
  if (spend.status === 'rejected') return { balance: null, currency: 'USD', status: 'valid', note: adminFailureNote(spend.reason) };
  return spendReading(spend.value ?? 0, account, since, name);
}

