import { CheckError } from '../errors';
import { msg as l10nMsg } from '../message';
import { providerMessage, type HttpResponse } from '../http';
import { parseAmount, roundMoney } from '../numbers';
import type { DetailValue } from '../model';
import { bearer, asObject, joinUrl, type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import * as z from 'zod/mini';
import { defineProvider } from './descriptor';

// The prepaid balance lives in the management API, per team. total.val is a string in USD
// cents with the sign inverted (credit is negative): "-1000" means $10.00 left.
const descriptor = defineProvider({
  id: 'xai',
  name: 'xAI',
  description: 'Prepaid credits of a team (needs a management key and team id)',
  defaultBaseUrl: 'https://management-api.x.ai',
  defaultCurrency: 'USD',
  keyEnv: 'XAI_MANAGEMENT_KEY',
  keyName: 'management key',
  summary: 'xAI prepaid balance (management key + team id)',
  readme: {
    reports: 'prepaid balance',
    key: 'management key + `teamId`',
    cannot: 'postpaid usage',
  },
  fromEnvironment: true,
  envNote: 'xAI management key and team',
  options: {
    teamId: {
      schema: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
      description: 'xAI team id.',
      env: 'XAI_TEAM_ID',
      prompt: { kind: 'text', title: 'xAI team id', prompt: 'Your xAI team id (console.x.ai → Settings)' },
      required: true,
    },
  },
});

export const xai: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: () => 'https://console.x.ai',
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const xaiCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets, account } = ctx;
    const teamId = account.teamId?.trim();
    if (!teamId) {
      throw new CheckError('config', l10nMsg('xAI needs the team id: set "teamId" on this account (console.x.ai → Settings → Team).'));
    }
    const classify = (res: HttpResponse): CheckError | undefined => {
      const msg = providerMessage(res.json, res.text);
      if (res.status === 404) {
        return new CheckError('config', msg ? l10nMsg("xAI team \"{0}\" not found (HTTP 404: {1}). Check the account's teamId.", teamId, msg) : l10nMsg("xAI team \"{0}\" not found (HTTP 404). Check the account's teamId.", teamId), { httpStatus: 404 });
      }
      if (res.status === 401 || res.status === 403) {
        // An inference key (xai-…) is the usual mistake here.
        return new CheckError('auth', msg
          ? l10nMsg('xAI rejected the management key (HTTP {0}: {1}). The balance needs a management key from console.x.ai → Settings → Management Keys, with access to team "{2}".', res.status, msg, teamId)
          : l10nMsg('xAI rejected the management key (HTTP {0}). The balance needs a management key from console.x.ai → Settings → Management Keys, with access to team "{1}".', res.status, teamId), { httpStatus: res.status });
      }
      return undefined;
    };
    const url = joinUrl(baseUrl, `/v1/billing/teams/${encodeURIComponent(teamId)}/prepaid/balance`);
    const res = await http.json(url, { headers: bearer(key), secrets, classify });
    const body = asObject(res.json, 'xAI prepaid balance');
    const total = asObject(body.total, 'xAI prepaid balance "total"');
    const cents = parseAmount(total.val, 'total.val');
    const balance = roundMoney(-cents / 100);
    const details: Record<string, DetailValue> = { team_id: teamId };
    if (Array.isArray(body.changes)) details.balance_changes = body.changes.length;
    // Normalise -0 (val "0") so nothing downstream shows "-$0.00".
    return { balance: balance === 0 ? 0 : balance, currency: 'USD', details };
  },
};
