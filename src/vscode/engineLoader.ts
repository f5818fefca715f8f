import type * as EngineModule from '../engine';

export type Engine = typeof EngineModule;
let loaded: Engine | undefined;

/** The heavy half of the extension (dist/engine.js), required on first use. */
export function engine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./engine.js') as Engine;
  return loaded;
}
