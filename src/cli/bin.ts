// The `llm-balance` executable (dist/cli.js), kept small because Node compiles it without a
// cache: it turns the V8 code cache on, runs the command line (dist/cliMain.js, built from
// main.ts) and each command's bundle through it, and exits as soon as the command is done.
// A plain `check` (checkArgs.ts) goes straight to dist/checkCommand.js: the command line's
// bundle and commander are for everything else.
// Only ever run as that bundle: the compiled sources have main.js, not cliMain.js.
import * as path from 'node:path';
import { setV8FlagsFor } from './v8Flags';
import { enableCodeCache, requireSibling, saveCodeCaches, userCacheDir } from './codeCache';
import { quickCheckFlags } from './checkArgs';
import type * as CheckCommand from './checkCommand';
import type * as Main from './main';
import { EXIT } from './usage';

/** Resolves once everything written so far has left the process (pipes may be asynchronous). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

const argv = process.argv.slice(2);
// Before the V8 flag: util.parseArgs is a builtin too (why in v8Flags.ts).
const quick = quickCheckFlags(argv);
// Then, before undici compiles llhttp: why in v8Flags.ts.
const v8Flags = setV8FlagsFor(argv);

// undici flags its env-proxy agent as experimental on every run with a proxy set; that is
// noise in a cron mail, not news for the user. Other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (w: Error & { code?: string }) => {
  if (w.code !== 'UNDICI-EHPA') process.stderr.write(`${w.name}: ${w.message}\n`);
});
if (!process.env.LLM_BALANCE_NO_CODE_CACHE) enableCodeCache(path.join(userCacheDir(process.env), 'v8'), v8Flags);
void Promise.resolve()
  .then(() => quick
    ? requireSibling<typeof CheckCommand>(__dirname, 'checkCommand.js').checkMain(quick, process.env)
    : requireSibling<typeof Main>(__dirname, 'cliMain.js').main(argv))
  .catch((e: unknown) => {
    // main() and checkMain() report their own failures; this is a bundle failing to load.
    process.stderr.write(`llm-balance: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.critical;
  })
  .then(async (code) => {
    saveCodeCaches();
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    // Everything the command started has ended (sockets closed, state saved, lock released);
    // a natural exit would still wait for V8's background compile and GC jobs, which on a busy
    // machine took 50-240 ms after the last line was printed.
    process.exit(code);
  });
