import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const novita: ProviderAdapter = {
  id: 'novita',
  name: 'Novita',
  description: 'Novita',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'NOVITA_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'Novita is not supported yet.')),
};
