// V8 code cache for the CLI's bundles (issue 14). Node 20 has no
// `module.enableCompileCache`, so a bundle is compiled through vm.Script with the bytecode that
// an earlier run saved: compiling ~1 MB of JavaScript is most of what `check` costs before its
// first request. The cache lives in the user's cache directory and is only ever a shortcut:
// a missing, corrupt, stale, foreign or unwritable cache means a normal compile, never an error.
// V8 checks only the source's length and its own version and flags, and no checksum in release
// builds (a flipped byte is accepted), so each file carries a CRC-32 over the Node version, the
// bundle's bytes and the bytecode. That guards against accidents (a torn write, a bundle
// replaced by another of the same length), which is its whole job: only a file that this user
// owns and nobody else can write is read at all. zlib's crc32 (Node 20.15+) takes a fifth of a
// SHA-256's time and does not load node:crypto, which `--help` and `history` need for nothing
// else; on an older Node the cache is off.
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as zlib from 'node:zlib';
import { homeDir, xdgBaseDir } from './xdg';

const MAGIC = Buffer.from('LLMBV8C\x02', 'latin1');
const DIGEST_BYTES = 4;
const crc32 = (zlib as { crc32?: (data: Buffer | string, value?: number) => number }).crc32;

interface Compiled {
  script: vm.Script;
  source: Buffer;
  cacheFile: string;
  /** The cache was used as it was: nothing to write. */
  accepted: boolean;
}

// Shared through a global: the launcher (dist/cli.js) and the command line (dist/cliMain.js)
// are separate bundles, each with its own copy of this module.
interface CacheState {
  dir: string | undefined;
  /** The V8 flags of this run: V8 refuses bytecode made under other flags. */
  variant: string;
  compiled: Compiled[];
}
const state: CacheState = ((globalThis as { [k: symbol]: CacheState })[Symbol.for('llm-balance.codeCache')] ??= { dir: undefined, variant: '', compiled: [] });

/** Where this user's caches go: XDG_CACHE_HOME (or ~/.cache), ~/Library/Caches, %LOCALAPPDATA%. */
export function userCacheDir(env: NodeJS.ProcessEnv, platform = process.platform): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(homeDir(env), 'AppData', 'Local'), 'llm-balance', 'Cache');
  if (platform === 'darwin') return path.join(homeDir(env), 'Library', 'Caches', 'llm-balance');
  return path.join(xdgBaseDir(env, 'XDG_CACHE_HOME', ['.cache']), 'llm-balance');
}

/**
 * From now on requireSibling compiles through the cache in `dir`, in files of their own for
 * each set of V8 flags (`check` and `serve` run under different ones and would otherwise
 * replace each other's). Without zlib's crc32 it stays off.
 */
export function enableCodeCache(dir: string, v8Flags: readonly string[] = []): void {
  if (!crc32) return;
  state.dir = dir;
  state.variant = v8Flags.join(' ');
}

function digest(source: Buffer, payload: Buffer): Buffer {
  const sum = crc32!(payload, crc32!(source, crc32!(`${process.version} ${process.arch}\n`)));
  const out = Buffer.allocUnsafe(DIGEST_BYTES);
  out.writeUInt32BE(sum >>> 0);
  return out;
}

const hex32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** The cached bytecode for `source`, if the file is ours, whole, and made from this very source. */
function readCache(file: string, source: Buffer): Buffer | undefined {
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
  const bytes = fs.readFileSync(file);
  const source = bytes.toString('utf8');
  // One cache file per bundle, install and V8 flags (several checkouts or versions side by side do not take turns).
  const tag = hex32(crc32!(file)) + hex32(crc32!(state.variant));
  const cacheFile = path.join(cacheDir, `${path.basename(name, '.js')}-${tag}.v8`);
  const cachedData = readCache(cacheFile, bytes);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  state.compiled.push({ script, source: bytes, cacheFile, accepted: cachedData !== undefined && !script.cachedDataRejected });
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
