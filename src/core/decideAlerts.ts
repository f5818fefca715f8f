// Which results alert, at which level, with which text — for the CLI and the extension alike.
// Level alerts follow the ledger (once per account, level and cooldown); budget steps are said
// once per window unless a level alert for the account already speaks; spend spikes once per
// cooldown. Every decision is recorded in the ledger here, before anyone shows or sends it, and
// each carries its alert for the external channels and the records it replaced.
import { buildAlert, buildSpikeAlert, buildStepAlert, type Alert, type BuildAlertOptions, type LevelAlert, type SpikeAlert, type StepAlert } from './alerts/message';
import type { AlertRules } from './alertRules';
import { budgetUsage, crossedSteps, stepLevel } from './budgetSteps';
import type { HistoryStore } from './history';
import { stepClaim, type Claim, type NotificationLedger, type RecordSnapshot } from './ledger';
import type { Account, BalanceResult } from './model';
import { detectSpike, spikeJudgeable } from './spike';
import { quotedThreshold } from './thresholds';
import type { Translate } from './l10n';

const SPIKE_LOOKBACK_MS = 8 * 24 * 3_600_000;

/** One decision to alert; `kind` and `level` are its alert's, so narrowing one narrows the other. */
interface Decision<A extends Alert> {
  r: BalanceResult;
  kind: A['kind'];
  level: A['level'];
  /** What the ledger's claim is about, for windows that decide at the same moment. */
  claim: Claim;
  message: string;
  /** The alert for the external channels; its `message` is `message`. */
  alert: A;
  /** The ledger records this decision wrote, as they were before (ledger.putBack when no channel took it). */
  undo: RecordSnapshot;
}

export type DecidedAlert = Decision<LevelAlert> | Decision<StepAlert> | Decision<SpikeAlert>;

export interface AlertContext {
  ledger: NotificationLedger;
  rules: AlertRules;
  account(accountId: string): Account | undefined;
  cooldownHours: number;
  /** Where to add funds, where the key lives. */
  extras?(r: BalanceResult, account: Account | undefined): Pick<BuildAlertOptions, 'billingUrl' | 'keyLocation'>;
  /** Read only when a spike may be due; a failure skips the spike check (told to `warn`). */
  history(): Pick<HistoryStore, 'seriesView'> | Promise<Pick<HistoryStore, 'seriesView'>>;
  warn?(message: string): void;
  force?: boolean;
  now?: number;
  /** The alert text's translator; absent: English (the CLI). */
  t?: Translate;
}

export async function decideAlerts(results: readonly BalanceResult[], c: AlertContext): Promise<DecidedAlert[]> {
  const force = { force: c.force === true };
  const out: DecidedAlert[] = [];
  const extra = (r: BalanceResult) => ({ cooldownHours: c.cooldownHours, ...c.extras?.(r, c.account(r.accountId)), ...(c.t ? { t: c.t } : {}) });
  for (const r of results) {
    const d = await c.ledger.observe(r, force);
    if (!d.notify || !d.level) continue;
    // The rule that set the level, carried on the result: the text cannot tell another story than the level.
    const alert = buildAlert(r, { ...quotedThreshold(r), ...extra(r) });
    if (!alert) continue;
    out.push({ r, kind: 'level', level: d.level, claim: d.level, message: alert.message, alert, undo: c.ledger.snapshot(r.accountId, [d.level]) });
    await c.ledger.record(r.accountId, d.level);
  }
  const alerted = new Set(out.map((a) => a.r.accountId));
  for (const r of c.rules.budgetSteps.length ? results : []) {
    const u = budgetUsage(r);
    const reached = u ? crossedSteps(u, c.rules.budgetSteps) : [];
    if (!u || reached.length === 0) continue;
    const d = await c.ledger.decideSteps(r.accountId, u.window, reached, force);
    const undo = c.ledger.snapshot(r.accountId, d.unrecorded.map(stepClaim));
    if (d.unrecorded.length) await c.ledger.recordSteps(r.accountId, u.window, d.unrecorded);
    if (d.notify === undefined || alerted.has(r.accountId)) continue;
    const level = stepLevel(r);
    const alert = buildStepAlert(r, d.notify, u, level, extra(r));
    out.push({ r, kind: 'step', level, claim: stepClaim(d.notify), message: alert.message, alert, undo });
  }
  const due = results.filter((r) => spikeJudgeable(r) && c.ledger.spikeDue(r.accountId, force));
  if (due.length === 0) return out;
  let history: Pick<HistoryStore, 'seriesView'>;
  try {
    history = await c.history();
  } catch (e) {
    c.warn?.(`No spend-spike check: ${e instanceof Error ? e.message : String(e)}`);
    return out;
  }
  const now = c.now ?? Date.now();
  for (const r of due) {
    const spike = detectSpike(history.seriesView(r.accountId, now - SPIKE_LOOKBACK_MS), now, c.rules.spendSpike);
    if (!spike) continue;
    const undo = c.ledger.snapshot(r.accountId, ['spike']);
    await c.ledger.recordSpike(r.accountId);
    const alert = buildSpikeAlert(r, spike, extra(r));
    out.push({ r, kind: 'spike', level: 'warning', claim: 'spike', message: alert.message, alert, undo });
  }
  return out;
}
