import { CheckError } from '../errors';
import { messageOf, money, msg as l10nMsg, renderMessage, type Message, type TextArg } from '../message';
import { httpWhere, KEY_REJECTED, providerMessage, type HttpResponse } from '../http';
import type { Account, DetailValue } from '../model';
import { parseAmount, roundMoney } from '../numbers';
import { asObject, bearer, joinUrl, type ProviderAdapter, type ProviderContext, type Reading, type ProviderCheck } from './types';
import * as z from 'zod/mini';
import { defineProvider } from './descriptor';

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
      throw new CheckError('bad_response', l10nMsg('{0}: "has_more" is true but there is no "next_page".', what));
    }
    if (seen.has(next)) throw new CheckError('bad_response', l10nMsg('{0}: the same "next_page" came back twice.', what));
    seen.add(next);
    cursor = next;
  }
  throw new CheckError('bad_response', l10nMsg('{0}: more than {1} pages; not showing a partial month.', what, MAX_COST_PAGES));
}

/** Buckets are `data: [{ results: [...] }]`; yields every result object. */
export function eachResult(body: Record<string, unknown>, what: string, fn: (r: Record<string, unknown>, at: string) => void): void {
  const data = body.data;
  if (!Array.isArray(data)) throw new CheckError('bad_response', l10nMsg('{0}: the response has no "{1}" list.', what, 'data'));
  data.forEach((bucket, i) => {
    const results = asObject(bucket, `${what} data[${i}]`).results;
    if (!Array.isArray(results)) throw new CheckError('bad_response', l10nMsg('{0}: {1} has no "{2}" list.', what, `data[${i}]`, 'results'));
    results.forEach((r, j) => fn(asObject(r, `${what} data[${i}].results[${j}]`), `data[${i}].results[${j}]`));
  });
}

/** A limit the provider itself enforces on the month's spend (OpenAI's hard spend limit). */
export interface ProviderLimit {
  amount: number;
  /** Says whose limit it is: "OpenAI's hard spend limit for project proj_1". */
  label: Message;
}

export interface SpendOptions {
  providerLimit?: ProviderLimit | undefined;
  /** A sentence appended to the note (what the figure leaves out, why a limit is not used). */
  caveat?: Message | undefined;
}

/**
 * Month-to-date spend as a Reading. What is left is measured against the provider's own limit
 * when there is one, else the account's monthlyBudget; otherwise only the spend is known.
 */
export function spendReading(spend: number, account: Account, since: Date, providerName: string, opts: SpendOptions = {}): Reading {
  const usage = roundMoney(spend);
  // Both cost reports are checked to be in USD; the budget and the limits measured against them are too.
  const currency = 'USD';
  const day = since.toISOString().slice(0, 10);
  const details: Record<string, DetailValue> = { spend_since: since.toISOString() };
  const caveat = opts.caveat ? [opts.caveat] : [];
  const limit = opts.providerLimit;
  if (limit) {
    details.limit_source = 'provider';
    // The provider's own cap is what actually stops spending; a hand-set budget would only mislead.
    const ignored = account.monthlyBudget !== undefined ? [l10nMsg('Your monthlyBudget ({0}) is not used while this limit is enforced.', money(account.monthlyBudget, currency))] : [];
    return {
      balance: roundMoney(limit.amount - spend),
      currency,
      usage,
      limit: limit.amount,
      note: [l10nMsg('Left of {0} ({1}); spent {2} since {3}.', limit.label, money(limit.amount, currency), money(usage, currency), day), ...ignored, ...caveat],
      details,
    };
  }
  const budget = account.monthlyBudget;
  if (budget !== undefined) {
    details.limit_source = 'monthlyBudget';
    return {
      balance: roundMoney(budget - spend),
      currency,
      usage,
      limit: budget,
      // Say plainly that this is the user's own budget, not money held by the provider.
      note: [l10nMsg('Left of your monthly budget of {0} (spent {1} since {2}); {3} has no balance API.', money(budget, currency), money(usage, currency), day, providerName), ...caveat],
      details,
    };
  }
  return {
    balance: null,
    currency,
    usage,
    limit: null,
    status: 'valid',
    // One message a sentence: an account from the environment drops the monthlyBudget one (statusView.noteText).
    note: [l10nMsg('Spent {0} since {1}.', money(usage, currency), day), l10nMsg('Set a monthlyBudget on this account to see what is left of it.'), ...caveat],
    details,
  };
}

/** The note for an admin-key failure: the account stays valid, the spend is just unknown. */
export function adminFailureNote(e: unknown): Message {
  const said = messageOf(e);
  let why: TextArg = said;
  if (e instanceof CheckError && e.kind === 'auth') {
    // The reason without "The key was rejected — ": it is the admin key, said below.
    const lead = KEY_REJECTED.replace('{0}', '');
    const unled = (text: string) => (text.startsWith(lead) ? text.slice(lead.length) : text);
    const reason = typeof said !== 'string' && said.m === KEY_REJECTED && said.a?.length === 1 ? said.a[0]! : unled(typeof said === 'string' ? said : renderMessage(said));
    why = l10nMsg('the admin key was rejected ({0})', reason);
  }
  return l10nMsg("Could not read this month's spend: {0}. The API key itself is valid.", why);
}

function classify(res: HttpResponse): CheckError | undefined {
  const err = errorObject(res.json);
  // OpenAI reports an exhausted prepaid balance as 429 insufficient_quota: money, not rate.
  if (res.status === 429 && (err?.code === 'insufficient_quota' || err?.type === 'insufficient_quota')) {
    const msg = providerMessage(res.json, res.text) ?? 'insufficient_quota';
    return new CheckError('insufficient_funds', l10nMsg('Out of credit — {0}', httpWhere(429, hostOfResponse(res), msg)), { httpStatus: 429 });
  }
  return undefined;
}

async function monthSpend(ctx: ProviderContext, adminKey: string, since: Date): Promise<number> {
  const { http, baseUrl, secrets } = ctx;
  const what = 'OpenAI /organization/costs';
  let total = 0;
  await forEachPage(
    what,
    async (page) => {
      // A month of daily buckets needs limit=31: the default is 7.
      const q = new URLSearchParams({ start_time: String(Math.floor(since.getTime() / 1000)), bucket_width: '1d', limit: '31' });
      if (ctx.account.projectId) q.append('project_ids', ctx.account.projectId);
      if (page !== undefined) q.set('page', page);
      const res = await http.json(`${joinUrl(baseUrl, '/organization/costs')}?${q.toString()}`, { headers: bearer(adminKey), secrets, classify });
      return res.json;
    },
    (body) =>
      eachResult(body, what, (r, at) => {
        const amount = asObject(r.amount, `${what} ${at}.amount`);
        if (typeof amount.currency === 'string' && amount.currency.toLowerCase() !== 'usd') {
          throw new CheckError('bad_response', l10nMsg('{0}: {1} is in {2}, expected USD.', what, at, amount.currency));
        }
        total += parseAmount(amount.value, `${at}.amount.value`);
      }),
  );
  return total;
}

/** What GET …/spend_limit said: a limit to measure against, or why there is none. */
type SpendLimitAnswer = { limit: ProviderLimit } | { limit?: undefined; why?: Message };

/**
 * OpenAI's own hard spend limit (admin key; integer cents; only "month" exists). A 404 means
 * none is set. Any other failure only loses the limit, never the spend: the reason goes in the note.
 */
async function hardSpendLimit(ctx: ProviderContext, adminKey: string): Promise<SpendLimitAnswer> {
  const { http, baseUrl, secrets, account } = ctx;
  const project = account.projectId;
  const path = project ? `/organization/projects/${encodeURIComponent(project)}/spend_limit` : '/organization/spend_limit';

  let json: unknown;
  try {
    json = (await http.json(joinUrl(baseUrl, path), { headers: bearer(adminKey), secrets, classify })).json;
  } catch (e) {
    if (e instanceof CheckError && e.extra.httpStatus === 404) return {};
    return { why: l10nMsg("OpenAI's hard spend limit could not be read ({0}).", messageOf(e)) };
  }
  let body: Record<string, unknown>;
  let cents: number;
  try {
    body = asObject(json, `OpenAI ${path}`);
    cents = parseAmount(body.threshold_amount, 'threshold_amount');
  } catch (e) {
    return { why: l10nMsg("OpenAI's hard spend limit could not be read ({0}).", messageOf(e)) };
  }
  const currency = typeof body.currency === 'string' ? body.currency.toUpperCase() : 'USD';
  if (currency !== 'USD') return { why: l10nMsg("OpenAI's hard spend limit is in {0}; costs are in USD, so it is not used.", currency) };
  if (typeof body.interval === 'string' && body.interval !== 'month') {
    return { why: l10nMsg("OpenAI's hard spend limit is per {0}, not per month, so it is not used.", body.interval) };
  }
  const enforcement = body.enforcement && typeof body.enforcement === 'object' ? (body.enforcement as Record<string, unknown>).status : undefined;
  if (cents <= 0) return {};
  const amount = roundMoney(cents / 100);
  if (enforcement !== 'enforcing') {
    // The provider's word as data; ours, when it said none, in the display language.
    const status = typeof enforcement === 'string' ? enforcement : l10nMsg('no status');
    return {
      why: project
        ? l10nMsg("OpenAI's hard spend limit of {0} for project {1} is not enforcing ({2}), so it is not used.", money(amount, currency), project, status)
        : l10nMsg("OpenAI's hard spend limit of {0} for the organization is not enforcing ({1}), so it is not used.", money(amount, currency), status),
    };
  }
  return {
    limit: {
      amount,
      label: project ? l10nMsg("OpenAI's hard spend limit for project {0}", project) : l10nMsg("OpenAI's hard spend limit for the organization"),
    },
  };
}

const descriptor = defineProvider({
  id: 'openai',
  name: 'OpenAI',
  description: 'Key check; spend this month and what is left of the hard spend limit (or monthlyBudget) with an admin key',
  defaultBaseUrl: 'https://api.openai.com/v1',
  defaultCurrency: 'USD',
  keyEnv: 'OPENAI_API_KEY',
  adminKeyEnv: 'OPENAI_ADMIN_KEY',
  adminKeyName: 'admin key',
  budget: 'monthly',
  summary: 'OpenAI key check; spend with an admin key',
  readme: {
    reports: 'key validity; with an admin key: spend this month, and what is left of OpenAI\'s own hard spend limit (organization, or the account\'s `projectId`) — else of your `monthlyBudget`',
    key: 'API key; admin key (`sk-admin-…`, `api.usage.read`) for spend and limit',
    cannot: 'prepaid credit balance (no API gives it)',
  },
  fromEnvironment: true,
  envNote: 'OpenAI key; admin key for this month\'s spend',
  adminKeyPurpose: 'shows this month\'s spend',
  options: {
    projectId: {
      schema: z.string().check(z.trim(), z.regex(/^[A-Za-z0-9_-]+$/, 'a project id such as "proj_abc123"'), z.maxLength(200)),
      description: 'OpenAI: a project id (`proj_…`). With an admin key, the project\'s hard spend limit and costs are read instead of the organization\'s.',
    },
  },
});

export const openai: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: () => BILLING_URL,
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const openaiCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, adminKey, secrets, account } = ctx;
    const since = utcMonthStart(ctx.now);
    const spend = adminKey
      ? Promise.all([monthSpend(ctx, adminKey, since), hardSpendLimit(ctx, adminKey)]).then(([usd, answer]): SpendFigure => ({
          usd,
          providerLimit: answer.limit,
          caveat: answer.limit ? undefined : answer.why,
        }))
      : undefined;
    return keyCheckWithSpend('OpenAI', BILLING_URL, account, since,
      http.json(joinUrl(baseUrl, '/models'), { headers: bearer(key), secrets, classify }), spend);
  },
};

/** This month's spend in USD and what to measure it against. */
export interface SpendFigure extends SpendOptions {
  usd: number;
}

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
  spendUsd: Promise<SpendFigure> | undefined,
): Promise<Reading> {
  const [models, spend] = await Promise.allSettled([keyCheck, spendUsd ?? Promise.resolve(undefined)]);
  if (models.status === 'rejected') throw models.reason;
  const list = asObject(models.value.json, `${name} /models`);
  if (!Array.isArray(list.data)) throw new CheckError('bad_response', l10nMsg('{0}: the response has no "{1}" list.', `${name} /models`, 'data'));
  if (!spendUsd) {
    return {
      balance: null,
      currency: 'USD',
      status: 'valid',
      note: l10nMsg('{0} has no balance API; add an admin key and a monthlyBudget to track spend, or check {1}', name, billingUrl),
    };
  }
  if (spend.status === 'rejected') return { balance: null, currency: 'USD', status: 'valid', note: adminFailureNote(spend.reason) };
  const figure = spend.value ?? { usd: 0 };
  return spendReading(figure.usd, account, since, name, figure);
}

