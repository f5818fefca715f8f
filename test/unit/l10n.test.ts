// Localization is complete (SPEC §8): every user-visible string of package.json is a %key% with
// an English and a zh-CN entry, every translate call in src has a zh-CN entry, no entry is
// stale, and no translation drops a placeholder, a code span or a command link.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeSpans, looksUntranslated, markup, placeholders, readJson, repoRoot, scanManifest, scanRawText, scanSource, type SourceScan } from '../l10n/keys';

const ZH_BUNDLE = 'l10n/bundle.l10n.zh-cn.json';
/** Words that stay as they are in a Chinese UI: names, acronyms, units. */
const NAMES = [
  'LLM Balance', 'OpenRouter', 'OpenAI', 'Anthropic', 'DeepSeek', 'Moonshot', 'Kimi', 'SiliconFlow', 'Novita', 'xAI', 'LiteLLM',
  'one-api', 'new-api', 'Telegram', 'Slack', 'Discord', 'Webhook', 'SMTP', 'API', 'JSON', 'CSV', 'URL', 'USD', 'CNY', 'OK', 'ID',
];

function stringMap(rel: string): Record<string, string> {
  const raw = readJson(rel);
  for (const [k, v] of Object.entries(raw)) assert.equal(typeof v, 'string', `${rel}: "${k}" is not a string`);
  return raw as Record<string, string>;
}

/** Every way a translation can lose something the English has. */
function translationProblems(file: string, english: Record<string, string>, translated: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [key, en] of Object.entries(english)) {
    const zh = translated[key];
    if (zh === undefined) continue;
    if (!zh.trim()) out.push(`${file}: "${key}" is empty`);
    for (const [what, pick] of [['placeholders', placeholders], ['code spans', codeSpans], ['links or icons', markup]] as const) {
      if (pick(en).join('\u0000') !== pick(zh).join('\u0000')) out.push(`${file}: "${key}" has ${what} ${JSON.stringify(pick(zh))}, the English ${JSON.stringify(pick(en))}`);
    }
    if (looksUntranslated(en, zh, NAMES)) out.push(`${file}: "${key}" is not translated`);
  }
  return out;
}

function missingReport(file: string, missing: string[], english: (k: string) => string): string {
  const sample = Object.fromEntries(missing.map((k) => [k, english(k)]));
  return `${missing.length} key(s) missing from ${file}:\n${JSON.stringify(sample, null, 2)}`;
}

describe('localization', () => {
  describe('package.json', () => {
    const manifest = readJson('package.json');
    const nls = stringMap('package.nls.json');
    const zh = stringMap('package.nls.zh-cn.json');
    const { refs, literals } = scanManifest(manifest);

    it('declares the l10n folder and has nothing visible written in it directly', () => {
      assert.equal(manifest.l10n, './l10n');
      assert.deepEqual(literals, [], 'visible text in package.json must be a %key% in package.nls.json');
      assert.ok(refs.length > 30, `only ${refs.length} %key% references found`);
    });

    it('every %key% has an English and a zh-CN entry, and neither file has stale keys', () => {
      const used = new Set(refs.map((r) => r.key));
      const missingEn = [...used].filter((k) => !(k in nls));
      const missingZh = [...used].filter((k) => !(k in zh));
      assert.deepEqual(missingEn, [], `keys missing from package.nls.json: ${missingEn.join(', ')}`);
      assert.deepEqual(missingZh, [], missingReport('package.nls.zh-cn.json', missingZh, (k) => nls[k] ?? ''));
      assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'stale keys in package.nls.json');
      assert.deepEqual(Object.keys(zh).filter((k) => !used.has(k)), [], 'stale keys in package.nls.zh-cn.json');
    });

    it('the zh-CN entries keep every placeholder, code span and link', () => {
      assert.deepEqual(translationProblems('package.nls.zh-cn.json', nls, zh), []);
    });

    it('every walkthrough page has a zh-CN page (name.nls.zh-cn.md) with the same images, code and links', () => {
      const walkthroughs = ((manifest.contributes as { walkthroughs?: { steps?: { media?: { markdown?: string } }[] }[] }).walkthroughs ?? []);
      const pages = walkthroughs.flatMap((w) => w.steps ?? []).map((s) => s.media?.markdown).filter((m): m is string => typeof m === 'string');
      const problems: string[] = [];
      const images = (md: string) => (md.match(/!\[[^\]]*\]\(([^)]+)\)/g) ?? []).map((m) => m.replace(/^.*\(/, '')).sort();
      for (const page of pages) {
        const en = fs.readFileSync(path.join(repoRoot, page), 'utf8');
        const zhPage = page.replace(/\.md$/, '.nls.zh-cn.md');
        if (!fs.existsSync(path.join(repoRoot, zhPage))) {
          problems.push(`${zhPage} is missing`);
          continue;
        }
        const zhText = fs.readFileSync(path.join(repoRoot, zhPage), 'utf8');
        for (const [what, pick] of [['images', images], ['code spans', codeSpans], ['links', markup]] as const) {
          if (pick(en).join('\u0000') !== pick(zhText).join('\u0000')) problems.push(`${zhPage}: ${what} ${JSON.stringify(pick(zhText))}, the English ${JSON.stringify(pick(en))}`);
        }
        if (looksUntranslated(en, zhText, NAMES)) problems.push(`${zhPage} is not translated`);
      }
      assert.deepEqual(problems, []);
    });
  });

  describe('l10n bundle', () => {
    let scan: SourceScan;
    let zh: Record<string, string>;
    const used = new Map<string, string>();
    before(function () {
      this.timeout(30_000); // parses every file in src
      scan = scanSource();
      for (const k of scan.keys) if (!used.has(k.key)) used.set(k.key, k.where);
      zh = stringMap(ZH_BUNDLE);
    });

    it('every translate call has a literal message, so that it can be checked', () => {
      assert.deepEqual(scan.problems, []);
      assert.ok(used.size > 100, `only ${used.size} messages found in src: is the scan still finding the t() calls?`);
    });

    it('no English is written straight into a message, picker, prompt or the panel without t()', function () {
      this.timeout(30_000);
      assert.deepEqual(scanRawText(), []);
    });

    it('every message in src has a zh-CN entry, and the bundle has no stale keys', () => {
      const missing = [...used.keys()].filter((k) => !(k in zh));
      assert.deepEqual(missing, [], missingReport(ZH_BUNDLE, missing, (k) => k) + `\nfirst at: ${missing.slice(0, 5).map((k) => used.get(k)).join(', ')}`);
      assert.deepEqual(Object.keys(zh).filter((k) => !used.has(k)), [], `stale keys in ${ZH_BUNDLE}`);
    });

    it('the zh-CN entries keep every placeholder, code span and link', () => {
      const english = Object.fromEntries([...used.keys()].map((k) => [k, k]));
      assert.deepEqual(translationProblems(ZH_BUNDLE, english, zh), []);
    });
  });

  describe('the checks themselves', () => {
    it('find a dropped placeholder, a translated code span, a lost command link and a copied English text', () => {
      const en = { a: 'Checked {0}.', b: 'Set `llmBalance.thresholds`.', c: '[Check now](command:llmBalance.check)', d: 'Balance low', e: 'OpenRouter' };
      const zhBad = { a: '已检查。', b: '设置 `阈值`。', c: '[立即检查](command:other)', d: 'Balance low', e: 'OpenRouter' };
      const found = translationProblems('x.json', en, zhBad);
      assert.equal(found.length, 4, found.join('\n'));
      for (const k of ['"a" has placeholders', '"b" has code spans', '"c" has links', '"d" is not translated']) assert.ok(found.some((f) => f.includes(k)), k);
      assert.deepEqual(translationProblems('x.json', en, { a: '{0} 已检查。', b: '设置 `llmBalance.thresholds`。', c: '[立即检查](command:llmBalance.check)', d: '余额不足', e: 'OpenRouter' }), []);
    });

    it('find every t() message, a descriptor text, and a message that is not a literal', () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-l10n-'));
      try {
        fs.mkdirSync(path.join(root, 'src', 'core', 'providers'), { recursive: true });
        fs.writeFileSync(path.join(root, 'src', 'a.ts'), "const x = t('Hello {0}', n);\nvscode.l10n.t(`Plain`);\nt(name);\nfoo('not a key');\n");
        fs.writeFileSync(path.join(root, 'src', 'core', 'providers', 'p.ts'), "export const p = { name: 'P', description: 'Shown in the picker', keyName: 'management key' };\n");
        const s = scanSource(root);
        assert.deepEqual(s.keys.map((k) => k.key).sort(), ['Hello {0}', 'Plain', 'Shown in the picker', 'management key']);
        assert.equal(s.problems.length, 1);
        assert.match(s.problems[0]!, /^src\/a\.ts:3: t\(name\)/);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('find English written past t() into a toast, a picker, a prompt and the panel', () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-l10n-'));
      try {
        fs.mkdirSync(path.join(root, 'src', 'vscode'), { recursive: true });
        fs.mkdirSync(path.join(root, 'src', 'webview'), { recursive: true });
        fs.writeFileSync(path.join(root, 'src', 'vscode', 'a.ts'), [
          "void ui().showWarningMessage(`LLM Balance: ${x} failed`, 'Show Log');",
          "void ui().showInformationMessage(t('Fine {0}', x), t('Open'));",
          "await ui().showQuickPick(items, { title: 'Pick one', placeHolder: t('Which?'), id: 'llmBalance.check' });",
          "const item = { label: busy ? 'Checking…' : t('Check now'), command: 'llmBalance.check' };",
        ].join('\n'));
        fs.writeFileSync(path.join(root, 'src', 'webview', 'r.ts'), [
          "h('h1', {}, 'LLM Balance');",
          "h('p', { class: 'muted' }, 'No events yet.');",
          "button('Export', 'export');",
          "el.title = `Show the last ${n}`;",
        ].join('\n'));
        const found = scanRawText(root);
        assert.deepEqual(found.map((f) => f.replace(/: .*$/, '')), ['src/vscode/a.ts:1', 'src/vscode/a.ts:1', 'src/vscode/a.ts:3', 'src/vscode/a.ts:4', 'src/webview/r.ts:2', 'src/webview/r.ts:3', 'src/webview/r.ts:4'], found.join('\n'));
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('find visible text written into package.json', () => {
      const r = scanManifest({ description: '%d%', contributes: { commands: [{ command: 'x', title: 'Raw title', category: 'LLM Balance' }], configuration: { properties: { 'a.title': { type: 'string', markdownDescription: '%k%', enumDescriptions: ['raw'] } } } } });
      assert.deepEqual(r.refs.map((x) => x.key), ['d', 'k']);
      assert.equal(r.literals.length, 2, r.literals.join('\n'));
    });
  });
});
