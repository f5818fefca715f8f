// The data model shared by the engine, the CLI and the extension. Types are inferred from
// these schemas; every boundary (settings, provider answers, stored state, webview messages)
// is validated with them.
import { z } from 'zod';
import { getProvider, PROVIDER_IDS, PROVIDER_OPTIONS, type ProviderId } from './providers/registry';

// The providers' ids and options come from their descriptors (providers/registry.ts). The
// registry's team adapter needs this module back, so the registry is loaded through here: a
// module that imported it first would find this one half-built.
export { getProvider, PROVIDER_IDS, type ProviderId };
export const ProviderIdSchema = z.enum(PROVIDER_IDS);

import { ERROR_KINDS, LEVELS, STATUSES } from './levels';

export { ERROR_KINDS, LEVELS, STATUSES };
export const StatusSchema = z.enum(STATUSES);
export const LevelSchema = z.enum(LEVELS);
export const ErrorKindSchema = z.enum(ERROR_KINDS);
export type Status = z.infer<typeof StatusSchema>;
export type Level = z.infer<typeof LevelSchema>;
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

const currencyCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'a three-letter currency code such as "USD"')
  .transform((c) => c.toUpperCase());

const money = z.number().finite();

/** One key at one provider (SPEC §2). The key itself is never part of it. */
export const AccountSchema = z.looseObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and "-"').max(64).describe('Unique slug, e.g. `openrouter-work`.'),
  provider: ProviderIdSchema,
  label: z.string().trim().min(1).max(80).optional(),
  baseUrl: z.string().url().optional().describe('API base URL; `https` required except for localhost.'),
  currency: currencyCode.optional(),
  warning: money.optional(),
  critical: money.optional(),
  enabled: z.boolean().optional().meta({ default: true }),
  monthlyBudget: money.positive().optional(),
  ...PROVIDER_OPTIONS,
});
export type Account = z.infer<typeof AccountSchema>;

export const ThresholdPairSchema = z.object({ warning: money, critical: money });
export const ThresholdsSchema = z.record(currencyCode, ThresholdPairSchema);
export type Thresholds = z.infer<typeof ThresholdsSchema>;
export const PercentThresholdsSchema = z.object({
  warning: z.number().min(0).max(100),
  critical: z.number().min(0).max(100),
});
export type PercentThresholds = z.infer<typeof PercentThresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  USD: { warning: 10, critical: 5 },
  CNY: { warning: 70, critical: 35 },
};
export const DEFAULT_PERCENT_THRESHOLDS: PercentThresholds = { warning: 20, critical: 10 };

/**
 * Which rule set a result's level (SPEC §4): the amount or percent threshold it reached, an
 * out-of-funds answer, or none (ok, info, a key or API error). Which line — warning or
 * critical — is the result's level.
 */
export const LevelRuleSchema = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('amount'), threshold: money }),
  z.object({ rule: z.literal('percent'), percentLeft: z.number().finite(), thresholdPercent: z.number().finite(), limit: money }),
  z.object({ rule: z.literal('funds') }),
  z.object({ rule: z.literal('none') }),
]);
export type LevelRule = z.infer<typeof LevelRuleSchema>;

/**
 * Why a result has its level, decided with it by `judge()` (thresholds.ts): the alert texts,
 * the panel's threshold lines and the threshold metric read it instead of judging again.
 */
export const VerdictSchema = z.object({
  fired: LevelRuleSchema,
  /** The amount thresholds in the result's currency, whether or not one fired. */
  thresholds: z.object({ warning: money.optional(), critical: money.optional() }),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const DetailValueSchema = z.union([z.number().finite(), z.string(), z.boolean(), z.null()]);
export type DetailValue = z.infer<typeof DetailValueSchema>;

const BalanceResultFields = {
  accountId: z.string(),
  provider: ProviderIdSchema,
  label: z.string(),
  status: StatusSchema,
  level: LevelSchema,
  balance: money.nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  usage: money.nullable(),
  limit: money.nullable(),
  note: z.string().optional(),
  error: z.string().optional(),
  errorKind: ErrorKindSchema.optional(),
  checkedAt: z.string().datetime(),
  stale: z.boolean().optional(),
  details: z.record(z.string(), DetailValueSchema).optional(),
  /** Absent in results from before it existed: an older cache (the engine judges those again) or team server. */
  verdict: VerdictSchema.optional(),
};
/** One account of a team's `llm-balance serve`, as the `team` provider read it (no nesting). */
export const SharedResultSchema = z.object(BalanceResultFields);
export type SharedResult = z.infer<typeof SharedResultSchema>;
/** The outcome of checking one account (SPEC §3). */
export const BalanceResultSchema = z.object({
  ...BalanceResultFields,
  /** `team` accounts: the shared accounts behind it, shown in its place (see providers/team.ts). */
  shared: z.array(SharedResultSchema).max(1000).optional(),
});
export type BalanceResult = z.infer<typeof BalanceResultSchema>;

export { LEVEL_RANK, worstLevel } from './levels';
