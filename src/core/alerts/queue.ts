// The delivery queue: one lane per channel, so a slow or failing channel never holds up the
// others. Each lane
//   - sends the highest priority first (critical > high > normal > low; FIFO within one),
//   - starts at most `ratePerSecond` sends in any one-second window (Telegram allows about
//     20 messages a minute per group, 30 a second per bot; Slack and Discord similar),
//   - is bounded: when full, the lowest-priority, newest entry is dropped (and reported),
//   - retries failures that can succeed later (429, 5xx, network, timeout) with exponential
//     backoff, waiting exactly as long as Telegram's retry_after / HTTP Retry-After says (the
//     whole lane pauses: the limit is the channel's, not the message's), up to `maxRetryWaitMs`,
//     and gives up after `maxAttempts`.
// `drain(timeoutMs)` resolves once every entry is delivered or given up, or at the deadline —
// whatever is still pending then is reported as not delivered. Nothing here ever throws at
// the caller for a channel's failure: outcomes say what happened.
import { redact } from '../redact';
import { DeliveryError, type Channel, type ChannelId } from './channels';
import type { Alert, AlertLevel } from './message';

export type Priority = 'critical' | 'high' | 'normal' | 'low';
const PRIORITY_RANK: Record<Priority, number> = { critical: 3, high: 2, normal: 1, low: 0 };

/** critical and error → critical, warning → high; test messages use normal, informational low. */
export function priorityFor(level: AlertLevel | 'test' | 'info'): Priority {
  switch (level) {
    case 'critical':
    case 'error':
      return 'critical';
    case 'warning':
      return 'high';
    case 'test':
      return 'normal';
    default:
      return 'low';
  }
}

export interface DeliveryOutcome {
  accountId: string;
  level: AlertLevel;
  channel: ChannelId;
  ok: boolean;
  /** Why it was not delivered (redacted). */
  error?: string;
  /** Sends tried (0 when dropped or never started). */
  attempts: number;
}

export interface DeliveryReport {
  outcomes: DeliveryOutcome[];
  delivered: number;
  failed: number;
  /** True when the deadline passed with entries still pending (they are in `outcomes` as failed). */
  timedOut: boolean;
}

export interface QueueOptions {
  /** Sends started per channel in any 1-second window; default 20. */
  ratePerSecond?: number;
  /** Entries waiting per channel (not counting those being sent); default 100. */
  maxQueued?: number;
  /** Sends in flight per channel at once; default 4. */
  concurrency?: number;
  /** Tries per entry, the first included; default 4. */
  maxAttempts?: number;
  /** First backoff; doubles per attempt; default 1000 ms. */
  baseBackoffMs?: number;
  /** Longest backoff or Retry-After we wait; a longer Retry-After gives up at once. Default 30 s. */
  maxRetryWaitMs?: number;
  /** A send that takes longer counts as a (retryable) failure; default 30 s. */
  sendTimeoutMs?: number;
  /** Told of every outcome as it happens. */
  onOutcome?: (o: DeliveryOutcome) => void;
  /** Told of retries and drops (redacted, no secrets). */
  log?: (line: string) => void;
}

interface Entry {
  alert: Alert;
  priority: Priority;
  seq: number;
  attempts: number;
  /** Not before this time (backoff). */
  notBefore: number;
  lastError?: string;
}

const WINDOW_MS = 1000;

class Lane {
  readonly waiting: Entry[] = [];
  readonly running = new Set<Entry>();
  /** Start times of recent sends (the rate window). */
  private readonly starts: number[] = [];
  /** The channel asked us to wait (429) until then. */
  pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;

  constructor(readonly channel: Channel, private readonly q: DeliveryQueue) {}

  get idle(): boolean {
    return this.waiting.length === 0 && this.running.size === 0;
  }

  /** Starts what may start now; otherwise sets one timer for the earliest moment something may. */
  pump(): void {
    if (this.q.closed) return;
    for (;;) {
      if (this.waiting.length === 0 || this.running.size >= this.q.opts.concurrency) return;
      const now = Date.now();
      while (this.starts.length > 0 && now - this.starts[0]! >= WINDOW_MS) this.starts.shift();
      let wakeAt = Math.max(this.pausedUntil, 0);
      if (this.starts.length >= this.q.opts.ratePerSecond) wakeAt = Math.max(wakeAt, this.starts[0]! + WINDOW_MS);
      const next = this.pick(now);
      if (!next) wakeAt = Math.max(wakeAt, Math.min(...this.waiting.map((e) => e.notBefore)));
      if (wakeAt > now || !next) {
        this.wakeAt(wakeAt);
        return;
      }
      this.waiting.splice(this.waiting.indexOf(next), 1);
      this.running.add(next);
      void this.run(next);
      // Stamped once the send has begun (run() is synchronous up to the channel's first await),
      // so that a pause between here and the send can only make the window wider, never narrower.
      this.starts.push(Date.now());
    }
  }

  /** The highest priority, then oldest, entry whose backoff has passed. */
  private pick(now: number): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.waiting) {
      if (e.notBefore > now) continue;
      if (!best || PRIORITY_RANK[e.priority] > PRIORITY_RANK[best.priority] || (e.priority === best.priority && e.seq < best.seq)) best = e;
    }
    return best;
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    // +1 ms: a timer may fire a hair early, and the rate window must really have passed.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, at - Date.now()) + 1);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(e: Entry): Promise<void> {
    e.attempts++;
    let failure: DeliveryError | undefined;
    try {
      await this.q.sendWithTimeout(this.channel, e.alert);
    } catch (err) {
      failure = err instanceof DeliveryError ? err : new DeliveryError(this.q.clean(this.channel, err instanceof Error ? err.message : String(err)), { retryable: true });
    }
    this.running.delete(e);
    if (this.q.closed) return;
    if (!failure) {
      this.q.record(e, this.channel.id, { ok: true });
    } else {
      const message = this.q.clean(this.channel, failure.message);
      e.lastError = message;
      const o = this.q.opts;
      const backoff = Math.min(o.baseBackoffMs * 2 ** (e.attempts - 1), o.maxRetryWaitMs);
      const wait = failure.retryAfterMs ?? backoff;
      const bare = message.replace(/\.$/, '');
      if (!failure.retryable || e.attempts >= o.maxAttempts) {
        this.q.record(e, this.channel.id, { ok: false, error: failure.retryable ? `${bare} (gave up after ${e.attempts} attempts).` : message });
      } else if (wait > o.maxRetryWaitMs) {
        this.q.record(e, this.channel.id, { ok: false, error: `${bare} (asked to wait ${Math.ceil(wait / 1000)} s, longer than ${Math.ceil(o.maxRetryWaitMs / 1000)} s; not retrying).` });
      } else {
        const now = Date.now();
        e.notBefore = now + wait;
        if (failure.retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, now + failure.retryAfterMs);
        this.q.opts.log?.(`${this.channel.description}: attempt ${e.attempts} failed, retrying in ${(wait / 1000).toFixed(1)} s — ${message}`);
        this.waiting.push(e);
      }
    }
    this.pump();
    this.q.settled();
  }
}

type ResolvedOptions = Required<Omit<QueueOptions, 'onOutcome' | 'log'>> & Pick<QueueOptions, 'onOutcome' | 'log'>;

export class DeliveryQueue {
  readonly opts: ResolvedOptions;
  private readonly lanes = new Map<ChannelId, Lane>();
  private readonly results: DeliveryOutcome[] = [];
  private seq = 0;
  private waiters: (() => void)[] = [];
  closed = false;

  constructor(channels: readonly Channel[], opts: QueueOptions = {}) {
    this.opts = {
      ratePerSecond: Math.max(1, opts.ratePerSecond ?? 20),
      maxQueued: Math.max(1, opts.maxQueued ?? 100),
      concurrency: Math.max(1, opts.concurrency ?? 4),
      maxAttempts: Math.max(1, opts.maxAttempts ?? 4),
      baseBackoffMs: Math.max(0, opts.baseBackoffMs ?? 1000),
      maxRetryWaitMs: Math.max(0, opts.maxRetryWaitMs ?? 30_000),
      sendTimeoutMs: Math.max(1, opts.sendTimeoutMs ?? 30_000),
      onOutcome: opts.onOutcome,
      log: opts.log,
    };
    for (const c of channels) {
      if (this.lanes.has(c.id)) throw new Error(`Two channels with the id "${c.id}".`);
      this.lanes.set(c.id, new Lane(c, this));
    }
  }

  /** Every outcome so far, in the order they happened. */
  get outcomes(): readonly DeliveryOutcome[] {
    return this.results;
  }

  /** Entries waiting or in flight, over all channels. */
  get pending(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.waiting.length + l.running.size;
    return n;
  }

  /**
   * Queues one alert for every channel (or the named ones). Sending starts on the next turn
   * of the event loop, so alerts queued together are ordered by priority.
   */
  enqueue(alert: Alert, opts: { priority?: Priority; channels?: readonly ChannelId[] } = {}): void {
    if (this.closed) throw new Error('The delivery queue is closed.');
    const priority = opts.priority ?? priorityFor(alert.level);
    for (const lane of this.lanes.values()) {
      if (opts.channels && !opts.channels.includes(lane.channel.id)) continue;
      const entry: Entry = { alert, priority, seq: this.seq++, attempts: 0, notBefore: 0 };
      if (lane.waiting.length >= this.opts.maxQueued) {
        const victim = lowest(lane.waiting);
        if (victim && PRIORITY_RANK[victim.priority] < PRIORITY_RANK[priority]) {
          lane.waiting.splice(lane.waiting.indexOf(victim), 1);
          this.drop(victim, lane.channel);
        } else {
          this.drop(entry, lane.channel);
          continue;
        }
      }
      lane.waiting.push(entry);
      setImmediate(() => lane.pump());
    }
  }

  /**
   * Waits until every queued alert is delivered or given up, or until `timeoutMs` passes.
   * The report holds every outcome since the queue was made. When the deadline passes,
   * whatever is still pending is reported as not delivered and the queue is closed;
   * otherwise more alerts may be queued and drained later.
   */
  async drain(timeoutMs: number): Promise<DeliveryReport> {
    let timedOut = false;
    if (!this.allIdle()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timedOut = true;
          finish();
        }, Math.max(0, timeoutMs));
        const finish = (): void => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        };
        const check = (): void => {
          if (this.allIdle()) finish();
        };
        this.waiters.push(check);
      });
    }
    if (timedOut) {
      const secs = Math.round(timeoutMs / 100) / 10;
      for (const lane of this.lanes.values()) {
        for (const e of lane.waiting.splice(0)) {
          this.record(e, lane.channel.id, { ok: false, error: `Not delivered within ${secs} s${e.lastError ? ` (last error: ${e.lastError})` : ''}.` });
        }
        // Their sends may still finish in the background, but too late to count.
        for (const e of lane.running) {
          this.record(e, lane.channel.id, { ok: false, error: `Still being sent when the ${secs} s deadline passed; not known to be delivered.` });
        }
      }
      this.close();
    }
    const outcomes = [...this.results];
    const delivered = outcomes.filter((o) => o.ok).length;
    return { outcomes, delivered, failed: outcomes.length - delivered, timedOut };
  }

  /** Stops every lane; nothing more is sent or recorded. */
  close(): void {
    this.closed = true;
    for (const l of this.lanes.values()) l.stop();
  }

  // ---- used by the lanes ----

  /** @internal */
  record(e: Entry, channel: ChannelId, r: { ok: boolean; error?: string }): void {
    const o: DeliveryOutcome = { accountId: e.alert.accountId, level: e.alert.level, channel, ok: r.ok, attempts: e.attempts };
    if (r.error !== undefined) o.error = r.error;
    this.results.push(o);
    try {
      this.opts.onOutcome?.(o);
    } catch {
      /* a listener's failure is not the queue's */
    }
  }

  /** @internal */
  settled(): void {
    for (const w of [...this.waiters]) w();
  }

  /** @internal Redacts anything a channel let through, whatever it is. */
  clean(_channel: Channel, message: string): string {
    return redact(message);
  }

  /** @internal */
  async sendWithTimeout(channel: Channel, alert: Alert): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = this.opts.sendTimeoutMs;
    try {
      await Promise.race([
        channel.send(alert),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new DeliveryError(`${channel.description} did not finish within ${Math.round(limit / 100) / 10} s.`, { retryable: true })), limit);
          // The send itself keeps the process alive while it runs; this guard need not.
          timer.unref();
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private drop(e: Entry, channel: Channel): void {
    this.opts.log?.(`${channel.description}: queue full, dropped the ${e.priority}-priority alert for ${e.alert.accountId}.`);
    this.record(e, channel.id, { ok: false, error: `Dropped: the ${channel.id} queue was full (${this.opts.maxQueued} waiting) and this alert had the lowest priority.` });
  }

  private allIdle(): boolean {
    for (const l of this.lanes.values()) if (!l.idle) return false;
    return true;
  }

}

function lowest(entries: readonly Entry[]): Entry | undefined {
  let worst: Entry | undefined;
  for (const e of entries) {
    if (!worst || PRIORITY_RANK[e.priority] < PRIORITY_RANK[worst.priority] || (e.priority === worst.priority && e.seq > worst.seq)) worst = e;
  }
  return worst;
}

/**
 * The CLI's one call: queues every alert on every channel, waits at most `timeoutMs`
 * (bounded, not a fixed sleep) and reports what was delivered.
 */
export async function deliverAlerts(alerts: readonly Alert[], channels: readonly Channel[], opts: QueueOptions & { timeoutMs?: number } = {}): Promise<DeliveryReport> {
  if (alerts.length === 0 || channels.length === 0) return { outcomes: [], delivered: 0, failed: 0, timedOut: false };
  const q = new DeliveryQueue(channels, opts);
  for (const a of alerts) q.enqueue(a);
  return q.drain(opts.timeoutMs ?? 30_000);
}
