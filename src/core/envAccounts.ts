// One account per provider whose key is in the environment (SPEC §11), shared by the CLI
// and the extension's `llmBalance.useEnvironmentKeys`.
import type { AccountKeys } from './check';
import { AccountSchema, PROVIDER_IDS, type Account, type Thresholds } from './model';
import { PROVIDERS } from './providers/registry';

export interface KeyedAccount {
  account: Account;
  keys: AccountKeys;
}

export function accountsFromEnv(env: NodeJS.ProcessEnv): { accounts: KeyedAccount[]; problems: string[] } {
  const accounts: KeyedAccount[] = [];
  const problems: string[] = [];
  for (const id of PROVIDER_IDS) {
    if (id === 'custom') continue;
    const p = PROVIDERS[id];
    const key = env[p.keyEnv]?.trim();
    if (!key) continue;
    const raw: Record<string, unknown> = { id, provider: id };
    const baseUrl = env[`${id.toUpperCase()}_BASE_URL`]?.trim();
    if (baseUrl) raw.baseUrl = baseUrl;
    if (id === 'xai' && env.XAI_TEAM_ID?.trim()) raw.teamId = env.XAI_TEAM_ID.trim();
    const currency = env[`${id.toUpperCase()}_CURRENCY`]?.trim();
    if (currency) raw.currency = currency;
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
