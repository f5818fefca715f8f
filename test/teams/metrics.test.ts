// The exposition formatter on its own: exact names, escaping, the state set, stale numbers
// with their age, never a NaN or a key, and content negotiation.
import * as assert from 'node:assert/strict';
import { negotiateFormat, renderMetrics, type MetricsInput } from '../../src/core/metrics';
import type { BalanceResult } from '../../src/core/model';
import { DEFAULT_THRESHOLD_SETTINGS, judged, type ThresholdOverrides } from '../../src/core/thresholds';

const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';

function result(over: Partial<BalanceResult>): BalanceResult {
  return {
    accountId: 'or', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'ok',
    balance: 12.5, currency: 'USD', usage: 3.25, limit: 20, checkedAt: '2026-12-01T08:00:00.000Z', ...over,
  };
}

/** The results as a check judges them (each with its verdict), under the accounts' own thresholds and the defaults. */
function input(results: BalanceResult[], over: Partial<MetricsInput> = {}, accounts: (ThresholdOverrides & { id: string })[] = []): MetricsInput {
  return { results: results.map((r) => judged(r, accounts.find((a) => a.id === r.accountId) ?? {}, DEFAULT_THRESHOLD_SETTINGS)), ...over };
}

/** sample name + labels → value, failing on a duplicate series. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    const series = line.slice(0, i);
    assert.ok(!out.has(series), `duplicate series ${series}`);
    out.set(series, Number(line.slice(i + 1)));
  }
  return out;
}

describe('metrics: the exposition text', () => {
  it('writes every SPEC §12 family with HELP and TYPE, UNIT where the name carries one, and # EOF last in OpenMetrics', () => {
    const text = renderMetrics(input([result({})], { durations: new Map([['or', 0.25]]) }), 'openmetrics');
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(families, [
      'llm_balance_remaining gauge', 'llm_balance_limit gauge', 'llm_balance_usage gauge', 'llm_balance_threshold gauge',
      'llm_balance_level gauge', 'llm_balance_up gauge', 'llm_balance_last_success_timestamp_seconds gauge',
      'llm_balance_check_duration_seconds gauge', 'llm_balance_info gauge',
    ]);
    for (const f of families) assert.match(text, new RegExp(`^# HELP ${f.split(' ')[0]} \\S`, 'm'));
    assert.deepEqual([...text.matchAll(/^# UNIT (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`), [
      'llm_balance_last_success_timestamp_seconds seconds', 'llm_balance_check_duration_seconds seconds',
    ]);
    assert.ok(text.endsWith('\n# EOF\n'));
    const s = samples(text);
    assert.equal(s.get('llm_balance_remaining{account="or",provider="openrouter",currency="USD"}'), 12.5);
    assert.equal(s.get('llm_balance_limit{account="or",provider="openrouter",currency="USD"}'), 20);
    assert.equal(s.get('llm_balance_usage{account="or",provider="openrouter",currency="USD",window="total"}'), 3.25);
    assert.equal(s.get('llm_balance_threshold{account="or",currency="USD",level="warning"}'), 10);
    assert.equal(s.get('llm_balance_threshold{account="or",currency="USD",level="critical"}'), 5);
    assert.equal(s.get('llm_balance_up{account="or"}'), 1);
    assert.equal(s.get('llm_balance_last_success_timestamp_seconds{account="or"}'), Date.parse('2026-12-01T08:00:00Z') / 1000);
    assert.equal(s.get('llm_balance_check_duration_seconds{account="or"}'), 0.25);
    assert.equal(s.get('llm_balance_info{account="or",provider="openrouter",label="OpenRouter"}'), 1);
  });

  it('the 0.0.4 text has gauges only, no UNIT and no # EOF, and never a timestamp', () => {
    const text = renderMetrics(input([result({})]), 'prometheus');
    assert.doesNotMatch(text, /# UNIT|# EOF/m);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^[a-z_]+\{[^}]*\} -?[0-9.e+-]+$/, line);
  });

  it('the level is a state set: exactly one of the five levels is 1', () => {
    const s = samples(renderMetrics(input([result({ level: 'warning', balance: 8 })]), 'prometheus'));
    const levels = ['ok', 'info', 'warning', 'critical', 'error'].map((l) => s.get(`llm_balance_level{account="or",level="${l}"}`));
    assert.deepEqual(levels, [0, 0, 1, 0, 0]);
  });

  it('an account\'s own thresholds apply in its currency; amounts for another currency fall back to the defaults', () => {
    const s = samples(renderMetrics(input([result({ accountId: 'ds', provider: 'deepseek', currency: 'CNY', balance: 50, limit: null, usage: null })], {}, [
      { id: 'ds', warning: 200, critical: 100, currency: 'CNY' },
    ]), 'prometheus'));
    assert.equal(s.get('llm_balance_threshold{account="ds",currency="CNY",level="warning"}'), 200);
    assert.equal(s.get('llm_balance_threshold{account="ds",currency="CNY",level="critical"}'), 100);
  });

  it('a failed check keeps the last good numbers with up 0 and the time of the last success (their age)', () => {
    const stale = result({ status: 'error', level: 'error', errorKind: 'server', error: 'HTTP 503', stale: true, checkedAt: '2026-12-01T09:00:00.000Z', details: { staleSince: '2026-12-01T08:00:00.000Z' } });
    const s = samples(renderMetrics(input([stale]), 'prometheus'));
    assert.equal(s.get('llm_balance_remaining{account="or",provider="openrouter",currency="USD"}'), 12.5);
    assert.equal(s.get('llm_balance_up{account="or"}'), 0);
    assert.equal(s.get('llm_balance_last_success_timestamp_seconds{account="or"}'), Date.parse('2026-12-01T08:00:00Z') / 1000);
  });

  it('an account that never answered has no money samples and no last success, and up 0', () => {
    const s = samples(renderMetrics(input([result({ status: 'invalid', level: 'error', balance: null, usage: null, limit: null, errorKind: 'auth' })]), 'prometheus'));
    assert.equal([...s.keys()].filter((k) => /remaining|limit|usage|last_success/.test(k)).length, 0);
    assert.equal(s.get('llm_balance_up{account="or"}'), 0);
  });

  it('label values are escaped data, control characters flattened, capped, and a key in a label is redacted', () => {
    const text = renderMetrics(input([result({ label: `Team "ops" \\ ${KEY}\nnext\u0007` })]), 'openmetrics');
    const line = text.split('\n').find((l) => l.startsWith('llm_balance_info'))!;
    assert.ok(!text.includes(KEY) && !text.includes(KEY.slice(8, 28)), 'the key leaked');
    assert.match(line, /label="Team \\"ops\\" \\\\ sk-o…cdef next "/);
    const long = renderMetrics(input([result({ label: 'x'.repeat(500) })]), 'prometheus');
    assert.match(long, /label="x{79}…"/);
  });

  it('the key-cap windows of OpenRouter and the month of OpenAI spend are labelled', () => {
    const s = samples(renderMetrics(input([
      result({ details: { usage_daily: 1.5, usage_weekly: 7.25, usage_monthly: 25.5 } }),
      result({ accountId: 'oa', provider: 'openai', balance: null, limit: null, usage: 42 }),
    ]), 'prometheus'));
    assert.equal(s.get('llm_balance_usage{account="or",provider="openrouter",currency="USD",window="day"}'), 1.5);
    assert.equal(s.get('llm_balance_usage{account="or",provider="openrouter",currency="USD",window="week"}'), 7.25);
    assert.equal(s.get('llm_balance_usage{account="oa",provider="openai",currency="USD",window="month"}'), 42);
  });

  it('numbers are written without float noise', () => {
    const text = renderMetrics(input([result({ balance: 0.1 + 0.2, checkedAt: '2026-12-01T08:00:00.806Z' })]), 'prometheus');
    assert.match(text, /currency="USD"\} 0\.3$/m);
    assert.match(text, /last_success_timestamp_seconds\{account="or"\} 1796112000\.806$/m);
  });
});

describe('metrics: content negotiation', () => {
  it('OpenMetrics when asked for (as Prometheus asks), else the 0.0.4 text', () => {
    assert.equal(negotiateFormat('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'), 'openmetrics');
    assert.equal(negotiateFormat('text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5'), 'prometheus');
    assert.equal(negotiateFormat('application/openmetrics-text;q=0'), 'prometheus');
    assert.equal(negotiateFormat(undefined), 'prometheus');
    assert.equal(negotiateFormat('*/*'), 'prometheus');
    assert.equal(negotiateFormat('application/json'), 'prometheus');
  });
});
