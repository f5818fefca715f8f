import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const custom: ProviderAdapter = {
  id: 'custom',
  name: 'Custom',
  description: 'Custom',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'CUSTOM_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'Custom is not supported yet.')),
};
