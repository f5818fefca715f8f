import { CheckError } from '../errors';
import { parseAmount, parseOptionalAmount, roundMoney } from '../numbers';
import type { DetailValue } from '../model';
import { asObject, bearer, joinUrl, type ProviderAdapter, type Reading } from './types';

// Balance = total_credits − total_usage from /credits, which officially needs a management
// key; many normal keys succeed too. On 403 we fall back to /key (the key's own cap) and say so.
export const openrouter: ProviderAdapter = {
  id: 'openrouter',
  name: 'OpenRouter',
  description: 'Account credits and key limits (openrouter.ai)',
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  defaultCurrency: 'USD',
  keyEnv: 'OPENROUTER_API_KEY',
  adminKeyName: 'management key',
  billingUrl: () => 'https://openrouter.ai/settings/credits',
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, adminKey, secrets } = ctx;
    const [credits, keyInfo] = await Promise.allSettled([
      http.json(joinUrl(baseUrl, '/credits'), { headers: bearer(adminKey ?? key), secrets }),
      http.json(joinUrl(baseUrl, '/key'), { headers: bearer(key), secrets }),
    ]);

    const details: Record<string, DetailValue> = {};
    let keyLimit: number | null = null;
    let keyRemaining: number | null = null;
    let keyUsage: number | null = null;
    if (keyInfo.status === 'fulfilled') {
      const d = asObject(asObject(keyInfo.value.json, 'OpenRouter /key').data, 'OpenRouter /key "data"');
      keyLimit = parseOptionalAmount(d.limit, 'data.limit');
      keyRemaining = parseOptionalAmount(d.limit_remaining, 'data.limit_remaining');
      keyUsage = parseOptionalAmount(d.usage, 'data.usage');
      if (keyLimit !== null && keyRemaining === null && keyUsage !== null) keyRemaining = roundMoney(keyLimit - keyUsage);
      details.key_limit = keyLimit;
      details.key_limit_remaining = keyRemaining;
      details.key_usage = keyUsage;
      for (const f of ['usage_daily', 'usage_weekly', 'usage_monthly', 'byok_usage'] as const) {
        const v = parseOptionalAmount(d[f], `data.${f}`);
        if (v !== null) details[f] = v;
      }
      if (typeof d.limit_reset === 'string') details.key_limit_reset = d.limit_reset;
      if (typeof d.is_free_tier === 'boolean') details.is_free_tier = d.is_free_tier;
      if (typeof d.expires_at === 'string') details.expires_at = d.expires_at;
    }

    if (credits.status === 'fulfilled') {
      const d = asObject(asObject(credits.value.json, 'OpenRouter /credits').data, 'OpenRouter /credits "data"');
      const total = parseAmount(d.total_credits, 'data.total_credits');
      const used = parseAmount(d.total_usage, 'data.total_usage');
      details.total_credits = total;
      details.total_usage = used;
      const reading: Reading = {
        balance: roundMoney(total - used),
        currency: 'USD',
        // Usage goes with the limit it is shown against: the key's own when the key is capped.
        usage: keyLimit !== null ? keyUsage : used,
        limit: keyLimit,
        details,
      };
      if (keyLimit !== null) reading.limitRemaining = keyRemaining;
      if (keyInfo.status === 'rejected') reading.note = `Key info unavailable: ${errMessage(keyInfo.reason)}`;
      return reading;
    }

    const creditsErr = credits.reason;
    const forbidden = creditsErr instanceof CheckError && creditsErr.kind === 'auth' && creditsErr.extra.httpStatus === 403;
    // A 401 on /credits, a 402, a timeout…: the account check failed, report that.
    if (!forbidden || keyInfo.status === 'rejected') {
      throw keyInfo.status === 'rejected' && forbidden ? keyInfo.reason : creditsErr;
    }
    const note = 'Account credits need a management key; showing this key\'s own limit instead.';
    if (keyLimit === null) {
      return { balance: null, currency: 'USD', usage: keyUsage, limit: null, status: 'valid', note: `${note} This key has no limit.`, details };
    }
    return { balance: keyRemaining, currency: 'USD', usage: keyUsage, limit: keyLimit, note, details };
  },
};

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
