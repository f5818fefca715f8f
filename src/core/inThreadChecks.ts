// The checks the extension runs in its own thread when the check worker cannot (CheckWorker's
// `fallback`): one HTTP client per HTTP settings. A client that new settings replace, and the
// last one on dispose, is closed once the checks under way on it have ended — not at once, as a
// check may send several requests and closing would cut off the later ones — and with it go its
// keep-alive sockets and their timers.
import type { checkOver } from './check';
import type { AccountChecker } from './checker';
import type { HttpClient, HttpSettings } from './http';

/** What the checks are made of: the extension's dist/engine.js, loaded when the first one runs. */
export interface InThreadRequests {
  HttpClient: typeof HttpClient;
  checkOver: typeof checkOver;
}

interface Client {
  check: AccountChecker;
  http: HttpClient;
  /** Its HTTP settings, as JSON. */
  settings: string;
  running: number;
  /** Replaced or disposed: closed when `running` is back to 0. */
  retired: boolean;
  closing: boolean;
  closed: Promise<void>;
  markClosed: () => void;
}

export class InThreadChecks {
  private current: Client | undefined;
  /** Clients not closed yet. */
  private readonly open = new Set<Client>();
  private disposed = false;

  constructor(private readonly requests: () => InThreadRequests) {}

  /** Checks with these HTTP settings; the client of other settings is retired. For CheckWorker's `fallback`. */
  readonly checkerFor = (http: HttpSettings): AccountChecker => {
    const settings = JSON.stringify(http);
    if (this.current && this.current.settings !== settings) {
      this.retire(this.current);
      this.current = undefined;
    }
    return async (account, keys, ctx) => {
      const client = this.clientFor(settings, http);
      client.running++;
      try {
        return await client.check(account, keys, ctx);
      } finally {
        client.running--;
        if (client.retired && client.running === 0) this.close(client);
      }
    };
  };

  /** Retires the current client; resolves once every client is closed (after the checks under way). */
  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.current) this.retire(this.current);
    this.current = undefined;
    await Promise.all([...this.open].map((c) => c.closed));
  }

  private clientFor(settings: string, http: HttpSettings): Client {
    const now = this.current;
    if (now && now.settings === settings && !now.closing) return now;
    if (now) this.retire(now);
    let markClosed!: () => void;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const E = this.requests();
    const client = new E.HttpClient(http);
    // After dispose a check can still come here (a checker kept from before): its client goes when it ends.
    const entry: Client = { check: E.checkOver(client), http: client, settings, running: 0, retired: this.disposed, closing: false, closed, markClosed };
    this.open.add(entry);
    this.current = this.disposed ? undefined : entry;
    return entry;
  }

  private retire(client: Client): void {
    client.retired = true;
    if (client.running === 0) this.close(client);
  }

  private close(client: Client): void {
    if (client.closing) return;
    client.closing = true;
    void client.http.close().catch(() => undefined).then(() => {
      this.open.delete(client);
      client.markClosed();
    });
  }
}
