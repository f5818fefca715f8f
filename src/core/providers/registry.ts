import type { ProviderId } from '../model';
import type { ProviderAdapter } from './types';
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

// Adding a provider is adding a file and a row here.
export const PROVIDERS: Record<ProviderId, ProviderAdapter> = {
  openrouter, openai, anthropic, deepseek, moonshot, siliconflow, novita, xai, litellm, relay, custom, team,
};

export function getProvider(id: ProviderId): ProviderAdapter {
  const p = PROVIDERS[id];
  if (!p) throw new Error(`Unknown provider "${id}".`);
  return p;
}
