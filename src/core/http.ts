// The one way the engine talks to providers: undici with a per-request time limit, a cap on
// body size, same-origin redirects only, https for every non-loopback host, proxies from
// settings or the environment, and every message redacted.
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { CheckError } from './errors';
import { httpTimeoutMs } from './httpTimeout';
import { english, type Translate } from './l10n';
import { mapMessageData, msg as l10nMsg, renderMessage, type Message } from './message';
import { redact } from './redact';
import { preview } from './safeText';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;

interface UndiciParts {
  Agent: typeof Undici.Agent;
  EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent;
}
let undiciParts: UndiciParts | undefined;
/**
 * undici's dispatchers and request API, loaded by the first client, not on import: the CLI's
 * `--help` and `history`, and the extension's activation, never pay for it. Not through its
 * index, which also evaluates fetch, WebSocket, EventSource, the cache API and the mocks:
 * 36 modules instead of 96, half the time to load, and none of the rest is used here.
 */
function undici(): UndiciParts {
  if (!undiciParts) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
    // What undici's index does, for the two of its request APIs used here: request, and connect
    // (the proxy agent's CONNECT). Not its api/index.js, which also evaluates stream, pipeline
    // and upgrade: a quarter of undici's load (issue 14).
    Object.assign(dispatcher.prototype, { request: require('undici/lib/api/api-request') as unknown, connect: require('undici/lib/api/api-connect') as unknown });
    undiciParts = {
      Agent: require('undici/lib/dispatcher/agent') as typeof Undici.Agent,
      EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent') as typeof Undici.EnvHttpProxyAgent,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return undiciParts;
}

/**
 * Loads undici now, for a run that is about to make requests and first waits on the disk: the
 * CLI's `check` loads it while its state directory is locked and read, which leaves the main
 * thread idle. Its HTTP parser then also compiles (on a background thread; the first request
 * waits for it) during that wait instead of after it: ~10 ms earlier answers (issue 14). A
 * failure is left to HttpClient's constructor, which loads it again and throws.
 */
export function preloadHttpStack(): void {
  try {
    undici();
  } catch {
    /* reported by the first HttpClient */
  }
}

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

/**
 * Loopback in every spelling a URL can carry: localhost and *.localhost (RFC 6761), with or
 * without the trailing dot, 127.0.0.0/8, ::1 and the IPv4-mapped ::ffff:127.x.y.z. (WHATWG URL
 * parsing has already turned 127.1, 2130706433 and 0:0:0:0:0:0:0:1 into these forms.)
 */
export function isLoopbackHost(hostname: string): boolean {
  let h = hostname.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  if (h === '::1') return true;
  // ::ffff:127.0.0.1, which URL writes as ::ffff:7f00:1 (7f = 127).
  return /^::ffff:(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|7f[0-9a-f]{2}:[0-9a-f]{1,4})$/.test(h);
}

/** Why a proxy URL cannot be used by this client (undici speaks to http:// and https:// proxies only), if it cannot. */
export function proxyProblemOf(raw: string): Message | undefined {
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {
    u = undefined;
  }
  // redact hides user:password@ after "//"; a proxy written without it ("http:/user:pw@host",
  // "user:pw@host") has its credentials where that rule does not look.
  const shown = redact(raw).replace(/^((?:[a-z][a-z0-9+.-]*:\/)?)[^/\s?#@]+(?=@[^/\s@?#]+)/i, '$1****');
  if (!u || !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    // The hint keeps a host:port whole ("127.0.0.1:3128", "localhost:3128"); it drops only a scheme
    // written wrong ("http:/proxy", "proxy:"), which starts with a letter and is not followed by a port.
    const hostPort = /^[^:/?#]+:\d+(?:[/?#]|$)/.test(shown);
    return l10nMsg('The proxy "{0}" is not a URL: write it with its scheme, e.g. "http://{1}".', shown, hostPort ? shown : shown.replace(/^[a-z][a-z0-9+.-]*:\/*/i, ''));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return l10nMsg('The proxy "{0}" uses {1}, which LLM Balance cannot use: set an http:// or https:// proxy.', shown, u.protocol.slice(0, -1));
  }
  if (!u.hostname) return l10nMsg('The proxy "{0}" has no host.', shown);
  return undefined;
}

/** SPEC §2: non-loopback URLs must be https; http only for loopback. Returns the problem, if any. */
export function checkUrlPolicy(raw: string, t: Translate = english): string | undefined {
  const problem = urlPolicyMessage(raw);
  return problem && renderMessage(problem, t);
}

/** checkUrlPolicy's problem as a message, for a result the extension translates. */
export function urlPolicyMessage(raw: string): Message | undefined {
  const u = policedUrl(raw);
  return u instanceof URL ? undefined : u;
}

/** The URL, parsed once for a request, or checkUrlPolicy's problem with it. */
function policedUrl(raw: string): URL | Message {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return l10nMsg('"{0}" is not a valid URL.', raw);
  }
  return urlProblem(u) ?? u;
}

function urlProblem(u: URL): Message | undefined {
  if (u.username || u.password) return l10nMsg('A URL must not carry a user name or password.');
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return undefined;
  if (u.protocol === 'http:') return l10nMsg('Refusing to send a key over plain http to {0}: use https (http is allowed only for localhost).', u.host);
  return l10nMsg('Unsupported URL scheme "{0}" (use https).', u.protocol);
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    // 400 nines is a valid-looking number of seconds, and Infinity ms: no usable time.
    const ms = Math.round(Number(v) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
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
  const where = httpWhere(res.status, host, msg, looksLikeHtml(res.text));
  const s = res.status;
  if (s === 402 || (s >= 400 && s < 500 && s !== 401 && s !== 403 && mentionsNoFunds(msg))) {
    return new CheckError('insufficient_funds', l10nMsg('Insufficient funds — {0}', where), { httpStatus: s });
  }
  if (s === 401 || s === 403) return new CheckError('auth', l10nMsg('The key was rejected — {0}', where), { httpStatus: s });
  if (s === 429) {
    const extra: { httpStatus: number; retryAfterMs?: number } = { httpStatus: s };
    if (res.retryAfterMs !== undefined) extra.retryAfterMs = res.retryAfterMs;
    const message = res.retryAfterMs !== undefined
      ? l10nMsg('Rate limited (retry after {0} s) — {1}', Math.ceil(res.retryAfterMs / 1000), where)
      : l10nMsg('Rate limited — {0}', where);
    return new CheckError('rate_limited', message, extra);
  }
  if (s >= 500) return new CheckError('server', l10nMsg('Provider error — {0}', where), { httpStatus: s });
  if (s === 404) return new CheckError('config', l10nMsg('Not found — {0}. Check the base URL.', where), { httpStatus: s });
  return new CheckError('bad_response', l10nMsg('Unexpected answer — {0}', where), { httpStatus: s });
}

/** The template of a rejected key: openai.ts reads the reason back out of it. */
export const KEY_REJECTED = 'The key was rejected — {0}';

/** "HTTP 401 from api.example.com: <the provider's words>", the tail of most HTTP errors. */
export function httpWhere(status: number, host: string, providerText: string | undefined, html = false): Message {
  if (providerText) return l10nMsg('HTTP {0} from {1}: {2}', status, host, providerText);
  return html ? l10nMsg('HTTP {0} from {1} (an HTML error page)', status, host) : l10nMsg('HTTP {0} from {1}', status, host);
}

/** A CheckError with its data (English and message parameters alike) redacted. */
function redactedError(e: CheckError, secrets: readonly (string | undefined)[]): CheckError {
  return new CheckError(e.kind, e.l10n ? mapMessageData(e.l10n, (s) => redact(s, secrets)) : redact(e.message, secrets), e.extra);
}

export class HttpClient {
  /** Loopback always goes here, whatever the proxy settings say. */
  private readonly direct: Dispatcher;
  private readonly proxied: Dispatcher | undefined;
  private readonly timeoutMs: number;
  private readonly maxBody: number;
  /**
   * Set when a proxy is configured that this client cannot use, in English: the owner logs it
   * once. Requests to other hosts then fail with it as a `config` error, translatable
   * (`proxyProblemMessage`); loopback still works.
   */
  readonly proxyProblem: string | undefined;
  private readonly proxyProblemMessage: Message | undefined;

  constructor(settings: HttpSettings = {}) {
    this.timeoutMs = httpTimeoutMs(settings.timeoutMs);
    this.maxBody = settings.maxBodyBytes ?? MAX_BODY_BYTES;
    const env = settings.env ?? process.env;
    const tls = { rejectUnauthorized: settings.strictSSL !== false };
    const proxy = settings.proxy?.trim();
    const envHttps = (env.HTTPS_PROXY ?? env.https_proxy)?.trim();
    const envHttp = (env.HTTP_PROXY ?? env.http_proxy)?.trim();
    const common = { connect: tls, keepAliveTimeout: 4_000 };
    this.direct = new (undici().Agent)(common);
    const httpsProxy = proxy || envHttps || envHttp;
    const httpProxy = proxy || envHttp || envHttps;
    if (!httpsProxy || !httpProxy) return;
    const problem = proxyProblemOf(httpsProxy) ?? proxyProblemOf(httpProxy);
    if (problem) {
      this.proxyProblemMessage = problem;
      this.proxyProblem = renderMessage(problem);
      return;
    }
    try {
      // requestTls reaches the inner ProxyAgent (not in EnvHttpProxyAgent's typings).
      const opts: ConstructorParameters<typeof Undici.EnvHttpProxyAgent>[0] & { requestTls?: object } = {
        ...common,
        requestTls: tls,
        httpProxy,
        httpsProxy,
        noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
      };
      this.proxied = new (undici().EnvHttpProxyAgent)(opts);
    } catch (e) {
      this.proxyProblemMessage = l10nMsg('The proxy cannot be used: {0}.', redact(e instanceof Error ? e.message : String(e)));
      this.proxyProblem = renderMessage(this.proxyProblemMessage);
    }
  }

  /** Loopback never goes through a proxy (the key would travel to it in clear); other hosts do when one is set. */
  private dispatcherFor(u: URL, secrets: readonly (string | undefined)[]): Dispatcher {
    if (isLoopbackHost(u.hostname)) return this.direct;
    if (this.proxyProblemMessage) throw new CheckError('config', mapMessageData(this.proxyProblemMessage, (s) => redact(s, secrets)));
    return this.proxied ?? this.direct;
  }

  get timeout(): number {
    return this.timeoutMs;
  }

  async close(): Promise<void> {
    await Promise.all([this.direct, this.proxied].map((d) => d?.close().catch(() => undefined)));
  }

  /** Sends a request and returns the raw answer; throws CheckError for transport failures only. */
  async send(url: string, req: HttpRequest = {}): Promise<HttpResponse> {
    return (await this.sendParsed(url, req)).res;
  }

  /** Sends a request and returns JSON from a 2xx answer; any other outcome is a CheckError. */
  async json(url: string, req: HttpRequest = {}): Promise<HttpResponse & { json: unknown }> {
    const { res, target } = await this.sendParsed(url, req);
    const host = target.host;
    const special = req.classify?.(res);
    if (special) throw redactedError(special, req.secrets ?? []);
    if (res.status < 200 || res.status >= 300) {
      throw redactedError(classifyStatus(res, host), req.secrets ?? []);
    }
    if (res.json === undefined) {
      const message = looksLikeHtml(res.text)
        ? l10nMsg('{0} answered HTTP {1} with an HTML page instead of JSON.', host, res.status)
        : res.text.trim() === ''
          ? l10nMsg('{0} answered HTTP {1} with an empty body instead of JSON.', host, res.status)
          : l10nMsg('{0} answered HTTP {1} with text that is not valid JSON instead of JSON.', host, res.status);
      throw new CheckError('bad_response', message, { httpStatus: res.status });
    }
    return res;
  }

  /**
   * send(), with the URL it parsed: parsed once per request and handed on (to the policy, the
   * proxy choice, undici's origin and path, the errors' host; issue 14), a redirect's once more.
   */
  private async sendParsed(url: string, req: HttpRequest): Promise<{ res: HttpResponse; target: URL }> {
    const secrets = req.secrets ?? [];
    const target = policedUrl(url);
    if (!(target instanceof URL)) throw new CheckError('config', mapMessageData(target, (s) => redact(s, secrets)));
    const deadline = AbortSignal.timeout(this.timeoutMs);
    let current = url;
    let currentUrl = target;
    for (let hop = 0; ; hop++) {
      const res = await this.once(current, currentUrl, req, deadline);
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        if (hop >= MAX_REDIRECTS) throw new CheckError('bad_response', l10nMsg('Too many redirects from {0}.', target.host));
        const next = new URL(res.headers.location, currentUrl);
        // Credentials go only to the origin they were meant for.
        if (next.origin !== target.origin) {
          throw new CheckError('bad_response', mapMessageData(l10nMsg('{0} redirected to another host ({1}); not following it with the key.', target.host, next.host), (s) => redact(s, secrets)));
        }
        current = next.toString();
        currentUrl = next;
        continue;
      }
      return { res, target };
    }
  }

  private async once(url: string, u: URL, req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const secrets = req.secrets ?? [];
    const host = u.host;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'llm-balance', ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    let status: number;
    let rawHeaders: Record<string, string | string[] | undefined>;
    const chunks: Buffer[] = [];
    const dispatcher = this.dispatcherFor(u, secrets);
    try {
      const res = await dispatcher.request({
        origin: u.origin,
        path: u.pathname + u.search,
        method: req.method ?? 'GET',
        headers,
        body: req.body,
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
          throw new CheckError('bad_response', l10nMsg('{0} sent more than {1} KiB; giving up on it.', host, Math.round(this.maxBody / 1024)), { httpStatus: status });
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
    return new CheckError('timeout', l10nMsg('{0} did not answer within {1} s.', host, secs));
  }
  const known: Record<string, () => Message> = {
    ECONNREFUSED: () => l10nMsg('{0} refused the connection.', host),
    ENOTFOUND: () => l10nMsg('{0} could not be found (DNS).', host),
    EAI_AGAIN: () => l10nMsg('{0} could not be looked up (DNS).', host),
    ECONNRESET: () => l10nMsg('{0} closed the connection.', host),
    UND_ERR_SOCKET: () => l10nMsg('{0} closed the connection.', host),
    EHOSTUNREACH: () => l10nMsg('{0} is unreachable.', host),
    ENETUNREACH: () => l10nMsg('{0} is unreachable (no network).', host),
    CERT_HAS_EXPIRED: () => l10nMsg('{0} has an expired TLS certificate.', host),
    DEPTH_ZERO_SELF_SIGNED_CERT: () => l10nMsg('{0} has a self-signed TLS certificate.', host),
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: () => l10nMsg('{0} has a TLS certificate that cannot be verified.', host),
  };
  const message = Object.prototype.hasOwnProperty.call(known, code) ? known[code]!() : l10nMsg('{0} could not be reached ({1}).', host, code || err.message || 'unknown error');
  return new CheckError('network', mapMessageData(message, (s) => redact(s, secrets)));
}
