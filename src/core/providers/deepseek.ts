import { CheckError } from '../errors';
import type { ProviderAdapter } from './types';

// Placeholder until the adapter is written.
export const deepseek: ProviderAdapter = {
  id: 'deepseek',
  name: 'DeepSeek',
  description: 'DeepSeek',
  defaultBaseUrl: 'https://example.invalid',
  defaultCurrency: 'USD',
  keyEnv: 'DEEPSEEK_API_KEY',
  billingUrl: () => undefined,
  check: () => Promise.reject(new CheckError('config', 'DeepSeek is not supported yet.')),
};
