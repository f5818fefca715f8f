import type { FakeRoute } from '../server';
import { routes as openrouter } from './openrouter';
import { routes as openai } from './openai';
import { routes as anthropic } from './anthropic';
import { routes as deepseek } from './deepseek';
import { routes as moonshot } from './moonshot';
import { routes as siliconflow } from './siliconflow';
import { routes as novita } from './novita';
import { routes as xai } from './xai';
import { routes as litellm } from './litellm';
import { routes as relay } from './relay';
import { routes as custom } from './custom';
import { routes as team } from './team';

export const defaultRoutes: FakeRoute[] = [
  ...openrouter, ...openai, ...anthropic, ...deepseek, ...moonshot, ...siliconflow,
  ...novita, ...xai, ...litellm, ...relay, ...custom, ...team,
];
