import * as path from 'node:path';
import type * as EngineMainModule from '../engineMain';
import type * as EnginePanelModule from '../enginePanel';
import type * as EngineRequestsModule from '../engineBundle';

type MainHalf = typeof EngineMainModule;
type PanelPart = typeof EnginePanelModule;
type RequestsPart = typeof EngineRequestsModule;
export type Engine = MainHalf & PanelPart & RequestsPart;

/**
 * Where each name beyond the main-thread half lives, loaded when first read: the panel's
 * bundle, or dist/engine.js for what sends requests from this thread. Typed by each bundle's
 * exports, so a name is listed here exactly when its bundle exports it.
 */
export const LOADED_LATER: { readonly [K in keyof PanelPart]: './engine-panel.js' } & { readonly [K in keyof RequestsPart]: './engine.js' } = {
  BalancePanel: './engine-panel.js',
  exportHistory: './engine-panel.js',
  panelAccounts: './engine-panel.js',
  HttpClient: './engine.js',
  checkUrlPolicy: './engine.js',
  checkAccount: './engine.js',
  checkOver: './engine.js',
  createChannels: './engine.js',
  pastedProblem: './engine.js',
  CHANNELS: './engine.js',
  secretPieces: './engine.js',
  deliverAlerts: './engine.js',
};

/** The check worker's script, beside this bundle. */
export const CHECK_WORKER_FILE = path.join(__dirname, 'check-worker.js');

let loaded: Engine | undefined;
const bundles = new Map<string, Record<string, unknown>>();

function bundle(file: string): Record<string, unknown> {
  let b = bundles.get(file);
  if (!b) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    b = file === './engine.js' ? (require('./engine.js') as Record<string, unknown>) : (require('./engine-panel.js') as Record<string, unknown>);
    bundles.set(file, b);
  }
  return b;
}

/**
 * The engine (src/engineBundle.ts), required on first use: its main-thread half (dist/engine-main.js, no undici) at
 * once, the rest only when one of its names is read.
 */
export function engine(): Engine {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const e: Record<string, unknown> = { ...(require('./engine-main.js') as MainHalf) };
  for (const [name, file] of Object.entries(LOADED_LATER)) {
    Object.defineProperty(e, name, { enumerable: true, get: () => bundle(file)[name] });
  }
  loaded = e as Engine;
  return loaded;
}
