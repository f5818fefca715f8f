import { CheckError } from '../errors';
import { msg as l10nMsg } from '../message';
import { httpWhere, mentionsNoFunds, providerMessage, type HttpResponse } from '../http';
import type { DetailValue } from '../model';
import { parseAmount, parseOptionalAmount, roundMoney } from '../numbers';
import { asObject, bearer, joinUrl, type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import * as z from 'zod/mini';
import { defineProvider } from './descriptor';
import { errorObject, hostOfResponse } from './openai';

// one-api / new-api and their forks serve OpenAI's old billing endpoints for their tokens:
// remaining = hard_limit_usd − total_usage / 100 (usage is in cents). The "_usd" figures are
// in whatever unit the relay displays, so the account's currency labels them.

/** one-api's hard limit for an unlimited token (100000000). */
const UNLIMITED = 100_000_000;

const USED_UP = /额度已用尽|额度不足|余额不足|quota (?:is |has been )?(?:used up|exhausted|not enough)|insufficient (?:user |token )?quota/i;
/** new-api's error codes for a token or user that cannot pay (the message may be translated). */
const USED_UP_CODES = new Set(['insufficient_user_quota', 'pre_consume_token_quota_failed', 'token_quota_exhausted', 'insufficient_quota']);
/** Some relays echo part of the token in their message ("TokenStatusExhausted[sk-abc***xyz]"): never pass a fragment on. */
const TOKEN_FRAGMENT = /\[?\bsk-[A-Za-z0-9*._-]+\]?/g;
const EXPIRED = /已过期|expired/i;
const INVALID = /无效的令牌|令牌状态不可用|invalid token|token.*(?:invalid|disabled|not found)/i;

/** The base URL's origin, for a self-hosted service's "billing" link. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

// Relays refuse exhausted tokens with 401, and some send errors as HTTP 200: read the message.
function classify(res: HttpResponse): CheckError | undefined {
  const ok = res.status >= 200 && res.status < 300;
  const body = res.json && typeof res.json === 'object' ? (res.json as Record<string, unknown>) : undefined;
  const failedOk = ok && (errorObject(res.json) !== undefined || body?.success === false);
  if (ok && !failedOk) return undefined;
  const msg = (providerMessage(res.json, res.text) ?? '').replace(TOKEN_FRAGMENT, '').replace(/\s{2,}/g, ' ').trim();
  const where = msg ? httpWhere(res.status, hostOfResponse(res), msg) : l10nMsg('HTTP {0} from {1}: (no message)', res.status, hostOfResponse(res));
  const authStatus = res.status === 401 || res.status === 403;
  const code = errorObject(res.json)?.code;
  // A 403 "insufficient permissions" is not about money; a used-up quota always is (new-api sends it as 403).
  if (USED_UP.test(msg) || (typeof code === 'string' && USED_UP_CODES.has(code)) || (!authStatus && mentionsNoFunds(msg))) {
    return new CheckError('insufficient_funds', l10nMsg("The token's quota is used up — {0}", where), { httpStatus: res.status, balance: 0 });
  }
  if (EXPIRED.test(msg)) return new CheckError('auth', l10nMsg('The token has expired — {0}', where), { httpStatus: res.status });
  if (INVALID.test(msg) || authStatus) {
    return new CheckError('auth', l10nMsg('The token was rejected — {0}', where), { httpStatus: res.status });
  }
  if (failedOk) return new CheckError('bad_response', l10nMsg('The relay answered with an error — {0}', where), { httpStatus: res.status });
  return undefined;
}

const descriptor = defineProvider({
  id: 'relay',
  name: 'Relay',
  description: 'one-api / new-api relays: token limit − usage (set the relay URL; default http://localhost:3000)',
  defaultBaseUrl: 'http://localhost:3000',
  defaultCurrency: 'USD',
  keyEnv: 'RELAY_API_KEY',
  summary: 'OpenAI-compatible relay (one-api, new-api)',
  readme: {
    reports: 'one-api / new-api token: limit − usage, in the account\'s `currency`; `hardLimitIsRemaining: true` for relays that report what is left as the limit',
    key: 'relay token',
    cannot: 'real currency (the relay\'s display unit is shown as set); a limit on an unlimited token',
  },
  fromEnvironment: true,
  envNote: 'one-api / new-api relay token (set `RELAY_BASE_URL`)',
  currencyQuestion: 'Which currency does the relay show its figures in? (nothing is converted)',
  options: {
    hardLimitIsRemaining: {
      schema: z.boolean(),
      description: 'Relay: this relay reports what is **left** as `hard_limit_usd` (one-api per-user display mode), so usage is not subtracted a second time.',
    },
  },
});

export const relay: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: (account) => originOf(account.baseUrl),
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const relayCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets, account } = ctx;
    // Users paste either the relay's root or its OpenAI-style ".../v1".
    const root = baseUrl.replace(/\/v1$/i, '');
    const get = (path: string) => http.json(joinUrl(root, path), { headers: bearer(key), secrets, classify });
    const [sub, use] = await Promise.allSettled([get('/v1/dashboard/billing/subscription'), get('/v1/dashboard/billing/usage')]);
    // Report the subscription's failure first: it is the one that names the token's state.
    if (sub.status === 'rejected') throw sub.reason;
    if (use.status === 'rejected') throw use.reason;

    const s = asObject(sub.value.json, 'Relay /v1/dashboard/billing/subscription');
    const u = asObject(use.value.json, 'Relay /v1/dashboard/billing/usage');
    const hard = parseAmount(s.hard_limit_usd, 'hard_limit_usd');
    const usage = roundMoney(parseAmount(u.total_usage, 'total_usage') / 100);
    const currency = account.currency ?? 'USD';
    const details: Record<string, DetailValue> = {};
    const until = parseOptionalAmount(s.access_until, 'access_until');
    const expires = until !== null && until > 0 ? new Date(until * 1000) : undefined;
    if (expires && Number.isFinite(expires.getTime())) details.expires_at = expires.toISOString();

    if (hard >= UNLIMITED) {
      return { balance: null, currency, usage, limit: null, status: 'valid', note: l10nMsg('Unlimited token: the relay sets no limit, so only usage is shown.'), details };
    }
    // The "_usd" figures are whatever the relay displays (dollars, CNY, quota units): never converted.
    const unit = account.currency ? [] : [l10nMsg("Amounts are in the relay's display unit; set this account's currency if it is not USD.")];
    if (account.hardLimitIsRemaining) {
      // one-api's per-user display mode reports what is left as hard_limit_usd: subtracting usage would count it twice.
      return {
        balance: hard,
        currency,
        usage,
        limit: roundMoney(hard + usage),
        note: [l10nMsg('The relay reports what is left as its limit (hardLimitIsRemaining); limit = left + used.'), ...unit],
        details,
      };
    }
    const reading: Reading = { balance: roundMoney(hard - usage), currency, usage, limit: hard, details };
    if (unit.length) reading.note = unit;
    return reading;
  },
};
