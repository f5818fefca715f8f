import { CheckError } from './errors';
import { msg } from './message';
import { preview } from './safeText';

// Providers send amounts as numbers or decimal strings. A value that is not strictly a
// number is a bad response: never NaN, never a silent 0.
const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export function parseAmount(value: unknown, field: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new CheckError('bad_response', msg('Field "{0}" is not a finite number.', field));
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (DECIMAL.test(s)) {
      const n = Number(s);
      if (Number.isFinite(n)) return n;
    }
    throw new CheckError('bad_response', msg('Field "{0}" is not a number: {1}.', field, JSON.stringify(preview(value))));
  }
  if (value === undefined || value === null) {
    throw new CheckError('bad_response', msg('The response has no "{0}" field.', field));
  }
  throw new CheckError('bad_response', msg('Field "{0}" is not a number (got {1}).', field, typeof value));
}

/** Like parseAmount, but null / undefined mean "none" (e.g. no limit). */
export function parseOptionalAmount(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  return parseAmount(value, field);
}

/** Rounds away binary noise (0.1 + 0.2) without losing cents or sub-cent precision. */
export function roundMoney(n: number): number {
  // Far above a cent's precision there is no noise to round, and n * 1e8 could overflow to Infinity.
  if (!Number.isFinite(n) || Math.abs(n) >= 1e15) return n;
  return Math.round(n * 1e8) / 1e8;
}

/** a + b, or undefined when the sum is not a finite number (1e308 + 1e308): never Infinity as money. */
export function addMoney(a: number, b: number): number | undefined {
  const sum = roundMoney(a + b);
  return Number.isFinite(sum) ? sum : undefined;
}

/** Reads a dotted path ("data.total_credits", "items.0.amount") from parsed JSON. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (part === '') continue;
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
