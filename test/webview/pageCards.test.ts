// The cards the host writes into the panel's page (src/panel/html.ts), in a real browser: they
// are painted before any message, the webview then asks only for their charts, a reload of the
// same page does not paint them again, and hostile provider text inside them stays text.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { CARDS_ELEMENT_ID, PanelCardsSchema, type PanelCards } from '../../src/panel/protocol';
import { buildPanelCards, buildPanelCharts, type PanelBuild, type PanelInput } from '../../src/panel/viewData';
import { makeFixture, type Fixture } from './fixture';
import { openPanel, usePanelBrowser, waitFor, waitForCharts, type PanelServer } from './harness';
import { DARK, LIGHT } from './themes';

// Each tries another way out of the JSON element or into markup: closing the element (any case),
// an HTML comment opener (which changes how a script element ends), entities, the line
// separators that end a JavaScript string, an element with a handler, a link.
const HOSTILE_LABEL = '</script><script nonce="">window.__xss=1</script></SCRIPT ><img src=x onerror="window.__xss=2">';
const HOSTILE_NOTE = '<!--<script>window.__xss=3</script>--> &lt;b&gt; &amp; \u2028\u2029 <a href="https://evil.example/">Add funds here</a>';
const HOSTILE_ERROR = 'HTTP 500: <svg onload="window.__xss=4"></svg> <iframe src="javascript:window.__xss=5"></iframe>';

function sent(page: Page): Promise<{ type: string; painted?: number; range?: string }[]> {
  return page.evaluate('window.__sent');
}

describe('cards written into the panel page', function () {
  this.timeout(90_000);
  let server: PanelServer;
  let browser: Browser;
  let fixture: Fixture;
  let input: PanelInput;
  let built: PanelBuild;
  let cards: PanelCards;
  usePanelBrowser((x) => ({ server, browser } = x));

  before(() => {
    fixture = makeFixture();
    input = { ...fixture.input, range: '7d', now: fixture.now };
    built = buildPanelCards(input);
    cards = built.cards;
    assert.ok(PanelCardsSchema.safeParse(cards).success);
  });

  it('are painted without any message from the host, and ready says so', async () => {
    // No answer to `ready` at all: whatever is on screen came from the page.
    const errors: string[] = [];
    const page = await openPanel(browser, server, { page: cards, theme: DARK, errors });
    await waitFor(page, "document.querySelectorAll('[data-account-card]').length === 10");
    assert.equal(await page.locator('[data-account-card="deepseek"] .amount').textContent(), `¥${cards.accounts.find((a) => a.id === 'deepseek')!.balance!.toFixed(2)}`);
    assert.match((await page.locator('[data-account-card="openrouter"] .forecast').textContent()) ?? '', /Burn rate.*\/ day/);
    assert.equal(await page.locator('.event').count(), 3);
    const messages = await sent(page);
    assert.deepEqual(messages[0], { type: 'ready', range: '7d', painted: cards.generatedAt });
    assert.deepEqual(messages.slice(1).map((m) => m.type).filter((t) => t !== 'painted'), [], 'nothing else was asked');
    assert.deepEqual(await page.evaluate('window.__state'), { range: '7d', shown: cards.generatedAt });
    assert.equal(await page.evaluate("performance.getEntriesByName('llmb:message').length"), 0, 'no message was needed');
    assert.deepEqual(await page.evaluate('window.__csp'), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('get their charts from a `charts` answer, and the chart code comes from the preload', async () => {
    const page = await openPanel(browser, server, { page: cards, charts: buildPanelCharts(input, built), theme: LIGHT });
    await waitForCharts(page);
    assert.equal(await page.locator('[data-account-card] .uplot').count(), 10);
    const fetched = await page.evaluate("performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/webview-charts.js')).length");
    assert.equal(fetched, 1, 'webview-charts.js was fetched once: the script took the preloaded copy');
    assert.deepEqual(await page.evaluate('window.__csp'), [], 'the preload and the script pass the CSP');
    await page.close();
  });

  it('are not painted again by a reload of the same page: the host is asked for everything', async () => {
    // What VS Code does when a hidden panel is shown again: the same HTML, the state kept.
    const page = await openPanel(browser, server, { page: cards, data: fixture.data('7d'), theme: DARK, state: { range: '7d', shown: cards.generatedAt } });
    await waitForCharts(page);
    assert.deepEqual((await sent(page))[0], { type: 'ready', range: '7d' });
    assert.equal(await page.evaluate("performance.getEntriesByName('llmb:message').length"), 1, 'the cards came in a message');
    assert.equal(await page.locator('[data-account-card]').count(), 10);
    await page.close();
  });

  it('for another range than the saved one are not painted', async () => {
    const page = await openPanel(browser, server, { page: cards, data: fixture.data('30d'), theme: DARK, state: { range: '30d' } });
    await waitForCharts(page);
    assert.deepEqual((await sent(page))[0], { type: 'ready', range: '30d' });
    assert.equal(await page.locator('[aria-pressed="true"][data-range="30d"]').count(), 1);
    await page.close();
  });

  it('carry hostile provider text as text: nothing leaves the data element, nothing runs, no markup or link', async () => {
    const hostile = structuredClone(cards);
    const relay = hostile.accounts.find((a) => a.id === 'relay')!;
    relay.label = HOSTILE_LABEL;
    relay.note = HOSTILE_NOTE;
    const anthropic = hostile.accounts.find((a) => a.id === 'anthropic')!;
    anthropic.error = HOSTILE_ERROR;
    hostile.events[0]!.message = HOSTILE_LABEL;
    hostile.events[0]!.label = HOSTILE_NOTE;

    const html = await (await fetch(`${server.origin}${server.pageWith(hostile)}`)).text();
    const island = new RegExp(`<script type="application/json" id="${CARDS_ELEMENT_ID}">([^]*?)</script>`).exec(html);
    assert.ok(island, 'the data element is in the page');
    assert.doesNotMatch(island[1]!, /[<>&\u2028\u2029]/, 'no character in the data that HTML or JavaScript would read');
    assert.deepEqual(JSON.parse(island[1]!), hostile, 'and the same data comes back out of it');
    // Every element the page has is one the shell wrote: two scripts (the data, the nonce'd bundle).
    assert.equal((html.match(/<script/gi) ?? []).length, 2);

    const errors: string[] = [];
    const page = await openPanel(browser, server, { page: hostile, theme: DARK, errors });
    await waitFor(page, "document.querySelectorAll('[data-account-card]').length === 10");
    const card = page.locator('[data-account-card="relay"]');
    assert.equal(await card.locator('h3').textContent(), HOSTILE_LABEL);
    assert.equal(await card.locator('.message.note').textContent(), HOSTILE_NOTE);
    assert.equal(await page.locator('[data-account-card="anthropic"] .message.error').textContent(), `Error: ${HOSTILE_ERROR}`);
    assert.ok(((await page.locator('.events').textContent()) ?? '').includes(HOSTILE_LABEL));
    assert.equal(await page.locator('#app img, #app script, #app svg, #app iframe, #app a, #app b').count(), 0, 'no markup from provider text');
    // The scripts are the page's two and the chart code main.ts adds, nothing from the data.
    await waitFor(page, 'document.scripts.length >= 3');
    const scripts = await page.evaluate("[...document.scripts].map((s) => s.id || s.src.split('/').pop())");
    assert.deepEqual((scripts as string[]).sort(), [CARDS_ELEMENT_ID, 'webview-charts.js', 'webview.js']);
    assert.equal(await page.evaluate('typeof window.__xss'), 'undefined', 'no injected script ran');
    assert.deepEqual(await page.evaluate('window.__csp'), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('that are not valid are not painted: the page waits for the host', async () => {
    const broken = structuredClone(cards) as unknown as { accounts: { balance: unknown }[] };
    broken.accounts[0]!.balance = 'NaN';
    const page = await openPanel(browser, server, { page: broken as unknown as PanelCards, data: fixture.data('7d'), theme: DARK });
    await waitForCharts(page);
    assert.deepEqual((await sent(page))[0], { type: 'ready', range: '7d' });
    assert.equal(await page.evaluate("performance.getEntriesByName('llmb:message').length"), 1);
    await page.close();
  });
});
