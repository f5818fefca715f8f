// The BalanceResult of a check that failed, built one way wherever a check ends in error: in
// check.ts (the provider refused, or its answer made no sense) and in the check worker (no
// answer came back); and the redaction of a result's texts, its notes' too (safeResultText).
// zod-free: the worker's main-thread side builds these too.
import type { AccountKeys, CheckContext } from './checker';
import { mapMessageData, renderMessages, type Message } from './message';
import type { Account, BalanceResult, ErrorKind, Status } from './model';
import { getProvider } from './providers/registry';
import { safeText } from './safeText';
import { judged } from './thresholds';

export interface CheckFailure {
  kind: ErrorKind;
  /**
   * Made safe and redacted again here, with the check's keys. Our words as a message (its
   * English and its data alike), a provider's own words as a string.
   */
  message: string | Message;
  /** Only a money state (insufficient funds) carries a balance, and only one the provider said. */
  balance?: number | null;
}

export function accountLabel(account: Account): string {
  return account.label ?? getProvider(account.provider).name;
}

/**
 * A result's text made safe with the check's secrets: our words as their English and their
 * messages (the data in them made safe, then the English rendered from those and made safe
 * again, a cut included), a provider's words as data only. The messages are kept only while
 * they render back to that English: a text that was cut shows in English (message.ts,
 * withMatchingMessages), so the display need not check.
 */
export function safeResultText(text: string | Message | readonly Message[], secrets: readonly string[]): { text: string; l10n?: Message[] } {
  const safe = (data: string) => safeText(data, 'data', { secrets });
  if (typeof text === 'string') return { text: safe(text) };
  const l10n = (Array.isArray(text) ? text : [text]).map((m: Message) => mapMessageData(m, safe));
  const english = renderMessages(l10n);
  const safeEnglish = safe(english);
  return safeEnglish === english ? { text: safeEnglish, l10n } : { text: safeEnglish };
}

/** A refused key is `invalid`; a key that works on an account that cannot pay is `valid`; the rest is `error`. */
function statusOf(kind: ErrorKind): Status {
  if (kind === 'auth') return 'invalid';
  if (kind === 'insufficient_funds') return 'valid';
  return 'error';
}

/** No numbers but the said balance: the engine keeps the last good ones, marked stale. */
export function errorResult(account: Account, keys: AccountKeys, failure: CheckFailure, ctx: CheckContext): BalanceResult {
  const result: BalanceResult = {
    accountId: account.id,
    provider: account.provider,
    label: accountLabel(account),
    status: statusOf(failure.kind),
    level: 'error', // judged below
    balance: failure.balance ?? null,
    currency: account.currency ?? getProvider(account.provider).defaultCurrency,
    usage: null,
    limit: null,
    error: '',
    errorKind: failure.kind,
    checkedAt: ctx.now().toISOString(),
  };
  const error = safeResultText(failure.message, [keys.key, keys.adminKey].filter((s): s is string => !!s));
  result.error = error.text;
  if (error.l10n) result.errorL10n = error.l10n[0]!;
  return judged(result, account, ctx.thresholds);
}
