import type { ProviderAdapter } from './types';
import { optionShape } from './descriptor';
import { openrouter } from './openrouter';
import { openai } from './openai';
import { anthropic } from './anthropic';
import { deepseek } from './deepseek';
import { moonshot } from './moonshot';
import { siliconflow } from './siliconflow';
import { novita } from './novita';
import { xai } from './xai';
import { litellm } from './litellm';
import { relay } from './relay';
import { custom } from './custom';
import { team } from './team';

// Adding a provider is adding its file (descriptor and check), a row here and one in checks.ts; ProviderId, the
// account schema, the env reader, the wizard, package.json and the README follow.
const TABLE = { openrouter, openai, anthropic, deepseek, moonshot, siliconflow, novita, xai, litellm, relay, custom, team };

export type ProviderId = keyof typeof TABLE;
export const PROVIDERS: Readonly<Record<ProviderId, ProviderAdapter>> = TABLE;
/** In the table's order, which pickers and the generated docs keep. */
export const PROVIDER_IDS = Object.keys(TABLE) as [ProviderId, ...ProviderId[]];
/** Every provider's options, for AccountSchema. */
export const PROVIDER_OPTIONS = optionShape(Object.values(TABLE));

export function getProvider(id: ProviderId): ProviderAdapter {
  const p = PROVIDERS[id];
  if (!p) throw new Error(`Unknown provider "${id}".`);
  return p;
}
