import * as assert from 'node:assert/strict';
import { DeliveryError } from '../../../src/core/alerts/channels';
import { deliverAlerts } from '../../../src/core/alerts/delivery';
import type { Alert, LevelAlert } from '../../../src/core/alerts/message';
import { assertNoSecret } from '../helpers';
import { RecordingChannel, sampleAlert } from './fakes';

const alert = (accountId: string, level: LevelAlert['level'] = 'critical'): Alert => sampleAlert({ accountId, level });
const ids = (c: RecordingChannel): string[] => c.calls.map((x) => x.alert.accountId);
const retryable = (msg = 'HTTP 503', retryAfterMs?: number): DeliveryError =>
  new DeliveryError(msg, retryAfterMs === undefined ? { retryable: true } : { retryable: true, retryAfterMs });

describe('alert delivery', () => {
  it('retries with exponential backoff and gives up after maxAttempts', async () => {
    const ch = new RecordingChannel('webhook', retryable());
    ch.script.push(retryable(), retryable(), retryable(), 'ok');
    const other = new RecordingChannel('slack', retryable('HTTP 502 from hooks.example.com.'));
    const report = await deliverAlerts([alert('a')], [ch, other], { baseBackoffMs: 100, maxAttempts: 4, timeoutMs: 10_000 });
    const t = ch.calls.map((c) => c.at);
    assert.equal(t.length, 4);
    const gaps = [t[1]! - t[0]!, t[2]! - t[1]!, t[3]! - t[2]!];
    assert.ok(gaps[0]! >= 100 && gaps[1]! >= 200 && gaps[2]! >= 400, `gaps ${gaps.join(', ')}`);
    const byChannel = Object.fromEntries(report.map((o) => [o.channel, o]));
    assert.deepEqual(byChannel.webhook, { accountId: 'a', level: 'critical', kind: 'level', channel: 'webhook', ok: true, attempts: 4 });
    assert.deepEqual(byChannel.slack, { accountId: 'a', level: 'critical', kind: 'level', channel: 'slack', ok: false, attempts: 4, error: 'HTTP 502 from hooks.example.com (gave up after 4 attempts).' });
  });

  it('honours Retry-After: the channel waits, then sends the rest in order', async () => {
    const ch = new RecordingChannel('telegram');
    ch.script.push(retryable('HTTP 429', 600));
    const report = await deliverAlerts([alert('first', 'critical'), alert('second', 'warning')], [ch], { baseBackoffMs: 10, timeoutMs: 5000 });
    assert.deepEqual(report.map((o) => [o.accountId, o.ok]), [['first', true], ['second', true]]);
    assert.deepEqual(ids(ch), ['first', 'first', 'second']);
    const [t0, t1, t2] = ch.calls.map((c) => c.at) as [number, number, number];
    assert.ok(t1 - t0 >= 600, `retried after ${t1 - t0} ms`);
    assert.ok(t2 - t0 >= 600, `the lane paused for everyone (${t2 - t0} ms)`);
  });

  it('does not wait out a Retry-After longer than 30 s', async () => {
    const ch = new RecordingChannel('telegram', retryable('Telegram answered HTTP 429.', 120_000));
    const t0 = Date.now();
    const report = await deliverAlerts([alert('a')], [ch], { timeoutMs: 5000 });
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(report[0]!.attempts, 1);
    assert.match(report[0]!.error ?? '', /asked to wait 120 s, longer than 30 s; not retrying/);
  });

  it('a failing or hung channel never blocks another; drain is bounded by its deadline', async () => {
    const hung = new RecordingChannel('email', { delayMs: 1500 });
    const broken = new RecordingChannel('discord', new DeliveryError('Discord webhook answered HTTP 401.', { retryable: false }));
    const slow = new RecordingChannel('slack', retryable());
    const fine = new RecordingChannel('webhook');
    const t0 = Date.now();
    const report = await deliverAlerts([alert('a'), alert('b', 'warning')], [hung, broken, slow, fine], { baseBackoffMs: 5_000, timeoutMs: 700 });
    const took = Date.now() - t0;
    assert.ok(took >= 650 && took < 2000, `drain took ${took} ms`);
    assert.deepEqual(fine.delivered.map((x) => x.accountId), ['a', 'b']);
    assert.ok(fine.calls[1]!.at - t0 < 200, 'the good channel delivered at once');
    const of = (channel: string) => report.filter((o) => o.channel === channel);
    assert.deepEqual(of('webhook').map((o) => o.ok), [true, true]);
    assert.deepEqual(of('discord').map((o) => [o.ok, o.attempts, o.error]), [[false, 1, 'Discord webhook answered HTTP 401.'], [false, 1, 'Discord webhook answered HTTP 401.']]);
    assert.deepEqual(of('slack').map((o) => [o.accountId, o.attempts, o.error]), [['a', 1, 'Not delivered within 0.7 s (last error: HTTP 503).'], ['b', 0, 'Not delivered within 0.7 s.']]);
    assert.deepEqual(of('email').map((o) => o.accountId), ['a', 'b']);
    assert.match(of('email')[0]!.error ?? '', /^Still being sent when the 0\.7 s deadline passed/);
    assert.equal(of('email')[1]!.error, 'Not delivered within 0.7 s.');
    assert.equal(report.length, 8);
    assert.equal(report.filter((o) => o.ok).length, 2);
  });

  it('redacts whatever a channel lets through in an unexpected error', async () => {
    const key = 'sk-live-0123456789abcdefghijklmnop';
    const ch = new RecordingChannel('webhook');
    ch.send = () => Promise.reject(new Error(`boom: ${key}`));
    const report = await deliverAlerts([alert('a')], [ch], { maxAttempts: 1 });
    assert.match(report[0]!.error ?? '', /^boom: sk-l…mnop/);
    assertNoSecret(report, key);
  });

  it('delivers nothing and waits for nothing when there is nothing to send', async () => {
    const ch = new RecordingChannel('webhook');
    assert.deepEqual(await deliverAlerts([], [ch]), []);
    assert.deepEqual(await deliverAlerts([alert('a')], []), []);
    assert.equal(ch.calls.length, 0);
  });
});
