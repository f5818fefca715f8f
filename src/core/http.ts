// The one way the engine talks to providers: undici with a per-request time limit, a cap on
// body size, same-origin redirects only, https for every non-loopback host, proxies from
// settings or the environment, and every message redacted.
import { request, Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { CheckError } from './errors';
import { redact } from './redact';
import { preview } from './safeText';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;

export interface HttpSettings {
  timeoutMs?: number;
  /** An explicit proxy URL (VS Code's `http.proxy`); otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  proxy?: string;
  /** VS Code's `http.proxyStrictSSL`; default true. */
  strictSSL?: boolean;
  maxBodyBytes?: number;
  env?: NodeJS.ProcessEnv;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Secrets to redact from anything this request produces. */
  secrets?: readonly (string | undefined)[];
  /**
   * Lets a provider classify an answer its own way (a 400 that means "no credit", an HTTP 200
   * that carries an error object). Return undefined for the default rules.
   */
  classify?: (res: HttpResponse) => CheckError | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
  retryAfterMs?: number;
  url: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h) || h.endsWith('.localhost');
}

/** SPEC §2: non-loopback URLs must be https; http only for loopback. Returns the problem, if any. */
export function checkUrlPolicy(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `"${raw}" is not a valid URL.`;
  }
  if (u.username || u.password) return 'A URL must not carry a user name or password.';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return undefined;
  if (u.protocol === 'http:') return `Refusing to send a key over plain http to ${u.host}: use https (http is allowed only for localhost).`;
  return `Unsupported URL scheme "${u.protocol}" (use https).`;
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (!Number.isNaN(t)) return Math.max(0, t - now);
  return undefined;
}

/** Pulls a human message out of the usual error shapes. */
export function providerMessage(json: unknown, text = ''): string | undefined {
  const pick = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  if (typeof json === 'string') return pick(json);
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    const err = o.error;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      const m = pick(e.message) ?? pick(e.msg) ?? pick(e.type);
      if (m) return m;
    }
    return pick(err) ?? pick(o.message) ?? pick(o.msg) ?? pick(o.detail) ?? pick(o.error_msg);
  }
  const t = text.trim();
  if (t && !looksLikeHtml(t)) return preview(t);
  return undefined;
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body|\?xml)/i.test(text) || /<\/(html|body|title)>/i.test(text);
}

const FUNDS_PATTERN = /insufficient|balance is too low|credit balance|not enough (credit|balance|funds)|quota (has been )?(exceeded|used up)|exceeded (your )?(current )?quota|out of (credit|funds)|额度已用尽|余额不足/i;

export function mentionsNoFunds(message: string | undefined): boolean {
  return !!message && FUNDS_PATTERN.test(message);
}

/** The default reading of a non-2xx answer (SPEC §3). */
export function classifyStatus(res: HttpResponse, host: string): CheckError {
  const msg = providerMessage(res.json, res.text);
  const suffix = msg ? `: ${msg}` : looksLikeHtml(res.text) ? ' (an HTML error page)' : '';
  const where = `HTTP ${res.status} from ${host}${suffix}`;
  const s = res.status;
  if (s === 402 || (s >= 400 && s < 500 && s !== 401 && s !== 403 && mentionsNoFunds(msg))) {
    return new CheckError('insufficient_funds', `Insufficient funds — ${where}`, { httpStatus: s });
  }
  if (s === 401 || s === 403) return new CheckError('auth', `The key was rejected — ${where}`, { httpStatus: s });
  if (s === 429) {
    const extra: { httpStatus: number; retryAfterMs?: number } = { httpStatus: s };
    if (res.retryAfterMs !== undefined) extra.retryAfterMs = res.retryAfterMs;
    const wait = res.retryAfterMs !== undefined ? ` (retry after ${Math.ceil(res.retryAfterMs / 1000)} s)` : '';
    return new CheckError('rate_limited', `Rate limited${wait} — ${where}`, extra);
  }
  if (s >= 500) return new CheckError('server', `Provider error — ${where}`, { httpStatus: s });
  if (s === 404) return new CheckError('config', `Not found — ${where}. Check the base URL.`, { httpStatus: s });
  return new CheckError('bad_response', `Unexpected answer — ${where}`, { httpStatus: s });
}

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;
  private readonly maxBody: number;

  constructor(settings: HttpSettings = {}) {
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBody = settings.maxBodyBytes ?? MAX_BODY_BYTES;
    const env = settings.env ?? process.env;
    const tls = { rejectUnauthorized: settings.strictSSL !== false };
    const proxy = settings.proxy?.trim();
    const envProxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
    const common = { connect: tls, keepAliveTimeout: 4_000 };
    if (proxy || envProxy) {
      // requestTls reaches the inner ProxyAgent (not in EnvHttpProxyAgent's typings).
      const opts: ConstructorParameters<typeof EnvHttpProxyAgent>[0] & { requestTls?: object } = {
        ...common,
        requestTls: tls,
        httpProxy: proxy || (env.HTTP_PROXY ?? env.http_proxy ?? envProxy),
        httpsProxy: proxy || envProxy,
        // Loopback never goes through a proxy.
        noProxy: [env.NO_PROXY ?? env.no_proxy ?? '', 'localhost', '127.0.0.1', '::1'].filter(Boolean).join(','),
      };
      this.dispatcher = new EnvHttpProxyAgent(opts);
    } else {
      this.dispatcher = new Agent(common);
    }
  }

  get timeout(): number {
    return this.timeoutMs;
  }

  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => undefined);
  }

  /** Sends a request and returns the raw answer; throws CheckError for transport failures only. */
  async send(url: string, req: HttpRequest = {}): Promise<HttpResponse> {
    const secrets = req.secrets ?? [];
    const policy = checkUrlPolicy(url);
    if (policy) throw new CheckError('config', redact(policy, secrets));
    const origin = new URL(url).origin;
    const deadline = AbortSignal.timeout(this.timeoutMs);
    let current = url;
    for (let hop = 0; ; hop++) {
      const res = await this.once(current, req, deadline);
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        if (hop >= MAX_REDIRECTS) throw new CheckError('bad_response', `Too many redirects from ${new URL(url).host}.`);
        const next = new URL(res.headers.location, current);
        // Credentials go only to the origin they were meant for.
        if (next.origin !== origin) {
          throw new CheckError('bad_response', redact(`${new URL(url).host} redirected to another host (${next.host}); not following it with the key.`, secrets));
        }
        current = next.toString();
        continue;
      }
      return res;
    }
  }

  /** Sends a request and returns JSON from a 2xx answer; any other outcome is a CheckError. */
  async json(url: string, req: HttpRequest = {}): Promise<HttpResponse & { json: unknown }> {
    const res = await this.send(url, req);
    const host = new URL(url).host;
    const special = req.classify?.(res);
    if (special) throw new CheckError(special.kind, redact(special.message, req.secrets ?? []), special.extra);
    if (res.status < 200 || res.status >= 300) {
      const e = classifyStatus(res, host);
      throw new CheckError(e.kind, redact(e.message, req.secrets ?? []), e.extra);
    }
    if (res.json === undefined) {
      const what = looksLikeHtml(res.text) ? 'an HTML page' : res.text.trim() === '' ? 'an empty body' : 'text that is not valid JSON';
      throw new CheckError('bad_response', `${host} answered HTTP ${res.status} with ${what} instead of JSON.`, { httpStatus: res.status });
    }
    return res;
  }

  private async once(url: string, req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const secrets = req.secrets ?? [];
    const host = new URL(url).host;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'llm-balance', ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    let status: number;
    let rawHeaders: Record<string, string | string[] | undefined>;
    const chunks: Buffer[] = [];
    try {
      const res = await request(url, {
        method: req.method ?? 'GET',
        headers,
        body: req.body,
        dispatcher: this.dispatcher,
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        maxRedirections: 0,
      });
      status = res.statusCode;
      rawHeaders = res.headers;
      let size = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > this.maxBody) {
          res.body.destroy();
          throw new CheckError('bad_response', `${host} sent more than ${Math.round(this.maxBody / 1024)} KiB; giving up on it.`, { httpStatus: status });
        }
        chunks.push(buf);
      }
    } catch (e) {
      if (e instanceof CheckError) throw e;
      throw transportError(e, host, this.timeoutMs, signal, secrets);
    }
    const headersOut: Record<string, string> = {};
    for (const [k, v] of Object.entries(rawHeaders)) {
      if (v !== undefined) headersOut[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const out: HttpResponse = { status, headers: headersOut, text, json, url };
    const ra = parseRetryAfter(headersOut['retry-after']);
    if (ra !== undefined) out.retryAfterMs = ra;
    return out;
  }
}

function transportError(e: unknown, host: string, timeoutMs: number, signal: AbortSignal, secrets: readonly (string | undefined)[]): CheckError {
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const secs = Math.round(timeoutMs / 1000);
  if (signal.aborted || err.name === 'TimeoutError' || err.name === 'AbortError' || /TIMEOUT/.test(code)) {
    return new CheckError('timeout', `${host} did not answer within ${secs} s.`);
  }
  const known: Record<string, string> = {
    ECONNREFUSED: 'refused the connection',
    ENOTFOUND: 'could not be found (DNS)',
    EAI_AGAIN: 'could not be looked up (DNS)',
    ECONNRESET: 'closed the connection',
    UND_ERR_SOCKET: 'closed the connection',
    EHOSTUNREACH: 'is unreachable',
    ENETUNREACH: 'is unreachable (no network)',
    CERT_HAS_EXPIRED: 'has an expired TLS certificate',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'has a self-signed TLS certificate',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'has a TLS certificate that cannot be verified',
  };
  const what = known[code] ?? `could not be reached (${code || err.message || 'unknown error'})`;
  return new CheckError('network', redact(`${host} ${what}.`, secrets));
}
