import { parseAmount, parseOptionalAmount, roundMoney } from '../numbers';
import { money, msg } from '../message';
import type { DetailValue } from '../model';
import { asObject, bearer, joinUrl, type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import { defineProvider } from './descriptor';

// Amounts arrive as strings in units of 1/10 000 USD.
const UNITS_PER_USD = 10_000;

function usd(value: unknown, field: string): number {
  return roundMoney(parseAmount(value, field) / UNITS_PER_USD);
}

const descriptor = defineProvider({
  id: 'novita',
  name: 'Novita',
  description: 'Available balance in USD (novita.ai)',
  defaultBaseUrl: 'https://api.novita.ai',
  defaultCurrency: 'USD',
  keyEnv: 'NOVITA_API_KEY',
  summary: 'Novita balance',
  readme: {
    reports: 'available balance (USD)',
    key: 'API key',
    cannot: '—',
  },
  fromEnvironment: true,
  envNote: 'Novita',
});

export const novita: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: () => 'https://novita.ai/billing',
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const novitaCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets } = ctx;
    const res = await http.json(joinUrl(baseUrl, '/openapi/v1/billing/balance/detail'), { headers: bearer(key), secrets });
    const body = asObject(res.json, 'Novita /openapi/v1/billing/balance/detail');
    const available = usd(body.availableBalance, 'availableBalance');
    const details: Record<string, DetailValue> = { available_balance: available };
    const extras = [
      ['cashBalance', 'cash_balance'],
      ['creditLimit', 'credit_limit'],
      ['pendingCharges', 'pending_charges'],
      ['outstandingInvoices', 'outstanding_invoices'],
    ] as const;
    for (const [field, name] of extras) {
      const raw = parseOptionalAmount(body[field], field);
      if (raw !== null) details[name] = roundMoney(raw / UNITS_PER_USD);
    }
    const reading: Reading = { balance: available, currency: 'USD', details };
    // availableBalance counts the credit line too (docs: 1 000 000 = 800 000 cash + 200 000 credit).
    const credit = details.credit_limit;
    if (typeof credit === 'number' && credit > 0) {
      const cash = details.cash_balance;
      reading.note = typeof cash === 'number'
        ? msg('Available balance includes a credit line of {0} (cash {1}).', money(credit, reading.currency), money(cash, reading.currency))
        : msg('Available balance includes a credit line of {0}.', money(credit, reading.currency));
    }
    return reading;
  },
};
