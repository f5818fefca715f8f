// The XDG Base Directory variables as their spec reads them: a value that is not an absolute
// path is invalid and ignored. A relative one would name another folder from each working
// directory, so a cron job run elsewhere would keep a second ledger and send its alerts again.
// node:path only: `--help` loads this.
import * as path from 'node:path';

/** $HOME, or the system's idea of it when HOME is unset or empty (node:os only then). */
export function homeDir(env: NodeJS.ProcessEnv): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return env.HOME || (require('node:os') as typeof import('node:os')).homedir();
}

/** `env[name]` when it is an absolute path (surrounding whitespace trimmed), else `$HOME/<fallback>`. */
export function xdgBaseDir(env: NodeJS.ProcessEnv, name: 'XDG_STATE_HOME' | 'XDG_CACHE_HOME', fallback: readonly string[]): string {
  const value = env[name]?.trim();
  return value && path.isAbsolute(value) ? value : path.join(homeDir(env), ...fallback);
}
