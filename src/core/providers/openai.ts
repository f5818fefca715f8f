import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const openai: ProviderAdapter = {
  id: 'openai',
  name: 'OpenAI',
  description: 'OpenAI',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'OPENAI_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'OpenAI is not supported yet.')),
};
