// Delivery of a handful of alerts per run: every channel works through the alerts on its own
// (a slow or failing channel never holds up another), retrying what can succeed later (429,
// 5xx, network, timeout) with exponential backoff or exactly as long as Retry-After /
// retry_after says, all under one deadline. Nothing here throws for a channel's failure.
import { redact } from '../redact';
import { DeliveryError, type Channel, type ChannelId } from './channels';
import type { Alert, AlertKind, AlertLevel } from './message';

export interface DeliveryOutcome {
  accountId: string;
  level: AlertLevel;
  kind: AlertKind;
  channel: ChannelId;
  ok: boolean;
  /** Why it was not delivered (redacted). */
  error?: string;
  attempts: number;
}

export interface DeliveryOptions {
  /** The one deadline for every channel; default 30 s. */
  timeoutMs?: number;
  /** Tries per alert and channel, the first included; default 4. */
  maxAttempts?: number;
  /** First backoff; doubles per attempt; default 1000 ms. */
  baseBackoffMs?: number;
  /** Told of retries (redacted). */
  log?: (line: string) => void;
}

/** The longest wait we accept; a longer Retry-After gives up at once. */
const MAX_WAIT_MS = 30_000;

/** One outcome per alert and channel; alerts still held when the deadline passed are failed outcomes. */
export async function deliverAlerts(alerts: readonly Alert[], channels: readonly Channel[], opts: DeliveryOptions = {}): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  if (alerts.length === 0 || channels.length === 0) return outcomes;
  const { timeoutMs = 30_000, baseBackoffMs = 1000 } = opts;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
  const secs = Math.round(timeoutMs / 100) / 10;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), timeoutMs)));
  const sleeps = new Set<NodeJS.Timeout>();
  /** Waits for `p` or the deadline, whichever comes first. */
  const bounded = <T>(p: Promise<T>): Promise<T | 'deadline'> => Promise.race([p, deadline]);
  // +1 ms: a timer may fire a hair early by the wall clock, and a Retry-After must really have passed.
  const sleep = (ms: number): Promise<void> => new Promise((r) => sleeps.add(setTimeout(r, ms + 1)));
  const record = (a: Alert, channel: ChannelId, attempts: number, error?: string): void => {
    outcomes.push({ accountId: a.accountId, level: a.level, kind: a.kind, channel, ok: error === undefined, attempts, ...(error !== undefined ? { error } : {}) });
  };
  const asFailure = (e: unknown): DeliveryError => (e instanceof DeliveryError ? e : new DeliveryError(e instanceof Error ? e.message : String(e), { retryable: true }));

  const lane = async (c: Channel): Promise<void> => {
    for (const [i, a] of alerts.entries()) {
      for (let attempts = 1; ; attempts++) {
        const failure = await bounded(c.send(a).then(() => undefined, asFailure));
        // The send may still finish in the background, but too late to count.
        let late = `Still being sent when the ${secs} s deadline passed; not known to be delivered.`;
        if (failure !== 'deadline') {
          if (!failure) {
            record(a, c.id, attempts);
            break;
          }
          // Redacted again: whatever a channel let through, it is not the report's to show.
          const error = redact(failure.message);
          const bare = error.replace(/\.$/, '');
          const wait = failure.retryAfterMs ?? Math.min(baseBackoffMs * 2 ** (attempts - 1), MAX_WAIT_MS);
          if (!failure.retryable || attempts >= maxAttempts) {
            record(a, c.id, attempts, failure.retryable ? `${bare} (gave up after ${attempts} attempts).` : error);
            break;
          }
          if (wait > MAX_WAIT_MS) {
            record(a, c.id, attempts, `${bare} (asked to wait ${Math.ceil(wait / 1000)} s, longer than ${MAX_WAIT_MS / 1000} s; not retrying).`);
            break;
          }
          opts.log?.(`${c.description}: attempt ${attempts} failed, retrying in ${(wait / 1000).toFixed(1)} s — ${error}`);
          if ((await bounded(sleep(wait))) !== 'deadline') continue;
          late = `Not delivered within ${secs} s (last error: ${error}).`;
        }
        record(a, c.id, attempts, late);
        for (const x of alerts.slice(i + 1)) record(x, c.id, 0, `Not delivered within ${secs} s.`);
        return;
      }
    }
  };

  const all = Promise.all(channels.map(lane));
  const timedOut = (await bounded(all)) === 'deadline';
  clearTimeout(timer);
  for (const t of sleeps) clearTimeout(t);
  // After the deadline every lane returns at once (each waits on the same deadline), having reported what it still held.
  if (timedOut) await all;
  return outcomes;
}
