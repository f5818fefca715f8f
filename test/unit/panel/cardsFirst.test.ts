// The panel sends its cards before the chart series (src/panel/balancePanel.ts): the cards
// message must be small, lose nothing a card shows, and the charts message must bring back
// exactly the charts it left out.
import * as assert from 'node:assert/strict';
import { buildChart, buildPanelCards, buildPanelCharts, withCharts, type HistoryReader } from '../../../src/panel/viewData';
import { HostMessageSchema, RANGE_MS, type Range } from '../../../src/panel/protocol';
import { forecast, FORECAST_WINDOW_MS } from '../../../src/core/forecast';
import { DEFAULT_SPIKE_RULE } from '../../../src/core/spike';
import { makeFixture } from '../../webview/fixture';

describe('panel: cards first, then charts', () => {
  const fixture = makeFixture();
  const input = { ...fixture.input, range: '90d' as const, now: fixture.now };

  it('the cards message carries no chart series and is a small part of the whole', () => {
    const built = buildPanelCards(input);
    const { cards } = built;
    const charts = buildPanelCharts(input, built);
    assert.equal(cards.accounts.length, 10);
    for (const a of cards.accounts) if (a.chart) assert.equal(a.chart.t.length, 0, `${a.id} sent a chart with points among the cards`);
    assert.deepEqual(charts.charts.map((c) => c.id).sort(), cards.accounts.filter((a) => !a.chart).map((a) => a.id).sort());
    assert.ok(charts.charts.every((c) => c.chart.t.length > 0));
    const cardsSize = JSON.stringify(cards).length;
    const allSize = JSON.stringify(withCharts(cards, charts)).length;
    assert.ok(cardsSize * 5 < allSize, `cards ${cardsSize} B of ${allSize} B`);
    assert.ok(HostMessageSchema.safeParse({ type: 'data', data: cards }).success);
    assert.ok(HostMessageSchema.safeParse({ type: 'charts', charts }).success);
  });

  it('cards and charts together are the chart built from the range, card by card', () => {
    const built = buildPanelCards(input);
    const { cards } = built;
    const whole = withCharts(cards, buildPanelCharts(input, built));
    for (const a of whole.accounts) {
      const expected = buildChart(fixture.store.seriesView(a.id, input.now - RANGE_MS['90d']), '90d', input.now);
      assert.deepEqual(a.chart.t, expected.t, a.id);
      assert.deepEqual(a.chart.values, expected.values, a.id);
      const { chart: _chart, ...card } = a;
      const { chart: _cardChart, ...sent } = cards.accounts.find((c) => c.id === a.id)!;
      assert.deepEqual(card, sent, `${a.id}: the card changed between the two messages`);
    }
  });

  it('an account without history in the range gets its empty chart with the card (it says "no history")', () => {
    const fresh = { account: { id: 'fresh', provider: 'deepseek' as const }, thresholds: {} };
    const withFresh = { ...input, accounts: [...input.accounts, fresh] };
    const built = buildPanelCards(withFresh);
    const { cards } = built;
    const card = cards.accounts.find((a) => a.id === 'fresh');
    assert.ok(card?.chart, 'the empty chart came with the card');
    assert.deepEqual(card.chart.t, []);
    assert.equal(cards.accounts.filter((a) => a.chart).length, 1, 'only the account without history');
    assert.ok(!buildPanelCharts(withFresh, built).charts.some((c) => c.id === 'fresh'));
  });

  it('a chart the charts message lacks is an error, not a card silently without its chart', () => {
    const { cards } = buildPanelCards(input);
    assert.throws(() => withCharts(cards, { generatedAt: cards.generatedAt, charts: [] }), /no chart for/);
  });

  it('a push reads each account\'s history once, and shows what reads for each part would', () => {
    // A spend spike going on now on one account: its mark needs a longer look back than the card.
    const spiked = makeFixture({ now: fixture.now });
    const last = spiked.store.seriesView('xai').at(-1)!;
    spiked.store.record([{ ...spiked.results.find((r) => r.accountId === 'xai')!, balance: last.balance! - 40, checkedAt: new Date(spiked.now).toISOString() }]);
    for (const range of Object.keys(RANGE_MS) as Range[]) {
      const reads = new Map<string, number>();
      let eventReads = 0;
      const counted: HistoryReader = {
        seriesView: (id, sinceMs) => {
          reads.set(id, (reads.get(id) ?? 0) + 1);
          return spiked.store.seriesView(id, sinceMs);
        },
        events: (limit) => {
          eventReads++;
          return spiked.store.events(limit);
        },
      };
      const push = { ...spiked.input, history: counted, range, now: spiked.now, spendSpike: DEFAULT_SPIKE_RULE };
      const built = buildPanelCards(push);
      const whole = withCharts(built.cards, buildPanelCharts(push, built));
      assert.deepEqual([...reads.values()], whole.accounts.map(() => 1), `${range}: reads per account ${JSON.stringify([...reads])}`);
      assert.equal(eventReads, 2, `${range}: the event list and the spike notifications, once each`);
      for (const a of whole.accounts) {
        const expected = buildChart(spiked.store.seriesView(a.id, spiked.now - RANGE_MS[range]), range, spiked.now);
        assert.deepEqual({ t: a.chart.t, values: a.chart.values, topUps: a.chart.topUps }, { t: expected.t, values: expected.values, topUps: expected.topUps }, `${range} ${a.id}`);
        const thresholds = spiked.input.accounts.find((x) => x.account.id === a.id)!.thresholds;
        assert.deepEqual(a.forecast, forecast(spiked.store.seriesView(a.id, spiked.now - FORECAST_WINDOW_MS), thresholds, spiked.now), `${range} ${a.id} forecast`);
      }
      assert.deepEqual(whole.accounts.find((a) => a.id === 'xai')!.chart.spikes, [{ fromMs: spiked.now - 3_600_000, toMs: spiked.now }], `${range}: the spike now`);
    }
  });
});
