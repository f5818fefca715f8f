// One account per provider whose key is in the environment (SPEC §11), shared by the CLI
// and the extension's `llmBalance.useEnvironmentKeys`.
import type { AccountKeys } from './check';
import { AccountSchema, PROVIDER_IDS, type Account, type Thresholds } from './model';
import { PROVIDERS } from './providers/registry';

export interface KeyedAccount {
  account: Account;
  keys: AccountKeys;
}

/** The variables besides the key that shape an environment account (`OPENROUTER_BASE_URL`, …). */
export const baseUrlEnv = (id: string): string => `${id.toUpperCase()}_BASE_URL`;
export const currencyEnv = (id: string): string => `${id.toUpperCase()}_CURRENCY`;

export function accountsFromEnv(env: NodeJS.ProcessEnv): { accounts: KeyedAccount[]; problems: string[] } {
  const accounts: KeyedAccount[] = [];
  const problems: string[] = [];
  for (const id of PROVIDER_IDS) {
    const p = PROVIDERS[id];
    if (!p.fromEnvironment) continue;
    const key = env[p.keyEnv]?.trim();
    if (!key) continue;
    const raw: Record<string, unknown> = { id, provider: id };
    const fromEnv = (name: string, variable: string) => {
      const v = env[variable]?.trim();
      if (v) raw[name] = v;
    };
    fromEnv('baseUrl', baseUrlEnv(id));
    for (const [name, option] of Object.entries(p.options ?? {})) if (option.env) fromEnv(name, option.env);
    fromEnv('currency', currencyEnv(id));
    const parsed = AccountSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(`${p.keyEnv}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'account'} ${i.message}`).join('; ')}`);
      continue;
    }
    const keys: AccountKeys = { key };
    const admin = p.adminKeyEnv ? env[p.adminKeyEnv]?.trim() : undefined;
    if (admin) keys.adminKey = admin;
    accounts.push({ account: parsed.data, keys });
  }
  return { accounts, problems };
}

/** CREDIT_WARNING_THRESHOLD / CREDIT_CRITICAL_THRESHOLD override the USD thresholds. */
export function thresholdsFromEnv(env: NodeJS.ProcessEnv, base: Thresholds): { thresholds: Thresholds; problems: string[] } {
  const problems: string[] = [];
  const usd = { ...(base.USD ?? { warning: 10, critical: 5 }) };
  for (const [name, field] of [['CREDIT_WARNING_THRESHOLD', 'warning'], ['CREDIT_CRITICAL_THRESHOLD', 'critical']] as const) {
    const v = env[name]?.trim();
    if (!v) continue;
    const n = Number(v);
    if (!/^[-+]?\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) problems.push(`${name} must be a number, got "${v}".`);
    else usd[field] = n;
  }
  return { thresholds: { ...base, USD: usd }, problems };
}
