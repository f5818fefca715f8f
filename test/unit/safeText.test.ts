// Provider text is data (SPEC §3): redaction catches every form of a known key, before any cut,
// and each sink gets text it cannot interpret.
import * as assert from 'node:assert/strict';
import { redact } from '../../src/core/redact';
import { MAX_PROVIDER_TEXT, safeText, stripControls, defuseLinks } from '../../src/core/safeText';
import { statusView } from '../../src/core/statusView';
import { renderTable } from '../../src/cli/table';
import type { BalanceResult } from '../../src/core/model';
import { BIDI, COMMAND_LINK, CSI, ECHOED_KEY, OSC52, OSC8, hostileLeftovers, hostileMessage } from '../fake/hostile';

const KEY = ECHOED_KEY;

describe('redaction', () => {
  it('hides a known key whole, URL-encoded, JSON-escaped and base64 at every alignment', () => {
    const odd = 'ab/cd+ef gh"ij\\kl0123456789';
    for (const k of [KEY, odd]) {
      for (const lead of ['', 'u', 'us', 'use']) {
        const b64 = Buffer.from(`${lead}:${k}:tail`).toString('base64');
        const b64url = b64.replace(/\+/g, '-').replace(/\//g, '_');
        const text = `raw ${k} | url ${encodeURIComponent(k)} | form ${encodeURIComponent(k).replace(/%20/g, '+')} | json ${JSON.stringify(k)} | b64 ${b64} | b64url ${b64url}`;
        const out = redact(text, [k]);
        assert.ok(!out.includes(k), out);
        assert.ok(!out.includes(encodeURIComponent(k)), out);
        assert.ok(!out.includes(JSON.stringify(k).slice(1, -1)), out);
        // The base64 of the key alone, at this alignment, must be gone from both encodings.
        const inner = Buffer.from(`${lead}:${k}:tail`).toString('base64').slice(8, 28);
        assert.ok(!out.includes(inner), `${lead}: ${out}`);
        assert.ok(!out.includes(inner.replace(/\+/g, '-').replace(/\//g, '_')), out);
      }
    }
  });

  it('hides short keys (under 6 characters) too', () => {
    assert.equal(redact('token abc12 was rejected', ['abc12']), 'token **** was rejected');
    assert.equal(redact('k=x9z', ['x9z']), 'k=****');
  });

  it('hides what is left of a key that something cut before redaction', () => {
    for (let n = 5; n < KEY.length; n++) {
      const head = redact(`Field "balance" is not a number: "${KEY.slice(0, n)}`, [KEY]);
      assert.ok(!head.includes(KEY.slice(0, 5)), `head ${n}: ${head}`);
      const tail = redact(`…${KEY.slice(-n)}" was rejected`, [KEY]);
      assert.ok(!tail.includes(KEY.slice(-5)), `tail ${n}: ${tail}`);
    }
  });

  it('keeps a message without secrets as it was', () => {
    const text = 'HTTP 401 from api.example.com: invalid token (see docs)';
    assert.equal(redact(text, [KEY]), text);
  });
});

describe('safeText', () => {
  it('redacts before it cuts: a key at every cut position leaves no piece', () => {
    for (let at = MAX_PROVIDER_TEXT - KEY.length - 2; at <= MAX_PROVIDER_TEXT + 2; at++) {
      const text = 'x'.repeat(at) + KEY + ' and more';
      const out = safeText(text, 'data', { secrets: [KEY] });
      assert.ok(out.length <= MAX_PROVIDER_TEXT, `${out.length}`);
      assert.deepEqual(hostileLeftovers(out, { links: false }), [], `at ${at}: ${out.slice(-60)}`);
    }
  });

  it('caps an 889 KiB message quickly', () => {
    const huge = `{"error":{"message":"${'A'.repeat(889 * 1024)}"}}`;
    const t = Date.now();
    const out = safeText(huge, 'data', { secrets: [KEY] });
    assert.ok(out.length <= MAX_PROVIDER_TEXT);
    assert.ok(Date.now() - t < 500, `${Date.now() - t} ms`);
  });

  for (const sink of ['plain', 'markdown', 'terminal', 'data'] as const) {
    it(`${sink}: no link, control, escape sequence, bidi control or key survives`, () => {
      const out = safeText(hostileMessage(), sink, { secrets: [KEY], max: 2000 });
      assert.deepEqual(hostileLeftovers(out, { links: sink === 'plain' || sink === 'markdown' }), [], JSON.stringify(out));
      assert.ok(!out.includes('52;c;'), 'OSC 52 payload');
    });
  }

  it('terminal: strips OSC 52, OSC 8, CSI and bidi but keeps the words', () => {
    assert.equal(stripControls(`a${OSC52}b`), 'ab');
    assert.equal(stripControls(OSC8), 'click here');
    assert.equal(stripControls(CSI), 'RED');
    assert.equal(stripControls(BIDI), 'gpj.exe isolated');
    assert.equal(stripControls('line1\r\nline2\tend\x00\x07'), 'line1 line2 end');
  });

  it('plain: a link becomes words, and no nesting reassembles one', () => {
    const out = defuseLinks(COMMAND_LINK);
    assert.ok(out.startsWith('‹Fix your key› (command:'), out);
    for (const tricky of ['[a]]((command:x)', '[[a](b)](command:x)', '[a] (command:x)', '[a]\n(command:x)']) {
      assert.doesNotMatch(defuseLinks(tricky), /\[[^\]]*\]\(/, tricky);
    }
  });

  it('markdown: escapes what Markdown, theme icons and HTML would interpret', () => {
    const out = safeText('$(zap) <b>x</b> [a](command:y) &amp; *b*', 'markdown');
    assert.equal(out, '\\$\\(zap\\) \\<b\\>x\\</b\\> \\[a\\]\\(command\\:y\\) \\&amp; \\*b\\*');
  });
});

function result(extra: Partial<BalanceResult>): BalanceResult {
  return {
    accountId: 'relay', provider: 'relay', label: 'Relay', status: 'error', level: 'error', balance: null, currency: 'USD',
    usage: null, limit: null, checkedAt: new Date().toISOString(), ...extra,
  };
}

describe('every sink gets safe provider text', () => {
  // As the result boundary stores it: redacted and capped, but still hostile markup.
  const stored = safeText(hostileMessage(), 'data', { secrets: [KEY], max: 2000 });
  const r = result({ error: stored, note: stored, errorKind: 'bad_response' });

  it('the tooltip: no live link but our own, no HTML', () => {
    const v = statusView([r], { mode: 'lowest', checking: false, accountCount: 1 });
    const links = [...v.tooltip.matchAll(/(?<!\\)\[[^\]]*(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]);
    assert.deepEqual(links.filter((l) => !/^command:llmBalance\./.test(l ?? '')), [], v.tooltip);
    assert.doesNotMatch(v.tooltip, /(?<!\\)<img/);
    const ours = /\n\[\$\(refresh\) Check now\].*$/;
    assert.match(v.tooltip, ours);
    assert.deepEqual(hostileLeftovers(v.tooltip.replace(ours, '')), []);
  });

  it('the CLI table: no escape sequence or bidi control', () => {
    const out = renderTable([r], {});
    assert.deepEqual(hostileLeftovers(out, { links: false }), [], JSON.stringify(out));
  });
});
