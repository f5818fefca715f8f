// Small, pure formatting helpers shared by the CLI, the extension and the alert channels.

const SYMBOLS: Record<string, string> = { USD: '$', CNY: '¥', EUR: '€', GBP: '£' };

/** Beyond this, cents are below a double's precision: whole units only. */
const WHOLE_UNITS_FROM = 1e13;
/** Beyond this, digits are noise (and usually a sentinel or a bug): scientific notation. */
const SCIENTIFIC_FROM = 1e15;

function withCurrency(digits: string, code: string, neg: boolean): string {
  const symbol = SYMBOLS[code];
  if (symbol) return `${neg ? '-' : ''}${symbol}${digits}`;
  return `${neg ? '-' : ''}${digits} ${code}`;
}

function group(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Money for people: "$0.69", "¥88.88", "€1.00", "£3.50", "-$2.00", "$1,234.50";
 * any other currency as "12.40 XYZ". Two decimals, so that nothing reads as more or less than it is:
 * - an unknown amount (null, NaN, ±Infinity) is "—", never "NaN" or a made-up 0;
 * - a non-zero amount that rounds to zero says so: "< $0.01", "> -$0.01" (never "$0.00" for money that is there);
 * - negative zero is "$0.00";
 * - from 10 trillion whole units only ("$12,345,678,901,234"), from 1e15 scientific ("$1.23e+22").
 */
export function formatMoney(amount: number | null | undefined, currency: string): string {
  const code = currency.trim().toUpperCase();
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const abs = Math.abs(amount);
  const neg = amount < 0;
  if (abs >= SCIENTIFIC_FROM) {
    const [mantissa, exponent] = abs.toExponential(2).split('e');
    return withCurrency(`${mantissa}e${exponent}`, code, neg);
  }
  if (abs >= WHOLE_UNITS_FROM) return withCurrency(group(Math.round(abs).toString()), code, neg);
  // Round half away from zero on the decimal value, not the binary one (1.005 → 1.01).
  const cents = Math.round(abs * 100 + 1e-9);
  if (cents === 0 && abs > 0) return neg ? `> ${withCurrency('0.01', code, true)}` : `< ${withCurrency('0.01', code, false)}`;
  const digits = `${group(Math.floor(cents / 100).toString())}.${(cents % 100).toString().padStart(2, '0')}`;
  return withCurrency(digits, code, neg && cents !== 0);
}
