// The panel's HTML shell. Pure, so that the webview test loads exactly what VS Code gets.
import { fromBundle } from '../core/l10n';
import { CARDS_ELEMENT_ID, type PanelCards } from './protocol';

export interface PanelHtmlInput {
  /** webview.cspSource: the only origin resources may come from (the extension's folder). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Fresh per render; the only way a script may run. */
  nonce: string;
  /** VS Code's display language (vscode.env.language); default "en". */
  lang?: string;
  /** vscode.l10n.bundle: the webview's strings come from it; none for English. */
  l10n?: Readonly<Record<string, string>>;
  /** The cards' first data, painted before any message (src/webview/main.ts reads it). */
  cards?: PanelCards;
}

/**
 * Inert data in the page: a `<script type="application/json">`, which the browser never runs.
 * Provider text is in it, so every character that could end the element or start markup (`<`,
 * `>`, `&`) is a JSON escape, as are U+2028/U+2029; JSON.parse gives back the same strings.
 */
export function jsonIsland(id: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/json" id="${id}">${json}</script>`;
}

export function panelCsp({ cspSource, nonce }: Pick<PanelHtmlInput, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function panelHtml(input: PanelHtmlInput): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const t = fromBundle(input.l10n);
  const lang = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(input.lang ?? '') ? input.lang! : 'en';
  const bundle = input.l10n ? `\n${jsonIsland('llmb-l10n', input.l10n)}` : '';
  const cards = input.cards ? `\n${jsonIsland(CARDS_ELEMENT_ID, input.cards)}` : '';

  return `<!DOCTYPE html>
<html lang="${attr(lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(input))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>LLM Balance</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">${attr(t('Loading balances…'))}</p></main>${bundle}${cards}
<script nonce="${attr(input.nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}
