import * as assert from 'node:assert/strict';
import { formatMoney } from '../../../src/core/format';

describe('formatMoney', () => {
  it('uses the symbol for USD, CNY, EUR and GBP', () => {
    assert.equal(formatMoney(0.69, 'USD'), '$0.69');
    assert.equal(formatMoney(88.88, 'CNY'), '¥88.88');
    assert.equal(formatMoney(1, 'EUR'), '€1.00');
    assert.equal(formatMoney(3.5, 'gbp'), '£3.50');
  });

  it('writes other currencies as "12.40 XYZ"', () => {
    assert.equal(formatMoney(12.4, 'XYZ'), '12.40 XYZ');
    assert.equal(formatMoney(-3, 'JPY'), '-3.00 JPY');
  });

  it('rounds to cents, groups thousands and signs negatives', () => {
    assert.equal(formatMoney(1.005, 'USD'), '$1.01');
    assert.equal(formatMoney(1234567.891, 'USD'), '$1,234,567.89');
    assert.equal(formatMoney(-2, 'USD'), '-$2.00');
    assert.equal(formatMoney(0, 'CNY'), '¥0.00');
  });

  it('never prints NaN as money', () => {
    assert.equal(formatMoney(Number.NaN, 'USD'), '—');
    assert.equal(formatMoney(Number.POSITIVE_INFINITY, 'CNY'), '—');
    assert.equal(formatMoney(null, 'USD'), '—');
  });

  it('money that rounds to zero is never shown as none: "< $0.01", "> -$0.01"', () => {
    assert.equal(formatMoney(0.004, 'USD'), '< $0.01');
    assert.equal(formatMoney(0.0000001, 'CNY'), '< ¥0.01');
    assert.equal(formatMoney(-0.001, 'USD'), '> -$0.01');
    assert.equal(formatMoney(-0.0010747, 'XYZ'), '> -0.01 XYZ');
    assert.equal(formatMoney(0.005, 'USD'), '$0.01');
    assert.equal(formatMoney(Number.MIN_VALUE, 'USD'), '< $0.01');
  });

  it('negative zero is plain zero', () => {
    assert.equal(formatMoney(-0, 'USD'), '$0.00');
    assert.equal(formatMoney(-0, 'JPY'), '0.00 JPY');
  });

  it('huge amounts keep their digits honest: whole units from 1e13, scientific from 1e15', () => {
    assert.equal(formatMoney(9_999_999_999_999.99, 'USD'), '$9,999,999,999,999.99');
    assert.equal(formatMoney(12_345_678_901_234.56, 'USD'), '$12,345,678,901,235');
    assert.equal(formatMoney(1e22, 'USD'), '$1.00e+22');
    assert.equal(formatMoney(1.2345e22 + 0.84, 'USD'), '$1.23e+22');
    assert.equal(formatMoney(-1e22, 'CNY'), '-¥1.00e+22');
    assert.equal(formatMoney(Number.MAX_VALUE, 'XYZ'), '1.80e+308 XYZ');
    for (const n of [1e13, 1e15, 1e21, 1e22, 1e100, Number.MAX_VALUE]) {
      assert.doesNotMatch(formatMoney(n, 'USD'), /e\+\d+\.\d|NaN|Infinity|undefined/, String(n));
    }
  });
});

