// globalState as several windows see it: each window's own writes show at once in that window;
// a write reaches the shared storage after `delayMs`, and every other window sees the shared
// value `delayMs` later. Two windows that write at the same moment both read their own value
// for a while, then both the one that reached the storage last.
import type * as vscode from 'vscode';

export class SharedMemento {
  private readonly shared = new Map<string, unknown>();
  private readonly views: WindowMemento[] = [];

  constructor(readonly delayMs = 10) {}

  /** One window's view of the storage. */
  window(): WindowMemento {
    const view = new WindowMemento(this, new Map(this.shared));
    this.views.push(view);
    return view;
  }

  /** @internal */
  arrive(from: WindowMemento, key: string, value: unknown): void {
    // Both hops are timed from the write: a hop timed from the first one's late start (a busy
    // event loop) could fall after a test's settle timer and pass or fail by load alone. Timers
    // that are due fire in the order they were due, so the storage is written before it is read.
    setTimeout(() => {
      if (value === undefined) this.shared.delete(key);
      else this.shared.set(key, value);
    }, this.delayMs);
    setTimeout(() => {
      for (const v of this.views) if (v !== from) v.sync(key, this.shared.get(key));
    }, 2 * this.delayMs);
  }
}

export class WindowMemento implements vscode.Memento {
  constructor(private readonly storage: SharedMemento, private readonly local: Map<string, unknown>) {}

  keys(): readonly string[] {
    return [...this.local.keys()];
  }
  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.local.has(key) ? (this.local.get(key) as T) : defaultValue;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.sync(key, value);
    this.storage.arrive(this, key, value);
    return Promise.resolve();
  }
  /** @internal */
  sync(key: string, value: unknown): void {
    if (value === undefined) this.local.delete(key);
    else this.local.set(key, value);
  }
}
