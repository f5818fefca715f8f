// The data model shared by the engine, the CLI and the extension. Types are inferred from
// these schemas; every boundary (settings, provider answers, stored state, webview messages)
// is validated with them.
// zod/mini, not classic zod: this module is on the extension host's main thread (settings,
// cached results), where classic zod's ~440 KB would cost every window its load time.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { getProvider, PROVIDER_IDS, PROVIDER_OPTIONS, type ProviderId } from './providers/registry';
import { lazySchema } from './lazySchema';
import type { Message } from './message';

// The providers' ids and options come from their descriptors (providers/registry.ts). The
// registry's team adapter needs this module back, so the registry is loaded through here: a
// module that imported it first would find this one half-built.
export { getProvider, PROVIDER_IDS, type ProviderId };
// zod/mini has no messages of its own until a locale is set; classic zod sets English itself.
z.config(en());

// Every schema here is built on first use (lazySchema): engine-main.js loads on the extension
// host's main thread, where most of them are not needed for a first check.
export const ProviderIdSchema = lazySchema(() => z.enum(PROVIDER_IDS));

import { ERROR_KINDS, LEVELS, STATUSES } from './levels';

export { ERROR_KINDS, LEVELS, STATUSES };
export const StatusSchema = lazySchema(() => z.enum(STATUSES));
export const LevelSchema = lazySchema(() => z.enum(LEVELS));
export const ErrorKindSchema = lazySchema(() => z.enum(ERROR_KINDS));
export type Status = z.infer<typeof StatusSchema>;
export type Level = z.infer<typeof LevelSchema>;
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

const currencyCode = lazySchema(() => z.string().check(z.trim(), z.regex(/^[A-Za-z]{3}$/, 'a three-letter currency code such as "USD"'), z.toUpperCase()));

const money = lazySchema(() => z.number());

/** One key at one provider (SPEC §2). The key itself is never part of it. */
export const AccountSchema = lazySchema(() => z.looseObject({
  id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and "-"'), z.maxLength(64), z.describe('Unique slug, e.g. `openrouter-work`.')),
  provider: ProviderIdSchema,
  label: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(80))),
  baseUrl: z.optional(z.url()).check(z.describe('API base URL; `https` required except for localhost.')),
  currency: z.optional(currencyCode),
  warning: z.optional(money),
  critical: z.optional(money),
  enabled: z.optional(z.boolean()).check(z.meta({ default: true })),
  monthlyBudget: z.optional(z.number().check(z.positive())),
  ...PROVIDER_OPTIONS,
}));
export type Account = z.infer<typeof AccountSchema>;

export const ThresholdPairSchema = lazySchema(() => z.object({ warning: money, critical: money }));
export const ThresholdsSchema = lazySchema(() => z.record(currencyCode, ThresholdPairSchema));
export type Thresholds = z.infer<typeof ThresholdsSchema>;
export const PercentThresholdsSchema = lazySchema(() => z.object({
  warning: z.number().check(z.gte(0), z.lte(100)),
  critical: z.number().check(z.gte(0), z.lte(100)),
}));
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
export const LevelRuleSchema = lazySchema(() => z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('amount'), threshold: money }),
  z.object({ rule: z.literal('percent'), percentLeft: z.number(), thresholdPercent: z.number(), limit: money }),
  z.object({ rule: z.literal('funds') }),
  z.object({ rule: z.literal('none') }),
]));
export type LevelRule = z.infer<typeof LevelRuleSchema>;

/**
 * Why a result has its level, decided with it by `judge()` (thresholds.ts): the alert texts,
 * the panel's threshold lines and the threshold metric read it instead of judging again.
 */
export const VerdictSchema = lazySchema(() => z.object({
  fired: LevelRuleSchema,
  /** The amount thresholds in the result's currency, whether or not one fired. */
  thresholds: z.object({ warning: z.optional(money), critical: z.optional(money) }),
}));
export type Verdict = z.infer<typeof VerdictSchema>;

export const DetailValueSchema = lazySchema(() => z.union([z.number(), z.string(), z.boolean(), z.null()]));
export type DetailValue = z.infer<typeof DetailValueSchema>;

/**
 * Our text in a result as a message id (its English template) and parameters (message.ts), so
 * that the extension can show it translated; the CLI's JSON leaves these out (englishOnly).
 */
export const MessageSchema: z.ZodMiniType<Message> = lazySchema(() => z.object({
  // Bounds far above any note of ours (a result that fails them becomes a bad_response).
  m: z.string().check(z.maxLength(2000)),
  get a() {
    return z.optional(z.array(z.union([z.string(), z.number(), z.object({ money: z.number(), currency: z.string() }), MessageSchema])).check(z.maxLength(20)));
  },
}));

const balanceResultFields = () => ({
  accountId: z.string(),
  provider: ProviderIdSchema,
  label: z.string(),
  status: StatusSchema,
  level: LevelSchema,
  balance: z.nullable(money),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
  usage: z.nullable(money),
  limit: z.nullable(money),
  note: z.optional(z.string()),
  /** `note` as messages, sentence by sentence, when it is our text. */
  noteL10n: z.optional(z.array(MessageSchema).check(z.maxLength(20))),
  error: z.optional(z.string()),
  /** `error` as a message, when it is our text. */
  errorL10n: z.optional(MessageSchema),
  errorKind: z.optional(ErrorKindSchema),
  checkedAt: z.iso.datetime(),
  stale: z.optional(z.boolean()),
  details: z.optional(z.record(z.string(), DetailValueSchema)),
  /** Absent in results from before it existed: an older cache (the engine judges those again) or team server. */
  verdict: z.optional(VerdictSchema),
});
/**
 * One account of a team's `llm-balance serve`, as the `team` provider read it (no nesting). A
 * team server's text is shown as it came, in its English: message ids it sends along are not
 * read (so, unknown keys, they are dropped), and a malformed one costs it no account.
 */
export const SharedResultSchema = lazySchema(() => {
  const { noteL10n: _note, errorL10n: _error, ...fields } = balanceResultFields();
  return z.object(fields);
});
export type SharedResult = z.infer<typeof SharedResultSchema>;
/** The outcome of checking one account (SPEC §3). */
export const BalanceResultSchema = lazySchema(() => z.object({
  ...balanceResultFields(),
  /** `team` accounts: the shared accounts behind it, shown in its place (see providers/team.ts). */
  shared: z.optional(z.array(SharedResultSchema).check(z.maxLength(1000))),
}));
export type BalanceResult = z.infer<typeof BalanceResultSchema>;

export { LEVEL_RANK, worstLevel } from './levels';
