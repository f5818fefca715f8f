// User text in the core is written in English and passed through a `Translate` function, so
// that the extension can hand in vscode.l10n.t while the core never imports vscode and the
// CLI stays English. Placeholders are `{0}`, `{1}`, … as in vscode.l10n.t.

export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

/** Fills `{n}` placeholders and translates nothing: the CLI's, and the default everywhere. */
export const english: Translate = (message, ...args) =>
  args.length === 0 ? message : message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));

/** A translator over a bundle of `English → translation` (the webview's, from vscode.l10n.bundle). */
export function fromBundle(bundle: Readonly<Record<string, string>> | undefined): Translate {
  if (!bundle) return english;
  return (message, ...args) => english(Object.prototype.hasOwnProperty.call(bundle, message) ? bundle[message]! : message, ...args);
}
