import { CheckError } from '../errors';
import { messageOf, money, msg as l10nMsg, type Message, type TextArg } from '../message';
import { httpWhere, providerMessage, type HttpResponse } from '../http';
import type { DetailValue } from '../model';
import { asObject, bearer, joinUrl, type ProviderAdapter, type ProviderContext, type Reading, type ProviderCheck } from './types';
import { defineProvider } from './descriptor';
import { parseAmount, parseOptionalAmount, roundMoney } from '../numbers';
import { errorObject, hostOfResponse } from './openai';
import { originOf } from './relay';

// A LiteLLM proxy's virtual key: remaining = max_budget − spend from /key/info. A key in a team
// (or owned by a user) also answers to that team's (or user's) budget: the smallest remaining
// binds. The proxy's own URL is the base; users often paste the OpenAI-style ".../v1".

/** LiteLLM keeps spend and budgets in USD. */
const BUDGET_CURRENCY = 'USD';

/** Every wording a proxy without a database has used: 400 no_db_connection, older 401 auth_error, 500 on other routes. */
const DB_DOWN = /no connected db|database not connected|not connected to db/i;
/** "Budget has been exceeded! …", "ExceededBudget: …", "… exceeded budget for model=…". */
const OVER_BUDGET = /budget has been exceeded|exceededbudget|exceeded budget|over budget/i;

/** The budget's owner as a word of the note: "key", "team", "user". */
function scopeWord(scope: Budget['scope']): Message {
  return scope === 'key' ? l10nMsg('key') : scope === 'team' ? l10nMsg('team') : l10nMsg('user');
}

/** `onDbDown` hears the message when the proxy says it has no database. */
function classify(res: HttpResponse, onDbDown: (message: TextArg) => void): CheckError | undefined {
  if (res.status < 300) return undefined;
  const err = errorObject(res.json);
  const msg = providerMessage(res.json, res.text) ?? '';
  // "HTTP 401 from host: <the proxy's words>", as in every provider's HTTP errors.
  const where = httpWhere(res.status, hostOfResponse(res), msg);
  // Without a database the proxy cannot track keys at all: not the key's fault.
  if (err?.type === 'no_db_connection' || DB_DOWN.test(res.text)) {
    const m = DB_DOWN.test(msg) ? msg.replace(/^(Internal Server Error|Authentication Error),\s*/i, '') : l10nMsg('Database not connected');
    onDbDown(m);
    return new CheckError('server', m, { httpStatus: res.status });
  }
  // Budgets come back as 429 (now), 400, or even typed auth_error (older proxies): money, not rate or key.
  if (err?.type === 'budget_exceeded' || OVER_BUDGET.test(msg)) {
    const extra: { httpStatus: number; balance?: number } = { httpStatus: res.status };
    const left = overBudgetBalance(msg);
    if (left !== undefined) extra.balance = left;
    return new CheckError('insufficient_funds', l10nMsg('Budget exceeded — {0}', where), extra);
  }
  // The proxy's auth errors carry code "401" (string or number), whatever the HTTP status.
  if (err?.type === 'auth_error' || err?.type === 'token_not_found_in_db' || String(err?.code) === '401') {
    // The same words as any provider's rejected key (http.ts KEY_REJECTED): one message id.
    return new CheckError('auth', l10nMsg('The key was rejected — {0}', where), { httpStatus: res.status });
  }
  return undefined;
}

/**
 * "Current cost: 10.5, Max budget: 10.0" → −0.5. When the figures say money is left (a request's
 * estimate was refused), what is left for calls is unknown: undefined rather than a made-up 0.
 */
function overBudgetBalance(msg: string): number | undefined {
  const m = /current cost:\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)[\s\S]*?max budget:\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/i.exec(msg);
  if (!m?.[1] || !m[2]) return undefined;
  const left = roundMoney(Number(m[2]) - Number(m[1]));
  return Number.isFinite(left) && left <= 0 ? left : undefined;
}

/** One budget that applies to the key: the key's own, its team's or its user's. */
interface Budget {
  scope: 'key' | 'team' | 'user';
  spend: number;
  maxBudget: number | null;
  duration?: string | undefined;
  resetAt?: string | undefined;
}

function budgetOf(scope: Budget['scope'], o: Record<string, unknown>, what: string): Budget {
  const b: Budget = {
    scope,
    spend: parseAmount(o.spend ?? 0, `${what}.spend`),
    maxBudget: parseOptionalAmount(o.max_budget, `${what}.max_budget`),
  };
  if (typeof o.budget_duration === 'string' && o.budget_duration !== '') b.duration = o.budget_duration;
  if (typeof o.budget_reset_at === 'string' && o.budget_reset_at !== '') b.resetAt = o.budget_reset_at;
  return b;
}

function remainingOf(b: Budget): number | null {
  return b.maxBudget === null ? null : roundMoney(b.maxBudget - b.spend);
}

/** "the team budget resets 2026-09-01T00:00:00Z (30d window)". */
function windowText(b: Budget): Message | undefined {
  if (!b.duration && !b.resetAt) return undefined;
  const when = b.resetAt ? l10nMsg('resets {0}', b.resetAt) : l10nMsg('resets on its own schedule');
  return b.duration ? l10nMsg('the {0} budget {1} ({2} window)', scopeWord(b.scope), when, b.duration) : l10nMsg('the {0} budget {1}', scopeWord(b.scope), when);
}

/**
 * A team's or user's budget on top of the key's. A proxy that does not serve the route (404) is
 * silent; any other failure keeps the key's figures and says which budget could not be read.
 */
async function outerBudget(
  ctx: ProviderContext,
  root: string,
  scope: 'team' | 'user',
  id: string,
): Promise<{ budget?: Budget; why?: Message }> {
  const path = scope === 'team' ? `/team/info?team_id=${encodeURIComponent(id)}` : `/user/info?user_id=${encodeURIComponent(id)}`;
  try {
    const res = await ctx.http.json(joinUrl(root, path), { headers: bearer(ctx.key), secrets: ctx.secrets });
    const body = asObject(res.json, `LiteLLM /${scope}/info`);
    const inner = body[`${scope}_info`];
    // Older /team/info answers carry the team's fields at the top level.
    const info = inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : body;
    const budget = budgetOf(scope, info, `${scope}_info`);
    return budget.maxBudget === null ? {} : { budget };
  } catch (e) {
    if (e instanceof CheckError && e.extra.httpStatus === 404) return {};
    return { why: l10nMsg('The {0} budget could not be read ({1}).', scopeWord(scope), messageOf(e)) };
  }
}

const descriptor = defineProvider({
  id: 'litellm',
  name: 'LiteLLM',
  description: 'Budget left on a LiteLLM proxy: the smallest of the key, team and user budgets (set your proxy URL)',
  defaultBaseUrl: 'http://localhost:4000',
  defaultCurrency: 'USD',
  keyEnv: 'LITELLM_API_KEY',
  summary: 'LiteLLM proxy key budget',
  readme: {
    reports: 'budget left = the smallest of the key\'s, its team\'s (or, outside a team, its user\'s) `max_budget − spend`; when the budget window resets',
    key: 'virtual key',
    cannot: 'provider-side balances behind the proxy; budgets of a proxy without a database ("unavailable")',
  },
  budget: 'key',
  fromEnvironment: true,
  envNote: 'LiteLLM virtual key (set `LITELLM_BASE_URL`)',
});

export const litellm: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: (account) => originOf(account.baseUrl),
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const litellmCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets } = ctx;
    const root = baseUrl.replace(/\/v1$/i, '');
    let dbDown: TextArg | undefined;
    let res;
    try {
      res = await http.json(joinUrl(root, '/key/info'), { headers: bearer(key), secrets, classify: (r) => classify(r, (m) => (dbDown = m)) });
    } catch (e) {
      if (dbDown !== undefined) {
        return { balance: null, currency: 'USD', status: 'unavailable', note: l10nMsg('{0} The proxy cannot track budgets without a database.', dbDown) };
      }
      throw e;
    }
    const info = asObject(asObject(res.json, 'LiteLLM /key/info').info, 'LiteLLM /key/info "info"');
    const keyBudget = budgetOf('key', { ...info, spend: parseAmount(info.spend, 'info.spend') }, 'info');
    const details: Record<string, DetailValue> = {};
    for (const f of ['key_alias', 'budget_duration', 'budget_reset_at', 'team_id'] as const) {
      if (typeof info[f] === 'string' && info[f] !== '') details[f] = info[f];
    }

    // LiteLLM's docs: a team key answers to the team budget; a key outside a team to its user's.
    const teamId = typeof info.team_id === 'string' && info.team_id !== '' ? info.team_id : undefined;
    const userId = typeof info.user_id === 'string' && info.user_id !== '' ? info.user_id : undefined;
    const outer = teamId ? await outerBudget(ctx, root, 'team', teamId) : userId ? await outerBudget(ctx, root, 'user', userId) : {};
    const budgets = [keyBudget, ...(outer.budget ? [outer.budget] : [])].filter((b) => b.maxBudget !== null);
    for (const b of budgets) details[`${b.scope}_remaining`] = remainingOf(b);

    const notes: Message[] = [];
    if (outer.why) notes.push(outer.why);
    if (budgets.length === 0) {
      return {
        balance: null,
        currency: BUDGET_CURRENCY,
        usage: keyBudget.spend,
        limit: null,
        status: 'valid',
        note: [l10nMsg('This key has no budget set (max_budget is null); showing its spend only.'), ...notes],
        details,
      };
    }
    // The budget that binds is the one with the least left (spend may already exceed it: negative).
    const binding = budgets.reduce((a, b) => ((remainingOf(b) ?? Infinity) < (remainingOf(a) ?? Infinity) ? b : a));
    const left = remainingOf(binding)!;
    if (budgets.length > 1 || binding.scope !== 'key') {
      notes.unshift(l10nMsg('The {0} budget binds: {1} left of {2}.', scopeWord(binding.scope), money(left, BUDGET_CURRENCY), money(binding.maxBudget!, BUDGET_CURRENCY)));
    }
    const window = windowText(binding);
    if (window) notes.push(l10nMsg('Spend counts from the start of the window; {0}.', window));
    if (binding.scope !== 'key') details.budget_scope = binding.scope;
    const reading: Reading = { balance: left, currency: BUDGET_CURRENCY, usage: binding.spend, limit: binding.maxBudget, details };
    if (notes.length) reading.note = notes;
    return reading;
  },
};
