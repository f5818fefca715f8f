// The whole engine (dist/engine.js): the main-thread half plus what sends requests from this
// thread — the HTTP client, a check in this thread (the add-key check; the fallback when the
// check worker cannot run), the alert channels. Required on first use of one of those.
export * from './engineMain';
export * from './enginePanel';
export { HttpClient, checkUrlPolicy } from './core/http';
export { checkAccount, checkOver } from './core/check';
export { createChannels, channelProblem, CHANNELS, secretPieces } from './core/alerts/channels';
export { deliverAlerts } from './core/alerts/delivery';
