import * as assert from 'node:assert/strict';
import { panelHtml } from '../../../src/panel/html';

const BASE = { cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/dist/webview.js', styleUri: 'vscode-resource:/dist/webview.css', nonce: 'abc' };

/** The inert JSON the webview reads its strings from, as the browser would see it. */
function bundleOf(html: string): unknown {
  const m = /<script type="application\/json" id="llmb-l10n">([\s\S]*?)<\/script>/.exec(html);
  return m ? JSON.parse(m[1]!) : undefined;
}

describe('panel HTML in another language', () => {
  it('carries the display language and the bundle, and translates its own loading text', () => {
    const l10n = { 'Loading balances…': '正在加载余额…', 'Check now': '立即检查' };
    const html = panelHtml({ ...BASE, lang: 'zh-cn', l10n });
    assert.match(html, /<html lang="zh-cn">/);
    assert.match(html, /<p class="loading">正在加载余额…<\/p>/);
    assert.deepEqual(bundleOf(html), l10n);
  });

  it('no translation can close the data element or add a script that runs', () => {
    const evil = { 'Check now': '</script><script>alert(1)</script>', 'Loading balances…': '<img src=x onerror=alert(1)>' };
    const html = panelHtml({ ...BASE, lang: 'zh-cn', l10n: evil });
    assert.deepEqual(bundleOf(html), evil);
    // One script with the nonce (the bundle) and one inert data element; nothing else.
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script type="application/json" id="llmb-l10n">', '<script nonce="abc" src="vscode-resource:/dist/webview.js">']);
    assert.ok(!html.includes('<img'), 'the translated loading text is escaped');
  });

  it('English: no bundle in the page, lang "en"; a strange language tag is not written into the page', () => {
    const html = panelHtml(BASE);
    assert.match(html, /<html lang="en">/);
    assert.equal(bundleOf(html), undefined);
    assert.match(html, /Loading balances…/);
    assert.match(panelHtml({ ...BASE, lang: 'zh"><script>' }), /<html lang="en">/);
  });
});

describe('panel HTML with its first cards', () => {
  const cards = {
    generatedAt: 1, range: '7d', summary: { accounts: 0, totals: [], errors: 0, critical: 0, warning: 0 },
    events: [{ t: 1, accountId: 'a', label: '</script><!--<script>', kind: 'error', level: 'error', message: '& \u2028\u2029 </SCRIPT>' }],
    accounts: [],
  } as const;

  it('carries them as inert JSON that gives back the same strings and holds nothing HTML or JavaScript reads', () => {
    const html = panelHtml({ ...BASE, cards: structuredClone(cards) as never });
    const m = /<script type="application\/json" id="llmb-cards">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(m);
    assert.doesNotMatch(m[1]!, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(m[1]!), cards);
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script type="application/json" id="llmb-cards">', '<script nonce="abc" src="vscode-resource:/dist/webview.js">']);
  });
});
