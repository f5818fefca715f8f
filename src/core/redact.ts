// Keys must never reach logs, error messages, the webview or files. Everything that turns
// provider text or an exception into a message passes through `redact` — before any cut, so
// that a key never survives as a fragment (see safeText.ts, which caps only redacted text).

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

/** A known secret shorter than this is still hidden whole; shorter "keys" are not keys (a 2-letter value would blank every word). */
const MIN_SECRET = 3;
/** A piece of a known key this long at either end of it is hidden too: what is left of a key someone cut. 4 characters is what mask() itself shows. */
const MIN_FRAGMENT = 5;
const HIDDEN = '****';

/**
 * The forms a key takes when a provider echoes it back: as is, URL-encoded (a query string, a
 * form body), JSON-escaped, and base64 / base64url (Basic auth, a token blob) at each of the
 * three byte alignments it can sit at inside a longer encoded string.
 */
function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  forms.add(JSON.stringify(secret).slice(1, -1));
  const bytes = Buffer.from(secret, 'utf8');
  for (let lead = 0; lead < 3; lead++) {
    const b64 = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64');
    // Drop the characters that also depend on the bytes before the key, and the last group,
    // which depends on the bytes after it.
    const from = lead === 0 ? 0 : 4;
    const total = lead + bytes.length;
    const to = Math.floor(total / 3) * 4;
    const stable = b64.slice(from, to);
    if (stable.length >= 8) {
      forms.add(stable);
      forms.add(stable.replace(/\+/g, '-').replace(/\//g, '_'));
    }
    if (lead === 0) forms.add(b64);
  }
  forms.delete('');
  return [...forms].filter((f) => f.length >= Math.min(MIN_SECRET, secret.length)).sort((a, b) => b.length - a.length);
}

/** Hides the longest start or end piece (MIN_FRAGMENT+ characters) of `secret` wherever it appears. */
function hideFragments(text: string, secret: string): string {
  // A URL (a webhook, an SMTP URL) starts with "https:" and ends with a host: its pieces are
  // not secret; its secret parts are passed on their own (alerts/channels.ts urlSecrets).
  if (secret.length <= MIN_FRAGMENT || /[/:@\s]/.test(secret)) return text;
  let out = text;
  const head = secret.slice(0, MIN_FRAGMENT);
  for (let i = out.indexOf(head); i !== -1; i = out.indexOf(head, i + 1)) {
    let n = MIN_FRAGMENT;
    while (n < secret.length && out[i + n] === secret[n]) n++;
    out = out.slice(0, i) + HIDDEN + out.slice(i + n);
  }
  const tail = secret.slice(-MIN_FRAGMENT);
  for (let j = out.indexOf(tail); j !== -1; j = out.indexOf(tail, j + 1)) {
    // j is where the last MIN_FRAGMENT characters of the secret start; walk back over more of it.
    let start = j;
    let k = secret.length - MIN_FRAGMENT;
    while (k > 0 && start > 0 && out[start - 1] === secret[k - 1]) {
      start--;
      k--;
    }
    out = out.slice(0, start) + HIDDEN + out.slice(j + MIN_FRAGMENT);
    j = start;
  }
  return out;
}

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const known = [...new Set(secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET))].sort((a, b) => b.length - a.length);
  for (const s of known) {
    for (const form of encodedForms(s)) {
      if (out.includes(form)) out = out.split(form).join(form === s ? mask(s) : HIDDEN);
    }
  }
  // After the whole forms: what is left of a key is a piece of one.
  for (const s of known) out = hideFragments(out, s);
  out = out.replace(URL_CREDENTIALS, HIDDEN);
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
