// The engine bundle (dist/engine.js): the main-thread half plus what sends requests from this
// thread — the HTTP client, a check in this thread (the add-key check; the fallback when the
// check worker cannot run), the alert channels. Required by engine() (vscode/engineLoader.ts)
// on first use of one of those. Nothing here runs on import.
export * from './engineMain';
export * from './enginePanel';
export { HttpClient, checkUrlPolicy } from './core/http';
export { checkAccount, checkOver } from './core/check';
export { createChannels, CHANNELS, pastedProblem, secretPieces } from './core/alerts/channels';
export { deliverAlerts } from './core/alerts/delivery';
