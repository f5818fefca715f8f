// Every adapter against responses recorded from real servers (test/fixtures/real/<provider>/*.json).
// Each fixture names where the bodies come from and what a careful human reads in them; the
// bodies are served over loopback exactly as recorded, and the check must read the same.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeProviderServer } from '../../fake/server';
import { HttpClient } from '../../../src/core/http';
import { checkAccount } from '../../../src/core/check';
import { AccountSchema, BalanceResultSchema, PROVIDER_IDS } from '../../../src/core/model';
import { DEFAULT_THRESHOLD_SETTINGS } from '../../../src/core/thresholds';
import { VALID_KEY, assertNoSecret } from '../helpers';

export const REAL_DIR = path.resolve(__dirname, '../../../../test/fixtures/real');
const ADMIN_KEY = 'sk-admin-test-0123456789abcdefADMIN';

export interface RealResponse {
  method?: string;
  /** Relative to the account's base URL, e.g. "/credits". */
  path: string;
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value is sent as JSON; a string is sent as is (HTML pages, bare strings). */
  body?: unknown;
}

export interface RealFixture {
  /** Where the bodies were recorded: a URL, or "owner/repo path" (+ issue number). */
  source: string | string[];
  /** What a careful human reads in this answer, in words. */
  reading: string;
  /** What was changed from the recorded answer (an id anonymised, an envelope restored), and why. */
  adapted?: string;
  /**
   * Account fields beyond id, provider and baseUrl (currency, monthlyBudget, teamId, …). In a
   * string value, "{baseUrl}" becomes the served base URL (for a custom account's `url`).
   */
  account?: Record<string, unknown>;
  /** Also pass an admin / management key. */
  adminKey?: boolean;
  /** The check's clock, ISO (for month windows). */
  now?: string;
  responses: RealResponse[];
  expect: {
    status: string;
    level: string;
    balance?: number | null;
    currency?: string;
    usage?: number | null;
    limit?: number | null;
    errorKind?: string | null;
    /** Substrings the note must contain (case-insensitive). */
    note?: string[];
    /** Substrings the error must contain (case-insensitive). */
    error?: string[];
    /** A subset of details that must match. */
    details?: Record<string, unknown>;
  };
}

export function loadRealFixtures(): { provider: string; name: string; file: string; fixture: RealFixture }[] {
  if (!fs.existsSync(REAL_DIR)) return [];
  const out: { provider: string; name: string; file: string; fixture: RealFixture }[] = [];
  for (const provider of fs.readdirSync(REAL_DIR).sort()) {
    const dir = path.join(REAL_DIR, provider);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(dir, name);
      out.push({ provider, name: name.replace(/\.json$/, ''), file, fixture: JSON.parse(fs.readFileSync(file, 'utf8')) as RealFixture });
    }
  }
  return out;
}

const fixtures = loadRealFixtures();

describe('providers on recorded real responses', () => {
  const server = new FakeProviderServer([]);
  before(async () => {
    await server.start();
  });
  afterEach(() => server.reset());
  after(async () => {
    await server.stop();
  });

  it('every provider with a balance or key API has at least four recorded cases, each with its source and reading', () => {
    const count = new Map<string, number>();
    for (const f of fixtures) count.set(f.provider, (count.get(f.provider) ?? 0) + 1);
    const missing = PROVIDER_IDS.filter((id) => (count.get(id) ?? 0) < 4);
    assert.deepEqual(missing, [], `providers with fewer than 4 recorded cases: ${missing.map((m) => `${m} (${count.get(m) ?? 0})`).join(', ')}`);
    for (const f of fixtures) {
      assert.ok((PROVIDER_IDS as readonly string[]).includes(f.provider), `${f.file}: unknown provider folder`);
      const src = ([] as string[]).concat(f.fixture.source ?? []);
      assert.ok(src.length > 0 && src.every((s) => typeof s === 'string' && s.trim().length > 8), `${f.file}: needs a source`);
      assert.ok(typeof f.fixture.reading === 'string' && f.fixture.reading.length > 10, `${f.file}: needs a reading`);
      assert.ok(Array.isArray(f.fixture.responses) && f.fixture.responses.length > 0, `${f.file}: needs responses`);
    }
  });

  for (const { provider, name, file, fixture } of fixtures) {
    it(`${provider}/${name}: ${fixture.reading}`, async () => {
      const base = `/${provider}-${name}`;
      for (const r of fixture.responses) {
        server.route(r.method ?? 'GET', base + r.path, { status: r.status ?? 200, headers: r.headers ?? {}, body: r.body });
      }
      const served = server.url + base;
      const fields = Object.fromEntries(Object.entries(fixture.account ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v.split('{baseUrl}').join(served) : v]));
      const account = AccountSchema.parse({ id: 'real', provider, ...fields, baseUrl: served });
      const http = new HttpClient({ timeoutMs: 3000, env: {} });
      const keys = fixture.adminKey ? { key: VALID_KEY, adminKey: ADMIN_KEY } : { key: VALID_KEY };
      const now = fixture.now ? new Date(fixture.now) : undefined;
      let r;
      try {
        r = await checkAccount(account, keys, { http, thresholds: DEFAULT_THRESHOLD_SETTINGS, ...(now ? { now: () => now } : {}) });
      } finally {
        await http.close();
      }
      BalanceResultSchema.parse(r);
      assertNoSecret(r, VALID_KEY, ADMIN_KEY);
      const e = fixture.expect;
      const where = `${file}\n${JSON.stringify(r, null, 1)}`;
      assert.equal(r.status, e.status, `status — ${where}`);
      assert.equal(r.level, e.level, `level — ${where}`);
      if ('balance' in e) assert.equal(r.balance, e.balance, `balance — ${where}`);
      if ('currency' in e) assert.equal(r.currency, e.currency, `currency — ${where}`);
      if ('usage' in e) assert.equal(r.usage, e.usage, `usage — ${where}`);
      if ('limit' in e) assert.equal(r.limit, e.limit, `limit — ${where}`);
      if ('errorKind' in e) assert.equal(r.errorKind ?? null, e.errorKind, `errorKind — ${where}`);
      for (const s of e.note ?? []) assert.ok((r.note ?? '').toLowerCase().includes(s.toLowerCase()), `note should contain "${s}" — ${where}`);
      for (const s of e.error ?? []) assert.ok((r.error ?? '').toLowerCase().includes(s.toLowerCase()), `error should contain "${s}" — ${where}`);
      for (const [k, v] of Object.entries(e.details ?? {})) assert.deepEqual(r.details?.[k], v, `details.${k} — ${where}`);
    });
  }
});
