// The panel's HTML shell. Pure, so that the webview test loads exactly what VS Code gets.

export interface PanelHtmlInput {
  /** webview.cspSource: the only origin resources may come from (the extension's folder). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Fresh per render; the only way a script may run. */
  nonce: string;
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
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(input))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>LLM Balance</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading balances…</p></main>
<script nonce="${attr(input.nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}
