// Shared by the teams tests: the built CLI as a child process, free loopback ports, the real
// Prometheus tools (which must be installed: a missing tool fails the test, it never skips).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { XAI_TEAM } from '../fake/routes/xai';
import { TEAM_BALANCE_PATH } from '../fake/routes/custom';
import { PROVIDER_IDS } from '../../src/core/model';

export const REPO = path.resolve(__dirname, '../../..');
export const CLI = path.join(REPO, 'dist/cli.js');
export const KEY = 'sk-test-teams-0123456789abcdefKEY';
export const ADMIN_KEY = 'sk-admin-test-teams-0123456789ADMIN';
export const SERVE_TOKEN = 'team-token-0123456789abcdefTOKEN';

/** A tool from Debian's prometheus / prometheus-alertmanager packages; absent is a failure. */
export function tool(name: 'promtool' | 'prometheus' | 'prometheus-alertmanager'): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/bin')) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  throw new Error(`${name} is not installed: apt-get install -y prometheus prometheus-alertmanager (scripts/install-test-host.sh does it in CI)`);
}

export function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 30_000, cwd: opts.cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') return reject(err);
      resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** One account per provider, each on the fake server's default route for it. */
export function everyProviderConfig(fakeUrl: string, exclude: string[] = []): { accounts: Record<string, unknown>[] } {
  const byProvider: Record<string, Record<string, unknown>> = {
    openrouter: { baseUrl: `${fakeUrl}/openrouter/api/v1` },
    openai: { baseUrl: `${fakeUrl}/openai/v1`, adminKeyEnv: 'TEAMS_ADMIN_KEY', monthlyBudget: 100 },
    anthropic: { baseUrl: `${fakeUrl}/anthropic/v1`, adminKeyEnv: 'TEAMS_ADMIN_KEY', monthlyBudget: 100 },
    deepseek: { baseUrl: `${fakeUrl}/deepseek` },
    moonshot: { baseUrl: `${fakeUrl}/moonshot` },
    siliconflow: { baseUrl: `${fakeUrl}/siliconflow` },
    novita: { baseUrl: `${fakeUrl}/novita` },
    xai: { baseUrl: `${fakeUrl}/xai`, teamId: XAI_TEAM },
    litellm: { baseUrl: `${fakeUrl}/litellm` },
    relay: { baseUrl: `${fakeUrl}/relay` },
    custom: { url: fakeUrl + TEAM_BALANCE_PATH, balancePath: 'credits_remaining', limitPath: 'credit_limit', label: 'Credits "team" \\ A\nB' },
    team: { baseUrl: `${fakeUrl}/team` },
  };
  const accounts = PROVIDER_IDS.filter((id) => !exclude.includes(id)).map((id) => {
    const extra = byProvider[id];
    if (!extra) throw new Error(`no fake account for provider ${id}: add it to everyProviderConfig`);
    return { id: `${id}-acct`, provider: id, keyEnv: 'TEAMS_KEY', ...extra };
  });
  return { accounts };
}

export function keyEnv(): Record<string, string> {
  return { TEAMS_KEY: KEY, TEAMS_ADMIN_KEY: ADMIN_KEY, TEAMS_SERVE_TOKEN: SERVE_TOKEN };
}

/** A long-running child that is stopped by its pid, with its output kept for the failure message. */
export class Proc {
  readonly child: ChildProcess;
  out = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
    this.child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer) => {
      this.out = (this.out + b.toString('utf8')).slice(-200_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  async waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = re.exec(this.out);
      if (m) return m;
      if (this.child.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`${this.name}: no ${re} within ${timeoutMs} ms; output:\n${this.out.slice(-4000)}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid) {
      process.kill(this.child.pid, signal);
      const t = setTimeout(() => this.child.pid && this.child.exitCode === null && process.kill(this.child.pid, 'SIGKILL'), timeoutMs);
      try {
        return await this.exited;
      } finally {
        clearTimeout(t);
      }
    }
    return this.exited;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `fn` returns a value (not undefined), or fails with what it saw last. */
export async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
