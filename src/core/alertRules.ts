// The settings of the budget-step and spend-spike alerts (SPEC §7), read the same way for the
// extension's settings and the CLI's config file. An invalid value is reported and replaced
// by its default (an invalid step is dropped); everything else keeps working.
import { DEFAULT_SPIKE_RULE, type SpikeRule } from './spike';

export interface AlertRules {
  /** Percent of a limit used, ascending, unique. Empty: no step alerts. */
  budgetSteps: number[];
  spendSpike: SpikeRule;
}

export const DEFAULT_ALERT_RULES: AlertRules = { budgetSteps: [], spendSpike: DEFAULT_SPIKE_RULE };

export interface RawAlertRules {
  budgetSteps?: unknown;
  spendSpike?: { windowHours?: unknown; factor?: unknown; minimum?: unknown } | undefined;
}

/** Bounds of each spike setting, as in package.json. */
export const SPIKE_BOUNDS = {
  windowHours: { min: 0.25, max: 24 },
  factor: { min: 1, max: 1000 },
  minimum: { min: 0, max: 1_000_000 },
} as const;

/** `name` prefixes the setting names in problems: "llmBalance." for the extension, "" for the CLI. */
export function readAlertRules(raw: RawAlertRules, name = ''): { rules: AlertRules; problems: string[] } {
  const problems: string[] = [];
  const steps: number[] = [];
  if (raw.budgetSteps !== undefined && raw.budgetSteps !== null) {
    if (!Array.isArray(raw.budgetSteps)) problems.push(`${name}budgetSteps: must be a list of percentages such as [50, 80, 90, 95]; no budget steps are used`);
    else {
      raw.budgetSteps.forEach((s, i) => {
        if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0 || s > 100) {
          problems.push(`${name}budgetSteps[${i}]: ${JSON.stringify(s) ?? String(s)} is not a percentage above 0 and at most 100; that step is skipped`);
        } else steps.push(s);
      });
    }
  }
  const spendSpike: SpikeRule = { ...DEFAULT_SPIKE_RULE };
  for (const k of ['windowHours', 'factor', 'minimum'] as const) {
    const v = raw.spendSpike?.[k];
    if (v === undefined || v === null) continue;
    const b = SPIKE_BOUNDS[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < b.min || v > b.max) {
      problems.push(`${name}spendSpike.${k}: ${JSON.stringify(v) ?? String(v)} is outside ${b.min}–${b.max}; using ${DEFAULT_SPIKE_RULE[k]}`);
    } else spendSpike[k] = v;
  }
  return { rules: { budgetSteps: [...new Set(steps)].sort((a, b) => a - b), spendSpike }, problems };
}
