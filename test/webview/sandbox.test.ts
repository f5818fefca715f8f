// The panel as a newcomer first sees it in `npm start`, in a real browser: the simulated
// providers checked for real over loopback, a month of seeded history (test/fake/sandboxHistory),
// the environment accounts plus one stored account whose key is missing. Checks the issue-13
// card fixes and takes the screenshots (dark, light, 440 px) into screenshots/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { checkAccount } from '../../src/core/check';
import { accountsFromEnv } from '../../src/core/envAccounts';
import { HistoryStore } from '../../src/core/history';
import { HttpClient } from '../../src/core/http';
import type { Account, BalanceResult } from '../../src/core/model';
import { PROVIDERS } from '../../src/core/providers/registry';
import type { PanelData } from '../../src/panel/protocol';
import { buildPanelData } from '../../src/panel/viewData';
import { seedSandboxHistory } from '../fake/sandboxHistory';
import { FakeProviderServer } from '../fake/server';
import { openPanel, SHOTS_DIR as shots, usePanelBrowser, waitFor, waitForCharts, type PanelServer } from './harness';
import { DARK, LIGHT } from './themes';

function demoEnv(F: string): Record<string, string> {
  return {
    OPENROUTER_API_KEY: 'sk-test-demo-openrouter-0001', OPENROUTER_BASE_URL: `${F}/openrouter/api/v1`,
    OPENAI_API_KEY: 'sk-test-demo-openai-0001', OPENAI_ADMIN_KEY: 'sk-admin-test-demo-0001', OPENAI_BASE_URL: `${F}/openai/v1`,
    DEEPSEEK_API_KEY: 'sk-test-demo-deepseek-0001', DEEPSEEK_BASE_URL: `${F}/deepseek`,
    MOONSHOT_API_KEY: 'sk-test-demo-moonshot-0001', MOONSHOT_BASE_URL: `${F}/moonshot`,
    NOVITA_API_KEY: 'sk-test-demo-novita-0001', NOVITA_BASE_URL: `${F}/novita`,
    LITELLM_API_KEY: 'sk-test-demo-litellm-0001', LITELLM_BASE_URL: `${F}/litellm`,
  };
}

describe('the sandbox panel on first sight', function () {
  this.timeout(120_000);
  let fake: FakeProviderServer;
  let server: PanelServer;
  let browser: Browser;
  let data: PanelData;
  let dir: string;
  usePanelBrowser((x) => ({ server, browser } = x));

  before(async () => {
    fake = new FakeProviderServer();
    const F = await fake.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-sandbox-'));
    const env = demoEnv(F);
    const now = Date.now();
    const seeded = await seedSandboxHistory({ userDataDir: dir, env, now: now - 60_000 });
    const store = new HistoryStore(seeded.file, { now: () => now });
    await store.load();

    // What the extension shows once its first check is in: the environment accounts, as ids
    // env-<provider>, and a stored account that arrived by Settings Sync without its key.
    const http = new HttpClient({ env: {} });
    const envAccounts = accountsFromEnv(env).accounts;
    const results: BalanceResult[] = [];
    try {
      for (const a of envAccounts) {
        const r = await checkAccount(a.account, a.keys, { http });
        results.push({ ...r, accountId: `env-${a.account.id}`, label: `${PROVIDERS[a.account.provider].name} (environment)` });
      }
      const work: Account = { id: 'work', provider: 'openrouter', label: 'OpenRouter (work)', baseUrl: `${F}/openrouter/api/v1` };
      results.push(await checkAccount(work, {}, { http }));
    } finally {
      await http.close();
    }
    const accounts = [
      { account: { id: 'work', provider: 'openrouter', label: 'OpenRouter (work)' } as Account, thresholds: { warning: 10, critical: 5 } },
      ...envAccounts.map((a) => {
        const r = results.find((x) => x.accountId === `env-${a.account.id}`)!;
        return {
          account: { ...a.account, id: `env-${a.account.id}` },
          thresholds: { ...r.verdict?.thresholds },
          keyEnv: PROVIDERS[a.account.provider].keyEnv,
        };
      }),
    ];
    data = buildPanelData({ results, accounts, history: store, billingUrl: (id) => `https://example.com/billing/${id}`, range: '30d', now });
  });
  after(async () => {
    await fake?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the seeded month gives every balance a burn rate and forecast, a top-up, and an event', () => {
    const withBalance = data.accounts.filter((a) => a.balance !== null);
    assert.ok(withBalance.length >= 4, data.accounts.map((a) => `${a.id}=${a.balance}`).join(' '));
    for (const a of withBalance) {
      assert.ok(a.chart.t.length > 100, `${a.id}: ${a.chart.t.length} points`);
      assert.equal(a.forecast.enoughData, true, a.id);
      assert.ok((a.forecast.burnPerDay ?? 0) > 0, `${a.id}: burn ${a.forecast.burnPerDay}`);
      assert.ok(a.chart.topUps.length >= 1, `${a.id}: no top-up`);
      // The first real check continues the seeded line: no jump between them.
      const last = a.chart.values[0]!.at(-1)!;
      assert.ok(Math.abs(last - a.balance!) < Math.max(1, a.balance! * 0.02), `${a.id}: seeded ${last}, checked ${a.balance}`);
    }
    const spendOnly = data.accounts.find((a) => a.id === 'env-openai')!;
    assert.equal(spendOnly.forecast.basis, 'usage');
    assert.ok(data.events.some((e) => e.kind === 'notification' && e.level === 'warning'), 'no drop into warning among the events');
  });

  async function open(theme = DARK, width?: number): Promise<Page> {
    const page = await openPanel(browser, server, { data, theme, ...(width ? { width, height: 2400 } : { height: 2400 }) });
    await waitForCharts(page);
    return page;
  }

  it('cards: worst first, "Set key" leads a keyless card, environment cards offer no key update, figures are named', async () => {
    const page = await open();
    const ids = await page.locator('[data-account-card]').evaluateAll((els) => els.map((e) => e.getAttribute('data-account-card')));
    assert.deepEqual(ids, data.accounts.map((a) => a.id));
    assert.equal(ids[0], 'work', 'the key-missing account is not first');
    const levels = data.accounts.map((a) => a.level);
    assert.deepEqual(levels.slice(0, 2), ['error', 'warning'], levels.join(' '));

    const work = page.locator('[data-account-card="work"] .card-actions .btn');
    assert.equal(await work.first().textContent(), 'Set key');
    assert.match((await work.first().getAttribute('class')) ?? '', /primary/);
    assert.equal(await page.locator('[data-account-card="work"] .forecast, [data-account-card="work"] .chart').count(), 0, 'an empty forecast and chart on a card with no key yet');
    await work.first().click();
    assert.deepEqual(await page.evaluate('window.__sent[window.__sent.length - 1]'), { type: 'updateKey', accountId: 'work' });

    const env = page.locator('[data-account-card="env-deepseek"]');
    assert.equal(await env.locator('[data-action="updateKey"]').count(), 0, 'a dead-end "Update key" on an environment card');
    assert.match((await env.locator('.key-source').textContent()) ?? '', /environment \(DEEPSEEK_API_KEY\)/);

    const or = page.locator('[data-account-card="env-openrouter"]');
    assert.match((await or.locator('.currency').textContent()) ?? '', /account balance/);
    assert.equal(await or.locator('.meter-text').textContent(), 'Key cap: $74.50 left of $100.00 · $25.50 used · 75% left');
    assert.equal(await page.locator('[data-account-card="env-litellm"] .meter-text').textContent(), 'Limit: $8.77 left of $10.00 · $1.23 used · 88% left');
    assert.doesNotMatch((await page.locator('#app').textContent()) ?? '', /\(\d+%\)/, 'a bare percentage');

    const labels = await page.locator('[data-account-card] [data-action="check"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.equal(new Set(labels).size, labels.length, `identical Check now buttons: ${labels.join(', ')}`);
    assert.ok(labels.includes('Check DeepSeek (environment) now'), labels.join(', '));

    const burn = (await page.locator('[data-account-card="env-deepseek"] .forecast').textContent()) ?? '';
    assert.match(burn, /Burn rate.*\/ day/);
    assert.doesNotMatch(burn, /not enough data/);
    await page.close();
  });

  it('announces when a card\'s check finished', async () => {
    const page = await open(LIGHT);
    await page.evaluate(`window.__hostPost({ type: 'busy', accountId: 'env-deepseek', busy: true })`);
    await waitFor(page, `document.querySelector('[data-account-card="env-deepseek"] [data-action="check"]').textContent === 'Checking…'`);
    await page.evaluate(`window.__hostPost({ type: 'busy', accountId: 'env-deepseek', busy: false })`);
    await waitFor(page, `document.querySelector('[role="status"]').textContent === 'Check of DeepSeek (environment) finished.'`);
    await page.close();
  });

  it('screenshots: dark, light, narrow', async () => {
    for (const [name, theme, width] of [['dark', DARK, 1200], ['light', LIGHT, 1200], ['narrow', DARK, 440]] as const) {
      const page = await open(theme, width);
      await page.screenshot({ path: path.join(shots, `sandbox-panel-${name}.png`), fullPage: true });
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      assert.ok(Number(overflow) <= 0, `${name}: the page scrolls sideways by ${String(overflow)} px`);
      await page.close();
    }
  });
});
