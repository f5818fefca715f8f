// Shared by the CLI and teams suites: the built dist/cli.js as a child process that sees only
// the environment it is given, and the hooks of a suite that runs it against the fake providers.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FakeProviderServer } from '../fake/server';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node [nodeArgs] dist/cli.js args` (or the launcher `cli` names, e.g. a copy of dist/)
 * with PATH and `env` only; never rejects (exit 99 when it could not run).
 */
export function runCli(args: string[], env: Record<string, string>, opts: { nodeArgs?: string[]; timeoutMs?: number; cwd?: string; cli?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...(opts.nodeArgs ?? []), opts.cli ?? CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env }, cwd: opts.cwd, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 256 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 99) : 0;
      resolve({ code: typeof code === 'number' ? code : 99, stdout, stderr });
    });
  });
}

/**
 * A CLI suite's hooks: the fake server started and dist/cli.js present before the suite, the
 * server stopped after it; before each test a new scratch folder (given to `use`), after it
 * `beforeCleanup`, the server's routes and hits reset and the folder removed.
 */
export function useCliScratch(server: FakeProviderServer, prefix: string, use: (dir: string) => void, opts: { beforeCleanup?: () => unknown } = {}): void {
  let dir: string | undefined;
  before(async () => {
    await server.start();
    await fs.access(CLI);
  });
  after(() => server.stop());
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    use(dir);
  });
  afterEach(async () => {
    await opts.beforeCleanup?.();
    server.reset();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
}
