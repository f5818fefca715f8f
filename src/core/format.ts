// Small, pure formatting helpers shared by the CLI, the extension and the alert channels.

const SYMBOLS: Record<string, string> = { USD: '$', CNY: '¥', EUR: '€', GBP: '£' };

/**
 * Money for people: "$0.69", "¥88.88", "€1.00", "£3.50", "-$2.00", "$1,234.50";
 * any other currency as "12.40 XYZ". Always two decimals. An unknown amount (null, or anything
 * that is not a finite number) is "—": never "NaN", never a made-up 0.
 */
export function formatMoney(amount: number | null | undefined, currency: string): string {
  const code = currency.trim().toUpperCase();
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  // Round half away from zero on the decimal value, not the binary one (1.005 → 1.01).
  const cents = Math.round(Math.abs(amount) * 100 + 1e-9);
  const neg = amount < 0 && cents !== 0;
  const whole = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const digits = `${whole}.${(cents % 100).toString().padStart(2, '0')}`;
  const symbol = SYMBOLS[code];
  if (symbol) return `${neg ? '-' : ''}${symbol}${digits}`;
  return `${neg ? '-' : ''}${digits} ${code}`;
}
