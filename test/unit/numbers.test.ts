import * as assert from 'node:assert/strict';
import { parseAmount, parseOptionalAmount, roundMoney, getPath } from '../../src/core/numbers';
import { redact, mask } from '../../src/core/redact';

describe('numbers', () => {
  it('parses numbers and decimal strings strictly', () => {
    assert.equal(parseAmount(1.5, 'x'), 1.5);
    assert.equal(parseAmount('110.00', 'x'), 110);
    assert.equal(parseAmount(' -1000 ', 'x'), -1000);
    assert.equal(parseAmount('1e3', 'x'), 1000);
    for (const bad of ['', 'abc', '1,5', '12abc', 'NaN', 'Infinity', true, {}, []]) {
      assert.throws(() => parseAmount(bad, 'x'), /x/, JSON.stringify(bad));
    }
    assert.throws(() => parseAmount(NaN, 'x'));
    assert.throws(() => parseAmount(undefined, 'field'), /no "field"/);
    assert.equal(parseOptionalAmount(null, 'x'), null);
  });
  it('rounds away float noise', () => {
    assert.equal(roundMoney(0.1 + 0.2), 0.3);
    assert.equal(roundMoney(100.5 - 25.75), 74.75);
  });
  it('reads dotted paths', () => {
    assert.equal(getPath({ a: { b: [{ c: 3 }] } }, 'a.b.0.c'), 3);
    assert.equal(getPath({ a: 1 }, 'a.b'), undefined);
    assert.equal(getPath({}, '__proto__.x'), undefined);
  });
});

describe('redact', () => {
  it('keeps at most the first and last 4 characters', () => {
    assert.equal(mask('sk-or-v1-abcdefghijklmnop'), 'sk-o…mnop');
    assert.equal(mask('short'), '****');
  });
  it('removes known secrets and key-shaped strings', () => {
    const key = 'mysecretkeyvalue-123456';
    assert.ok(!redact(`bad key ${key}`, [key]).includes(key));
    assert.ok(!redact('Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx').includes('abcdefghijklmnop'));
    assert.ok(!redact('Authorization: Bearer abcdefghijklmnop1234').includes('abcdefghijklmnop1234'));
    assert.equal(redact('HTTP 500 from api.deepseek.com'), 'HTTP 500 from api.deepseek.com');
    assert.equal(redact('via http://bob:hunter2@proxy.local:8080 and smtp://u%40x.com:p%40ss@mail:587'), 'via http://****@proxy.local:8080 and smtp://****@mail:587');
    assert.equal(redact('http://bob:p@ss0rd@proxy:8080/x and https://TOKEN123@hooks.example.com/a'), 'http://****@proxy:8080/x and https://****@hooks.example.com/a');
  });
});
