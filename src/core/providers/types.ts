import type { Account, DetailValue, ProviderId, SharedResult } from '../model';
import type { HttpClient } from '../http';
import { CheckError } from '../errors';
import { msg, type Message } from '../message';
import { preview } from '../safeText';
import type { ProviderDescriptor } from './descriptor';

export interface ProviderContext {
  account: Account;
  key: string;
  adminKey?: string;
  http: HttpClient;
  /** The account's base URL or the provider's default, without a trailing slash. */
  baseUrl: string;
  now: Date;
  /** Every secret of this check, for redaction. */
  secrets: string[];
}

/** What a provider read from its API; the engine turns it into a BalanceResult. */
export interface Reading {
  balance: number | null;
  currency: string;
  usage?: number | null;
  limit?: number | null;
  /** Money left under `limit` when it differs from `balance` (e.g. a key cap); used for percent thresholds. */
  limitRemaining?: number | null;
  /** "unavailable": the provider has no balance API for this key (level info). Default "valid". */
  status?: 'valid' | 'unavailable';
  /** Our text as messages (src/core/message.ts), sentence by sentence; a string is data (a team server's note). */
  note?: string | Message | Message[];
  details?: Record<string, DetailValue>;
  /** Set when the provider says the balance cannot pay for calls (level critical). */
  insufficientFunds?: string | Message;
  /** A `team` account's shared accounts, as its server judged them. */
  shared?: SharedResult[];
}

/** A provider as every part of the product knows it: its descriptor (metadata) and its billing page. */
export type ProviderAdapter<D extends ProviderDescriptor = ProviderDescriptor & { readonly id: ProviderId }> = D & ProviderLinks;

export interface ProviderLinks {
  billingUrl(account: Account): string | undefined;
}

/**
 * The code that reads a provider's API, apart from its adapter (checks.ts): the extension host's
 * main thread loads the adapters, not this, which runs in the check worker (issue 14).
 */
export interface ProviderCheck {
  check(ctx: ProviderContext): Promise<Reading>;
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** Joins a base URL and a path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Asserts the parsed JSON is an object, else a bad_response naming what came instead. */
export function asObject(json: unknown, what: string): Record<string, unknown> {
  if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  throw new CheckError('bad_response', Array.isArray(json)
    ? msg('{0}: expected a JSON object, got an array.', what)
    : msg('{0}: expected a JSON object, got {1}.', what, preview(JSON.stringify(json) ?? '')));
}
