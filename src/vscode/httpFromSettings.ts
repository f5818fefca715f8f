import type { HttpClient, HttpSettings } from '../core/http';
import { engine } from './engineLoader';
import { settings } from './settings';

/** VS Code's proxy settings and our time limit, for every request of this window (checks in the worker too). */
export function httpSettings(): HttpSettings {
  const proxy = settings.proxy();
  const opts: HttpSettings = { timeoutMs: settings.requestTimeoutSeconds() * 1000, strictSSL: proxy.strictSSL };
  if (proxy.proxy) opts.proxy = proxy.proxy;
  return opts;
}

/** The HTTP client the alerts and the add-key check of this window use. */
export function httpFromSettings(): HttpClient {
  return new (engine().HttpClient)(httpSettings());
}
