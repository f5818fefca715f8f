import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const siliconflow: ProviderAdapter = {
  id: 'siliconflow',
  name: 'SiliconFlow',
  description: 'SiliconFlow',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'SILICONFLOW_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'SiliconFlow is not supported yet.')),
};
