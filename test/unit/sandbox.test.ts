import * as assert from 'node:assert/strict';
import { sandboxBaseUrl, sandboxOrigin, sandboxUrlProblem, SANDBOX_ENV } from '../../src/vscode/sandbox';
import '../../src/core/model'; // before the registry: the team adapter imports the model back
import { PROVIDER_IDS } from '../../src/core/providers/registry';
import { FakeProviderServer } from '../fake/server';
import { defaultRoutes } from '../fake/routes';

describe('sandbox (npm start)', () => {
  it('outside the sandbox: no proposal, nothing refused', () => {
    assert.equal(sandboxOrigin({}), undefined);
    assert.equal(sandboxBaseUrl('deepseek', {}), undefined);
    assert.equal(sandboxUrlProblem('https://api.deepseek.com', {}), undefined);
  });

  it('a sandbox URL that is not loopback is ignored rather than trusted', () => {
    assert.equal(sandboxOrigin({ [SANDBOX_ENV]: 'https://example.com' }), undefined);
    assert.equal(sandboxOrigin({ [SANDBOX_ENV]: 'not a url' }), undefined);
  });

  it('proposes the simulated provider and refuses real hosts', () => {
    const env = { [SANDBOX_ENV]: 'http://127.0.0.1:47100' };
    assert.equal(sandboxBaseUrl('openrouter', env), 'http://127.0.0.1:47100/openrouter/api/v1');
    assert.match(sandboxUrlProblem('https://api.deepseek.com', env) ?? '', /sandbox/);
    assert.equal(sandboxUrlProblem('http://127.0.0.1:47100/deepseek', env), undefined);
  });

  it('every provider, a new one included, is proposed the base URL its simulated API lives under', () => {
    const env = { [SANDBOX_ENV]: 'http://127.0.0.1:47100' };
    for (const id of PROVIDER_IDS) {
      const base = new URL(sandboxBaseUrl(id, env)!).pathname;
      const routes = defaultRoutes.map((r) => r.path).filter((p) => p.split('/')[1] === id);
      assert.ok(routes.length > 0, `${id}: no fake route under /${id} (test/fake/routes/${id}.ts)`);
      assert.ok(routes.some((p) => p === base || p.startsWith(`${base}/`)), `${id}: proposed ${base}, but its fake API is at ${routes.join(', ')}`);
    }
  });

  it('every proposed base URL answers on the simulated server', async () => {
    const fake = new FakeProviderServer();
    const origin = await fake.start();
    try {
      const env = { [SANDBOX_ENV]: origin };
      const probes: Record<string, string> = {
        openrouter: '/credits', deepseek: '/user/balance', moonshot: '/v1/users/me/balance', novita: '/openapi/v1/billing/balance/detail',
        litellm: '/key/info', relay: '/dashboard/billing/subscription', custom: '',
      };
      for (const [provider, path] of Object.entries(probes)) {
        const res = await fetch(sandboxBaseUrl(provider, env)! + path, { headers: { authorization: 'Bearer sk-test-sandbox-0001' } });
        assert.equal(res.status, 200, `${provider}: ${res.status}`);
      }
    } finally {
      await fake.stop();
    }
  });
});
