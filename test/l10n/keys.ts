// What has to be translated, read from the sources themselves: every `t('…')` (and
// `vscode.l10n.t('…')`, and the core's `msg('…')` note and error messages) in src, the text fields of the provider descriptors, and every
// user-visible string of package.json. Used by test/unit/l10n.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Files that define the translate functions themselves (their `t(message, …)` is not a key). */
const TRANSLATOR_FILES = new Set(['src/core/l10n.ts', 'src/core/message.ts', 'src/vscode/l10n.ts', 'src/webview/l10n.ts']);
/** Descriptor fields shown to people, by folder, translated through descriptorText(). */
const DESCRIPTOR_FIELDS: Record<string, Set<string>> = {
  'src/core/providers/': new Set(['description', 'keyName', 'adminKeyName', 'adminKeyPurpose', 'currencyQuestion', 'title', 'prompt']),
  'src/core/alerts/channels/': new Set(['name', 'detail', 'prompt', 'step', 'shownAs']),
};

export interface SourceKey {
  key: string;
  /** "src/core/statusView.ts:42". */
  where: string;
}

export interface SourceScan {
  keys: SourceKey[];
  /** Translate calls whose message is not a plain string literal: they cannot be checked. */
  problems: string[];
}

function walkTs(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkTs(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** `t(…)`, and the core's messages for later translation: `msg(…)` (src/core/message.ts), imported as `l10nMsg` where `msg` is taken. */
const TRANSLATE_NAMES = new Set(['t', 'msg', 'l10nMsg']);

function isTranslateCallee(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return TRANSLATE_NAMES.has(e.text);
  // vscode.l10n.t / l10n.t
  return ts.isPropertyAccessExpression(e) && e.name.text === 't' && /(^|\.)l10n$/.test(e.expression.getText());
}

function literalText(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  return undefined;
}

export function scanSource(root = repoRoot): SourceScan {
  const keys: SourceKey[] = [];
  const problems: string[] = [];
  for (const file of walkTs(path.join(root, 'src')).sort()) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (TRANSLATOR_FILES.has(rel)) continue;
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (n: ts.Node) => `${rel}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
    const fields = Object.entries(DESCRIPTOR_FIELDS).find(([dir]) => rel.startsWith(dir))?.[1];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && isTranslateCallee(n.expression)) {
        const key = literalText(n.arguments[0]);
        if (key === undefined) problems.push(`${where(n)}: ${n.getText(sf).slice(0, 80)} — the message must be a string literal`);
        else keys.push({ key, where: where(n) });
      }
      if (fields && ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && fields.has(n.name.text)) {
        const key = literalText(n.initializer);
        if (key !== undefined) keys.push({ key, where: where(n) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { keys, problems };
}

/** package.json fields people read. Names ("LLM Balance") may stay as they are. */
const VISIBLE_FIELDS = new Set([
  'title', 'description', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions',
  'patternErrorMessage', 'deprecationMessage', 'markdownDeprecationMessage', 'altText', 'contents', 'label', 'category',
]);
export const UNTRANSLATED_NAMES = new Set(['LLM Balance']);

export interface ManifestScan {
  /** The `%key%` references and where they are. */
  refs: { key: string; where: string }[];
  /** Visible text written into package.json instead of a %key%. */
  literals: string[];
}

export function scanManifest(manifest: unknown): ManifestScan {
  const refs: ManifestScan['refs'] = [];
  const literals: string[] = [];
  const visit = (v: unknown, where: string, field: string | undefined): void => {
    if (typeof v === 'string') {
      const m = /^%(.+)%$/.exec(v);
      if (m) refs.push({ key: m[1]!, where });
      else if (field && VISIBLE_FIELDS.has(field) && !UNTRANSLATED_NAMES.has(v)) literals.push(`${where}: ${JSON.stringify(v).slice(0, 80)}`);
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${where}[${i}]`, field));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        // `properties` maps setting names to schemas: a setting called "title" is not a title.
        const isNameMap = k === 'properties' || k === 'additionalProperties';
        visit(x, `${where}.${k}`, isNameMap ? undefined : k);
      }
    }
  };
  const m = manifest as Record<string, unknown>;
  // What VS Code shows from package.json: the description and everything under contributes.
  visit(m.description, 'description', 'description');
  visit(m.contributes, 'contributes', undefined);
  return { refs, literals };
}

export function readJson(rel: string, root = repoRoot): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, unknown>;
}

/** `{0}`, `{key}`: the placeholders of a message, sorted. */
export function placeholders(s: string): string[] {
  return (s.match(/\{\w+\}/g) ?? []).sort();
}

/** `code` spans (setting names, variables, commands): they must come through a translation unchanged. */
export function codeSpans(s: string): string[] {
  return (s.match(/`[^`]+`/g) ?? []).sort();
}

/** Command links and icons in Markdown, `$(key)`, `(command:…)`. */
export function markup(s: string): string[] {
  const links = s.match(/\$\([\w~-]+\)|\]\(command:[^)]*\)|https?:\/\/[A-Za-z0-9._~:/?#@!$&*+=%-]*/g) ?? [];
  return links.map((l) => l.replace(/[.:]+$/, '')).sort();
}

/**
 * Whether a translation is just the English copied over: same text, and the English has words
 * beyond names, units and placeholders.
 */
export function looksUntranslated(english: string, translated: string, names: readonly string[]): boolean {
  if (english !== translated) return false;
  let rest = english.replace(/`[^`]*`/g, ' ').replace(/\{\w+\}/g, ' ').replace(/https?:\/\/\S+/g, ' ');
  for (const n of names) rest = rest.split(n).join(' ');
  return /[A-Za-z]{2,}/.test(rest);
}

/** Where text reaches people in the extension and the panel (the core is covered by its `t` parameter). */
const UI_DIRS = ['src/vscode/', 'src/panel/', 'src/webview/', 'src/extension.ts', 'src/extensionMain.ts'];
const MESSAGE_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'showModalWarning', 'setStatusBarMessage', 'withProgress']);
const TEXT_PROPERTIES = new Set(['title', 'prompt', 'placeHolder', 'placeholder', 'saveLabel', 'detail', 'label', 'description', 'tooltip', 'message', 'aria-label', 'aria-valuetext', 'textContent']);

/** Words for people: "Add funds", "Remove"; not ids ("llmBalance.check"), icons or names. */
function looksLikeText(literal: string): boolean {
  const s = literal.replace(/\$\([\w~-]+\)/g, ' ').trim();
  if (!s || UNTRANSLATED_NAMES.has(s)) return false;
  // An HTTP header as it is sent ("Authorization: Bearer {key}") is code, not words.
  if (/^[A-Za-z-]+:\s*(Bearer\s+)?\{key\}$/.test(s)) return false;
  return /[A-Za-z]{2,}\s+[A-Za-z]/.test(s) || /^[A-Z][a-z]{2,}/.test(s);
}

function literalParts(e: ts.Node): string | undefined {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) return [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' ');
  return undefined;
}

/**
 * English written straight into a message, a picker, a prompt or the panel's DOM without t():
 * the text a translation would miss. Heuristic, on the shapes this code base uses.
 */
export function scanRawText(root = repoRoot): string[] {
  const found: string[] = [];
  for (const file of walkTs(path.join(root, 'src')).sort()) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (!UI_DIRS.some((d) => rel.startsWith(d)) || TRANSLATOR_FILES.has(rel)) continue;
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const report = (n: ts.Node, text: string) => found.push(`${rel}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${JSON.stringify(text.slice(0, 70))}`);
    const inspect = (n: ts.Node | undefined) => {
      if (!n) return;
      const text = literalParts(n);
      if (text !== undefined && looksLikeText(text)) report(n, text);
      // a ? 'Yes' : 'No'
      if (ts.isConditionalExpression(n)) {
        inspect(n.whenTrue);
        inspect(n.whenFalse);
      }
    };
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        if (MESSAGE_CALLS.has(name)) n.arguments.forEach(inspect);
        // The panel's DOM helpers: h(tag, attrs, ...children) and button(label, …).
        if (name === 'h') n.arguments.slice(2).forEach(inspect);
        if (name === 'button') inspect(n.arguments[0]);
      }
      if (ts.isPropertyAssignment(n)) {
        const key = ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) ? n.name.text : '';
        if (TEXT_PROPERTIES.has(key)) inspect(n.initializer);
      }
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && TEXT_PROPERTIES.has(n.left.name.text)) {
        inspect(n.right);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}
