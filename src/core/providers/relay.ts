import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const relay: ProviderAdapter = {
  id: 'relay',
  name: 'Relay',
  description: 'Relay',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'RELAY_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'Relay is not supported yet.')),
};
