import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const moonshot: ProviderAdapter = {
  id: 'moonshot',
  name: 'Moonshot',
  description: 'Moonshot',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'MOONSHOT_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'Moonshot is not supported yet.')),
};
