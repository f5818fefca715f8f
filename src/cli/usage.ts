// What the command line promises (SPEC §11, §12): exit statuses, usage errors, default places.
// zod-free, so that `--help` and `history` load neither zod nor the engine.
import * as path from 'node:path';
import { LEVEL_RANK, worstLevel, type Level } from '../core/levels';
import { xdgBaseDir } from './xdg';

export const DEFAULT_LISTEN = '127.0.0.1:9464';

export const EXIT = { ok: 0, warning: 1, critical: 2, usage: 3 } as const;

// A brand, not instanceof: each command's bundle (dist/checkCommand.js, dist/historyCommand.js)
// carries its own copy of this class.
const USAGE_ERROR = Symbol.for('llm-balance.UsageError');

/** A bad flag, config or environment: exit 3 with its message. */
export class UsageError extends Error {
  readonly [USAGE_ERROR] = true;
}

export function isUsageError(e: unknown): e is UsageError {
  return typeof e === 'object' && e !== null && (e as { [USAGE_ERROR]?: unknown })[USAGE_ERROR] === true;
}

export function exitCodeFor(levels: Level[]): number {
  const worst = worstLevel(levels);
  if (LEVEL_RANK[worst] >= LEVEL_RANK.critical) return EXIT.critical;
  if (worst === 'warning') return EXIT.warning;
  return EXIT.ok;
}

export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  return path.join(xdgBaseDir(env, 'XDG_STATE_HOME', ['.local', 'state']), 'llm-balance');
}
