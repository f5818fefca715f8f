// A real HTTP server on 127.0.0.1 that speaks like the providers in PROVIDERS.md. Each
// provider lives under its own path prefix (`/openrouter/api/v1/credits`, `/deepseek/user/balance`);
// tests override any route to serve the awkward cases. Used by unit tests, the CLI tests, the
// benchmark and `npm start`.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultRoutes } from './routes';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The key from `Authorization: Bearer` or `x-api-key`, if any. */
  key: string | undefined;
}

export interface FakeReply {
  status?: number;
  /** An object or array is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait before answering. */
  delayMs?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  /** Send this many bytes of filler instead of a body. */
  bytes?: number;
  /** Destroy the socket without an answer. */
  reset?: boolean;
}

export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeRoute {
  method: string;
  path: string;
  handler: FakeHandler;
}

/** Keys the fake providers accept. Anything else gets the provider's 401. */
export function isValidKey(key: string | undefined): boolean {
  return !!key && (key.startsWith('sk-test') || key.startsWith('test-') || key.startsWith('sk-admin-test') || key.startsWith('sk-ant-admin-test'));
}

export class FakeProviderServer {
  readonly requests: FakeRequest[] = [];
  private server: http.Server | undefined;
  private overrides = new Map<string, FakeHandler>();
  private readonly defaults = new Map<string, FakeHandler>();
  private sockets = new Set<import('node:net').Socket>();
  url = '';
  /** How long an idle connection is kept (http.Server's keepAliveTimeout, read by `start()`); Node's default if unset. */
  keepAliveTimeoutMs: number | undefined;

  constructor(routes: FakeRoute[] = defaultRoutes) {
    for (const r of routes) this.defaults.set(`${r.method} ${r.path}`, r.handler);
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    if (this.keepAliveTimeoutMs !== undefined) this.server.keepAliveTimeout = this.keepAliveTimeoutMs;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: p } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${p}`;
    return this.url;
  }

  /** Connections open now, a client's idle keep-alive ones included. */
  get openConnections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Overrides one route until `reset()`. A FakeReply is served to every request. */
  route(method: string, path: string, reply: FakeReply | FakeHandler): void {
    this.overrides.set(`${method} ${path}`, typeof reply === 'function' ? reply : () => reply);
  }

  reset(): void {
    this.overrides.clear();
    this.requests.length = 0;
  }

  /** Requests seen for a path (any method). */
  hits(path: string): FakeRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers.authorization;
    const key = auth?.startsWith('Bearer ') ? auth.slice(7) : (req.headers['x-api-key'] as string | undefined) ?? (req.headers['x-goog-api-key'] as string | undefined);
    const freq: FakeRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      key,
    };
    this.requests.push(freq);
    const id = `${freq.method} ${freq.path}`;
    const handler = this.overrides.get(id) ?? this.defaults.get(id);
    let reply: FakeReply;
    try {
      reply = handler ? await handler(freq) : { status: 404, body: { error: { message: `No fake route for ${id}` } } };
    } catch (e) {
      reply = { status: 500, body: { error: { message: String(e) } } };
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.hang) return; // the socket stays open until the client gives up or stop()
    if (reply.reset) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | Buffer;
    if (reply.bytes !== undefined) {
      payload = Buffer.alloc(reply.bytes, 0x20);
      headers['content-type'] ??= 'application/json';
    } else if (typeof reply.body === 'string') {
      payload = reply.body;
      headers['content-type'] ??= reply.body.trimStart().startsWith('<') ? 'text/html' : 'application/json';
    } else if (reply.body === undefined) {
      payload = '';
    } else {
      payload = JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(reply.status ?? 200, headers);
    res.end(payload);
  }
}

/** The HTML page a proxy or CDN serves when the provider is down. */
export const HTML_502 = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>cloudflare</center></body></html>';
