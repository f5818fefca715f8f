// State that survives overlap and faults (SPEC §11), with the built dist/cli.js as real child
// processes against loopback fakes: two runs racing on one directory, a full disk (a real
// tmpfs), a clock that was ahead, corrupt files, a proxy the client cannot use, and the same
// hostile provider text fed to every CLI sink.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeProviderServer, type FakeReply } from '../fake/server';
import { acquireStateLock } from '../../src/core/fileStore';
import { FakeSmtp } from '../unit/alerts/fakes';
import { ECHOED_KEY, hostileLeftovers, hostileMessage } from '../fake/hostile';
import { CLI, runCli, type CliRun } from './support';

const KEY = 'sk-test-state-0123456789abcdefghij';

type Run = CliRun;
const cli = (args: string[], env: Record<string, string>, nodeArgs: string[] = []) => runCli(args, env, { nodeArgs, timeoutMs: 60_000 });

function json(r: Run): { accounts: { accountId: string; balance: number | null; level: string; error?: string }[]; notificationsSent: { accountId: string; level: string; channel: string }[] } {
  assert.ok(r.stdout.trim(), `no JSON; exit ${r.code}; stderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReturnType<typeof json>;
}

/** A webhook receiver on loopback that counts what it got. */
class Hook {
  readonly bodies: string[] = [];
  onAlert: (() => void | Promise<void>) | undefined;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.bodies.push(Buffer.concat(chunks).toString('utf8'));
      void Promise.resolve(this.onAlert?.()).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('llm-balance state: overlap and faults', function () {
  this.timeout(60_000);
  const server = new FakeProviderServer();
  const hook = new Hook();
  let dir: string;
  let stateDir: string;

  /** A custom account at /bal/<id> whose balance the test sets. */
  const balances = new Map<string, number>();
  function balanceRoute(id: string, delayMs = 0): void {
    server.route('GET', `/bal/${id}`, (req): FakeReply => {
      if (req.key !== KEY) return { status: 401, body: { error: 'invalid token' } };
      return { body: { balance: balances.get(id) ?? 0 }, delayMs };
    });
  }
  async function config(name: string, ids: string[]): Promise<string> {
    const file = path.join(dir, `${name}.json`);
    const accounts = ids.map((id) => ({ id, provider: 'custom', label: `Acct ${id}`, url: `${server.url}/bal/${id}`, balancePath: 'balance', keyEnv: 'K' }));
    await fs.writeFile(file, JSON.stringify({ accounts }));
    return file;
  }
  const env = (): Record<string, string> => ({ K: KEY, WEBHOOK_URL: hook.url, HOME: dir });

  before(async () => {
    await fs.access(CLI);
    await server.start();
    await hook.start();
  });
  after(async () => {
    await server.stop();
    await hook.stop();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmb-state-'));
    stateDir = path.join(dir, 'state');
    hook.bodies.length = 0;
    hook.onAlert = undefined;
    balances.clear();
  });
  afterEach(async () => {
    server.reset();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('two runs at once on one directory alert once and keep every record', async () => {
    balances.set('a', 1);
    balanceRoute('a', 400);
    const cfg = await config('one', ['a']);
    const [r1, r2] = await Promise.all([0, 1].map(() => cli(['check', '--json', '--config', cfg, '--state-dir', stateDir], env())));
    const sent = [...json(r1!).notificationsSent, ...json(r2!).notificationsSent].filter((n) => n.channel === 'webhook');
    assert.equal(sent.length, 1, `${r1!.stderr}\n${r2!.stderr}`);
    assert.equal(hook.bodies.length, 1);
    // The ledger kept the record: a third run stays quiet.
    const r3 = await cli(['check', '--json', '--force', '--config', cfg, '--state-dir', stateDir], env());
    assert.deepEqual(json(r3).notificationsSent, []);
    assert.equal(hook.bodies.length, 1);
    await assert.rejects(fs.access(path.join(stateDir, '.lock')), 'the lock is released');
  });

  it('two configs racing on one directory keep each other\'s history and cache', async () => {
    balances.set('a', 50);
    balances.set('b', 60);
    balanceRoute('a', 300);
    balanceRoute('b', 300);
    const [ca, cb] = [await config('a', ['a']), await config('b', ['b'])];
    const [ra, rb] = await Promise.all([cli(['check', '--json', '--config', ca, '--state-dir', stateDir], env()), cli(['check', '--json', '--config', cb, '--state-dir', stateDir], env())]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    const history = JSON.parse(await fs.readFile(path.join(stateDir, 'history.json'), 'utf8')) as { accounts: Record<string, unknown> };
    assert.deepEqual(Object.keys(history.accounts).sort(), ['a', 'b']);
    const state = JSON.parse(await fs.readFile(path.join(stateDir, 'state.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(state['llmBalance.result.a'] && state['llmBalance.result.b'], Object.keys(state).join(', '));
    // Each config's next run is served from its cache: the other did not delete it.
    const before = server.requests.length;
    await cli(['check', '--json', '--config', ca, '--state-dir', stateDir], env());
    await cli(['check', '--json', '--config', cb, '--state-dir', stateDir], env());
    assert.equal(server.requests.length, before);
  });

  it('a lock left by a killed run is taken over; a live one is waited for', async () => {
    balances.set('a', 50);
    balanceRoute('a');
    const cfg = await config('one', ['a']);
    await fs.mkdir(stateDir, { recursive: true });
    // A pid that is not running on this host.
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    await fs.writeFile(path.join(stateDir, '.lock'), JSON.stringify({ pid: dead, host: os.hostname(), token: 'dead', since: '2026-01-01T00:00:00Z' }));
    const r = await cli(['check', '--json', '--config', cfg, '--state-dir', stateDir], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /took over an abandoned lock/);

    // Held by a live process (this one): the run waits, and checks only once it is released.
    const held = await acquireStateLock(stateDir);
    const hitsBefore = server.hits('/bal/a').length;
    const child = spawn(process.execPath, [CLI, 'check', '--json', '--force', '--config', cfg, '--state-dir', stateDir], { env: { PATH: process.env.PATH ?? '', ...env() } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number>((res) => child.on('close', (c) => res(c ?? 99)));
    const deadline = Date.now() + 30_000;
    while (!/waiting for another run/.test(stderr) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.match(stderr, /waiting for another run/);
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(server.hits('/bal/a').length, hitsBefore, 'checked while another run held the lock');
    await held.release();
    assert.equal(await exited, 0, stderr);
    assert.equal(server.hits('/bal/a').length, hitsBefore + 1, 'checked once the lock was released');
  });

  it('a full disk is exit 3 with a clear message before any alert, and the alert is sent once space is back', async function () {
    const mnt = path.join(dir, 'tmpfs');
    await fs.mkdir(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'pipe' });
    } catch (e) {
      console.log(`      (skipped: cannot mount a tmpfs here: ${(e as Error).message.split('\n')[0]})`);
      this.skip();
    }
    try {
      balances.set('a', 1);
      balanceRoute('a');
      const cfg = await config('one', ['a']);
      const sd = path.join(mnt, 'state');
      await fs.mkdir(sd);
      const fill = path.join(mnt, 'fill');
      const fillUp = async () => {
        await fs.writeFile(fill, Buffer.alloc(64 * 1024)).catch(() => undefined);
        // Top up to the last byte: what fits in smaller pieces.
        for (const size of [4096, 512, 64, 1]) {
          for (;;) {
            try {
              await fs.appendFile(fill, Buffer.alloc(size));
            } catch {
              break;
            }
          }
        }
      };
      await fillUp();
      const full = await cli(['check', '--json', '--config', cfg, '--state-dir', sd], env());
      assert.equal(full.code, 3, full.stderr);
      assert.match(full.stderr, /not writable \(the disk is full\)/);
      assert.equal(hook.bodies.length, 0, 'no alert on a full disk');

      // Space again: the alert goes out once; the webhook fills the disk as it receives it,
      // so the save after delivery fails — and the next run must not send it again.
      await fs.rm(fill);
      hook.onAlert = fillUp;
      const sentRun = await cli(['check', '--json', '--force', '--config', cfg, '--state-dir', sd], env());
      assert.equal(hook.bodies.length, 1, sentRun.stderr);
      assert.match(sentRun.stderr, /could not save the state/);
      hook.onAlert = undefined;
      await fs.rm(fill);
      const next = await cli(['check', '--json', '--force', '--config', cfg, '--state-dir', sd], env());
      assert.equal(next.code, 2, next.stderr);
      assert.equal(hook.bodies.length, 1, 'not sent again because a later write failed');
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('a result stamped by a clock that was ahead is not served once the clock is right', async () => {
    const ahead = path.join(dir, 'ahead.js');
    // Moves this process's clock 30 days ahead (Date.now and new Date()).
    await fs.writeFile(ahead, `const R = Date; const off = 30 * 86400000;
      class D extends R { constructor(...a) { if (a.length === 0) super(R.now() + off); else super(...a); } static now() { return R.now() + off; } }
      globalThis.Date = D;`);
    balances.set('a', 8);
    balanceRoute('a');
    const cfg = await config('one', ['a']);
    const first = await cli(['check', '--json', '--config', cfg, '--state-dir', stateDir], env(), ['--require', ahead]);
    assert.equal(json(first).accounts[0]!.balance, 8);
    balances.set('a', 50);
    const later = await cli(['check', '--json', '--config', cfg, '--state-dir', stateDir], env());
    assert.equal(json(later).accounts[0]!.balance, 50);
  });

  it('corrupt files keep numbered, bounded .bak copies', async () => {
    balances.set('a', 50);
    balanceRoute('a');
    const cfg = await config('one', ['a']);
    await fs.mkdir(stateDir, { recursive: true });
    for (let i = 1; i <= 7; i++) {
      await fs.writeFile(path.join(stateDir, 'state.json'), `corrupt ${i}`);
      await fs.writeFile(path.join(stateDir, 'history.json'), `corrupt history ${i}`);
      const r = await cli(['check', '--json', '--force', '--config', cfg, '--state-dir', stateDir], env());
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal(await fs.readFile(path.join(stateDir, 'state.json.bak'), 'utf8'), 'corrupt 7');
    assert.equal(await fs.readFile(path.join(stateDir, 'state.json.bak.1'), 'utf8'), 'corrupt 6');
    assert.equal(await fs.readFile(path.join(stateDir, 'history.json.bak.4'), 'utf8'), 'corrupt history 3');
    const names = (await fs.readdir(stateDir)).filter((n) => n.includes('.bak')).sort();
    assert.deepEqual(names, ['history.json.bak', 'history.json.bak.1', 'history.json.bak.2', 'history.json.bak.3', 'history.json.bak.4', 'state.json.bak', 'state.json.bak.1', 'state.json.bak.2', 'state.json.bak.3', 'state.json.bak.4']);
  });

  it('LLM_BALANCE_TIMEOUT_SECONDS beyond what a timer can hold is a usage error', async () => {
    const cfg = await config('one', ['a']);
    for (const v of ['2147484', '1e9', 'Infinity', '301']) {
      const r = await cli(['check', '--json', '--config', cfg, '--state-dir', stateDir], { ...env(), LLM_BALANCE_TIMEOUT_SECONDS: v });
      assert.equal(r.code, 3, `${v}: ${r.stderr}`);
      assert.match(r.stderr, /LLM_BALANCE_TIMEOUT_SECONDS must be a positive number of seconds, at most 300/);
    }
  });

  it('the cache fingerprint is salted per install, never a bare hash of the key', async () => {
    balances.set('a', 50);
    balanceRoute('a');
    const cfg = await config('one', ['a']);
    const fps: string[] = [];
    for (const d of [stateDir, `${stateDir}-2`]) {
      await cli(['check', '--json', '--config', cfg, '--state-dir', d], env());
      const text = await fs.readFile(path.join(d, 'state.json'), 'utf8');
      const bare = createHash('sha256').update(`${KEY}\n`).digest('hex');
      assert.ok(!text.includes(bare.slice(0, 12)), 'the unsalted hash of the key');
      const state = JSON.parse(text) as Record<string, { fingerprint?: string }>;
      fps.push(state['llmBalance.result.a']!.fingerprint!.split('#')[1]!);
    }
    assert.match(fps[0]!, /^[0-9a-f]{32}$/);
    assert.notEqual(fps[0], fps[1]);
  });

  it('a proxy the client cannot use: loopback accounts still report, JSON still prints, one log line', async () => {
    balances.set('a', 50);
    balanceRoute('a');
    const cfg = await config('one', ['a']);
    for (const proxy of ['socks5://127.0.0.1:1080', '127.0.0.1:3128']) {
      const r = await cli(['check', '--json', '--force', '--config', cfg, '--state-dir', stateDir], { ...env(), HTTPS_PROXY: proxy, HTTP_PROXY: proxy });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(json(r).accounts[0]!.balance, 50);
      assert.equal(r.stderr.split('\n').filter((l) => /proxy/i.test(l)).length, 1, r.stderr);
    }
  });

  it('history --json on a big history prints it point by point', async () => {
    await fs.mkdir(stateDir, { recursive: true });
    const now = Date.now();
    const points: unknown[] = [];
    // About 20 MB: 400 000 points across 4 accounts. Printed as one object it took more than a
    // 200 MB heap (measured: killed at 200, fine at 300); point by point it fits in 120.
    for (let i = 0; i < 100_000; i++) points.push([now - (100_000 - i) * 1000, 100 - i / 1000, i / 1000, 1000, 'USD', 'ok']);
    const accounts = Object.fromEntries(['a', 'b', 'c', 'd'].map((id) => [id, { label: id, points }]));
    await fs.writeFile(path.join(stateDir, 'history.json'), JSON.stringify({ version: 1, accounts, events: [] }));
    const r = await cli(['history', '48', '--json', '--state-dir', stateDir], env(), ['--max-old-space-size=200']);
    assert.equal(r.code, 0, r.stderr.slice(0, 500));
    const out = JSON.parse(r.stdout) as { accounts: { accountId: string; points: { time: string; balance: number }[] }[] };
    assert.deepEqual(out.accounts.map((a) => a.points.length), [100_000, 100_000, 100_000, 100_000]);
    assert.equal(out.accounts[0]!.points[0]!.balance, 100);
  });

  it('the same hostile provider text is safe in the table, --json, state.json, history, the webhook and e-mail', async () => {
    const huge = 'Z'.repeat(889 * 1024);
    // A relay that echoes the key and sends escape sequences, a command link and bidi controls.
    server.route('GET', '/bal/h', (req): FakeReply => ({ status: 401, body: { error: { message: `${hostileMessage(req.key)} ${huge}` } } }));
    const file = path.join(dir, 'hostile.json');
    await fs.writeFile(file, JSON.stringify({ accounts: [{ id: 'h', provider: 'custom', label: 'Hostile', url: `${server.url}/bal/h`, balancePath: 'balance', keyEnv: 'HK' }] }));
    const smtp = new FakeSmtp();
    await smtp.start();
    const e = { ...env(), HK: ECHOED_KEY, SMTP_URL: smtp.url(), ALERT_EMAIL_TO: 'dev@example.com' };
    let table: Run;
    let asJson: Run;
    try {
      table = await cli(['check', '--config', file, '--state-dir', stateDir], e);
      asJson = await cli(['check', '--json', '--force', '--force-notify', '--config', file, '--state-dir', stateDir], e);
    } finally {
      await smtp.stop();
    }
    assert.ok(smtp.received.length >= 1, `the key error alert went by e-mail: ${table.stderr}`);
    assert.equal(json(asJson).accounts[0]!.level, 'error');
    // JSON escapes controls (\u001b): look at the strings as a reader of the JSON gets them.
    const strings = (text: string) => collectStrings(JSON.parse(text)).join('\n');
    assert.ok(hook.bodies.length >= 1, 'the key error alert went to the webhook');
    const sinks: Record<string, string> = {
      table: table.stdout,
      'table stderr': table.stderr,
      '--json': strings(asJson.stdout),
      'state.json': strings(await fs.readFile(path.join(stateDir, 'state.json'), 'utf8')),
      'history.json': strings(await fs.readFile(path.join(stateDir, 'history.json'), 'utf8')),
      webhook: hook.bodies.map(strings).join('\n'),
      'e-mail': smtp.received.map((m) => `${m.mail.subject ?? ''}\n${m.mail.text ?? ''}\n${typeof m.mail.html === 'string' ? m.mail.html : ''}`).join('\n'),
    };
    for (const [name, text] of Object.entries(sinks)) {
      assert.deepEqual(hostileLeftovers(text, { links: false }), [], `${name}: ${text.slice(0, 400)}`);
      assert.ok(!text.includes('Z'.repeat(600)), `${name} holds the 889 KiB message`);
    }
    assert.ok(asJson.stdout.length < 20_000, `--json is ${asJson.stdout.length} characters`);
  });
});

function collectStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out);
  return out;
}
