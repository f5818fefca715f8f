import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HistoryStore, HistoryFileSchema, thinPoints, csvText, MAX_EVENTS, type HistoryPoint } from '../../src/core/history';
import type { BalanceResult } from '../../src/core/model';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.parse('2025-06-01T12:00:00.000Z');

function result(t: number, balance: number | null, extra: Partial<BalanceResult> = {}): BalanceResult {
  return {
    accountId: 'or-work',
    provider: 'openrouter',
    label: 'OpenRouter (work)',
    status: 'valid',
    level: 'ok',
    balance,
    currency: 'USD',
    usage: null,
    limit: null,
    checkedAt: new Date(t).toISOString(),
    ...extra,
  };
}

function point(t: number, balance: number | null, currency = 'USD'): HistoryPoint {
  return { t, balance, usage: null, limit: null, currency, level: 'ok' };
}

describe('HistoryStore', () => {
  let dir: string;
  let file: string;
  let logs: string[];
  const store = (now = NOW, retentionDays?: number) =>
    new HistoryStore(file, { now: () => now, log: (m) => logs.push(m), ...(retentionDays ? { retentionDays } : {}) });

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llm-balance-history-'));
    file = path.join(dir, 'nested', 'history.json');
    logs = [];
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('starts empty when the file is missing', async () => {
    const h = store();
    await h.load();
    assert.deepEqual(h.accounts(), []);
    assert.deepEqual(h.events(), []);
    assert.deepEqual(logs, []);
  });

  it('records, saves atomically into a new directory and loads back', async () => {
    const h = store();
    await h.load();
    h.record([
      result(NOW - 2 * HOUR, 12.5, { usage: 7.5, limit: 20 }),
      result(NOW - HOUR, 11, { accountId: 'ds', provider: 'deepseek', label: 'DeepSeek', currency: 'CNY', level: 'warning' }),
    ]);
    await h.save();
    const names = await fs.readdir(path.dirname(file));
    assert.deepEqual(names, ['history.json'], 'no temp file left behind');
    const onDisk: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    assert.ok(HistoryFileSchema.safeParse(onDisk).success);

    const again = store();
    await again.load();
    assert.deepEqual(again.accounts(), ['ds', 'or-work']);
    assert.deepEqual(again.series('or-work'), [
      { t: NOW - 2 * HOUR, balance: 12.5, usage: 7.5, limit: 20, currency: 'USD', level: 'ok' },
    ]);
    assert.equal(again.series('ds')[0]?.level, 'warning');
    assert.equal(again.label('ds'), 'DeepSeek');
  });

  it('leaves no temp files after concurrent saves', async () => {
    const h = store();
    await h.load();
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      h.record([result(NOW - (10 - i) * MIN, 50 - i)]);
      saves.push(h.save());
    }
    await Promise.all(saves);
    assert.deepEqual(await fs.readdir(path.dirname(file)), ['history.json']);
    const again = store();
    await again.load();
    assert.equal(again.series('or-work').length, 10);
  });

  it('skips stale results and results without numbers, and remembers the latest label', async () => {
    const h = store();
    h.record([
      result(NOW - 3 * MIN, 10),
      result(NOW - 2 * MIN, 9, { stale: true }),
      result(NOW - MIN, null, { level: 'info' }),
      result(NOW, null, { usage: 3, label: 'Renamed, now' }),
    ]);
    assert.deepEqual(h.series('or-work').map((p) => [p.balance, p.usage]), [[10, null], [null, 3]]);
    assert.equal(h.label('or-work'), 'Renamed, now');
  });

  it('keeps points in time order and replaces a repeated check time', () => {
    const h = store();
    h.record([result(NOW - MIN, 9)]);
    h.record([result(NOW - 2 * MIN, 10)]);
    h.record([result(NOW - MIN, 8.5)]);
    assert.deepEqual(h.series('or-work').map((p) => p.balance), [10, 8.5]);
    assert.deepEqual(h.series('or-work', NOW - MIN).map((p) => p.balance), [8.5]);
  });

  for (const [name, content] of [
    ['truncated JSON', '{"version":1,"accounts":{"a":{"label":"x","points":[[1,'],
    ['a newer version', JSON.stringify({ version: 2, accounts: {}, events: [] })],
    ['a bad point', JSON.stringify({ version: 1, accounts: { a: { label: 'x', points: [[1, 'NaN', null, null, 'USD', 'ok']] } }, events: [] })],
    ['not an object', '[]'],
  ] as const) {
    it(`keeps a corrupt file (${name}) as .bak and starts a new history`, async () => {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
      const h = store();
      await h.load(); // resolves: the extension's activation does not fail
      assert.deepEqual(h.accounts(), []);
      assert.equal(await fs.readFile(`${file}.bak`, 'utf8'), content);
      assert.equal(logs.length, 1);
      assert.match(logs[0]!, /\.bak/);
      h.record([result(NOW, 5)]);
      await h.save();
      const again = store();
      await again.load();
      assert.equal(again.series('or-work').length, 1);
    });
  }

  it('treats an unreadable path as corrupt and never throws', async () => {
    await fs.mkdir(file, { recursive: true }); // a directory where the file should be
    const h = store();
    await h.load();
    assert.deepEqual(h.accounts(), []);
    assert.equal(logs.length, 1);
    assert.ok((await fs.stat(`${file}.bak`)).isDirectory());
  });

  it('drops points and events older than the retention on save', async () => {
    const h = store(NOW, 30);
    h.record([result(NOW - 31 * DAY, 50), result(NOW - 29 * DAY, 40)]);
    h.record([result(NOW - 31 * DAY, 5, { accountId: 'gone', label: 'Gone' })]);
    h.addEvent({ t: NOW - 31 * DAY, accountId: 'or-work', label: 'x', kind: 'error', level: 'error', message: 'old' });
    h.addEvent({ t: NOW - DAY, accountId: 'or-work', label: 'x', kind: 'error', level: 'error', message: 'new' });
    await h.save();
    assert.deepEqual(h.series('or-work').map((p) => p.balance), [40]);
    assert.deepEqual(h.accounts(), ['or-work']);
    assert.deepEqual(h.events().map((e) => e.message), ['new']);
  });

  it('bounds events and lists them newest first', () => {
    const h = store();
    for (let i = 0; i < MAX_EVENTS + 50; i++) {
      h.addEvent({ t: NOW - 1000 * DAY + i * MIN, accountId: 'a', label: 'A', kind: 'notification', level: 'warning', message: `m${i}`, channel: 'vscode' });
    }
    const events = h.events();
    assert.equal(events.length, MAX_EVENTS);
    assert.equal(events[0]?.message, `m${MAX_EVENTS + 49}`);
    assert.deepEqual(h.events(2).map((e) => e.message), [`m${MAX_EVENTS + 49}`, `m${MAX_EVENTS + 48}`]);
  });

  it('stays small: 90 days of 10 accounts checked every 5 minutes', async () => {
    const h = store();
    for (let a = 0; a < 10; a++) {
      const batch: BalanceResult[] = [];
      let balance = 100;
      for (let t = NOW - 90 * DAY; t <= NOW; t += 5 * MIN) {
        balance -= 0.01;
        if (balance < 5) balance += 100;
        batch.push(result(t, Math.round(balance * 100) / 100, { accountId: `acct-${a}`, usage: 1, limit: 200 }));
      }
      h.record(batch);
    }
    await h.save();
    const size = (await fs.stat(file)).size;
    const points = h.series('acct-0').length;
    assert.ok(size < 1_500_000, `file is ${size} bytes`);
    assert.ok(points < 3000, `${points} points per account`);
  });

  it('writes CSV with proper quoting', () => {
    const h = store();
    h.record([
      result(NOW - MIN, 10.5, { label: 'Work, "main"', usage: 2, limit: 20 }),
      result(NOW, null, { accountId: 'oa', provider: 'openai', label: '=HYPERLINK("x")', usage: 3, level: 'info' }),
    ]);
    const lines = h.toCsv().split('\r\n');
    assert.equal(lines[0], 'time_iso,account_id,label,balance,currency,usage,limit,level');
    assert.equal(lines[1], `${new Date(NOW - MIN).toISOString()},or-work,"Work, ""main""",10.5,USD,2,20,ok`);
    assert.equal(lines[2], `${new Date(NOW).toISOString()},oa,"'=HYPERLINK(""x"")",,USD,3,,info`);
    assert.equal(lines[3], '');
    assert.equal(csvText('line\nbreak'), '"line\nbreak"');
    assert.equal(csvText('plain'), 'plain');
  });

  it('exports readable JSON', () => {
    const h = store();
    h.record([result(NOW, 10)]);
    const json = JSON.parse(JSON.stringify(h)) as { version: number; accounts: Record<string, { label: string; points: { time: string; balance: number }[] }> };
    assert.equal(json.version, 1);
    assert.equal(json.accounts['or-work']?.label, 'OpenRouter (work)');
    assert.equal(json.accounts['or-work']?.points[0]?.time, new Date(NOW).toISOString());
    assert.equal(json.accounts['or-work']?.points[0]?.balance, 10);
  });
});

describe('thinPoints', () => {
  it('keeps one point per minute in the last day, the last of each minute', () => {
    const pts = [point(NOW - 10 * MIN, 10), point(NOW - 10 * MIN + 20_000, 9.9), point(NOW - 10 * MIN + 40_000, 9.8), point(NOW - 5 * MIN, 9.5)];
    assert.deepEqual(thinPoints(pts, NOW).map((p) => p.balance), [9.8, 9.5]);
  });

  it('thins to 15 minutes within the week and 2 hours beyond', () => {
    const pts: HistoryPoint[] = [];
    let b = 1000;
    for (let t = NOW - 30 * DAY; t <= NOW; t += 5 * MIN) pts.push(point(t, (b -= 0.01)));
    const kept = thinPoints(pts, NOW);
    const count = (from: number, to: number) => kept.filter((p) => p.t >= NOW - from && p.t < NOW - to).length;
    assert.ok(Math.abs(count(30 * DAY, 8 * DAY) - 22 * 12) <= 1, `old: ${count(30 * DAY, 8 * DAY)}`);
    assert.ok(Math.abs(count(6 * DAY, 2 * DAY) - 4 * 96) <= 1, `week: ${count(6 * DAY, 2 * DAY)}`);
    assert.equal(count(DAY - MIN, 0), 287, 'every point of the last day');
    assert.equal(kept[kept.length - 1], pts[pts.length - 1]);
  });

  it('never drops a top-up: keeps its top and the point before it', () => {
    const pts: HistoryPoint[] = [];
    let b = 20;
    const jumpAt = NOW - 20 * DAY + 35 * MIN; // inside a 2-hour bucket, not its last point
    for (let t = NOW - 21 * DAY; t <= NOW - 19 * DAY; t += 5 * MIN) {
      if (t === jumpAt) b += 50;
      pts.push(point(t, Math.round((b -= 0.01) * 100) / 100));
    }
    const top = pts.find((p) => p.t === jumpAt)!;
    const before = pts.find((p) => p.t === jumpAt - 5 * MIN)!;
    const kept = thinPoints(pts, NOW);
    assert.ok(kept.length < 30, `${kept.length} kept`);
    const i = kept.indexOf(top);
    assert.ok(i > 0, 'top of the jump kept');
    assert.equal(kept[i - 1], before, 'bottom of the jump kept next to it');
    // Thinning again (the next save) keeps the jump.
    const twice = thinPoints(kept, NOW + HOUR);
    assert.ok(twice.includes(top) && twice.includes(before));
  });

  it('keeps a change of currency visible', () => {
    const pts = [point(NOW - 30 * DAY, 10, 'USD'), point(NOW - 30 * DAY + 10 * MIN, 70, 'CNY'), point(NOW - 30 * DAY + 20 * MIN, 69, 'CNY')];
    assert.equal(thinPoints(pts, NOW).length, 3);
  });
});
