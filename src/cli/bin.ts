// The `llm-balance` executable (dist/cli.js): the command line parser, each command's bundle
// compiled through the V8 code cache, and an exit as soon as the command is done.
import * as path from 'node:path';
import { enableCodeCache, saveCodeCaches, userCacheDir } from './codeCache';
import { main } from './main';
import { EXIT } from './usage';

/** Resolves once everything written so far has left the process (pipes may be asynchronous). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

// undici flags its env-proxy agent as experimental on every run with a proxy set; that is
// noise in a cron mail, not news for the user. Other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (w: Error & { code?: string }) => {
  if (w.code !== 'UNDICI-EHPA') process.stderr.write(`${w.name}: ${w.message}\n`);
});
if (!process.env.LLM_BALANCE_NO_CODE_CACHE) enableCodeCache(path.join(userCacheDir(process.env), 'v8'));
void main(process.argv.slice(2))
  .catch(() => EXIT.critical)
  .then(async (code) => {
    saveCodeCaches();
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    // Everything the command started has ended (sockets closed, state saved, lock released);
    // a natural exit would still wait for V8's background compile and GC jobs, which on a busy
    // machine took 50-240 ms after the last line was printed.
    process.exit(code);
  });
