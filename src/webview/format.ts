// Formatting for the panel. Money comes from the core so the panel, status bar and CLI agree.
import { formatMoney } from '../core/format';
import type { Level } from '../core/model';

export { formatMoney };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LEVEL_TEXT: Record<Level, string> = {
  ok: 'OK',
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical',
  error: 'Error',
};

/** A rate per day; below a cent it says so rather than "$0.00". */
export function formatRate(amount: number, currency: string): string {
  if (amount > 0 && amount < 0.01) return `< ${formatMoney(0.01, currency)}`;
  return formatMoney(amount, currency);
}

/** Axis ticks: plain numbers (the axis is labelled with its currency), thousands as "k". */
export function formatTick(amount: number): string {
  const abs = Math.abs(amount);
  if (!Number.isFinite(amount)) return '';
  if (abs >= 1e15) return amount.toExponential(1);
  if (abs >= 1e9) return `${Math.round(amount / 1e9)}B`;
  if (abs >= 1e6) return `${Math.round(amount / 1e6)}M`;
  if (abs >= 10_000) return `${Math.round(amount / 1000)}k`;
  if (abs >= 100) return amount.toFixed(0);
  return amount.toFixed(abs >= 10 ? 1 : 2);
}

/** "in 3 d 4 h", "in 25 min". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return 'under a minute';
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.round((ms % HOUR) / MINUTE);
    return m && h < 10 ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(ms / DAY);
  const h = Math.round((ms % DAY) / HOUR);
  return h && d < 10 ? `${d} d ${h} h` : `${d} d`;
}

export function formatAgo(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms < MINUTE) return 'just now';
  return `${formatDuration(ms)} ago`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function formatDateTime(t: number | string): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : dateTime.format(d);
}
