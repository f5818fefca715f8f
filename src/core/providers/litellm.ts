import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const litellm: ProviderAdapter = {
  id: 'litellm',
  name: 'LiteLLM',
  description: 'LiteLLM',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'LITELLM_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'LiteLLM is not supported yet.')),
};
