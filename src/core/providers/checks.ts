// Each provider's API reading, by provider id: what check.ts runs. Kept out of registry.ts so
// that the main thread's bundle (engine-main.js), which needs the adapters, leaves this code out.
import type { ProviderId } from './registry';
import type { ProviderCheck } from './types';
import { openrouterCheck } from './openrouter';
import { openaiCheck } from './openai';
import { anthropicCheck } from './anthropic';
import { deepseekCheck } from './deepseek';
import { moonshotCheck } from './moonshot';
import { siliconflowCheck } from './siliconflow';
import { novitaCheck } from './novita';
import { xaiCheck } from './xai';
import { litellmCheck } from './litellm';
import { relayCheck } from './relay';
import { customCheck } from './custom';
import { teamCheck } from './team';

export const PROVIDER_CHECKS: Readonly<Record<ProviderId, ProviderCheck>> = {
  openrouter: openrouterCheck,
  openai: openaiCheck,
  anthropic: anthropicCheck,
  deepseek: deepseekCheck,
  moonshot: moonshotCheck,
  siliconflow: siliconflowCheck,
  novita: novitaCheck,
  xai: xaiCheck,
  litellm: litellmCheck,
  relay: relayCheck,
  custom: customCheck,
  team: teamCheck,
};
