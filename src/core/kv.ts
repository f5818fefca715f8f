/** The small key-value store the ledger and the result cache sit on: `globalState` in the
 *  extension, a JSON file in the CLI, a Map in tests. */
export interface KeyValueStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void> | void;
  keys(): readonly string[];
}

export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, unknown>();
  get(key: string): unknown {
    return this.map.get(key);
  }
  update(key: string, value: unknown): void {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
  }
  keys(): readonly string[] {
    return [...this.map.keys()];
  }
}
