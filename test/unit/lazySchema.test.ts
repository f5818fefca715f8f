import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { lazySchema } from '../../src/core/lazySchema';
import { AccountSchema, BalanceResultSchema } from '../../src/core/model';

describe('lazySchema', () => {
  it('builds nothing until first used, then once, however often and however it is used', () => {
    let builds = 0;
    const Pair = lazySchema(() => {
      builds++;
      return z.object({ warning: z.number(), critical: z.number() });
    });
    const Outer = lazySchema(() => z.object({ pair: z.optional(Pair), list: z.array(Pair) }));
    assert.equal(builds, 0, 'defining schemas on it builds neither');
    assert.deepEqual(Outer.parse({ pair: { warning: 10, critical: 5 }, list: [] }), { pair: { warning: 10, critical: 5 }, list: [] });
    assert.equal(builds, 1);
    assert.equal(Pair.safeParse({ warning: 'ten', critical: 5 }).success, false);
    assert.deepEqual(Object.keys(Pair.shape), ['warning', 'critical']);
    assert.ok(Pair instanceof z.ZodMiniObject);
    assert.equal(builds, 1, 'built once');
  });

  it('is the schema it stands for: the same errors, the same output, the same JSON schema', () => {
    const build = () => z.object({ n: z.number().check(z.positive()), s: z.optional(z.string().check(z.trim(), z.toUpperCase())) });
    const eager = build();
    const lazy = lazySchema(build);
    for (const input of [{ n: 1, s: ' usd ' }, { n: -1 }, { n: 'x' }, null, { n: Number.NaN }]) {
      const a = eager.safeParse(input);
      const b = lazy.safeParse(input);
      assert.equal(b.success, a.success, JSON.stringify(input));
      assert.deepEqual(b.success ? b.data : b.error.issues, a.success ? a.data : a.error.issues);
    }
    assert.deepEqual(z.toJSONSchema(lazy), z.toJSONSchema(eager));
  });

  it('the model schemas built this way still reject a wrong number as money', () => {
    const result = {
      accountId: 'a', provider: 'openrouter', label: 'A', status: 'valid', level: 'ok',
      balance: 1.5, currency: 'USD', usage: null, limit: null, checkedAt: '2026-12-01T00:00:00.000Z',
    };
    assert.equal(BalanceResultSchema.safeParse(result).success, true);
    for (const balance of [Number.NaN, '1.5', Infinity]) {
      assert.equal(BalanceResultSchema.safeParse({ ...result, balance }).success, false, String(balance));
    }
    assert.equal(AccountSchema.safeParse({ id: 'Bad Id', provider: 'openrouter' }).success, false);
    assert.equal(AccountSchema.safeParse({ id: 'ok', provider: 'nope' }).success, false);
  });
});
