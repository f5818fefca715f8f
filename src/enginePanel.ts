// The history panel's host side (dist/engine-panel.js), required when the panel first opens.
export { BalancePanel } from './panel/balancePanel';
export { exportHistory } from './panel/export';
export { panelAccounts } from './panel/accounts';
