// The checks the extension runs in its own thread when the check worker cannot (CheckWorker's
// `fallback`): one HTTP client per HTTP settings, a replaced one closed once the checks under
// way on it have ended (ClientPerSettings, as in the check worker).
import type { checkOver } from './check';
import type { AccountChecker } from './checker';
import { ClientPerSettings } from './clientPerSettings';
import type { HttpClient, HttpSettings } from './http';

/** What the checks are made of: the extension's dist/engine.js, loaded when the first one runs. */
export interface InThreadRequests {
  HttpClient: typeof HttpClient;
  checkOver: typeof checkOver;
}

export class InThreadChecks {
  private readonly clients: ClientPerSettings<HttpClient>;

  constructor(private readonly requests: () => InThreadRequests) {
    this.clients = new ClientPerSettings((http) => new (this.requests().HttpClient)(http));
  }

  /** Checks with these HTTP settings; the client of other settings is retired. For CheckWorker's `fallback`. */
  readonly checkerFor = (http: HttpSettings): AccountChecker => {
    this.clients.use(http);
    return (account, keys, ctx) => this.clients.run(http, (client) => this.requests().checkOver(client)(account, keys, ctx));
  };

  /** Retires the current client; resolves once every client is closed (after the checks under way). */
  dispose(): Promise<void> {
    return this.clients.dispose();
  }
}
