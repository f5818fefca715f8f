import { CheckError } from '../errors';
import { msg, type Message } from '../message';
import { parseAmount, parseOptionalAmount } from '../numbers';
import type { DetailValue } from '../model';
import { asObject, bearer, joinUrl, type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import { defineProvider } from './descriptor';

interface Entry {
  currency: string;
  total: number;
}

// One balance entry per currency (CNY and/or USD), in no stable order. USD-only accounts
// exist, so no currency is ever required; an empty wallet often sits beside a funded one.
const descriptor = defineProvider({
  id: 'deepseek',
  name: 'DeepSeek',
  description: 'Account balance in CNY and/or USD (platform.deepseek.com)',
  defaultBaseUrl: 'https://api.deepseek.com',
  defaultCurrency: 'USD',
  keyEnv: 'DEEPSEEK_API_KEY',
  summary: 'DeepSeek balance (CNY/USD)',
  readme: {
    reports: 'balance per wallet (CNY and/or USD); whether it can pay for calls',
    key: 'API key',
    cannot: '—',
  },
  fromEnvironment: true,
  envNote: 'DeepSeek',
});

export const deepseek: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: () => 'https://platform.deepseek.com/top_up',
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const deepseekCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets, account } = ctx;
    const res = await http.json(joinUrl(baseUrl, '/user/balance'), { headers: bearer(key), secrets });
    const body = asObject(res.json, 'DeepSeek /user/balance');
    const infos = body.balance_infos;
    if (!Array.isArray(infos)) {
      throw new CheckError('bad_response', msg('{0}: the response has no "{1}" list.', 'DeepSeek /user/balance', 'balance_infos'));
    }
    const unavailable = body.is_available === false;

    const details: Record<string, DetailValue> = {};
    const entries: Entry[] = infos.map((raw, i) => {
      const e = asObject(raw, `DeepSeek balance_infos[${i}]`);
      if (typeof e.currency !== 'string' || !/^[A-Za-z]{3}$/.test(e.currency.trim())) {
        throw new CheckError('bad_response', msg('{0}: missing or odd "currency" field.', `DeepSeek balance_infos[${i}]`));
      }
      const currency = e.currency.trim().toUpperCase();
      // A drained account can answer "-0.00": that is zero, never "-0".
      const total = parseAmount(e.total_balance, `balance_infos[${i}].total_balance`) || 0;
      details[`balance_${currency}`] = total;
      const granted = parseOptionalAmount(e.granted_balance, `balance_infos[${i}].granted_balance`);
      const toppedUp = parseOptionalAmount(e.topped_up_balance, `balance_infos[${i}].topped_up_balance`);
      if (granted !== null) details[`granted_${currency}`] = granted;
      if (toppedUp !== null) details[`topped_up_${currency}`] = toppedUp;
      return { currency, total };
    });
    if (typeof body.is_available === 'boolean') details.is_available = body.is_available;

    if (entries.length === 0) {
      // A new or drained account may list no currency at all; only is_available tells them apart.
      if (unavailable) {
        throw new CheckError('insufficient_funds', msg('DeepSeek reports no balance and is_available: false — the account cannot pay for calls.'), { balance: 0 });
      }
      throw new CheckError('bad_response', msg('{0}: "{1}" is empty.', 'DeepSeek /user/balance', 'balance_infos'));
    }

    const wanted = account.currency?.toUpperCase();
    const byWanted = wanted ? entries.find((e) => e.currency === wanted) : undefined;
    const chosen = byWanted ?? pickEntry(entries);

    const reading: Reading = { balance: chosen.total, currency: chosen.currency, details };
    const notes: Message[] = [];
    if (wanted && !byWanted) notes.push(msg('This account has no {0} balance; showing {1}.', wanted, chosen.currency));
    // Every other wallet is shown next to the headline, so an empty one never hides a funded one.
    const others = entries.filter((e) => e !== chosen);
    // "CNY 12.30": codes and digits read the same in every language.
    if (others.length > 0) notes.push(msg('Also on this account: {0}.', others.map((e) => `${e.currency} ${e.total.toFixed(2)}`).join(', ')));
    if (notes.length > 0) reading.note = notes;
    if (unavailable) {
      reading.insufficientFunds = msg('DeepSeek says the balance cannot pay for calls (is_available: false). Top up to continue.');
    }
    return reading;
  },
};

/**
 * Without an account currency: the only entry; else the funded one (the largest positive
 * total); only when every wallet is empty, an empty one (USD first, so the pick is stable
 * whatever order the entries come in).
 */
function pickEntry(entries: Entry[]): Entry {
  if (entries.length === 1) return entries[0]!;
  const funded = entries.filter((e) => e.total > 0).sort((a, b) => b.total - a.total || a.currency.localeCompare(b.currency));
  if (funded.length > 0) return funded[0]!;
  return entries.find((e) => e.currency === 'USD') ?? [...entries].sort((a, b) => a.currency.localeCompare(b.currency))[0]!;
}
