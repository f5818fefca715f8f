// The account options live twice: in AccountSchema (what the engine accepts) and in package.json's
// llmBalance.accounts item schema (what VS Code's settings editor offers and validates). They must not drift.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AccountSchema } from '../../src/core/model';

const ROOT = path.resolve(__dirname, '../../..');

function accountItemProperties(): Record<string, { type?: string | string[] }> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: unknown } };
  const find = (o: unknown): Record<string, unknown> | undefined => {
    if (!o || typeof o !== 'object') return undefined;
    const rec = o as Record<string, unknown>;
    if (rec['llmBalance.accounts']) return rec['llmBalance.accounts'] as Record<string, unknown>;
    for (const v of Object.values(rec)) {
      const hit = find(v);
      if (hit) return hit;
    }
    return undefined;
  };
  const setting = find(pkg.contributes.configuration) as { items: { properties: Record<string, { type?: string }> } } | undefined;
  assert.ok(setting, 'package.json declares llmBalance.accounts');
  return setting.items.properties;
}

describe('account options: AccountSchema and package.json agree', () => {
  it('every option the engine accepts is offered in settings, and nothing else', () => {
    assert.deepEqual(Object.keys(accountItemProperties()).sort(), Object.keys(AccountSchema.shape).sort());
  });

  it('the new provider options have the types the engine parses', () => {
    const props = accountItemProperties();
    assert.equal(props.projectId?.type, 'string');
    assert.equal(props.hardLimitIsRemaining?.type, 'boolean');
    assert.equal(AccountSchema.safeParse({ id: 'a', provider: 'openai', projectId: 'proj_123' }).success, true);
    assert.equal(AccountSchema.safeParse({ id: 'a', provider: 'openai', projectId: 'proj/../x' }).success, false, 'a project id is spliced into a URL path');
    assert.equal(AccountSchema.safeParse({ id: 'a', provider: 'relay', hardLimitIsRemaining: 'yes' }).success, false);
  });
});
