// node:child_process as commander sees it in the CLI's bundle (esbuild.mjs). Commander requires
// it on load but spawns only for a subcommand that is a separate executable, which llm-balance
// has none of; loading it (with net and dgram) was a fifth of what `--help` cost (issue 14).
// The real module loads if spawn is ever called.
import type * as ChildProcess from 'node:child_process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = () => require('node:child_process') as typeof ChildProcess;

export const spawn = ((...args: Parameters<typeof ChildProcess.spawn>) => real().spawn(...args)) as typeof ChildProcess.spawn;
