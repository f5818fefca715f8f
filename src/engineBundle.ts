// The engine bundle (dist/engine.js): what sends requests from the main thread — the HTTP client,
// a check in this thread (the add-key check; the fallback when the check worker cannot run), the
// alert channels. Required by engine() (vscode/engineLoader.ts) on first use of one of these
// names, beside dist/engine-main.js and dist/engine-panel.js, whose names it does not repeat.
// Nothing here runs on import.
export { HttpClient, checkUrlPolicy } from './core/http';
export { checkAccount, checkOver } from './core/check';
export { createChannels, CHANNELS, pastedProblem, secretPieces } from './core/alerts/channels';
export { deliverAlerts } from './core/alerts/delivery';
