import * as assert from 'node:assert/strict';
import { formatRate, formatTick } from '../../../src/webview/format';

describe('webview money formatting', () => {
  it('chart ticks stay short and readable for huge values, never "1e+19k"', () => {
    assert.equal(formatTick(5), '5.00');
    assert.equal(formatTick(12.5), '12.5');
    assert.equal(formatTick(250), '250');
    assert.equal(formatTick(25_000), '25k');
    assert.equal(formatTick(3_400_000), '3M');
    assert.equal(formatTick(7e9), '7B');
    assert.equal(formatTick(1e22), '1.0e+22');
    assert.equal(formatTick(-1e22), '-1.0e+22');
    assert.equal(formatTick(Number.NaN), '');
  });

  it('a burn rate below a cent says so, and huge rates use the shared money rules', () => {
    assert.equal(formatRate(0.004, 'USD'), '< $0.01');
    assert.equal(formatRate(1e22, 'USD'), '$1.00e+22');
  });
});
