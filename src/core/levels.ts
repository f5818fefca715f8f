// The level, status and error-kind lists, written once and without zod so that the extension's
// small main bundle and the webview (zod/mini) can use them; model.ts and panel/protocol.ts pass
// them to their zod.
export const LEVELS = ['ok', 'info', 'warning', 'critical', 'error'] as const;
export const STATUSES = ['valid', 'invalid', 'error', 'unavailable'] as const;
export const ERROR_KINDS = [
  'auth', 'insufficient_funds', 'rate_limited', 'timeout', 'network', 'bad_response', 'server', 'config',
] as const;
export type Level = (typeof LEVELS)[number];

/** Worse is higher: the order of LEVELS. */
export const LEVEL_RANK = Object.fromEntries(LEVELS.map((level, rank) => [level, rank])) as Record<Level, number>;

export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = 'ok';
  for (const l of levels) if (LEVEL_RANK[l] > LEVEL_RANK[worst]) worst = l;
  return worst;
}
