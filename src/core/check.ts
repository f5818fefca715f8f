// Checks one account and always returns a BalanceResult: every failure, however odd, ends
// up as a classified, redacted error inside the result, never as an exception or a NaN.
import { CheckError } from './errors';
import { HttpClient, checkUrlPolicy } from './http';
import { BalanceResultSchema, type Account, type BalanceResult, type Status } from './model';
import { redact } from './redact';
import { getProvider } from './providers/registry';
import type { ProviderContext, Reading } from './providers/types';
import { computeLevel, levelInputOf, type ThresholdSettings, DEFAULT_THRESHOLD_SETTINGS } from './thresholds';

export interface AccountKeys {
  key?: string | undefined;
  adminKey?: string | undefined;
}

export interface CheckOptions {
  http: HttpClient;
  thresholds?: ThresholdSettings;
  now?: () => Date;
}

export function accountLabel(account: Account): string {
  return account.label ?? getProvider(account.provider).name;
}

export function resolveBaseUrl(account: Account): string {
  const p = getProvider(account.provider);
  return (account.baseUrl ?? p.defaultBaseUrl).replace(/\/+$/, '');
}

export async function checkAccount(account: Account, keys: AccountKeys, opts: CheckOptions): Promise<BalanceResult> {
  return (await checkAccountDetailed(account, keys, opts)).result;
}

/** checkAccount plus what the scheduler needs beyond the result: the provider's Retry-After. */
export async function checkAccountDetailed(account: Account, keys: AccountKeys, opts: CheckOptions): Promise<{ result: BalanceResult; retryAfterMs?: number }> {
  const wrap = (result: BalanceResult) => ({ result });
  const now = opts.now ?? (() => new Date());
  const settings = opts.thresholds ?? DEFAULT_THRESHOLD_SETTINGS;
  const provider = getProvider(account.provider);
  const secrets = [keys.key, keys.adminKey].filter((s): s is string => !!s);
  const base = {
    accountId: account.id,
    provider: account.provider,
    label: accountLabel(account),
  };
  const currency = account.currency ?? provider.defaultCurrency;

  const fail = (kind: CheckError['kind'], message: string, status: Status, balance: number | null = null): BalanceResult => {
    const r: BalanceResult = {
      ...base,
      status,
      level: 'error',
      balance,
      currency,
      usage: null,
      limit: null,
      error: redact(message, secrets),
      errorKind: kind,
      checkedAt: now().toISOString(),
    };
    r.level = computeLevel({ status, errorKind: kind, balance, currency, limit: null }, account, settings);
    return r;
  };

  // Where the key would go is checked first: a bad URL is worth fixing before a key is set.
  const baseUrl = resolveBaseUrl(account);
  const policy = checkUrlPolicy(baseUrl);
  if (policy) return wrap(fail('config', policy, 'error'));
  if (!keys.key) {
    return wrap(fail('config', `No API key is stored for "${base.label}" (key missing).`, 'error'));
  }

  const ctx: ProviderContext = { account, key: keys.key, http: opts.http, baseUrl, now: now(), secrets };
  if (keys.adminKey) ctx.adminKey = keys.adminKey;

  let reading: Reading;
  try {
    reading = await provider.check(ctx);
  } catch (e) {
    if (e instanceof CheckError) {
      if (e.kind === 'insufficient_funds') {
        // The key works but the account cannot pay: that is a money state, not a key fault.
        // The money is gone or short; a balance is reported only when the provider said one.
        return wrap(fail(e.kind, e.message, 'valid', e.extra.balance ?? null));
      }
      const out: { result: BalanceResult; retryAfterMs?: number } = wrap(fail(e.kind, e.message, e.kind === 'auth' ? 'invalid' : 'error'));
      if (e.extra.retryAfterMs !== undefined) out.retryAfterMs = e.extra.retryAfterMs;
      return out;
    }
    const msg = e instanceof Error ? e.message : String(e);
    return wrap(fail('bad_response', `Could not read the answer from ${provider.name}: ${msg}`, 'error'));
  }

  const status: Status = reading.status ?? 'valid';
  const result: BalanceResult = {
    ...base,
    status,
    level: 'ok',
    balance: reading.balance,
    currency: (reading.currency || currency).toUpperCase(),
    usage: reading.usage ?? null,
    limit: reading.limit ?? null,
    checkedAt: now().toISOString(),
  };
  if (reading.note) result.note = redact(reading.note, secrets);
  if (reading.details && Object.keys(reading.details).length > 0) {
    result.details = Object.fromEntries(
      Object.entries(reading.details).map(([k, v]) => [k, typeof v === 'string' ? redact(v, secrets) : v]),
    );
  }
  if (reading.limitRemaining !== undefined) result.details = { ...result.details, limit_remaining: reading.limitRemaining };
  if (reading.insufficientFunds) {
    result.errorKind = 'insufficient_funds';
    result.error = redact(reading.insufficientFunds, secrets);
  }
  result.level = computeLevel({ ...levelInputOf(result), insufficientFunds: !!reading.insufficientFunds }, account, settings);
  const parsed = BalanceResultSchema.safeParse(result);
  if (!parsed.success) {
    return wrap(fail('bad_response', `The answer from ${provider.name} did not make a valid result: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, 'error'));
  }
  return wrap(parsed.data);
}
