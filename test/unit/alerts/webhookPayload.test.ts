// The generic webhook's payload (event "llm-balance.alert", version 1) is a contract with code we
// do not own: for the same alert it must stay the same bytes — field order included — whatever
// the Alert type looks like inside. Each alert is made by the builder production uses.
import * as assert from 'node:assert/strict';
import { formatWebhook } from '../../../src/core/alerts/channels/webhook';
import { buildAlert, buildSpikeAlert, buildStepAlert } from '../../../src/core/alerts/message';
import { budgetUsage } from '../../../src/core/budgetSteps';
import type { BalanceResult } from '../../../src/core/model';

const AT = '2026-12-01T09:00:00.000Z';
const BILLING = 'https://openrouter.ai/settings/credits';

function result(over: Partial<BalanceResult> = {}): BalanceResult {
  return {
    accountId: 'openrouter', provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'critical',
    balance: 0.69, currency: 'USD', usage: null, limit: null, checkedAt: AT, ...over,
  };
}

const bytes = (a: Parameters<typeof formatWebhook>[0]): string => JSON.stringify(formatWebhook(a));

describe('generic webhook payload, byte for byte', () => {
  it('a level alert on last-known numbers', () => {
    const a = buildAlert(result({ stale: true }), { threshold: 5, billingUrl: BILLING, cooldownHours: 24 })!;
    assert.equal(bytes(a), '{"event":"llm-balance.alert","version":1,"kind":"level","account":"openrouter","label":"OpenRouter","provider":"openrouter",'
      + '"level":"critical","errorKind":null,"balance":0.69,"currency":"USD","threshold":5,"subject":"CRITICAL: OpenRouter Balance Low",'
      + '"message":"CRITICAL: OpenRouter balance low — $0.69 left (last known) (threshold $5.00). Add funds to avoid interruption.",'
      + '"billingUrl":"https://openrouter.ai/settings/credits","stale":true,"time":"2026-12-01T09:00:00.000Z","cooldownHours":24,"step":null,"spike":null}');
  });

  it('a rejected key', () => {
    const a = buildAlert(result({ status: 'invalid', level: 'error', errorKind: 'auth', balance: null, error: 'HTTP 401: invalid key' }), { billingUrl: BILLING, cooldownHours: 12 })!;
    assert.equal(bytes(a), '{"event":"llm-balance.alert","version":1,"kind":"level","account":"openrouter","label":"OpenRouter","provider":"openrouter",'
      + '"level":"error","errorKind":"auth","balance":null,"currency":"USD","threshold":null,"subject":"ERROR: OpenRouter API Key Error",'
      + '"message":"ERROR: OpenRouter API key error — the key was rejected. Check the key, its expiry and the account\'s funds.",'
      + '"billingUrl":"https://openrouter.ai/settings/credits","stale":false,"time":"2026-12-01T09:00:00.000Z","cooldownHours":12,"step":null,"spike":null}');
  });

  it('a budget step, with used and its percent rounded', () => {
    const r = result({ level: 'ok', balance: 15.333, usage: 84.667, limit: 100, details: { limit_remaining: 15.333, key_limit_reset: 'monthly' } });
    const a = buildStepAlert(r, 80, budgetUsage(r)!, 'info', { cooldownHours: 24 });
    assert.equal(bytes(a), '{"event":"llm-balance.alert","version":1,"kind":"step","account":"openrouter","label":"OpenRouter","provider":"openrouter",'
      + '"level":"info","errorKind":null,"balance":15.333,"currency":"USD","threshold":null,"subject":"BUDGET: OpenRouter passed 80% of its monthly limit",'
      + '"message":"BUDGET: OpenRouter passed 80% of its $100.00 monthly limit — $84.67 used, $15.33 left.",'
      + '"billingUrl":null,"stale":false,"time":"2026-12-01T09:00:00.000Z","cooldownHours":24,'
      + '"step":{"step":80,"usedPercent":84.7,"used":84.67,"limit":100,"remaining":15.333,"what":"monthly limit"},"spike":null}');
  });

  it('a spend spike', () => {
    const r = result({ level: 'ok', balance: 74.75 });
    const a = buildSpikeAlert(r, { spend: 42.1, usual: 1, times: 42, currency: 'USD', windowHours: 1, from: 0, to: 1 }, { billingUrl: BILLING, cooldownHours: 12 });
    assert.equal(bytes(a), '{"event":"llm-balance.alert","version":1,"kind":"spike","account":"openrouter","label":"OpenRouter","provider":"openrouter",'
      + '"level":"warning","errorKind":null,"balance":74.75,"currency":"USD","threshold":null,"subject":"UNUSUAL SPEND: OpenRouter",'
      + '"message":"UNUSUAL SPEND: OpenRouter dropped $42.10 in the last hour — 42× its usual. Check for a leaked key.",'
      + '"billingUrl":"https://openrouter.ai/settings/credits","stale":false,"time":"2026-12-01T09:00:00.000Z","cooldownHours":12,'
      + '"step":null,"spike":{"spend":42.1,"usual":1,"times":42,"windowHours":1}}');
  });
});
