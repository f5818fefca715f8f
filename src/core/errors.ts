import type { ErrorKind } from './model';

/** A failed check, classified as SPEC §3 says. Messages are already redacted. */
export class CheckError extends Error {
  override readonly name = 'CheckError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly extra: { retryAfterMs?: number; httpStatus?: number; balance?: number } = {},
  ) {
    super(message);
  }
}

export function isCheckError(e: unknown): e is CheckError {
  return e instanceof CheckError;
}
