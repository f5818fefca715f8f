// How a time-limit setting is read, apart from the HTTP client itself: the check worker's
// main-thread side sizes its wait for an answer by it without loading undici (http.ts).

export const DEFAULT_TIMEOUT_MS = 10_000;

/** setTimeout's limit: a longer delay fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A time-limit setting as used: a finite positive number of ms up to setTimeout's limit, else the default. */
export function httpTimeoutMs(setting: number | undefined): number {
  const t = setting ?? DEFAULT_TIMEOUT_MS;
  return Number.isFinite(t) && t > 0 ? Math.min(t, MAX_TIMER_MS) : DEFAULT_TIMEOUT_MS;
}
