import * as assert from 'node:assert/strict';
import { buildPanelData } from '../../../src/panel/viewData';
import { PanelDataSchema } from '../../../src/panel/protocol';
import type { HistoryEvent, HistoryPoint } from '../../../src/core/history';
import type { Account } from '../../../src/core/model';
import { DEFAULT_SPIKE_RULE } from '../../../src/core/spike';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-01T09:00:00Z');

function panel(points: HistoryPoint[], events: HistoryEvent[], withRule = true) {
  const account: Account = { id: 'or', provider: 'openrouter', label: 'OpenRouter' };
  return buildPanelData({
    results: [],
    accounts: [{ account, thresholds: {} }],
    history: { seriesView: (_id, since = 0) => points.filter((p) => p.t >= since), events: () => events.slice().reverse() },
    billingUrl: () => undefined,
    range: '7d',
    now: NOW,
    ...(withRule ? { spendSpike: DEFAULT_SPIKE_RULE } : {}),
  });
}

/** A week of $1 an hour, then $40 in the last hour. */
function spiky(): HistoryPoint[] {
  const pts: HistoryPoint[] = [];
  for (let k = 7 * 24; k >= 1; k--) pts.push({ t: NOW - k * HOUR, balance: 200 + k, usage: null, limit: null, currency: 'USD', level: 'ok' });
  pts.push({ t: NOW, balance: 201 - 40, usage: null, limit: null, currency: 'USD', level: 'ok' });
  return pts;
}

describe('panel: spend spikes on the chart', () => {
  it('marks the spike going on now, and the data still validates', () => {
    const data = panel(spiky(), []);
    assert.deepEqual(data.accounts[0]!.chart.spikes, [{ fromMs: NOW - HOUR, toMs: NOW }]);
    assert.ok(PanelDataSchema.safeParse(data).success);
  });

  it('marks past spikes from their notifications, once each, and nothing without the rule', () => {
    const flat = spiky().slice(0, -1);
    const sent: HistoryEvent = { t: NOW - 30 * HOUR, accountId: 'or', label: 'OpenRouter', kind: 'notification', level: 'warning', message: 'UNUSUAL SPEND: OpenRouter dropped $9.00 in the last hour — 9× its usual. Check for a leaked key.' };
    const other: HistoryEvent = { ...sent, message: 'WARNING: OpenRouter balance low — $8.00 left (threshold $10.00). Add funds to avoid interruption.' };
    assert.deepEqual(panel(flat, [sent, other]).accounts[0]!.chart.spikes, [{ fromMs: NOW - 31 * HOUR, toMs: NOW - 30 * HOUR }]);
    // A spike notified now and detected now is one mark, not two.
    assert.equal(panel(spiky(), [{ ...sent, t: NOW }]).accounts[0]!.chart.spikes!.length, 1);
    assert.equal(panel(spiky(), [sent], false).accounts[0]!.chart.spikes, undefined);
    assert.equal(panel(flat, []).accounts[0]!.chart.spikes, undefined);
  });
});
