import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeProviderServer } from '../fake/server';
import { HttpClient } from '../../src/core/http';
import { checkAccount, type AccountKeys } from '../../src/core/check';
import { AccountSchema, type Account, type BalanceResult, BalanceResultSchema } from '../../src/core/model';
import { DEFAULT_THRESHOLD_SETTINGS, type ThresholdSettings } from '../../src/core/thresholds';
import { assertTranslatable } from './messageChecks';

export const VALID_KEY = 'sk-test-0123456789abcdefVALID';
export const BAD_KEY = 'sk-bad-9876543210zyxwvuBAD';

/** Polls until `ok()`, failing after `ms` (a connection-counting test keeps its server's idle connections longer). */
export async function until(ok: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A new empty folder for each test (`prefix` in the temp dir), given to `use` before it and removed after it. */
export function useScratchDir(prefix: string, use: (dir: string) => void): void {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    use(dir);
  });
  afterEach(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
}

/** Starts one fake provider server for the suite; every test starts from its defaults. */
export function useFakeServer(): { server: FakeProviderServer } {
  const ctx = { server: new FakeProviderServer() };
  before(async () => {
    await ctx.server.start();
  });
  afterEach(() => ctx.server.reset());
  after(async () => {
    await ctx.server.stop();
  });
  return ctx;
}

export interface CheckArgs {
  keys?: AccountKeys;
  timeoutMs?: number;
  thresholds?: ThresholdSettings;
}

/** Runs a real check over HTTP against the fake server and validates the result's shape. */
export async function checkVia(server: FakeProviderServer, account: Partial<Account> & Pick<Account, 'provider'>, pathPrefix: string, args: CheckArgs = {}): Promise<BalanceResult> {
  const acct = AccountSchema.parse({ id: account.provider, baseUrl: server.url + pathPrefix, ...account });
  const http = new HttpClient({ timeoutMs: args.timeoutMs ?? 2000, env: {} });
  try {
    const r = await checkAccount(acct, args.keys ?? { key: VALID_KEY }, { http, thresholds: args.thresholds ?? DEFAULT_THRESHOLD_SETTINGS });
    BalanceResultSchema.parse(r);
    // Every note and check error of ours can be shown in zh-CN (SPEC §8).
    assertTranslatable(r);
    return r;
  } finally {
    await http.close();
  }
}

/** Asserts nothing in a result carries a secret in full. */
export function assertNoSecret(value: unknown, ...secrets: string[]): void {
  const text = JSON.stringify(value);
  for (const s of secrets) {
    if (text.includes(s)) throw new Error(`secret leaked: ${text}`);
  }
}

/**
 * A key the provider refused (SPEC §3): `invalid`, errorKind `auth`, level `error`, with the
 * provider's words in the error and the key nowhere in the result.
 */
export function assertKeyRejected(r: BalanceResult, message: RegExp, key = BAD_KEY): void {
  assert.equal(r.status, 'invalid');
  assert.equal(r.errorKind, 'auth');
  assert.equal(r.level, 'error');
  assert.match(r.error ?? '', message);
  assertNoSecret(r, key);
}

/**
 * The provider said the account is out of credit without saying how much is left: the key
 * works (`valid`), errorKind `insufficient_funds`, level `critical`, no balance, its words kept.
 */
export function assertOutOfCredit(r: BalanceResult, message: RegExp): void {
  assert.equal(r.errorKind, 'insufficient_funds');
  assert.equal(r.status, 'valid');
  assert.equal(r.level, 'critical');
  assert.equal(r.balance, null, 'the provider did not say how much is left');
  assert.match(r.error ?? '', message);
}

/** The error `p` rejects with, which must be a `type`; fails when `p` resolves. */
export async function rejection<E extends Error>(p: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a failure');
}
