import type * as EngineModule from '../engineBundle';

export type Engine = typeof EngineModule;
let loaded: Engine | undefined;

/** The engine bundle (src/engineBundle.ts, built as dist/engine.js), required on first use. */
export function engine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./engine.js') as Engine;
  return loaded;
}
