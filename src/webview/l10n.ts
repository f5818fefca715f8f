// The webview's strings: the host puts its language and vscode.l10n.bundle into the page
// (src/panel/html.ts) as inert JSON, read once here; English when there is none (also when
// the formatting helpers are unit-tested on Node, where there is no document).
import { fromBundle, type Translate } from '../core/l10n';

interface PageLike {
  getElementById(id: string): { textContent: string | null } | null;
  documentElement?: { lang?: string };
}
const page = (globalThis as { document?: PageLike }).document;

function readBundle(): Record<string, string> | undefined {
  const text = page?.getElementById('llmb-l10n')?.textContent;
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const out: Record<string, string> = {};
    for (const [k, s] of Object.entries(v)) if (typeof s === 'string') out[k] = s;
    return out;
  } catch {
    return undefined;
  }
}

export const t: Translate = fromBundle(readBundle());

/** VS Code's display language (`<html lang>`), for dates and numbers. */
export const locale: string = page?.documentElement?.lang || 'en';
