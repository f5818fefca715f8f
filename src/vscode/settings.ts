import * as vscode from 'vscode';
import type { ConfigProblem, RawConfig } from '../core/readConfig';

// One getter per setting. Numbers are clamped to their documented bounds so that an invalid
// value never reaches a timer or a threshold.
const SECTION = 'llmBalance';

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

function num(key: string, def: number, min: number, max: number): number {
  const v = cfg().get<unknown>(key);
  if (typeof v !== 'number' || !Number.isFinite(v)) return def;
  return Math.min(max, Math.max(min, v));
}

export type StatusBarMode = 'lowest' | 'total' | 'all';
export type HighlightMode = 'always' | 'untilAcknowledged' | 'never';

export const settings = {
  accounts(): unknown[] {
    const v = cfg().get<unknown>('accounts');
    return Array.isArray(v) ? v : [];
  },
  thresholds(): unknown {
    return cfg().get<unknown>('thresholds');
  },
  percentThresholds(): unknown {
    return cfg().get<unknown>('percentThresholds');
  },
  pollIntervalMinutes(): number {
    return num('pollIntervalMinutes', 30, 1, 1440);
  },
  requestTimeoutSeconds(): number {
    return num('requestTimeoutSeconds', 10, 1, 120);
  },
  statusBarMode(): StatusBarMode {
    const v = cfg().get<unknown>('statusBar.mode');
    return v === 'total' || v === 'all' ? v : 'lowest';
  },
  statusBarHighlight(): HighlightMode {
    const v = cfg().get<unknown>('statusBar.highlight');
    return v === 'always' || v === 'never' ? v : 'untilAcknowledged';
  },
  /** Raw, validated by readAlertRules so that a bad value is reported rather than clamped. */
  alertRules(): { budgetSteps: unknown; spendSpike: { windowHours: unknown; factor: unknown; minimum: unknown } } {
    return {
      budgetSteps: cfg().get<unknown>('budgetSteps'),
      spendSpike: { windowHours: cfg().get<unknown>('spendSpike.windowHours'), factor: cfg().get<unknown>('spendSpike.factor'), minimum: cfg().get<unknown>('spendSpike.minimum') },
    };
  },
  /** The values readConfig validates, as the user wrote them. */
  rawConfig(): RawConfig {
    return {
      accounts: settings.accounts(),
      thresholds: settings.thresholds(),
      percentThresholds: settings.percentThresholds(),
      ...settings.alertRules(),
      useEnvironmentKeys: settings.useEnvironmentKeys(),
    };
  },
  notificationCooldownHours(): number {
    return num('notificationCooldownHours', 24, 1, 720);
  },
  historyRetentionDays(): number {
    return num('historyRetentionDays', 90, 1, 3650);
  },
  /** Whether any `llmBalance.channels.<id>.enabled` is on, read without loading the channels' code. */
  anyAlertChannelOn(): boolean {
    const channels = cfg().get<unknown>('channels');
    return !!channels && typeof channels === 'object' && Object.values(channels).some((c: unknown) => !!c && typeof c === 'object' && (c as { enabled?: unknown }).enabled === true);
  },
  useEnvironmentKeys(): boolean {
    return cfg().get<unknown>('useEnvironmentKeys') === true;
  },
  proxy(): { proxy?: string; strictSSL: boolean } {
    const http = vscode.workspace.getConfiguration('http');
    const proxy = http.get<unknown>('proxy');
    const out: { proxy?: string; strictSSL: boolean } = { strictSSL: http.get<unknown>('proxyStrictSSL') !== false };
    if (typeof proxy === 'string' && proxy.trim()) out.proxy = proxy.trim();
    return out;
  },
  /** Writes a setting of this extension for the user (application-scoped ones cannot go elsewhere). */
  async update(key: 'thresholds' | 'percentThresholds', value: unknown): Promise<void> {
    await cfg().update(key, value, vscode.ConfigurationTarget.Global);
  },
  async setAccounts(accounts: unknown[]): Promise<void> {
    await cfg().update('accounts', accounts, vscode.ConfigurationTarget.Global);
  },
};

/** Settings whose change means the accounts or the schedule must be rebuilt. */
export const MONITOR_SETTINGS = [
  'llmBalance.accounts', 'llmBalance.thresholds', 'llmBalance.percentThresholds', 'llmBalance.pollIntervalMinutes',
  'llmBalance.requestTimeoutSeconds', 'llmBalance.useEnvironmentKeys', 'llmBalance.notificationCooldownHours',
  'llmBalance.historyRetentionDays', 'llmBalance.budgetSteps', 'llmBalance.spendSpike', 'http.proxy', 'http.proxyStrictSSL',
];

/** A readConfig problem in the settings' own names, one line (the log, the startup warning). */
export function describeSettingsProblem(p: ConfigProblem): string {
  switch (p.kind) {
    case 'account': {
      const issue = p.issues[0];
      return `llmBalance.accounts[${p.index}]${p.id !== undefined ? ` "${p.id}"` : ''}: ${issue?.path ?? ''} ${issue?.message ?? 'invalid'}`.replace(/\s+/g, ' ');
    }
    case 'duplicate':
      return `llmBalance.accounts[${p.index}]: id "${p.id}" is used twice; the second is skipped`;
    case 'thresholds':
    case 'percentThresholds':
      return `llmBalance.${p.kind}: ${p.issues[0]?.message ?? 'invalid'}; using the defaults`;
    case 'rule':
      return `llmBalance.${p.message}`;
    case 'environment':
      return p.message;
  }
}
