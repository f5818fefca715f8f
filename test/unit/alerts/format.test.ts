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
    assert.equal(formatMoney(0.004, 'USD'), '$0.00');
    assert.equal(formatMoney(-0.001, 'USD'), '$0.00');
    assert.equal(formatMoney(1234567.891, 'USD'), '$1,234,567.89');
    assert.equal(formatMoney(-2, 'USD'), '-$2.00');
    assert.equal(formatMoney(0, 'CNY'), '¥0.00');
  });

  it('never prints NaN as money', () => {
    assert.equal(formatMoney(Number.NaN, 'USD'), '—');
    assert.equal(formatMoney(Number.POSITIVE_INFINITY, 'CNY'), '—');
    assert.equal(formatMoney(null, 'USD'), '—');
  });
});
