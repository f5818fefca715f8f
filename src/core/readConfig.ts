// Raw configuration values → the validated config a check runs with, for both front ends: the
// extension hands in its settings, the CLI its config file. An invalid entry is skipped and an
// invalid value replaced by its default; each becomes a problem that the front end words in its
// own names and treats by its own rule (the extension reports and goes on; the CLI, run by cron,
// refuses to watch fewer accounts than it was given).
import type { AccountKeys } from './check';
import { accountsFromEnv } from './envAccounts';
import { english, type Translate } from './l10n';
import {
  AccountSchema, DEFAULT_PERCENT_THRESHOLDS, DEFAULT_THRESHOLDS, PercentThresholdsSchema, ThresholdsSchema, type Account,
} from './model';
import { PROVIDERS } from './providers/registry';
import { readAlertRules, type AlertRules, type RawAlertRules } from './alertRules';
import type { ThresholdSettings } from './thresholds';

export interface RawConfig extends RawAlertRules {
  /** A list of accounts in the SPEC §2 shape; anything else counts as none. */
  accounts?: unknown;
  /** Absent: the defaults. */
  thresholds?: unknown;
  percentThresholds?: unknown;
  /** Also watch one account per provider whose key is in the environment (`env-<provider>`). */
  useEnvironmentKeys?: boolean;
}

export interface ConfiguredAccount {
  account: Account;
  source: 'settings' | 'environment';
  /** Where it stood in `raw.accounts` (settings accounts). */
  index?: number;
  /** The keys of an environment account. */
  envKeys?: AccountKeys;
}

export interface ConfigIssue {
  /** Dotted path inside the value, "" for the value itself. */
  path: string;
  message: string;
}

export type ConfigProblem =
  | { kind: 'account'; index: number; id?: string; issues: ConfigIssue[] }
  | { kind: 'duplicate'; index: number; id: string }
  | { kind: 'thresholds' | 'percentThresholds'; issues: ConfigIssue[] }
  /** Budget steps and spend spike: worded by readAlertRules, without a setting prefix. */
  | { kind: 'rule'; message: string }
  | { kind: 'environment'; message: string };

export interface Config {
  /** Every valid account, turned off ones included (they still own their id). */
  accounts: ConfiguredAccount[];
  thresholds: ThresholdSettings;
  alertRules: AlertRules;
  problems: ConfigProblem[];
}

function issuesOf(e: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): ConfigIssue[] {
  return e.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function readConfig(raw: RawConfig, env: NodeJS.ProcessEnv, opts: { t?: Translate } = {}): Config {
  const t = opts.t ?? english;
  const problems: ConfigProblem[] = [];
  const accounts: ConfiguredAccount[] = [];
  const seen = new Set<string>();
  (Array.isArray(raw.accounts) ? raw.accounts : []).forEach((item: unknown, index) => {
    const parsed = AccountSchema.safeParse(item);
    if (!parsed.success) {
      const id = item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : undefined;
      problems.push({ kind: 'account', index, ...(id !== undefined ? { id } : {}), issues: issuesOf(parsed.error) });
      return;
    }
    if (seen.has(parsed.data.id)) {
      problems.push({ kind: 'duplicate', index, id: parsed.data.id });
      return;
    }
    seen.add(parsed.data.id);
    accounts.push({ account: parsed.data, source: 'settings', index });
  });
  if (raw.useEnvironmentKeys) {
    const fromEnv = accountsFromEnv(env);
    for (const message of fromEnv.problems) problems.push({ kind: 'environment', message });
    for (const a of fromEnv.accounts) {
      const id = `env-${a.account.id}`;
      if (seen.has(id)) continue;
      const label = t('{0} (environment)', a.account.label ?? PROVIDERS[a.account.provider].name);
      accounts.push({ account: { ...a.account, id, label }, source: 'environment', envKeys: a.keys });
    }
  }
  const th = ThresholdsSchema.safeParse(raw.thresholds ?? DEFAULT_THRESHOLDS);
  const pct = PercentThresholdsSchema.safeParse(raw.percentThresholds ?? DEFAULT_PERCENT_THRESHOLDS);
  if (!th.success) problems.push({ kind: 'thresholds', issues: issuesOf(th.error) });
  if (!pct.success) problems.push({ kind: 'percentThresholds', issues: issuesOf(pct.error) });
  const rules = readAlertRules({ budgetSteps: raw.budgetSteps, spendSpike: raw.spendSpike });
  for (const message of rules.problems) problems.push({ kind: 'rule', message });
  return {
    accounts,
    thresholds: { thresholds: th.success ? th.data : DEFAULT_THRESHOLDS, percent: pct.success ? pct.data : DEFAULT_PERCENT_THRESHOLDS },
    alertRules: rules.rules,
    problems,
  };
}
