// One HTTP client for the current HTTP settings, shared by the checks made with them, for the
// check worker (checkThread.ts) and the checks in the extension's own thread (inThreadChecks.ts).
// A client that new settings replace, and the last one on dispose, is closed once the checks
// under way on it have ended — not at once, as a check may send several requests and closing
// would cut off the later ones — and with it go its keep-alive sockets and their timers.
// No undici here: the client is made by the caller (engine-main.js loads this module too).
import type { HttpSettings } from './http';

/** Whether new settings need a new client: the one comparison of them (equal JSON, equal settings). */
function httpSettingsKey(http: HttpSettings): string {
  return JSON.stringify(http);
}

interface Entry<C> {
  client: C;
  /** httpSettingsKey of its settings. */
  key: string;
  running: number;
  /** Replaced or disposed: closed when `running` is back to 0. */
  retired: boolean;
  closed: Promise<void>;
  markClosed: () => void;
}

export class ClientPerSettings<C extends { close(): Promise<void> }> {
  private current: Entry<C> | undefined;
  /** Clients not closed yet. */
  private readonly open = new Set<Entry<C>>();
  private disposed = false;

  constructor(private readonly create: (http: HttpSettings) => C) {}

  /** The settings of the checks to come: the client of other settings is retired now. */
  use(http: HttpSettings): void {
    if (this.current && this.current.key !== httpSettingsKey(http)) this.retireCurrent();
  }

  /** Runs `check` on the client of these settings, which is not closed before `check` ends. */
  async run<T>(http: HttpSettings, check: (client: C) => Promise<T>): Promise<T> {
    const entry = this.entryFor(http);
    entry.running++;
    try {
      return await check(entry.client);
    } finally {
      entry.running--;
      if (entry.retired && entry.running === 0) this.close(entry);
    }
  }

  /** Retires the current client; resolves once every retired client is closed (after the checks under way). */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.retireCurrent();
    await Promise.all([...this.open].map((e) => e.closed));
  }

  private entryFor(http: HttpSettings): Entry<C> {
    const key = httpSettingsKey(http);
    if (this.current?.key === key) return this.current;
    this.retireCurrent();
    // After dispose a check can still come (a checker kept from before): its client goes when it ends.
    let markClosed!: () => void;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const entry: Entry<C> = { client: this.create(http), key, running: 0, retired: this.disposed, closed, markClosed };
    this.open.add(entry);
    if (!this.disposed) this.current = entry;
    return entry;
  }

  private retireCurrent(): void {
    const entry = this.current;
    if (!entry) return;
    this.current = undefined;
    entry.retired = true;
    if (entry.running === 0) this.close(entry);
  }

  private close(entry: Entry<C>): void {
    void entry.client.close().catch(() => undefined).then(() => {
      this.open.delete(entry);
      entry.markClosed();
    });
  }
}
