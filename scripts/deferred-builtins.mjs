// The esbuild plugin that gives the CLI's bundles their deferred builtins (src/cli/deferred/):
// used by esbuild.mjs, and by scripts/bench-cli.mjs so that its undici floor loads undici as
// the CLI does (without it the floor paid ~20 ms for node:http2 and node:assert that `check` never loads).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Builtins that a dependency requires on load but uses only on a path the CLI never takes: for
// that dependency alone, a module that loads the real one on first use (src/cli/deferred/).
export const deferredBuiltins = {
  name: 'deferred-builtins',
  setup(build) {
    const deferred = [
      { builtin: 'node:child_process', importer: /[\\/]commander[\\/]lib[\\/]command\.js$/, stub: 'src/cli/deferred/childProcess.ts' },
      { builtin: 'node:http2', importer: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/, stub: 'src/cli/deferred/http2.ts' },
      { builtin: 'node:assert', importer: /[\\/]undici[\\/]lib[\\/]/, stub: 'src/cli/deferred/assert.ts' },
    ];
    build.onResolve({ filter: /^node:(child_process|http2|assert)$/ }, (args) => {
      const d = deferred.find((x) => x.builtin === args.path && x.importer.test(args.importer));
      return d ? { path: path.join(root, d.stub) } : undefined;
    });
  },
};
