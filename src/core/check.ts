// Checks one account and always returns a BalanceResult: every failure, however odd, ends
// up as a classified, redacted error inside the result, never as an exception or a NaN.
import { CheckError } from './errors';
import { HttpClient, urlPolicyMessage } from './http';
import { accountLabel, errorResult, safeResultText } from './errorResult';
import { msg, type Message } from './message';
import { BalanceResultSchema, type Account, type BalanceResult, type SharedResult, type Status } from './model';
import { safeText } from './safeText';
import { getProvider } from './providers/registry';
import { PROVIDER_CHECKS } from './providers/checks';
import type { ProviderContext, Reading } from './providers/types';
import { judged, type ThresholdSettings, DEFAULT_THRESHOLD_SETTINGS } from './thresholds';
import { GONE_RECHECK_MS, type AccountChecker, type AccountKeys, type CheckContext, type DetailedCheck } from './checker';

export { GONE_RECHECK_MS, type AccountChecker, type AccountKeys, type DetailedCheck };

export interface CheckOptions {
  http: HttpClient;
  thresholds?: ThresholdSettings;
  now?: () => Date;
}

export function resolveBaseUrl(account: Account): string {
  const p = getProvider(account.provider);
  return (account.baseUrl ?? p.defaultBaseUrl).replace(/\/+$/, '');
}

/**
 * A team server's text is provider text: made safe (and redacted with this check's secrets) like
 * any, and shown as it came, in its English (SharedResultSchema reads no message ids).
 */
function safeShared(r: SharedResult, secrets: string[]): SharedResult {
  const out: SharedResult = { ...r, label: safeText(r.label, 'data', { secrets, max: 80 }) };
  if (r.note !== undefined) out.note = safeText(r.note, 'data', { secrets });
  if (r.error !== undefined) out.error = safeText(r.error, 'data', { secrets });
  if (r.details) out.details = Object.fromEntries(Object.entries(r.details).map(([k, v]) => [k, typeof v === 'string' ? safeText(v, 'data', { secrets, max: 200 }) : v]));
  return out;
}

export async function checkAccount(account: Account, keys: AccountKeys, opts: CheckOptions): Promise<BalanceResult> {
  return (await checkAccountDetailed(account, keys, opts)).result;
}

/** Checks in this thread over `http` (the CLI; the extension's worker and its fallback). */
export function checkOver(http: HttpClient): AccountChecker {
  return (account, keys, ctx) => checkValidated(account, keys, http, ctx);
}

/** checkAccount plus what the scheduler needs beyond the result: when to ask again. */
export function checkAccountDetailed(account: Account, keys: AccountKeys, opts: CheckOptions): Promise<DetailedCheck> {
  return checkValidated(account, keys, opts.http, contextOf(opts));
}

async function checkValidated(account: Account, keys: AccountKeys, http: HttpClient, ctx: CheckContext): Promise<DetailedCheck> {
  return validatedCheck(await checkWith(account, keys, http, ctx), account, keys, ctx);
}

/** The thresholds and the clock of a check, the defaults where the options leave them out: worked out once per check. */
function contextOf(opts: CheckOptions): CheckContext {
  return { thresholds: opts.thresholds ?? DEFAULT_THRESHOLD_SETTINGS, now: opts.now ?? (() => new Date()) };
}

/**
 * The check as it is when its result validates (numbers that are numbers, the right shape),
 * else an error result that says what was wrong: nothing else is shown, stored or posted.
 */
export function validatedCheck(check: DetailedCheck, account: Account, keys: AccountKeys, ctx: CheckContext): DetailedCheck {
  const valid = BalanceResultSchema.safeParse(check.result);
  if (valid.success) return { ...check, result: valid.data };
  const issue = valid.error.issues[0];
  const what = `${issue?.path.join('.') || 'the result'}: ${issue?.message ?? 'invalid'}`;
  const message = msg('The answer from {0} did not validate ({1}).', getProvider(account.provider).name, what);
  return { result: errorResult(account, keys, { kind: 'bad_response', message }, ctx) };
}

/** checkAccountDetailed without validatedCheck, for a caller that validates what it passes on (the check worker, before posting). */
export function checkAccountUnvalidated(account: Account, keys: AccountKeys, opts: CheckOptions): Promise<DetailedCheck> {
  return checkWith(account, keys, opts.http, contextOf(opts));
}

/** The check itself, with its thresholds and clock worked out (contextOf, or the scheduler's). */
async function checkWith(account: Account, keys: AccountKeys, http: HttpClient, context: CheckContext): Promise<DetailedCheck> {
  const { thresholds: settings, now } = context;
  const wrap = (result: BalanceResult): DetailedCheck => ({ result });
  const provider = getProvider(account.provider);
  const secrets = [keys.key, keys.adminKey].filter((s): s is string => !!s);
  const base = {
    accountId: account.id,
    provider: account.provider,
    label: accountLabel(account),
  };
  const currency = account.currency ?? provider.defaultCurrency;
  const ours = (text: string | Message | readonly Message[]) => safeResultText(text, secrets);

  const fail = (kind: CheckError['kind'], message: string | Message, balance: number | null = null): BalanceResult =>
    errorResult(account, keys, { kind, message, balance }, context);

  // Where the key would go is checked first: a bad URL is worth fixing before a key is set.
  const baseUrl = resolveBaseUrl(account);
  const policy = urlPolicyMessage(baseUrl);
  if (policy) return wrap(fail('config', policy));
  if (!keys.key) {
    // "key missing" is what isKeyMissing() looks for in the English.
    return wrap(fail('config', msg('No API key is stored for "{0}" (key missing).', base.label)));
  }

  // 410 Gone: the provider retired this endpoint. Not a fault of the key or the account, and
  // not worth an alarm: say so, point to the console, and ask again only rarely.
  const gone = (): DetailedCheck => {
    const consoleUrl = provider.billingUrl(account);
    const host = new URL(baseUrl).host;
    const note = ours([
      consoleUrl
        ? msg('{0} no longer reports a balance at {1} (HTTP 410 Gone); see it in the console: {2}.', provider.name, host, consoleUrl)
        : msg('{0} no longer reports a balance at {1} (HTTP 410 Gone).', provider.name, host),
      msg('Checked again in {0} h.', Math.round(GONE_RECHECK_MS / 3_600_000)),
    ]);
    const r: BalanceResult = {
      ...base,
      status: 'unavailable',
      level: 'info', // judged below
      balance: null,
      currency,
      usage: null,
      limit: null,
      note: note.text,
      details: { http_status: 410 },
      checkedAt: now().toISOString(),
    };
    if (note.l10n) r.noteL10n = note.l10n;
    return { result: judged(r, account, settings), recheckAfterMs: GONE_RECHECK_MS };
  };

  const ctx: ProviderContext = { account, key: keys.key, http, baseUrl, now: now(), secrets };
  if (keys.adminKey) ctx.adminKey = keys.adminKey;

  let reading: Reading;
  try {
    reading = await PROVIDER_CHECKS[account.provider].check(ctx);
  } catch (e) {
    if (e instanceof CheckError) {
      if (e.extra.httpStatus === 410) return gone();
      if (e.kind === 'insufficient_funds') {
        // The key works but the account cannot pay: that is a money state, not a key fault.
        // The money is gone or short; a balance is reported only when the provider said one.
        return wrap(fail(e.kind, e.l10n ?? e.message, e.extra.balance ?? null));
      }
      const out = wrap(fail(e.kind, e.l10n ?? e.message));
      if (e.extra.retryAfterMs !== undefined) out.retryAfterMs = e.extra.retryAfterMs;
      return out;
    }
    const message = e instanceof Error ? e.message : String(e);
    return wrap(fail('bad_response', msg('Could not read the answer from {0}: {1}', provider.name, message)));
  }

  const status: Status = reading.status ?? 'valid';
  const result: BalanceResult = {
    ...base,
    status,
    level: 'ok', // judged below
    balance: reading.balance,
    currency: (reading.currency || currency).toUpperCase(),
    usage: reading.usage ?? null,
    limit: reading.limit ?? null,
    checkedAt: now().toISOString(),
  };
  if (reading.note && (typeof reading.note === 'string' || !Array.isArray(reading.note) || reading.note.length > 0)) {
    const note = ours(reading.note);
    result.note = note.text;
    if (note.l10n) result.noteL10n = note.l10n;
  }
  if (reading.details && Object.keys(reading.details).length > 0) {
    result.details = Object.fromEntries(
      Object.entries(reading.details).map(([k, v]) => [k, typeof v === 'string' ? safeText(v, 'data', { secrets, max: 200 }) : v]),
    );
  }
  if (reading.shared) result.shared = reading.shared.map((r) => safeShared(r, secrets));
  if (reading.limitRemaining !== undefined) result.details = { ...result.details, limit_remaining: reading.limitRemaining };
  if (reading.insufficientFunds) {
    result.errorKind = 'insufficient_funds';
    const error = ours(reading.insufficientFunds);
    result.error = error.text;
    if (error.l10n) result.errorL10n = error.l10n[0]!;
  }
  return wrap(judged(result, account, settings));
}
