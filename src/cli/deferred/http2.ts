// node:http2 as undici's HTTP/2 client sees it in the CLI's bundle (esbuild.mjs). undici requires
// it on load for seven header names, and connects with it only when a server agrees to HTTP/2,
// which needs `allowH2` (HttpClient never sets it); node:http2 with tls was the largest module
// that `check` loaded (issue 14). The names are fixed by RFC 9113 and a unit test holds them to
// node:http2's own; the real module loads if connect is ever called.
import type * as Http2 from 'node:http2';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = () => require('node:http2') as typeof Http2;

export const constants = {
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_HEADER_EXPECT: 'expect',
  HTTP2_HEADER_STATUS: ':status',
} as const;

export const connect = ((...args: Parameters<typeof Http2.connect>) => real().connect(...args)) as typeof Http2.connect;
