import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const xai: ProviderAdapter = {
  id: 'xai',
  name: 'xAI',
  description: 'xAI',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'XAI_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'xAI is not supported yet.')),
};
