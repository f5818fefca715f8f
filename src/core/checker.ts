// What a check of one account is, apart from how it is run: in this thread over an HttpClient
// (check.ts), or in the extension's check worker. Types and constants only, so the scheduler
// (checkScheduler.ts) can be loaded without the providers' HTTP code.
import type { Account, BalanceResult } from './model';
import type { ThresholdSettings } from './thresholds';

export interface AccountKeys {
  key?: string | undefined;
  adminKey?: string | undefined;
}

/**
 * How long a "410 Gone" answer stands before the account is asked again: the endpoint was
 * retired, so asking every poll only repeats the same answer.
 */
export const GONE_RECHECK_MS = 24 * 3_600_000;

export interface DetailedCheck {
  result: BalanceResult;
  /** The provider's Retry-After, when it sent one. */
  retryAfterMs?: number;
  /** Set when the answer is final for a long while (410 Gone): ask again only after this long. */
  recheckAfterMs?: number;
}

export interface CheckContext {
  thresholds: ThresholdSettings;
  now: () => Date;
}

/** Checks one account; never throws, every failure is a classified result. */
export type AccountChecker = (account: Account, keys: AccountKeys, ctx: CheckContext) => Promise<DetailedCheck>;
