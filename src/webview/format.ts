// Formatting for the panel. Money comes from the core so the panel, status bar and CLI agree.
import { formatMoney } from '../core/format';
import type { Level } from '../core/model';
import { locale, t } from './l10n';

export { formatMoney };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function levelLabel(level: Level): string {
  switch (level) {
    case 'ok': return t('OK');
    case 'info': return t('Info');
    case 'warning': return t('Warning');
    case 'critical': return t('Critical');
    case 'error': return t('Error');
  }
}

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

/** "3 d 4 h", "25 min". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return t('under a minute');
  if (ms < HOUR) return t('{0} min', Math.round(ms / MINUTE));
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.round((ms % HOUR) / MINUTE);
    return m && h < 10 ? t('{0} h {1} min', h, m) : t('{0} h', h);
  }
  const d = Math.floor(ms / DAY);
  const h = Math.round((ms % DAY) / HOUR);
  return h && d < 10 ? t('{0} d {1} h', d, h) : t('{0} d', d);
}

export function formatAgo(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return t('unknown');
  if (ms < MINUTE) return t('just now');
  return t('{0} ago', formatDuration(ms));
}

function dateTimeFormat(): Intl.DateTimeFormat {
  const opts: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale, opts);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts);
  }
}
const dateTime = dateTimeFormat();

export function formatDateTime(t: number | string): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : dateTime.format(d);
}
