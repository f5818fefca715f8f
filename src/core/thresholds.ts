import {
  DEFAULT_PERCENT_THRESHOLDS, DEFAULT_THRESHOLDS, LEVEL_RANK,
  type Account, type Level, type PercentThresholds, type Status, type Thresholds, type ErrorKind,
} from './model';

export interface ThresholdSettings {
  thresholds: Thresholds;
  percent: PercentThresholds;
}

export const DEFAULT_THRESHOLD_SETTINGS: ThresholdSettings = {
  thresholds: DEFAULT_THRESHOLDS,
  percent: DEFAULT_PERCENT_THRESHOLDS,
};

/** The amount thresholds that apply to an account in a currency; undefined when none do. */
export function amountThresholds(
  account: Pick<Account, 'warning' | 'critical'>,
  currency: string,
  settings: ThresholdSettings,
): { warning?: number; critical?: number } | undefined {
  const base = settings.thresholds[currency];
  const warning = account.warning ?? base?.warning;
  const critical = account.critical ?? base?.critical;
  if (warning === undefined && critical === undefined) return undefined;
  const out: { warning?: number; critical?: number } = {};
  if (warning !== undefined) out.warning = warning;
  if (critical !== undefined) out.critical = critical;
  return out;
}

export interface LevelInput {
  status: Status;
  errorKind?: ErrorKind;
  balance: number | null;
  currency: string;
  limit: number | null;
  /** Money left under `limit`, when not the balance itself. */
  limitRemaining?: number | null;
  insufficientFunds?: boolean;
}

/** SPEC §4: the worse of the amount and percent verdicts. */
export function computeLevel(input: LevelInput, account: Pick<Account, 'warning' | 'critical'>, settings: ThresholdSettings): Level {
  if (input.status === 'invalid' || input.status === 'error') return 'error';
  if (input.insufficientFunds || input.errorKind === 'insufficient_funds') return 'critical';
  if (input.balance === null) return 'info';
  let level: Level = 'ok';
  const amount = amountThresholds(account, input.currency, settings);
  if (amount) {
    if (amount.critical !== undefined && input.balance <= amount.critical) level = 'critical';
    else if (amount.warning !== undefined && input.balance <= amount.warning) level = 'warning';
  }
  const remaining = input.limitRemaining ?? input.balance;
  if (input.limit !== null && input.limit > 0 && remaining !== null) {
    const pct = (remaining / input.limit) * 100;
    let p: Level = 'ok';
    if (pct <= settings.percent.critical) p = 'critical';
    else if (pct <= settings.percent.warning) p = 'warning';
    if (LEVEL_RANK[p] > LEVEL_RANK[level]) level = p;
  }
  return level;
}
