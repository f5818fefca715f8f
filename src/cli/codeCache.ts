// V8 code cache for the CLI's bundles (issue 14). Node 20 has no
// `module.enableCompileCache`, so a bundle is compiled through vm.Script with the bytecode that
// an earlier run saved: compiling ~1 MB of JavaScript is most of what `check` costs before its
// first request. The cache lives in the user's cache directory and is only ever a shortcut:
// a missing, corrupt, stale, foreign or unwritable cache means a normal compile, never an error.
// V8 checks only the source's length and its own version and flags, and no checksum in release
// builds (a flipped byte is accepted), so each file carries a SHA-256 over the Node version,
// the bundle's source and the bytes.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

const MAGIC = Buffer.from('LLMBV8C\x01', 'latin1');
const DIGEST_BYTES = 32;

interface Compiled {
  script: vm.Script;
  source: string;
  cacheFile: string;
  /** The cache was used as it was: nothing to write. */
  accepted: boolean;
}

// Shared through a global: the launcher (dist/cli.js) and the command line (dist/cliMain.js)
// are separate bundles, each with its own copy of this module.
interface CacheState {
  dir: string | undefined;
  compiled: Compiled[];
}
const state: CacheState = ((globalThis as { [k: symbol]: CacheState })[Symbol.for('llm-balance.codeCache')] ??= { dir: undefined, compiled: [] });

/** Where this user's caches go: XDG_CACHE_HOME (or ~/.cache), ~/Library/Caches, %LOCALAPPDATA%. */
export function userCacheDir(env: NodeJS.ProcessEnv, platform = process.platform): string {
  const home = env.HOME || os.homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'llm-balance', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'llm-balance');
  const xdg = env.XDG_CACHE_HOME?.trim();
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'llm-balance');
}

/** From now on requireSibling compiles through the cache in `dir`. */
export function enableCodeCache(dir: string): void {
  state.dir = dir;
}

function digest(source: string, payload: Buffer): Buffer {
  return createHash('sha256').update(`${process.version} ${process.arch}\n`).update(source).update(payload).digest();
}

/** The cached bytecode for `source`, if the file is ours, whole, and made from this very source. */
function readCache(file: string, source: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const st = fs.fstatSync(fd);
    // Bytecode is code: only a file this user owns and nobody else can write is run.
    if (process.getuid && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return undefined;
    if (st.size <= MAGIC.length + DIGEST_BYTES) return undefined;
    const data = Buffer.allocUnsafe(st.size);
    if (fs.readSync(fd, data, 0, st.size, 0) !== st.size) return undefined;
    if (!data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const payload = data.subarray(MAGIC.length + DIGEST_BYTES);
    return digest(source, payload).equals(data.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES)) ? payload : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * `require(dir/name)`, through the code cache once enableCodeCache was called (the built CLI);
 * a plain require otherwise (tests on the compiled sources).
 */
export function requireSibling<T>(dir: string, name: string): T {
  const file = path.join(dir, name);
  const cacheDir = state.dir;
  if (!cacheDir) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as T;
  }
  const known = require.cache[file];
  if (known) return known.exports as T;
  const source = fs.readFileSync(file, 'utf8');
  // One cache file per bundle and install (several checkouts or versions side by side do not take turns).
  const tag = createHash('sha256').update(file).digest('hex').slice(0, 16);
  const cacheFile = path.join(cacheDir, `${path.basename(name, '.js')}-${tag}.v8`);
  const cachedData = readCache(cacheFile, source);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  state.compiled.push({ script, source, cacheFile, accepted: cachedData !== undefined && !script.cachedDataRejected });
  const mod = new Module(file, module);
  mod.filename = file;
  require.cache[file] = mod;
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  try {
    fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dir);
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  return mod.exports as T;
}

/**
 * Writes the cache of each bundle compiled without one, at the end of the run: the bytecode
 * then covers every function the run compiled, not only the top level. Errors are ignored.
 */
export function saveCodeCaches(): void {
  const cacheDir = state.dir;
  if (!cacheDir) return;
  for (const c of state.compiled.splice(0)) {
    if (c.accepted) continue;
    const tmp = `${c.cacheFile}.${process.pid}.tmp`;
    try {
      const payload = c.script.createCachedData();
      fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, Buffer.concat([MAGIC, digest(c.source, payload), payload]), { mode: 0o600 });
      fs.renameSync(tmp, c.cacheFile);
    } catch {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* an unwritable cache only means the next run compiles again */
      }
    }
  }
}
