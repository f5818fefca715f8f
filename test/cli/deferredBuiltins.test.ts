// The stand-ins the CLI's bundles give commander for node:child_process and undici for
// node:http2 (esbuild.mjs, src/cli/deferred/): each must offer all that its dependency takes
// from the real module, with the same values, and load the real one when used. A new version
// of either dependency that takes more fails here, not in a user's terminal.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
// The stand-in is the function itself (`export =`), as node:assert is.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import deferredAssert = require('../../src/cli/deferred/assert');
import * as deferredChildProcess from '../../src/cli/deferred/childProcess';
import * as deferredHttp2 from '../../src/cli/deferred/http2';

/** A file of an installed package, by its path in the package (their exports do not list these). */
const source = (pkg: string, file: string) => fs.readFile(path.join(path.dirname(require.resolve(pkg)), file), 'utf8');
const membersUsed = (text: string, name: string) => [...new Set([...text.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))].map((m) => m[1]))].sort();

describe('deferred builtins of the CLI bundles', () => {
  it('commander uses child_process only for spawn, which the stand-in has', async () => {
    const text = await source('commander', 'lib/command.js');
    assert.match(text, /const childProcess = require\('node:child_process'\);/);
    assert.deepEqual(membersUsed(text, 'childProcess'), ['spawn']);
    assert.deepEqual(Object.keys(deferredChildProcess), ['spawn']);
  });

  it('the child_process stand-in spawns through the real module', async () => {
    const child = deferredChildProcess.spawn(process.execPath, ['-e', 'process.exit(7)'], { stdio: 'ignore' });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 7);
  });

  it('undici takes from http2 the header names the stand-in has, with node:http2\'s values, and connect', async () => {
    const text = await source('undici', 'lib/dispatcher/client-h2.js');
    const block = /const \{\s*constants: \{([^}]*)\}\s*\} = http2/.exec(text);
    assert.ok(block, 'undici destructures http2.constants on load');
    const names = block[1]!.split(',').map((s) => s.trim()).filter(Boolean).sort();
    assert.deepEqual(names, Object.keys(deferredHttp2.constants).sort());
    for (const n of names) assert.equal(deferredHttp2.constants[n as keyof typeof deferredHttp2.constants], (http2.constants as Record<string, unknown>)[n], n);
    assert.deepEqual(membersUsed(text, 'http2'), ['connect']);
  });

  it('undici calls assert only as a function, which the stand-in is', async () => {
    const lib = path.join(path.dirname(require.resolve('undici')), 'lib');
    const files = (await fs.readdir(lib, { recursive: true })).filter((f) => f.endsWith('.js'));
    let requiring = 0;
    for (const f of files) {
      const text = await fs.readFile(path.join(lib, f), 'utf8');
      if (!/require\('(node:)?assert(\/strict)?'\)/.test(text)) continue;
      requiring++;
      assert.match(text, /const assert = require\('node:assert'\)/, f);
      assert.deepEqual(membersUsed(text, 'assert'), [], `${f} uses members of assert`);
    }
    assert.ok(requiring > 10, `undici requires node:assert in ${requiring} files`);
  });

  it('the assert stand-in passes what holds and throws node:assert\'s own error for what does not', () => {
    deferredAssert(1);
    deferredAssert('x', 'unused');
    assert.throws(() => deferredAssert(0, 'the invariant'), (e: unknown) => e instanceof assert.AssertionError && e.message === 'the invariant' && e.code === 'ERR_ASSERTION');
    assert.throws(() => deferredAssert(null), assert.AssertionError);
  });

  it('the http2 stand-in connects through the real module', async () => {
    const server = http2.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const session = deferredHttp2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const body = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ':path': '/' });
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (text += c));
        req.on('end', () => resolve(text));
        req.on('error', reject);
        req.end();
      });
      session.close();
      assert.equal(body, 'ok');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
