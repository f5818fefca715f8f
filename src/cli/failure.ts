// How a command's failure ends the run, the same whether commander read the command line
// (main.ts) or the launcher read a plain `check` itself (checkArgs.ts, checkCommand.checkMain).
import { EXIT, isUsageError } from './usage';
import { term } from './table';

/** Says what went wrong on stderr and returns the exit status: 3 for a usage error, else 2. */
export function exitForFailure(e: unknown): number {
  if (isUsageError(e)) {
    process.stderr.write(`llm-balance: ${e.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`llm-balance: unexpected failure: ${term(e instanceof Error ? e.message : String(e), 2000)}\n`);
  return EXIT.critical;
}
