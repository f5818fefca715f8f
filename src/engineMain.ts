// The main-thread half of the engine (dist/engine-main.js): what the extension host's main
// thread needs for a check — settings and result schemas (zod/mini), the scheduler and cache,
// history, alert decisions — without undici, the channels, the checks' HTTP code or the panel
// (dist/engine-panel.js, whose message schemas alone were a third of this bundle's zod schemas).
// The checks themselves run in dist/check-worker.js (CheckWorker).
export { CheckScheduler, RESULT_PREFIX } from './core/checkScheduler';
export { CheckWorker } from './core/checkWorker';
export { InThreadChecks } from './core/inThreadChecks';
export { AccountSchema, ThresholdsSchema, PercentThresholdsSchema, BalanceResultSchema, DEFAULT_THRESHOLDS, DEFAULT_PERCENT_THRESHOLDS } from './core/model';
export { PROVIDERS } from './core/providers/registry';
export { expandTeamResults, expandTeamChecks } from './core/providers/team';
export { readConfig } from './core/readConfig';
export { amountsFor } from './core/thresholds';
export { buildAlert } from './core/alerts/message';
export { HistoryStore } from './core/history';
export { forecast } from './core/forecast';
export { budgetUsage, crossedSteps, stepLevel } from './core/budgetSteps';
export { detectSpike, spikeJudgeable, spikeMessage } from './core/spike';
export { decideAlerts } from './core/decideAlerts';
