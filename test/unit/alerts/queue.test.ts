import * as assert from 'node:assert/strict';
import { DeliveryError, channelsFromEnv } from '../../../src/core/alerts/channels';
import { DeliveryQueue, deliverAlerts, priorityFor, type DeliveryOutcome } from '../../../src/core/alerts/queue';
import type { Alert, AlertLevel } from '../../../src/core/alerts/message';
import { assertNoSecret } from '../helpers';
import { BOT_TOKEN, CHAT_ID, FakeTelegram, RecordingChannel, sampleAlert } from './fakes';

const alert = (accountId: string, level: AlertLevel = 'critical'): Alert => sampleAlert({ accountId, level });
const ids = (c: RecordingChannel): string[] => c.calls.map((x) => x.alert.accountId);
const retryable = (msg = 'HTTP 503', retryAfterMs?: number): DeliveryError =>
  new DeliveryError(msg, retryAfterMs === undefined ? { retryable: true } : { retryable: true, retryAfterMs });

/** The largest number of calls that started within any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe('delivery queue', () => {
  it('maps levels to priorities', () => {
    assert.equal(priorityFor('critical'), 'critical');
    assert.equal(priorityFor('error'), 'critical');
    assert.equal(priorityFor('warning'), 'high');
    assert.equal(priorityFor('test'), 'normal');
    assert.equal(priorityFor('info'), 'low');
  });

  it('sends at most 20 a second per channel, and channels do not slow each other', async () => {
    const a = new RecordingChannel('telegram');
    const b = new RecordingChannel('slack');
    const q = new DeliveryQueue([a, b]);
    for (let i = 0; i < 45; i++) q.enqueue(alert(`acct-${i}`));
    const report = await q.drain(10_000);
    assert.equal(report.delivered, 90);
    assert.equal(report.timedOut, false);
    for (const ch of [a, b]) {
      const times = ch.calls.map((c) => c.at);
      assert.equal(times.length, 45);
      // 45 messages need three 1-second windows: starts 0-19, 20-39, 40-44.
      for (let i = 0; i + 20 < times.length; i++) {
        assert.ok(times[i + 20]! - times[i]! >= 1000, `call ${i + 20} came ${times[i + 20]! - times[i]!} ms after call ${i}`);
      }
      assert.ok(maxInWindow(times, 1000) <= 20, `at most 20 in any second (saw ${maxInWindow(times, 1000)})`);
      assert.ok(times[44]! - times[0]! >= 2000, 'the third window starts 2 s after the first');
      // The first window is not held back: 20 go at once.
      assert.ok(times[19]! - times[0]! < 500, `the first 20 went at once (${times[19]! - times[0]!} ms)`);
    }
    // Both lanes ran side by side, not one after the other.
    assert.ok(Math.abs(a.calls[44]!.at - b.calls[44]!.at) < 500);
  });

  it('rate-limits real sends to the fake Telegram Bot API too', async () => {
    const tg = new FakeTelegram();
    await tg.start();
    const set = channelsFromEnv({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_CHAT_ID: CHAT_ID, TELEGRAM_API_BASE: tg.url });
    const telegram = set.channels[0]!;
    const sent: number[] = [];
    const send = telegram.send.bind(telegram);
    telegram.send = (a) => {
      sent.push(Date.now());
      return send(a);
    };
    try {
      const report = await deliverAlerts(Array.from({ length: 25 }, (_, i) => alert(`acct-${i}`)), set.channels, { timeoutMs: 10_000 });
      assert.equal(report.delivered, 25);
      assert.equal(tg.messages.length, 25);
      // Measured where the requests leave, not where they arrive (arrival adds network jitter).
      assert.ok(sent[20]! - sent[0]! >= 1000, `the 21st left ${sent[20]! - sent[0]!} ms after the 1st`);
      assert.ok(maxInWindow(sent, 1000) <= 20);
    } finally {
      await set.close();
      await tg.stop();
    }
  });

  it('sends the highest priority first, FIFO within a priority', async () => {
    const ch = new RecordingChannel('webhook');
    const q = new DeliveryQueue([ch], { concurrency: 1 });
    q.enqueue(alert('low-1'), { priority: 'low' });
    q.enqueue(alert('warn-1', 'warning'));
    q.enqueue(alert('normal-1'), { priority: 'normal' });
    q.enqueue(alert('crit-1', 'critical'));
    q.enqueue(alert('warn-2', 'warning'));
    q.enqueue(alert('err-1', 'error'));
    q.enqueue(alert('low-2'), { priority: 'low' });
    const report = await q.drain(5000);
    assert.equal(report.delivered, 7);
    assert.deepEqual(ids(ch), ['crit-1', 'err-1', 'warn-1', 'warn-2', 'normal-1', 'low-1', 'low-2']);
  });

  it('is bounded: a full queue drops the lowest priority first and reports it', async () => {
    const ch = new RecordingChannel('webhook');
    ch.script.push({ delayMs: 200 }); // the first send holds the lane while the queue fills
    const dropped: DeliveryOutcome[] = [];
    const q = new DeliveryQueue([ch], { concurrency: 1, maxQueued: 3, onOutcome: (o) => !o.ok && dropped.push(o) });
    q.enqueue(alert('busy', 'critical'));
    await new Promise((r) => setImmediate(r));
    assert.equal(ch.calls.length, 1, 'the first alert is being sent');
    q.enqueue(alert('low-a'), { priority: 'low' });
    q.enqueue(alert('normal-b'), { priority: 'normal' });
    q.enqueue(alert('high-c', 'warning'));
    q.enqueue(alert('crit-d', 'critical')); // full: drops low-a
    q.enqueue(alert('low-e'), { priority: 'low' }); // the lowest itself: dropped
    q.enqueue(alert('high-f', 'warning')); // drops normal-b
    assert.equal(q.pending, 4);
    const report = await q.drain(5000);
    assert.deepEqual(ids(ch), ['busy', 'crit-d', 'high-c', 'high-f']);
    assert.deepEqual(dropped.map((o) => o.accountId), ['low-a', 'low-e', 'normal-b']);
    for (const o of dropped) {
      assert.equal(o.attempts, 0);
      assert.match(o.error ?? '', /^Dropped: the webhook queue was full \(3 waiting\)/);
    }
    assert.equal(report.delivered, 4);
    assert.equal(report.failed, 3);
  });

  it('retries with exponential backoff and gives up after maxAttempts', async () => {
    const ch = new RecordingChannel('webhook', retryable());
    ch.script.push(retryable(), retryable(), retryable(), 'ok');
    const other = new RecordingChannel('slack', retryable('HTTP 502 from hooks.example.com.'));
    const q = new DeliveryQueue([ch, other], { baseBackoffMs: 100, maxAttempts: 4 });
    q.enqueue(alert('a'));
    const report = await q.drain(10_000);
    const t = ch.calls.map((c) => c.at);
    assert.equal(t.length, 4);
    const gaps = [t[1]! - t[0]!, t[2]! - t[1]!, t[3]! - t[2]!];
    assert.ok(gaps[0]! >= 100 && gaps[1]! >= 200 && gaps[2]! >= 400, `gaps ${gaps.join(', ')}`);
    const byChannel = Object.fromEntries(report.outcomes.map((o) => [o.channel, o]));
    assert.deepEqual(byChannel.webhook, { accountId: 'a', level: 'critical', channel: 'webhook', ok: true, attempts: 4 });
    assert.deepEqual(byChannel.slack, { accountId: 'a', level: 'critical', channel: 'slack', ok: false, attempts: 4, error: 'HTTP 502 from hooks.example.com (gave up after 4 attempts).' });
  });

  it('honours Retry-After: the whole channel waits, then sends in priority order', async () => {
    const ch = new RecordingChannel('telegram');
    ch.script.push(retryable('HTTP 429', 600));
    const q = new DeliveryQueue([ch], { baseBackoffMs: 10, concurrency: 1 });
    q.enqueue(alert('first', 'critical'));
    q.enqueue(alert('second', 'warning'));
    const report = await q.drain(5000);
    assert.equal(report.delivered, 2);
    assert.deepEqual(ids(ch), ['first', 'first', 'second']);
    const [t0, t1, t2] = ch.calls.map((c) => c.at) as [number, number, number];
    assert.ok(t1 - t0 >= 600, `retried after ${t1 - t0} ms`);
    assert.ok(t2 - t0 >= 600, `the lane paused for everyone (${t2 - t0} ms)`);
  });

  it('does not wait out a Retry-After longer than maxRetryWaitMs', async () => {
    const ch = new RecordingChannel('telegram', retryable('Telegram answered HTTP 429.', 120_000));
    const t0 = Date.now();
    const report = await deliverAlerts([alert('a')], [ch], { maxRetryWaitMs: 30_000, timeoutMs: 5000 });
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(report.outcomes[0]!.attempts, 1);
    assert.match(report.outcomes[0]!.error ?? '', /asked to wait 120 s, longer than 30 s; not retrying/);
  });

  it('a failing or hung channel never blocks another; drain is bounded by its deadline', async () => {
    const hung = new RecordingChannel('email', { delayMs: 1500 });
    const broken = new RecordingChannel('discord', new DeliveryError('Discord webhook answered HTTP 401.', { retryable: false }));
    const slow = new RecordingChannel('slack', retryable());
    const fine = new RecordingChannel('webhook');
    const q = new DeliveryQueue([hung, broken, slow, fine], { baseBackoffMs: 5_000, sendTimeoutMs: 120_000 });
    q.enqueue(alert('a'));
    q.enqueue(alert('b', 'warning'));
    const t0 = Date.now();
    const report = await q.drain(700);
    const took = Date.now() - t0;
    assert.ok(took >= 650 && took < 2000, `drain took ${took} ms`);
    assert.equal(report.timedOut, true);
    assert.deepEqual(fine.delivered.map((x) => x.accountId), ['a', 'b']);
    assert.ok(fine.calls[1]!.at - t0 < 200, 'the good channel delivered at once');
    const of = (channel: string) => report.outcomes.filter((o) => o.channel === channel);
    assert.deepEqual(of('webhook').map((o) => o.ok), [true, true]);
    assert.deepEqual(of('discord').map((o) => [o.ok, o.attempts, o.error]), [[false, 1, 'Discord webhook answered HTTP 401.'], [false, 1, 'Discord webhook answered HTTP 401.']]);
    for (const o of of('slack')) assert.match(o.error ?? '', /^Not delivered within 0\.7 s \(last error: HTTP 503\)\.$/);
    for (const o of of('email')) assert.match(o.error ?? '', /^Still being sent when the 0\.7 s deadline passed/);
    assert.equal(report.outcomes.length, 8);
    assert.equal(report.delivered, 2);
    assert.throws(() => q.enqueue(alert('c')), /closed/);
  });

  it('a send that takes longer than sendTimeoutMs counts as a retryable failure', async () => {
    const ch = new RecordingChannel('webhook', { delayMs: 400 });
    const report = await deliverAlerts([alert('a')], [ch], { sendTimeoutMs: 100, maxAttempts: 2, baseBackoffMs: 10, timeoutMs: 3000 });
    assert.equal(report.outcomes[0]!.attempts, 2);
    assert.match(report.outcomes[0]!.error ?? '', /recording webhook did not finish within 0\.1 s \(gave up after 2 attempts\)\./);
  });

  it('redacts whatever a channel lets through in an unexpected error', async () => {
    const key = 'sk-live-0123456789abcdefghijklmnop';
    const ch = new RecordingChannel('webhook');
    ch.send = () => Promise.reject(new Error(`boom: ${key}`));
    const report = await deliverAlerts([alert('a')], [ch], { maxAttempts: 1 });
    assert.match(report.outcomes[0]!.error ?? '', /^boom: sk-l…mnop/);
    assertNoSecret(report, key);
  });

  it('stays usable after a drain that finished in time; the report is cumulative', async () => {
    const ch = new RecordingChannel('webhook');
    const q = new DeliveryQueue([ch]);
    q.enqueue(alert('a'));
    assert.equal((await q.drain(1000)).delivered, 1);
    q.enqueue(alert('b'), { channels: ['webhook', 'email'] });
    q.enqueue(alert('c'), { channels: ['email'] });
    const r = await q.drain(1000);
    assert.deepEqual(r.outcomes.map((o) => o.accountId), ['a', 'b']);
    assert.deepEqual(await deliverAlerts([], [ch]), { outcomes: [], delivered: 0, failed: 0, timedOut: false });
  });
});
