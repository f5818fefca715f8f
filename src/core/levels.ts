// Level order without zod, so the extension's small main bundle can use it.
export type Level = 'ok' | 'info' | 'warning' | 'critical' | 'error';

export const LEVEL_RANK: Record<Level, number> = { ok: 0, info: 1, warning: 2, critical: 3, error: 4 };

export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = 'ok';
  for (const l of levels) if (LEVEL_RANK[l] > LEVEL_RANK[worst]) worst = l;
  return worst;
}
