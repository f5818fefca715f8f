// Random names for temp files, probes and lock tokens. node:crypto loads on the first call, not
// on import: `llm-balance history` reads history.json and never writes, and crypto was a tenth
// of its start (issue 14).
import type * as Crypto from 'node:crypto';

/** `bytes` random bytes, as hex. */
export function randomHex(bytes: number): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof Crypto).randomBytes(bytes).toString('hex');
}
