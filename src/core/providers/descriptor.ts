// What is known about a provider without running its check: the one source the account schema,
// the env reader, the CLI, the add-key wizard, package.json and the README are built from.
// Metadata only (zod/mini, no HTTP), so it can be loaded apart from the check code.
import * as z from 'zod/mini';

/** How the add-key wizard asks for an option. */
export type OptionPrompt =
  /** A line of text. */
  | { kind: 'text'; title: string; prompt: string }
  /** The URL step asks for it instead of a base URL (the custom provider's endpoint). */
  | { kind: 'endpoint'; title: string; prompt: string }
  /** A pick of common auth headers carrying `{key}`, or a header typed in. */
  | { kind: 'headers'; title: string };

/** A provider-specific account option (xAI `teamId`, OpenAI `projectId`, …). */
export interface OptionField {
  /** Validates the option; AccountSchema takes it as optional. */
  schema: z.ZodMiniType;
  /** Markdown for the settings editor and the README. */
  description: string;
  /** The environment variable the env reader takes it from (a string option). */
  env?: string;
  prompt?: OptionPrompt;
  /** The check cannot run without it: the wizard does not accept an empty answer. */
  required?: boolean;
}

/**
 * Whether the env reader makes an account of the key alone; not when an account needs more
 * than a key (the custom provider's endpoint and paths).
 */
type FromEnvironment =
  /** envNote: the README's environment table, what the variables are. */
  | { readonly fromEnvironment: true; readonly envNote: string }
  | { readonly fromEnvironment: false };

export type ProviderDescriptor = FromEnvironment & {
  readonly id: string;
  /** Display name: "OpenRouter". */
  readonly name: string;
  /** One line for pickers. */
  readonly description: string;
  /** A few words for the settings editor's provider list. */
  readonly summary: string;
  readonly defaultBaseUrl: string;
  readonly defaultCurrency: string;
  /** The README's provider table: what it reports, with which key, and what it cannot. */
  readonly readme: { reports: string; key: string; cannot: string };
  /** CLI environment variables (SPEC §11). */
  readonly keyEnv: string;
  /** What the main key is called when it is not "API key" (xAI: a management key). */
  readonly keyName?: string;
  readonly adminKeyEnv?: string;
  /** What the optional second key is called, when the provider has one. */
  readonly adminKeyName?: string;
  /** What the second key adds: "shows this month's spend". */
  readonly adminKeyPurpose?: string;
  /**
   * Set when the provider's limit is a spend budget rather than credit or a key cap. `monthly`:
   * this month's spend against a monthly budget (the account's `monthlyBudget`, which the edit
   * command offers, or the provider's own monthly limit); budget steps re-arm each month.
   * `key`: a budget set on the key (LiteLLM's max_budget).
   */
  readonly budget?: 'monthly' | 'key';
  /** Set when the wizard asks for the currency (nothing tells it): the question to ask. */
  readonly currencyQuestion?: string;
  readonly options?: Readonly<Record<string, OptionField>>;
};

/** Keeps the literal types (id, option names and schemas) that ProviderId and Account derive from. */
export function defineProvider<const D extends ProviderDescriptor>(descriptor: D): D {
  return descriptor;
}

type OptionsOf<D> = D extends { options: infer O } ? O : never;
type Intersect<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every provider's options as one zod shape, each optional. */
export type OptionShape<D> = Intersect<OptionsOf<D>> extends infer All
  ? { [K in keyof All]: All[K] extends { schema: infer S extends z.ZodMiniType } ? z.ZodMiniOptional<S> : never }
  : never;

export function optionShape<D extends ProviderDescriptor>(descriptors: readonly D[]): OptionShape<D> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const d of descriptors) {
    for (const [name, option] of Object.entries(d.options ?? {})) {
      if (shape[name]) throw new Error(`Provider option "${name}" is declared twice (${d.id}).`);
      shape[name] = z.optional(option.schema);
    }
  }
  return shape as OptionShape<D>;
}
