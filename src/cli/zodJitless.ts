// Imported first by each command's bundle, before any schema is built (zod decides when a
// schema is made): zod then parses without its eval-compiled fast path. A CLI run parses each
// schema a handful of times, so compiling that path costs more than it saves, and code made by
// eval is outside the V8 code cache (codeCache.ts). Results are the same either way.
import * as z from 'zod/mini';

z.config({ jitless: true });
