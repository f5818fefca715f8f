import { CheckError } from '../errors';
import { messageOf, money, msg, type Message } from '../message';
import { parseAmount, parseOptionalAmount, roundMoney } from '../numbers';
import type { DetailValue } from '../model';
import { asObject, bearer, joinUrl, type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import { defineProvider } from './descriptor';

// Balance = total_credits − total_usage from /credits, which officially needs a management
// key; many normal keys succeed too. On 403 — or on 0/0 zeros that the key's own spend
// contradicts — we fall back to /key (the key's own cap) and say so.
const descriptor = defineProvider({
  id: 'openrouter',
  name: 'OpenRouter',
  description: 'Account credits and key limits (openrouter.ai)',
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  defaultCurrency: 'USD',
  keyEnv: 'OPENROUTER_API_KEY',
  adminKeyName: 'management key',
  summary: 'OpenRouter credits and key limits',
  readme: {
    reports: 'balance = credits − usage; key cap, remaining, spend this day / week / month',
    key: 'any key; the account balance may need a management key (key view and a note otherwise)',
    cannot: 'a balance that `/credits` hides from a normal key (shown as "not visible", never $0)',
  },
  fromEnvironment: true,
  envNote: 'OpenRouter key (balance needs a management key on some accounts)',
  adminKeyPurpose: 'shows the account balance',
});

export const openrouter: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: () => 'https://openrouter.ai/settings/credits',
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const openrouterCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, adminKey, secrets } = ctx;
    const [credits, keyInfo] = await Promise.allSettled([
      http.json(joinUrl(baseUrl, '/credits'), { headers: bearer(adminKey ?? key), secrets }),
      http.json(joinUrl(baseUrl, '/key'), { headers: bearer(key), secrets }),
    ]);

    const details: Record<string, DetailValue> = {};
    let cap: KeyCap | undefined;
    if (keyInfo.status === 'fulfilled') {
      const d = asObject(asObject(keyInfo.value.json, 'OpenRouter /key').data, 'OpenRouter /key "data"');
      cap = readKeyCap(d);
      details.key_limit = cap.limit;
      details.key_limit_remaining = cap.remaining;
      details.key_usage = cap.lifetimeUsage;
      if (cap.limit !== null) details.key_cap_usage = cap.windowUsage;
      for (const f of ['usage_daily', 'usage_weekly', 'usage_monthly', 'byok_usage'] as const) {
        const v = parseOptionalAmount(d[f], `data.${f}`);
        if (v !== null) details[f] = v;
      }
      if (typeof d.limit_reset === 'string') details.key_limit_reset = d.limit_reset;
      if (typeof d.is_free_tier === 'boolean') details.is_free_tier = d.is_free_tier;
      if (typeof d.expires_at === 'string') details.expires_at = d.expires_at;
    }

    let keyViewNote: Message | undefined;
    if (credits.status === 'fulfilled') {
      const d = asObject(asObject(credits.value.json, 'OpenRouter /credits').data, 'OpenRouter /credits "data"');
      const total = parseAmount(d.total_credits, 'data.total_credits');
      const used = parseAmount(d.total_usage, 'data.total_usage');
      // Zeros beside a key that has spent money are not a balance (normal keys get them); a
      // real empty account is only believed when nothing contradicts it.
      const contradicted = total === 0 && used === 0 && cap !== undefined && (cap.lifetimeUsage ?? 0) > 0;
      if (!contradicted) {
        details.total_credits = total;
        details.total_usage = used;
        const reading: Reading = {
          balance: roundMoney(total - used),
          currency: 'USD',
          // Usage goes with the limit it is shown against: the key's spend in the cap's window.
          usage: cap && cap.limit !== null ? cap.windowUsage : used,
          limit: cap?.limit ?? null,
          details,
        };
        if (cap && cap.limit !== null) reading.limitRemaining = cap.remaining;
        const notes = [cap?.note, keyInfo.status === 'rejected' ? msg('Key info unavailable: {0}', messageOf(keyInfo.reason)) : undefined].filter((n) => n !== undefined);
        if (notes.length > 0) reading.note = notes;
        return reading;
      }
      keyViewNote = msg("OpenRouter /credits answered $0 credits and $0 usage, but this key alone has spent {0}: that is not the account balance (this key cannot see it). Showing this key's own limit instead.", money(cap!.lifetimeUsage!, 'USD'));
    } else {
      const creditsErr = credits.reason;
      const forbidden = creditsErr instanceof CheckError && creditsErr.kind === 'auth' && creditsErr.extra.httpStatus === 403;
      // A 401 on /credits, a 402, a timeout…: the account check failed, report that.
      if (!forbidden || keyInfo.status === 'rejected') {
        throw keyInfo.status === 'rejected' && forbidden ? keyInfo.reason : creditsErr;
      }
      keyViewNote = msg("Account credits need a management key; showing this key's own limit instead.");
    }
    if (!cap) throw (keyInfo as PromiseRejectedResult).reason;
    const note = [keyViewNote, cap.note].filter((n) => n !== undefined);
    if (cap.limit === null) {
      return { balance: null, currency: 'USD', usage: cap.lifetimeUsage, limit: null, status: 'valid', note: [...note, msg('This key has no limit.')], details };
    }
    return { balance: cap.remaining, currency: 'USD', usage: cap.windowUsage, limit: cap.limit, note, details };
  },
};

interface KeyCap {
  limit: number | null;
  /** What is left under the cap in its current window; null when it cannot be told. */
  remaining: number | null;
  /** The key's spend in the cap's window (lifetime for a cap that never resets). */
  windowUsage: number | null;
  lifetimeUsage: number | null;
  note?: Message;
}

const WINDOW_USAGE: Record<string, string> = { daily: 'usage_daily', weekly: 'usage_weekly', monthly: 'usage_monthly' };

/**
 * The key's cap and its spend in the window the cap resets in. `usage` is lifetime spend: for a
 * daily/weekly/monthly cap the spend that counts is limit − limit_remaining, or the usage_*
 * figure for that window — never the lifetime total.
 */
function readKeyCap(d: Record<string, unknown>): KeyCap {
  const limit = parseOptionalAmount(d.limit, 'data.limit');
  const lifetimeUsage = parseOptionalAmount(d.usage, 'data.usage');
  let remaining = parseOptionalAmount(d.limit_remaining, 'data.limit_remaining');
  const cap: KeyCap = { limit, remaining, windowUsage: null, lifetimeUsage };
  if (limit === null) return cap;
  const reset = typeof d.limit_reset === 'string' && d.limit_reset.trim() !== '' ? d.limit_reset.trim().toLowerCase() : null;
  const windowField = reset ? WINDOW_USAGE[reset] : undefined;
  const windowSpend = windowField ? parseOptionalAmount(d[windowField], `data.${windowField}`) : reset ? null : lifetimeUsage;
  if (remaining !== null) {
    cap.windowUsage = roundMoney(limit - remaining);
  } else if (windowSpend !== null) {
    cap.windowUsage = windowSpend;
    remaining = roundMoney(limit - windowSpend);
    cap.remaining = remaining;
  } else {
    const window = reset === 'daily' ? msg('daily') : reset === 'weekly' ? msg('weekly') : reset === 'monthly' ? msg('monthly') : reset;
    cap.note = window
      ? msg("The key's {0} cap comes without its spend for the current window, so what is left under it is unknown.", window)
      : msg("The key's cap comes without its spend for the current window, so what is left under it is unknown.");
  }
  return cap;
}


