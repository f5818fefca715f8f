// The panel's HTML shell. Pure, so that the webview test loads exactly what VS Code gets.
import { fromBundle } from '../core/l10n';

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
  // Inert data, not a script: "<" is escaped so that nothing in a string can close the element.
  const bundle = input.l10n ? `\n<script type="application/json" id="llmb-l10n">${JSON.stringify(input.l10n).replace(/</g, '\\u003c')}</script>` : '';
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
<main id="app" aria-busy="true"><p class="loading">${attr(t('Loading balances…'))}</p></main>${bundle}
<script nonce="${attr(input.nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}
