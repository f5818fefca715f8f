// Proxies: HTTP(S)_PROXY / NO_PROXY from the environment and an explicit proxy URL (VS Code's
// http.proxy), against a real CONNECT proxy on loopback.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/core/http';

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
    // 127.0.0.2 is loopback too, but not in the always-direct list, so a proxy applies to it.
    await new Promise<void>((r) => target.listen(0, '127.0.0.2', () => r()));
    targetUrl = `http://127.0.0.2:${(target.address() as AddressInfo).port}/x`;
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
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

  async function get(client: HttpClient): Promise<unknown> {
    try {
      return (await client.json(targetUrl)).json;
    } finally {
      await client.close();
    }
  }

  it('goes through HTTP_PROXY from the environment', async () => {
    assert.deepEqual(await get(new HttpClient({ env: { HTTP_PROXY: proxyUrl } })), { ok: true });
    assert.equal(tunnels.length, 1);
    assert.match(tunnels[0]!, /^127\.0\.0\.2:\d+$/);
  });

  it('goes through an explicit proxy URL (http.proxy)', async () => {
    assert.deepEqual(await get(new HttpClient({ proxy: proxyUrl, env: {} })), { ok: true });
    assert.equal(tunnels.length, 1);
  });

  it('honours NO_PROXY', async () => {
    assert.deepEqual(await get(new HttpClient({ env: { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.2' } })), { ok: true });
    assert.equal(tunnels.length, 0);
  });

  it('never sends 127.0.0.1 or localhost through a proxy', async () => {
    const local = http.createServer((_q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end('{"local":1}'));
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', () => r()));
    const c = new HttpClient({ env: { HTTP_PROXY: proxyUrl } });
    try {
      assert.deepEqual((await c.json(`http://127.0.0.1:${(local.address() as AddressInfo).port}/`)).json, { local: 1 });
      assert.equal(tunnels.length, 0);
    } finally {
      await c.close();
      local.close();
    }
  });
});
