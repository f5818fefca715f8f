// Ten accounts with 90 days of history checked every 5 minutes (never thinned: the worst case
// for the panel), top-ups, events, and provider strings that try to inject HTML. Shared by the
// webview test and scripts/bench-panel.mjs.
import { HistoryStore } from '../../src/core/history';
import type { Account, BalanceResult, Level, ProviderId } from '../../src/core/model';
import { buildPanelData, type PanelInput } from '../../src/panel/viewData';
import type { PanelData, Range } from '../../src/panel/protocol';

export const XSS_NOTE = 'Balance API says: <img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script>';
export const XSS_ERROR = 'HTTP 500: <img src=x onerror=alert(1)><b>bold?</b>';
export const XSS_LABEL = 'Relay <b>"team"</b> & co';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

interface Spec {
  id: string;
  provider: ProviderId;
  label: string;
  currency: string;
  start: number;
  burnPerDay: number;
  topUp: number;
  limit?: number;
  usageOnly?: boolean;
  warning: number;
  critical: number;
}

const SPECS: Spec[] = [
  { id: 'openrouter', provider: 'openrouter', label: 'OpenRouter (work)', currency: 'USD', start: 60, burnPerDay: 2.2, topUp: 50, warning: 10, critical: 5 },
  { id: 'deepseek', provider: 'deepseek', label: 'DeepSeek', currency: 'CNY', start: 300, burnPerDay: 9, topUp: 200, warning: 70, critical: 35 },
  { id: 'moonshot', provider: 'moonshot', label: 'Moonshot (Kimi)', currency: 'CNY', start: 150, burnPerDay: 3, topUp: 100, warning: 70, critical: 35 },
  { id: 'siliconflow', provider: 'siliconflow', label: 'SiliconFlow', currency: 'CNY', start: 88.88, burnPerDay: 0.8, topUp: 0, warning: 70, critical: 35 },
  { id: 'novita', provider: 'novita', label: 'Novita AI', currency: 'USD', start: 39, burnPerDay: 0.35, topUp: 0, warning: 10, critical: 5 },
  { id: 'xai', provider: 'xai', label: 'xAI (Grok)', currency: 'USD', start: 120, burnPerDay: 4.5, topUp: 100, warning: 10, critical: 5 },
  { id: 'litellm', provider: 'litellm', label: 'LiteLLM proxy key', currency: 'USD', start: 200, burnPerDay: 1.7, topUp: 0, limit: 300, warning: 10, critical: 5 },
  { id: 'relay', provider: 'relay', label: XSS_LABEL, currency: 'USD', start: 60, burnPerDay: 0.45, topUp: 0, limit: 100, warning: 10, critical: 5 },
  { id: 'openai', provider: 'openai', label: 'OpenAI (spend)', currency: 'USD', start: 0, burnPerDay: 1.2, topUp: 0, usageOnly: true, warning: 10, critical: 5 },
  { id: 'anthropic', provider: 'anthropic', label: 'Anthropic', currency: 'USD', start: 140, burnPerDay: 1, topUp: 0, warning: 10, critical: 5 },
];

function levelOf(balance: number, s: Spec): Level {
  if (balance <= s.critical) return 'critical';
  if (balance <= s.warning) return 'warning';
  return 'ok';
}

export interface Fixture {
  now: number;
  store: HistoryStore;
  input: Omit<PanelInput, 'range' | 'now'>;
  results: BalanceResult[];
  rawPointsPerAccount: number;
  data(range: Range): PanelData;
}

export function makeFixture(opts: { now?: number; days?: number; stepMinutes?: number } = {}): Fixture {
  const now = opts.now ?? Math.floor(Date.now() / MIN) * MIN;
  const days = opts.days ?? 90;
  const step = (opts.stepMinutes ?? 5) * MIN;
  const store = new HistoryStore('/nonexistent/history.json', { now: () => now });
  const results: BalanceResult[] = [];
  let raw = 0;
  SPECS.forEach((s, k) => {
    const batch: BalanceResult[] = [];
    let balance = s.start;
    let usage = s.limit ? s.limit - s.start : 0;
    for (let t = now - days * DAY, i = 0; t <= now; t += step, i++) {
      // Busier in working hours, a little noise, a top-up when low.
      const hour = new Date(t).getUTCHours();
      const spend = (s.burnPerDay * (step / DAY)) * (hour >= 8 && hour < 20 ? 1.6 : 0.4) * (0.6 + ((i * 7919 + k * 104729) % 100) / 125);
      if (s.usageOnly) {
        usage = new Date(t).getUTCDate() === 1 && new Date(t - step).getUTCDate() !== 1 ? 0 : usage + spend;
      } else {
        balance -= spend;
        usage += spend;
        if (s.topUp && balance < s.critical + 1) balance += s.topUp;
      }
      const b = s.usageOnly ? null : Math.round(balance * 100) / 100;
      batch.push({
        accountId: s.id, provider: s.provider, label: s.label, status: 'valid',
        level: b === null ? 'info' : levelOf(b, s),
        balance: b, currency: s.currency,
        usage: s.limit || s.usageOnly ? Math.round(usage * 100) / 100 : null,
        limit: s.limit ?? null,
        checkedAt: new Date(t).toISOString(),
      });
    }
    raw = Math.max(raw, batch.length);
    store.record(batch);
    const last = { ...batch[batch.length - 1]! };
    if (s.id === 'relay') last.note = XSS_NOTE;
    if (s.id === 'openai') last.note = 'No balance API; spend this month from the admin key. Check https://platform.openai.com/settings/organization/billing';
    if (s.id === 'anthropic') {
      Object.assign(last, { status: 'error', level: 'error', error: XSS_ERROR, errorKind: 'server', stale: true, checkedAt: new Date(now - 3 * MIN).toISOString() });
    }
    results.push(last);
  });
  store.addEvent({ t: now - 2 * DAY, accountId: 'openrouter', label: 'OpenRouter (work)', kind: 'notification', level: 'warning', message: 'WARNING: OpenRouter (work) balance low — $9.80 left (threshold $10.00).', channel: 'vscode' });
  store.addEvent({ t: now - DAY, accountId: 'deepseek', label: 'DeepSeek', kind: 'notification', level: 'critical', message: 'CRITICAL: DeepSeek balance low — ¥30.10 left (threshold ¥35.00). Add funds to avoid interruption.', channel: 'telegram' });
  store.addEvent({ t: now - 3 * MIN, accountId: 'anthropic', label: 'Anthropic', kind: 'error', level: 'error', message: XSS_ERROR });
  const accounts = SPECS.map((s) => ({
    account: { id: s.id, provider: s.provider, label: s.label, currency: s.currency } as Account,
    thresholds: { warning: s.warning, critical: s.critical },
  }));
  const input: Fixture['input'] = {
    results,
    accounts,
    history: store,
    billingUrl: (id) => (id === 'relay' ? 'javascript:alert(1)' : `https://example.com/billing/${id}`),
  };
  return { now, store, input, results, rawPointsPerAccount: raw, data: (range) => buildPanelData({ ...input, range, now }) };
}
