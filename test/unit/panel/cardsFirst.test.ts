// The panel sends its cards before the chart series (src/panel/balancePanel.ts): the cards
// message must be small, lose nothing a card shows, and the charts message must bring back
// exactly the charts it left out.
import * as assert from 'node:assert/strict';
import { buildChart, buildPanelCards, buildPanelCharts, withCharts } from '../../../src/panel/viewData';
import { HostMessageSchema, RANGE_MS } from '../../../src/panel/protocol';
import { makeFixture } from '../../webview/fixture';

describe('panel: cards first, then charts', () => {
  const fixture = makeFixture();
  const input = { ...fixture.input, range: '90d' as const, now: fixture.now };

  it('the cards message carries no chart series and is a small part of the whole', () => {
    const cards = buildPanelCards(input);
    const charts = buildPanelCharts(input, cards);
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
    const cards = buildPanelCards(input);
    const whole = withCharts(cards, buildPanelCharts(input, cards));
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
    const cards = buildPanelCards(withFresh);
    const card = cards.accounts.find((a) => a.id === 'fresh');
    assert.ok(card?.chart, 'the empty chart came with the card');
    assert.deepEqual(card.chart.t, []);
    assert.equal(cards.accounts.filter((a) => a.chart).length, 1, 'only the account without history');
    assert.ok(!buildPanelCharts(withFresh, cards).charts.some((c) => c.id === 'fresh'));
  });

  it('a chart the charts message lacks is an error, not a card silently without its chart', () => {
    const cards = buildPanelCards(input);
    assert.throws(() => withCharts(cards, { generatedAt: cards.generatedAt, charts: [] }), /no chart for/);
  });
});
