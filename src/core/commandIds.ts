// Every command id, in one place: registration, executeCommand calls, status bar links and the
// package.json contributions (test/unit/commandIds.test.ts fails when they drift apart). Pure,
// so that the status view in the core can name them too.
export const COMMAND = {
  check: 'llmBalance.check',
  addAccount: 'llmBalance.addAccount',
  updateKey: 'llmBalance.updateKey',
  removeAccount: 'llmBalance.removeAccount',
  editAccount: 'llmBalance.editAccount',
  /** The panel's per-card refresh: no progress or summary toast, so not in the palette. */
  checkAccountQuietly: 'llmBalance.checkAccountQuietly',
  manageKeys: 'llmBalance.manageKeys',
  showPanel: 'llmBalance.showPanel',
  exportHistory: 'llmBalance.exportHistory',
  resetNotifications: 'llmBalance.resetNotifications',
  showLog: 'llmBalance.showLog',
  acknowledge: 'llmBalance.acknowledge',
  configureChannels: 'llmBalance.configureChannels',
  sendTestAlert: 'llmBalance.sendTestAlert',
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];

/** Commands that are not in the Command Palette (package.json does not contribute them). */
export const INTERNAL_COMMANDS: readonly CommandId[] = [COMMAND.checkAccountQuietly];
