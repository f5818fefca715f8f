// A KeyValueStore in one JSON file, for the CLI: read once, written atomically (temp file +
// rename) on flush. A corrupt file is kept aside as .bak and a new one started.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { KeyValueStore } from './kv';

export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(tmp, data, { encoding: 'utf8', mode: 0o600 });
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

export class JsonFileStore implements KeyValueStore {
  private data: Record<string, unknown> = {};
  private dirty = false;

  private constructor(readonly file: string) {}

  static async open(file: string, log: (msg: string) => void = () => undefined): Promise<JsonFileStore> {
    const store = new JsonFileStore(file);
    let text: string | undefined;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`Could not read ${file}: ${(e as Error).message}; starting afresh.`);
    }
    if (text !== undefined) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
        store.data = parsed as Record<string, unknown>;
      } catch (e) {
        await fs.rename(file, `${file}.bak`).catch(() => undefined);
        log(`${file} was corrupt (${(e as Error).message}); kept it as ${path.basename(file)}.bak and started a new one.`);
      }
    }
    return store;
  }

  get(key: string): unknown {
    return this.data[key];
  }

  update(key: string, value: unknown): void {
    if (value === undefined) delete this.data[key];
    else this.data[key] = value;
    this.dirty = true;
  }

  keys(): readonly string[] {
    return Object.keys(this.data);
  }

  async flush(): Promise<void> {
    if (!this.dirty) return;
    await writeFileAtomic(this.file, JSON.stringify(this.data, null, 1));
    this.dirty = false;
  }
}
