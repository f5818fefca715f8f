import type { ErrorKind } from './model';
import { renderMessage, type Message } from './message';

/**
 * A failed check, classified as SPEC §3 says. Messages are already redacted. Our own text is
 * given as a Message: `message` is its English, `l10n` what the extension translates.
 */
export class CheckError extends Error {
  override readonly name = 'CheckError';
  readonly l10n?: Message;
  constructor(
    readonly kind: ErrorKind,
    message: string | Message,
    readonly extra: { retryAfterMs?: number; httpStatus?: number; balance?: number } = {},
  ) {
    super(typeof message === 'string' ? message : renderMessage(message));
    if (typeof message !== 'string') this.l10n = message;
  }
}

export function isCheckError(e: unknown): e is CheckError {
  return e instanceof CheckError;
}
