// The engine bundle: the extension's heavy half (undici, zod, every provider, the panel),
// built as dist/engine.js and required by engine() (vscode/engineLoader.ts) on first use, so
// that activation stays cheap. Nothing here runs on import.
export { CheckScheduler, RESULT_PREFIX } from './core/checkScheduler';
export { HttpClient, checkUrlPolicy } from './core/http';
export { checkAccount } from './core/check';
export { AccountSchema, ThresholdsSchema, PercentThresholdsSchema, BalanceResultSchema, DEFAULT_THRESHOLDS, DEFAULT_PERCENT_THRESHOLDS } from './core/model';
export { PROVIDERS } from './core/providers/registry';
export { expandTeamResults, expandTeamChecks } from './core/providers/team';
export { accountsFromEnv } from './core/envAccounts';
export { readConfig } from './core/readConfig';
export { buildAlert } from './core/alerts/message';
export { createChannels, CHANNELS, pastedProblem, secretPieces } from './core/alerts/channels';
export { deliverAlerts } from './core/alerts/delivery';
export { HistoryStore } from './core/history';
export { forecast } from './core/forecast';
export { BalancePanel } from './panel/balancePanel';
export { exportHistory } from './panel/export';
export { budgetUsage, crossedSteps, stepLevel, stepMessage } from './core/budgetSteps';
export { detectSpike, spikeJudgeable, spikeMessage } from './core/spike';
export { decideAlerts } from './core/decideAlerts';
