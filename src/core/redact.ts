// Keys must never reach logs, error messages, the webview or files. Everything that turns
// provider text or an exception into a message passes through `redact`.

/** Shows at most the first 4 and last 4 characters of a secret. */
export function mask(secret: string): string {
  if (secret.length <= 12) return '****';
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}

// Shapes that are keys whoever they belong to: provider prefixes, bearer tokens, and long
// random-looking runs of letters and digits.
// user:password@ in a URL (a proxy or SMTP URL): hidden whole, not even 4 characters of it.
// Greedy up to the last "@" before the host, so a password containing "@" goes too; a bare
// token (https://TOKEN@host) as well.
const URL_CREDENTIALS = /(?<=\/\/)[^/\s?#]+(?=@[^/\s@?#]+)/g;

const KEY_PATTERNS: RegExp[] = [
  /\b(?:sk|xai|pk|rk|gsk|nvapi|key)[-_][A-Za-z0-9][A-Za-z0-9._-]{11,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g,
];

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 6) continue;
    out = out.split(s).join(mask(s));
  }
  out = out.replace(URL_CREDENTIALS, '****');
  for (const re of KEY_PATTERNS) {
    out = out.replace(re, (m) => {
      if (m.includes('…')) return m;
      const bearer = /^Bearer\s+/i.exec(m);
      if (bearer) return bearer[0] + mask(m.slice(bearer[0].length));
      return mask(m);
    });
  }
  return out;
}
