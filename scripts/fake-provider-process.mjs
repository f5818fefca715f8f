// The fake providers (test/fake/server.ts) in a process of their own, for the benchmarks: the
// server's CPU, sockets and request log then stay out of the process being measured, as a real
// provider's would. Started by startFakeProviders(); it reads its routes as JSON on stdin.
//   route { method, path, delayMs?, body }                 a fixed answer
//   route { method, path, delayMs?, draining: { credits, perRequest, topUpBelow, topUp, shape } }
//       a balance that shrinks with every request and is topped up when little is left
//       (warnings, criticals and top-ups over a simulated month), answered as OpenRouter's
//       /credits (shape "openrouter") or DeepSeek's /user/balance in USD (shape "deepseek").
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Starts the child; resolves to { url, stop() }. */
export async function startFakeProviders(routes) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify(routes));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /^(http:\/\/\S+)\n/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the fake providers exited (${code}) before listening`)));
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

if (process.argv[2] === '--child') {
  const require = createRequire(import.meta.url);
  const { FakeProviderServer } = require(path.join(root, 'out/test/fake/server.js'));
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const server = new FakeProviderServer();
  await server.start();
  for (const r of JSON.parse(text)) {
    if (r.draining) {
      const d = r.draining;
      let credits = d.credits;
      let usage = 0;
      server.route(r.method, r.path, () => {
        usage = Math.round((usage + d.perRequest) * 1e6) / 1e6;
        if (credits - usage < d.topUpBelow) credits += d.topUp;
        const body = d.shape === 'deepseek'
          ? { is_available: true, balance_infos: [{ currency: 'USD', total_balance: (credits - usage).toFixed(4), granted_balance: '0.00', topped_up_balance: (credits - usage).toFixed(4) }] }
          : { data: { total_credits: credits, total_usage: usage } };
        return { delayMs: r.delayMs, body };
      });
    } else {
      server.route(r.method, r.path, { delayMs: r.delayMs, body: r.body });
    }
  }
  // The server keeps a log of requests for tests; a benchmark sends a million of them.
  setInterval(() => (server.requests.length = 0), 1000).unref();
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
  process.stdout.write(`${server.url}\n`);
}
