// Where the CLI's accounts come from: a config file (SPEC §11) or the environment.
import { promises as fs } from 'node:fs';
import * as z from 'zod/mini';
import type { KeyedAccount } from '../core/envAccounts';
import { accountsFromEnv, thresholdsFromEnv } from '../core/envAccounts';
import { DEFAULT_PERCENT_THRESHOLDS, DEFAULT_THRESHOLDS, type PercentThresholds, type Thresholds } from '../core/model';
import { PROVIDERS } from '../core/providers/registry';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../core/alertRules';
import { readConfig, type ConfigProblem } from '../core/readConfig';

import { UsageError } from './usage';

// Kept importable from here: they live in usage.ts so that `--help` and `history` need no zod.
export { UsageError, defaultStateDir } from './usage';

/** The longest request timeout: five minutes is already longer than any provider takes to answer. */
export const MAX_TIMEOUT_SECONDS = 300;

const envName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'));

const ConfigFileSchema = z.object({
  accounts: z.array(z.unknown()).check(z.minLength(1, 'at least one account is needed')),
  // Checked by readConfig, with the accounts.
  thresholds: z.optional(z.unknown()),
  percentThresholds: z.optional(z.unknown()),
  notificationCooldownHours: z.optional(z.number().check(z.positive(), z.lte(24 * 365))),
  requestTimeoutSeconds: z.optional(z.number().check(z.gte(1), z.lte(MAX_TIMEOUT_SECONDS))),
  // Checked by readAlertRules: a bad step is reported and skipped, the rest of the run goes on.
  budgetSteps: z.optional(z.unknown()),
  spendSpike: z.optional(z.partial(z.object({ windowHours: z.unknown(), factor: z.unknown(), minimum: z.unknown() }))),
});

export interface CliConfig {
  accounts: KeyedAccount[];
  thresholds: Thresholds;
  percent: PercentThresholds;
  cooldownHours: number;
  timeoutMs: number;
  source: string;
  /** Budget steps and spend spike (SPEC §7). */
  alertRules: AlertRules;
  /** Invalid values that were skipped or defaulted; the run goes on. */
  warnings: string[];
}

function issues(e: z.core.$ZodError, prefix: string): string {
  return e.issues.map((i) => `  ${prefix}${i.path.length ? i.path.join('.') : ''}: ${i.message}`).join('\n');
}

export async function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv): Promise<CliConfig> {
  const envThresholds = thresholdsFromEnv(env, DEFAULT_THRESHOLDS);
  if (envThresholds.problems.length) throw new UsageError(envThresholds.problems.join('\n'));
  const base = {
    thresholds: envThresholds.thresholds,
    percent: DEFAULT_PERCENT_THRESHOLDS,
    cooldownHours: 24,
    timeoutMs: 10_000,
    alertRules: DEFAULT_ALERT_RULES,
    warnings: [] as string[],
  };
  const timeout = env.LLM_BALANCE_TIMEOUT_SECONDS?.trim();
  if (timeout) {
    const n = Number(timeout);
    // Bounded like the config file's requestTimeoutSeconds: beyond 2147483 s Node's timer overflows and fires at once.
    if (!Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_SECONDS) throw new UsageError(`LLM_BALANCE_TIMEOUT_SECONDS must be a positive number of seconds, at most ${MAX_TIMEOUT_SECONDS}, got "${timeout}".`);
    base.timeoutMs = n * 1000;
  }

  if (!file) {
    const { accounts, problems } = accountsFromEnv(env);
    if (problems.length) throw new UsageError(`Invalid account settings in the environment:\n  ${problems.join('\n  ')}`);
    if (accounts.length === 0) {
      const vars = Object.values(PROVIDERS).filter((p) => p.fromEnvironment).map((p) => p.keyEnv);
      throw new UsageError(`No accounts: set one of ${vars.join(', ')}, or pass --config FILE.`);
    }
    return { ...base, accounts, source: 'environment' };
  }

  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`Config file ${file} is not valid JSON: ${(e as Error).message}.`);
  }
  const cfg = ConfigFileSchema.safeParse(raw);
  if (!cfg.success) throw new UsageError(`Config file ${file} is invalid:\n${issues(cfg.error, '')}`);

  const config = readConfig(
    { accounts: cfg.data.accounts, thresholds: cfg.data.thresholds, percentThresholds: cfg.data.percentThresholds, budgetSteps: cfg.data.budgetSteps, spendSpike: cfg.data.spendSpike },
    env,
  );
  // A cron job must not quietly watch fewer accounts, or with other thresholds, than it was given.
  const errors = config.problems.flatMap(fatalProblem);
  const accounts: KeyedAccount[] = [];
  for (const { account, index: i } of config.accounts) {
    const p = PROVIDERS[account.provider];
    const keyEnv = envName.safeParse(account.keyEnv ?? p.keyEnv);
    const adminEnv = account.adminKeyEnv ?? p.adminKeyEnv;
    if (!keyEnv.success) {
      errors.push(`  accounts.${i}.keyEnv: must be an environment variable name`);
      continue;
    }
    if (adminEnv !== undefined && !envName.safeParse(adminEnv).success) {
      errors.push(`  accounts.${i}.adminKeyEnv: must be an environment variable name`);
      continue;
    }
    const keys: KeyedAccount['keys'] = {};
    const key = env[keyEnv.data]?.trim();
    if (key) keys.key = key;
    const admin = typeof adminEnv === 'string' ? env[adminEnv]?.trim() : undefined;
    if (admin) keys.adminKey = admin;
    accounts.push({ account, keys });
  }
  if (errors.length) throw new UsageError(`Config file ${file} is invalid:\n${errors.join('\n')}`);

  return {
    alertRules: config.alertRules,
    warnings: config.problems.flatMap((p) => (p.kind === 'rule' ? [`${file}: ${p.message}`] : [])),
    // CREDIT_*_THRESHOLD, set for this run, win over the file's USD amounts.
    thresholds: envOverrides(config.thresholds.thresholds, env, envThresholds.thresholds),
    percent: config.thresholds.percent,
    cooldownHours: cfg.data.notificationCooldownHours ?? base.cooldownHours,
    timeoutMs: cfg.data.requestTimeoutSeconds ? cfg.data.requestTimeoutSeconds * 1000 : base.timeoutMs,
    accounts,
    source: file,
  };
}

/** The config file's problems in its own names, one line per issue; budget steps and spike rules only warn. */
function fatalProblem(p: ConfigProblem): string[] {
  switch (p.kind) {
    case 'account':
      return p.issues.map((i) => `  accounts.${p.index}.${i.path}: ${i.message}`);
    case 'duplicate':
      return [`  accounts.${p.index}.id: "${p.id}" is used twice`];
    case 'thresholds':
    case 'percentThresholds':
      return p.issues.map((i) => `  ${p.kind}${i.path ? `.${i.path}` : ''}: ${i.message}`);
    case 'environment':
      return [`  ${p.message}`];
    case 'rule':
      return [];
  }
}

function envOverrides(fromFile: Thresholds, env: NodeJS.ProcessEnv, fromEnv: Thresholds): Thresholds {
  const merged: Thresholds = { ...DEFAULT_THRESHOLDS, ...fromFile };
  const usd = { ...(merged.USD ?? { warning: 10, critical: 5 }) };
  if (env.CREDIT_WARNING_THRESHOLD?.trim() && fromEnv.USD) usd.warning = fromEnv.USD.warning;
  if (env.CREDIT_CRITICAL_THRESHOLD?.trim() && fromEnv.USD) usd.critical = fromEnv.USD.critical;
  return { ...merged, USD: usd };
}
