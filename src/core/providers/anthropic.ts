import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const anthropic: ProviderAdapter = {
  id: 'anthropic',
  name: 'Anthropic',
  description: 'Anthropic',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'ANTHROPIC_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'Anthropic is not supported yet.')),
};
