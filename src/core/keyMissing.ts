// Dependency-free, so the webview bundle can use it without the redaction code.
import type { BalanceResult } from './model';

export function isKeyMissing(r: Pick<BalanceResult, 'errorKind' | 'error'>): boolean {
  return r.errorKind === 'config' && /key missing/.test(r.error ?? '');
}
