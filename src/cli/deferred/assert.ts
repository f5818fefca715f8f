// node:assert as undici sees it in the CLI's bundle (esbuild.mjs). undici only ever calls
// assert(value[, message]) on its own invariants, which hold; the real module, with its error
// and call-tracker machinery, loads when one fails and throws its own AssertionError.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = () => require('node:assert') as (value: unknown, message?: string | Error) => void;

function assert(value: unknown, message?: string | Error): asserts value {
  if (!value) real()(value, message);
}

export = assert;
