import * as assert from 'node:assert/strict';
import { HttpClient, checkUrlPolicy, parseRetryAfter } from '../../src/core/http';
import { CheckError } from '../../src/core/errors';
import { rejection, useFakeServer, VALID_KEY } from './helpers';
import { HTML_502 } from '../fake/server';

const failure = (p: Promise<unknown>) => rejection(p, CheckError);

describe('http client', () => {
  const f = useFakeServer();
  let http: HttpClient;
  beforeEach(() => {
    http = new HttpClient({ timeoutMs: 500, env: {} });
  });
  afterEach(async () => {
    await http.close();
  });
  const url = (p: string) => f.server.url + p;

  it('parses JSON from a 2xx answer', async () => {
    f.server.route('GET', '/x', { body: { a: 1 } });
    const r = await http.json(url('/x'));
    assert.deepEqual(r.json, { a: 1 });
  });

  it('times out a server that never answers', async () => {
    f.server.route('GET', '/hang', { hang: true });
    const t0 = Date.now();
    const e = await failure(http.json(url('/hang')));
    assert.equal(e.kind, 'timeout');
    assert.ok(Date.now() - t0 < 3000);
  });

  it('gives up on a 5 MiB body', async () => {
    f.server.route('GET', '/big', { bytes: 5 * 1024 * 1024 });
    const e = await failure(http.json(url('/big')));
    assert.equal(e.kind, 'bad_response');
    assert.match(e.message, /more than 1024 KiB/);
  });

  it('calls truncated JSON and HTML bad responses', async () => {
    f.server.route('GET', '/trunc', { body: '{"data":{"total_credits":1' });
    assert.equal((await failure(http.json(url('/trunc')))).kind, 'bad_response');
    f.server.route('GET', '/html', { body: HTML_502 });
    const e = await failure(http.json(url('/html')));
    assert.match(e.message, /HTML page/);
  });

  it('classifies status codes', async () => {
    const cases: [number, string][] = [[401, 'auth'], [403, 'auth'], [402, 'insufficient_funds'], [429, 'rate_limited'], [500, 'server'], [503, 'server'], [404, 'config'], [418, 'bad_response']];
    for (const [status, kind] of cases) {
      f.server.route('GET', '/s', { status, body: { error: { message: 'nope' } } });
      assert.equal((await failure(http.json(url('/s')))).kind, kind, `HTTP ${status}`);
    }
  });

  it('reads Retry-After in seconds and as a date', async () => {
    f.server.route('GET', '/rl', { status: 429, headers: { 'retry-after': '7' }, body: {} });
    assert.equal((await failure(http.json(url('/rl')))).extra.retryAfterMs, 7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now), 60_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    // So many seconds that they make Infinity ms: no time to wait for, and still a rate limit (not NaN or Infinity in words).
    assert.equal(parseRetryAfter('9'.repeat(400)), undefined);
    f.server.route('GET', '/rl-huge', { status: 429, headers: { 'retry-after': '9'.repeat(400) }, body: {} });
    const huge = await failure(http.json(url('/rl-huge')));
    assert.equal(huge.kind, 'rate_limited');
    assert.equal(huge.extra.retryAfterMs, undefined);
    assert.doesNotMatch(huge.message, /Infinity|NaN/);
  });

  it('redacts a key the provider echoes back', async () => {
    f.server.route('GET', '/echo', (req) => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${req.key}` } } }));
    const e = await failure(http.json(url('/echo'), { headers: { authorization: `Bearer ${VALID_KEY}` }, secrets: [VALID_KEY] }));
    assert.ok(!e.message.includes(VALID_KEY), e.message);
    assert.match(e.message, /sk-t…ALID/);
  });

  it('follows a same-origin redirect but never carries the key to another host', async () => {
    f.server.route('GET', '/old', { status: 301, headers: { location: '/new' } });
    f.server.route('GET', '/new', { body: { ok: true } });
    assert.deepEqual((await http.json(url('/old'))).json, { ok: true });
    f.server.route('GET', '/away', { status: 302, headers: { location: 'http://127.0.0.2:9/steal' } });
    const e = await failure(http.json(url('/away')));
    assert.match(e.message, /another host/);
  });

  it('refuses plain http to a non-loopback host before sending anything', async () => {
    const e = await failure(http.json('http://example.com/x'));
    assert.equal(e.kind, 'config');
    assert.equal(checkUrlPolicy('https://api.example.com'), undefined);
    assert.equal(checkUrlPolicy('http://localhost:4000'), undefined);
    assert.equal(checkUrlPolicy('http://127.0.0.1:4000'), undefined);
    assert.match(checkUrlPolicy('ftp://x') ?? '', /scheme/);
  });

  it('a refused connection is a network error', async () => {
    const e = await failure(http.json('http://127.0.0.1:1/x'));
    assert.equal(e.kind, 'network');
  });
});
