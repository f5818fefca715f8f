// Delivery of a handful of alerts per run: every channel works through the alerts on its own
// (a slow or failing channel never holds up another), retrying what can succeed later (429,
// 5xx, network, timeout) with exponential backoff or exactly as long as Retry-After /
// retry_after says, all under one deadline. Nothing here throws for a channel's failure.
import { redact } from '../redact';
import { DeliveryError, type Channel, type ChannelId } from './channels';
import type { Alert, AlertLevel } from './message';

export interface DeliveryOutcome {
  accountId: string;
  level: AlertLevel;
  channel: ChannelId;
  ok: boolean;
  /** Why it was not delivered (redacted). */
  error?: string;
  attempts: number;
}

export interface DeliveryReport {
  outcomes: DeliveryOutcome[];
  delivered: number;
  failed: number;
  /** True when the deadline passed with alerts not yet delivered (they are in `outcomes` as failed). */
  timedOut: boolean;
}

export interface DeliveryOptions {
  /** The one deadline for every channel; default 30 s. */
  timeoutMs?: number;
  /** Tries per alert and channel, the first included; default 4. */
  maxAttempts?: number;
  /** First backoff; doubles per attempt; default 1000 ms. */
  baseBackoffMs?: number;
  /** Longest wait we accept; a longer Retry-After gives up at once. Default 30 s. */
  maxRetryWaitMs?: number;
  /** Told of retries (redacted). */
  log?: (line: string) => void;
}

export async function deliverAlerts(alerts: readonly Alert[], channels: readonly Channel[], opts: DeliveryOptions = {}): Promise<DeliveryReport> {
  const outcomes: DeliveryOutcome[] = [];
  if (alerts.length === 0 || channels.length === 0) return { outcomes, delivered: 0, failed: 0, timedOut: false };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
  const baseBackoffMs = opts.baseBackoffMs ?? 1000;
  const maxWait = opts.maxRetryWaitMs ?? 30_000;
  const secs = Math.round(timeoutMs / 100) / 10;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), timeoutMs)));
  const sleeps = new Set<NodeJS.Timeout>();
  /** Waits for `p` or the deadline, whichever comes first. */
  const bounded = <T>(p: Promise<T>): Promise<T | 'deadline'> => Promise.race([p, deadline]);
  // +1 ms: a timer may fire a hair early by the wall clock, and a Retry-After must really have passed.
  const sleep = (ms: number): Promise<void> => new Promise((r) => sleeps.add(setTimeout(r, ms + 1)));
  const record = (a: Alert, channel: ChannelId, attempts: number, error?: string): void => {
    outcomes.push({ accountId: a.accountId, level: a.level, channel, ok: error === undefined, attempts, ...(error !== undefined ? { error } : {}) });
  };

  const lane = async (c: Channel): Promise<void> => {
    for (const [i, a] of alerts.entries()) {
      let attempts = 0;
      let lastError = '';
      for (;;) {
        attempts++;
        const sent = c.send(a).then(
          () => undefined,
          (e: unknown) => (e instanceof DeliveryError ? e : new DeliveryError(e instanceof Error ? e.message : String(e), { retryable: true })),
        );
        const failure = await bounded(sent);
        if (failure === 'deadline') {
          // The send may still finish in the background, but too late to count.
          record(a, c.id, attempts, `Still being sent when the ${secs} s deadline passed; not known to be delivered.`);
          for (const x of alerts.slice(i + 1)) record(x, c.id, 0, `Not delivered within ${secs} s.`);
          return;
        }
        if (!failure) {
          record(a, c.id, attempts);
          break;
        }
        // Redacted again: whatever a channel let through, it is not the report's to show.
        lastError = redact(failure.message);
        const bare = lastError.replace(/\.$/, '');
        const wait = failure.retryAfterMs ?? Math.min(baseBackoffMs * 2 ** (attempts - 1), maxWait);
        if (!failure.retryable || attempts >= maxAttempts) {
          record(a, c.id, attempts, failure.retryable ? `${bare} (gave up after ${attempts} attempts).` : lastError);
          break;
        }
        if (wait > maxWait) {
          record(a, c.id, attempts, `${bare} (asked to wait ${Math.ceil(wait / 1000)} s, longer than ${Math.ceil(maxWait / 1000)} s; not retrying).`);
          break;
        }
        opts.log?.(`${c.description}: attempt ${attempts} failed, retrying in ${(wait / 1000).toFixed(1)} s — ${lastError}`);
        if ((await bounded(sleep(wait))) === 'deadline') {
          record(a, c.id, attempts, `Not delivered within ${secs} s (last error: ${lastError}).`);
          for (const x of alerts.slice(i + 1)) record(x, c.id, 0, `Not delivered within ${secs} s.`);
          return;
        }
      }
    }
  };

  const all = Promise.all(channels.map(lane));
  const timedOut = (await bounded(all)) === 'deadline';
  clearTimeout(timer);
  for (const t of sleeps) clearTimeout(t);
  // After the deadline every lane returns at once (each waits on the same deadline), having reported what it still held.
  if (timedOut) await all;
  const delivered = outcomes.filter((o) => o.ok).length;
  return { outcomes, delivered, failed: outcomes.length - delivered, timedOut };
}
