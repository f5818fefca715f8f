import * as path from 'node:path';
import type * as EngineModule from '../engine';
import type * as EngineMainModule from '../engineMain';

export type Engine = typeof EngineModule;
type MainHalf = typeof EngineMainModule;

/** What only the whole engine has (it sends requests from this thread): loaded when first read. */
const WHOLE_ENGINE_ONLY: Record<Exclude<keyof Engine, keyof MainHalf>, true> = {
  HttpClient: true,
  checkUrlPolicy: true,
  checkAccount: true,
  checkOver: true,
  createChannels: true,
  channelProblem: true,
  CHANNELS: true,
  secretPieces: true,
  deliverAlerts: true,
};

/** The check worker's script, beside this bundle. */
export const CHECK_WORKER_FILE = path.join(__dirname, 'check-worker.js');

let loaded: Engine | undefined;
let whole: Engine | undefined;

/**
 * The engine, required on first use: its main-thread half (dist/engine-main.js, no undici) at
 * once, the rest (dist/engine.js) only when one of its names is read.
 */
export function engine(): Engine {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const e: Record<string, unknown> = { ...(require('./engine-main.js') as MainHalf) };
  for (const name of Object.keys(WHOLE_ENGINE_ONLY)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Object.defineProperty(e, name, { enumerable: true, get: () => (whole ??= require('./engine.js') as Engine)[name as keyof Engine] });
  }
  loaded = e as Engine;
  return loaded;
}
