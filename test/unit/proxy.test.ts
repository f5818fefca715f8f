// Proxies: HTTP(S)_PROXY / NO_PROXY from the environment and an explicit proxy URL (VS Code's
// http.proxy), against a real CONNECT proxy on loopback.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { checkAccount } from '../../src/core/check';
import { HttpClient } from '../../src/core/http';
import { errorText } from '../../src/core/message';
import { AccountSchema } from '../../src/core/model';
import { DEFAULT_THRESHOLD_SETTINGS } from '../../src/core/thresholds';
import { VALID_KEY } from './helpers';
import { assertTranslatable, zhT } from './messageChecks';

describe('http client through a proxy', () => {
  let target: http.Server;
  let proxy: http.Server;
  let targetUrl: string;
  let proxyUrl: string;
  const tunnels: string[] = [];

  before(async () => {
    target = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    // 127.0.0.2 is loopback too: it must never go through the proxy (it once did).
    await new Promise<void>((r) => target.listen(0, '127.0.0.2', () => r()));
    targetUrl = `http://127.0.0.2:${(target.address() as AddressInfo).port}/x`;
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      // Nothing here resolves names: say so at once rather than wait on DNS.
      if (!net.isIP(host ?? '')) {
        socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
        return;
      }
      const up = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(socket);
        socket.pipe(up);
      });
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(() => {
    target.close();
    proxy.close();
  });
  beforeEach(() => {
    tunnels.length = 0;
  });

  async function get(client: HttpClient, url = targetUrl): Promise<unknown> {
    try {
      return (await client.json(url)).json;
    } finally {
      await client.close();
    }
  }

  /** A request to a name that is not loopback: the proxy sees its CONNECT (and the test's proxy tunnels it nowhere). */
  async function tunnelled(client: HttpClient): Promise<string[]> {
    await get(client, 'https://provider.example.test/v1/balance').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    return tunnels.slice();
  }

  it('goes through HTTPS_PROXY from the environment', async () => {
    assert.deepEqual(await tunnelled(new HttpClient({ env: { HTTPS_PROXY: proxyUrl } })), ['provider.example.test:443']);
  });

  it('goes through an explicit proxy URL (http.proxy)', async () => {
    assert.deepEqual(await tunnelled(new HttpClient({ proxy: proxyUrl, env: {} })), ['provider.example.test:443']);
  });

  it('honours NO_PROXY', async () => {
    assert.deepEqual(await tunnelled(new HttpClient({ timeoutMs: 2000, env: { HTTPS_PROXY: proxyUrl, NO_PROXY: 'localhost,provider.example.test' } })), []);
  });

  it('never sends loopback through a proxy, whatever its spelling', async () => {
    const local = http.createServer((_q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end('{"local":1}'));
    const local6 = http.createServer((_q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end('{"local":6}'));
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => local6.listen(0, '::1', () => r()));
    const port = (local.address() as AddressInfo).port;
    const port6 = (local6.address() as AddressInfo).port;
    const t2 = (target.address() as AddressInfo).port;
    try {
      const cases: [string, unknown][] = [
        [`http://127.0.0.1:${port}/`, { local: 1 }],
        [`http://127.1:${port}/`, { local: 1 }],
        [`http://2130706433:${port}/`, { local: 1 }],
        [`http://127.0.0.2:${t2}/x`, { ok: true }],
        [`http://[::1]:${port6}/`, { local: 6 }],
        [`http://[0:0:0:0:0:0:0:1]:${port6}/`, { local: 6 }],
      ];
      for (const [url, body] of cases) {
        tunnels.length = 0;
        assert.deepEqual(await get(new HttpClient({ env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl } }), url), body, url);
        assert.deepEqual(tunnels, [], url);
      }
      // Names that may not resolve here: whatever the outcome, nothing reaches the proxy.
      for (const url of [`http://localhost:${port}/`, `http://foo.localhost:${port}/`, `http://localhost.:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
        tunnels.length = 0;
        await get(new HttpClient({ env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl } }), url).catch((e: Error) => assert.doesNotMatch(e.message, /proxy/i));
        assert.deepEqual(tunnels, [], url);
      }
    } finally {
      local.close();
      local6.close();
    }
  });

  for (const bad of ['socks5://127.0.0.1:1080', '127.0.0.1:3128', 'http://', 'pac+http://wpad/proxy.pac']) {
    it(`a proxy it cannot use (${bad}) is a clear error for remote hosts, never a crash; loopback still works`, async () => {
      for (const settings of [{ env: { HTTPS_PROXY: bad } }, { proxy: bad, env: {} }]) {
        const c = new HttpClient(settings);
        assert.match(c.proxyProblem ?? '', /proxy/i);
        await assert.rejects(get(c, 'https://provider.example.test/v1'), (e: Error & { kind?: string }) => {
          assert.equal(e.kind, 'config');
          assert.match(e.message, /proxy/);
          return true;
        });
        assert.deepEqual(await get(new HttpClient(settings)), { ok: true });
        assert.deepEqual(tunnels, []);
      }
    });
  }

  it('a proxy URL with a password is never shown whole', async () => {
    // The last two are written without "//": their credentials are where a URL's rule does not look.
    for (const bad of ['socks5://alice:s3cretpass@proxy.example:1080', 'http:/alice:s3cretpass@proxy.example:3128', 'alice:s3cretpass@proxy.example:3128']) {
      const c = new HttpClient({ env: { HTTPS_PROXY: bad } });
      assert.ok(c.proxyProblem && !c.proxyProblem.includes('s3cretpass') && !c.proxyProblem.includes('alice'), c.proxyProblem);
      await assert.rejects(get(c, 'https://provider.example.test/v1'), (e: Error) => !e.message.includes('s3cretpass'));
      await c.close();
    }
  });

  it('a proxy it cannot use is said in the display language in a check\'s error; its English is as before', async () => {
    const cases = [
      {
        proxy: 'socks5://127.0.0.1:1080',
        en: 'The proxy "socks5://127.0.0.1:1080" uses socks5, which LLM Balance cannot use: set an http:// or https:// proxy.',
        zh: '代理“socks5://127.0.0.1:1080”使用的是 socks5，LLM Balance 无法使用：请设置 http:// 或 https:// 代理。',
      },
      {
        proxy: 'proxy.example',
        en: 'The proxy "proxy.example" is not a URL: write it with its scheme, e.g. "http://proxy.example".',
        zh: '代理“proxy.example”不是 URL：请连同协议一起填写，例如“http://proxy.example”。',
      },
    ];
    for (const { proxy: bad, en, zh } of cases) {
      const c = new HttpClient({ proxy: bad, env: {} });
      try {
        // The log's English (the CLI's warning, the check worker's log line).
        assert.equal(c.proxyProblem, en);
        const account = AccountSchema.parse({ id: 'remote', provider: 'deepseek', baseUrl: 'https://provider.example.test' });
        const r = await checkAccount(account, { key: VALID_KEY }, { http: c, thresholds: DEFAULT_THRESHOLD_SETTINGS });
        assert.deepEqual([r.status, r.errorKind, r.error], ['error', 'config', en]);
        assert.equal(errorText(r, zhT), zh);
        assertTranslatable(r);
      } finally {
        await c.close();
      }
    }
    assert.deepEqual(tunnels, []);
  });

  it('a proxy written without its scheme is hinted with its host and port whole', async () => {
    const hints: Array<[string, string]> = [
      ['127.0.0.1:3128', 'http://127.0.0.1:3128'],
      ['localhost:3128', 'http://localhost:3128'],
      ['proxy.example:8080/', 'http://proxy.example:8080/'],
      ['[::1]:3128', 'http://[::1]:3128'],
      ['http:/proxy.example:3128', 'http://proxy.example:3128'],
      ['proxy.example', 'http://proxy.example'],
    ];
    for (const [bad, hint] of hints) {
      const c = new HttpClient({ proxy: bad, env: {} });
      assert.equal(c.proxyProblem, `The proxy "${bad}" is not a URL: write it with its scheme, e.g. "${hint}".`, bad);
      await c.close();
    }
  });
});
