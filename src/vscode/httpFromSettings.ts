import type { HttpClient, HttpSettings } from '../core/http';
import { engine } from './engineLoader';
import { settings } from './settings';

/** The HTTP client every check and alert of this window uses: VS Code's proxy settings and our timeout. */
export function httpFromSettings(): HttpClient {
  const proxy = settings.proxy();
  const opts: HttpSettings = { timeoutMs: settings.requestTimeoutSeconds() * 1000, strictSSL: proxy.strictSSL };
  if (proxy.proxy) opts.proxy = proxy.proxy;
  return new (engine().HttpClient)(opts);
}
