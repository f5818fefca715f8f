// `npm start` runs the extension against simulated providers on loopback and tells it so through
// LLM_BALANCE_SANDBOX (the simulated providers' URL, set by scripts/start.mjs). There the add-key
// wizard proposes the simulated base URLs and refuses every other host, so a key typed into the
// sandbox never reaches a real provider. Plain module (no 'vscode'), so it is unit-testable.

import { english, type Translate } from '../core/l10n';

export const SANDBOX_ENV = 'LLM_BALANCE_SANDBOX';

/** The loopback test of core/http, repeated so that this module does not pull the engine bundle in. */
function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h.endsWith('.localhost');
}

/**
 * Where a provider lives on the simulated server (test/fake/routes): under /<id>, plus the path
 * its real base URL has. Only those with such a path are listed; a new provider needs no row.
 */
const SANDBOX_PATHS: Readonly<Record<string, string>> = {
  openrouter: '/openrouter/api/v1',
  openai: '/openai/v1',
  anthropic: '/anthropic/v1',
  relay: '/relay/v1',
  custom: '/custom/api/credits/teams/acme/balance',
};

/** The simulated providers' origin, or undefined outside the sandbox (or when it is not loopback). */
export function sandboxOrigin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[SANDBOX_ENV]?.trim();
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    return isLoopbackHost(u.hostname) ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The base URL (endpoint URL for custom) the wizard proposes in the sandbox. */
export function sandboxBaseUrl(provider: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const origin = sandboxOrigin(env);
  return origin ? origin + (SANDBOX_PATHS[provider] ?? `/${provider}`) : undefined;
}

/** Why a URL may not be used in the sandbox; undefined when it may (or outside the sandbox). */
export function sandboxUrlProblem(url: string, env: NodeJS.ProcessEnv = process.env, t: Translate = english): string | undefined {
  const origin = sandboxOrigin(env);
  if (!origin) return undefined;
  try {
    if (isLoopbackHost(new URL(url).hostname)) return undefined;
  } catch {
    return undefined; // the URL policy says what is wrong with it
  }
  return t('This is the sandbox: only the simulated providers on {0} answer here, so that no key is sent to a real provider.', origin);
}
