// dist/commands.js: what only a command or an alert needs — the key wizards, Edit Account, Check
// LLM Balance's progress and summary, Acknowledge, and the alert channels. Required on first use
// (commandBundle.ts), so that activation loads only what the status bar and the poller need.
// The modules with state (ui.ts, engineLoader.ts) are not copied in: this bundle uses the main
// bundle's own (esbuild.mjs, `sharedWithMain`).
export { addAccount, manageKeys, removeAccount, updateKey } from './accounts';
export { checkCommand } from './check';
export { editAccount } from './editAccount';
export { acknowledgeCommand } from './acknowledge';
export { AlertChannels } from '../alertChannels';
