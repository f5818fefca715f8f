import { CheckError } from '../errors';
import { msg } from '../message';
import { preview } from '../safeText';
import { urlPolicyMessage } from '../http';
import { getPath, parseAmount, roundMoney } from '../numbers';
import { type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import * as z from 'zod/mini';
import { defineProvider } from './descriptor';
import { originOf } from './relay';

// Any JSON endpoint the user describes: url, method, headers and body with a {key}
// placeholder, and dotted paths to the numbers. The key goes in headers or the body only,
// never the URL (URLs end up in logs, proxies and history).

const PLACEHOLDER = /\{key\}/gi;

function fill(template: string, key: string): string {
  return template.replace(PLACEHOLDER, () => key);
}

/**
 * Paths are dotted ("data.total_credits", "items.0.amount"); the JSONPath spellings people
 * copy from docs ("$.data.balance", "data[0].balance", "data['balance']") mean the same.
 */
export function normalizePath(path: string): string {
  return path
    .trim()
    .replace(/^\$\.?/, '')
    .replace(/\[\s*(\d+)\s*\]/g, '.$1')
    .replace(/\[\s*(['"])(.*?)\1\s*\]/g, '.$2')
    .replace(/^\./, '');
}

function readNumber(json: unknown, path: string, option: string): number {
  const v = getPath(json, normalizePath(path));
  if (v === undefined) throw new CheckError('bad_response', msg('{0} "{1}" is not in the response.', option, path));
  if (v === null) throw new CheckError('bad_response', msg('{0} "{1}" is null in the response, not a number.', option, path));
  return parseAmount(v, path);
}

const descriptor = defineProvider({
  id: 'custom',
  name: 'Custom',
  description: 'Any JSON endpoint: URL, headers with {key}, JSON paths to balance / limit / usage',
  // Never contacted (the `url` option is the endpoint), but check.ts vets it, so it must be a
  // well-formed https URL; .invalid is reserved for exactly this.
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'CUSTOM_API_KEY',
  summary: 'Any JSON endpoint',
  readme: {
    reports: 'whatever JSON paths you point at: balance, limit, usage, currency',
    key: 'any, via `{key}` in headers',
    cannot: '—',
  },
  fromEnvironment: false,
  currencyQuestion: 'Which currency is the balance in?',
  options: {
    url: {
      schema: z.url(),
      description: 'Custom provider: endpoint URL.',
      prompt: { kind: 'endpoint', title: 'endpoint URL', prompt: 'The JSON endpoint that reports the balance' },
    },
    method: { schema: z.enum(['GET', 'POST']), description: 'Custom provider: `GET` (default) or `POST`.' },
    headers: {
      schema: z.record(z.string(), z.string()),
      description: 'Custom provider: headers; `{key}` is replaced by the key.',
      prompt: { kind: 'headers', title: 'how the key is sent' },
    },
    body: { schema: z.string().check(z.maxLength(10_000)), description: 'Custom provider: the `POST` body; `{key}` is replaced by the key.' },
    balancePath: {
      schema: z.string().check(z.minLength(1)),
      description: 'Custom provider: dotted path of the balance in the answer, e.g. `data.balance`.',
      prompt: { kind: 'text', title: 'JSON path of the balance', prompt: 'Dotted path in the answer, e.g. data.balance' },
      required: true,
    },
    limitPath: { schema: z.string().check(z.minLength(1)), description: 'Custom provider: dotted path of the limit.' },
    usagePath: { schema: z.string().check(z.minLength(1)), description: 'Custom provider: dotted path of the usage.' },
    currencyPath: { schema: z.string().check(z.minLength(1)), description: 'Custom provider: dotted path of a three-letter currency code.' },
    divisor: { schema: z.number().check(z.positive()), description: 'Custom provider: the amounts are divided by it (e.g. `100` for cents).' },
  },
});

export const custom: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: (account) => originOf(account.url),
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const customCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, key, secrets, account } = ctx;
    const url = account.url;
    if (!url) throw new CheckError('config', msg('A custom account needs a "{0}" option: the JSON endpoint to read.', 'url'));
    if (/\{key\}|%7Bkey%7D/i.test(url) || url.includes(key)) {
      throw new CheckError('config', msg('The key must not be part of the URL; put {0} in a header (e.g. "Authorization": "Bearer {0}") or the body.', '{key}'));
    }
    const policy = urlPolicyMessage(url);
    if (policy) throw new CheckError('config', policy);
    if (!account.balancePath) throw new CheckError('config', msg('A custom account needs a "{0}" option (e.g. "{1}").', 'balancePath', 'data.balance'));
    const method = account.method ?? 'GET';
    if (account.body !== undefined && method !== 'POST') throw new CheckError('config', msg('A custom request body needs {0}.', '"method": "POST"'));

    // Without headers, send the key the most common way.
    const headers = Object.fromEntries(
      Object.entries(account.headers ?? { authorization: 'Bearer {key}' }).map(([name, value]) => [name, fill(value, key)]),
    );
    const req: Parameters<typeof http.json>[1] = { method, headers, secrets };
    // JSON-escape the key so that a quote or backslash in it cannot break a JSON body.
    if (account.body !== undefined) req.body = fill(account.body, JSON.stringify(key).slice(1, -1));
    const res = await http.json(url, req);

    const divisor = account.divisor ?? 1;
    const scaled = (n: number) => roundMoney(n / divisor);
    const reading: Reading = {
      balance: scaled(readNumber(res.json, account.balancePath, 'balancePath')),
      currency: account.currency ?? 'USD',
      limit: account.limitPath ? scaled(readNumber(res.json, account.limitPath, 'limitPath')) : null,
      usage: account.usagePath ? scaled(readNumber(res.json, account.usagePath, 'usagePath')) : null,
    };
    if (account.currencyPath) {
      const c = getPath(res.json, normalizePath(account.currencyPath));
      if (typeof c !== 'string' || !/^[A-Za-z]{3}$/.test(c.trim())) {
        throw new CheckError('bad_response', c === undefined
          ? msg('currencyPath "{0}" is not a three-letter currency code (got nothing).', account.currencyPath)
          : msg('currencyPath "{0}" is not a three-letter currency code (got {1}).', account.currencyPath, preview(JSON.stringify(c) ?? String(c))));
      }
      reading.currency = c.trim().toUpperCase();
    }
    return reading;
  },
};
