// A team's `llm-balance serve` as one account (SPEC §12): GET /api/v1/balances with the
// team's bearer token. The server holds the providers' keys and judges the levels by the
// team's thresholds; developers see the shared balances without holding those keys.
//
// One account, several results: the check returns the team account's own result carrying
// the shared accounts in `shared`; `expandTeamResults` puts them in its place, with ids
// `<teamAccountId>/<sharedAccountId>` and labels "Team: …", wherever results are shown.
import * as z from 'zod/mini';
import type { CheckedResult } from '../checkScheduler';
import { CheckError } from '../errors';
import { msg, renderMessage } from '../message';
import { lazySchema } from '../lazySchema';
import { cap, MAX_PROVIDER_TEXT } from '../safeText';
import { SharedResultSchema, type BalanceResult, type SharedResult } from '../model';
import { asObject, bearer, joinUrl, type ProviderAdapter, type Reading, type ProviderCheck } from './types';
import { defineProvider } from './descriptor';

export const TEAM_BALANCES_PATH = '/api/v1/balances';
const MAX_SHARED = 1000;

// Built on first use: this module is on the main thread too (expandTeamResults), the parse only in the check.
const SnapshotSchema = lazySchema(() => z.object({
  checkedAt: z.iso.datetime(),
  accounts: z.array(z.unknown()).check(z.maxLength(MAX_SHARED, `more than ${MAX_SHARED} shared accounts`)),
}));

const descriptor = defineProvider({
  id: 'team',
  name: 'Team',
  description: "Every account a team's llm-balance serve shares (its URL and bearer token)",
  defaultBaseUrl: 'http://127.0.0.1:9464',
  defaultCurrency: 'USD',
  keyEnv: 'LLM_BALANCE_TEAM_TOKEN',
  keyName: 'bearer token',
  summary: "A team's `llm-balance serve`: every account it shares (bearer token as the key)",
  readme: {
    reports: "every account a team's `llm-balance serve` shares, with the team's numbers and levels (see [For teams](#for-teams))",
    key: "the server's `LLM_BALANCE_SERVE_TOKEN`",
    cannot: '—',
  },
  fromEnvironment: true,
  envNote: "a team's `llm-balance serve` (set `TEAM_BASE_URL`)",
});

export const team: ProviderAdapter<typeof descriptor> = {
  ...descriptor,
  billingUrl: () => undefined,
};

/** Reads the API: where checks run (the check worker, the CLI), not on the extension host's main thread. */
export const teamCheck: ProviderCheck = {
  async check(ctx): Promise<Reading> {
    const { http, baseUrl, key, secrets } = ctx;
    const res = await http.json(joinUrl(baseUrl, TEAM_BALANCES_PATH), { headers: bearer(key), secrets });
    const parsed = SnapshotSchema.safeParse(asObject(res.json, `Team server ${TEAM_BALANCES_PATH}`));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CheckError('bad_response', msg('Team server {0}: {1} {2} (is this an llm-balance serve?).', TEAM_BALANCES_PATH, issue?.path.join('.') || 'body', issue?.message ?? 'invalid'));
    }
    const shared: SharedResult[] = [];
    let skipped = 0;
    const seen = new Set<string>();
    for (const item of parsed.data.accounts) {
      const r = SharedResultSchema.safeParse(item);
      if (!r.success || seen.has(r.data.accountId)) skipped++;
      else {
        seen.add(r.data.accountId);
        shared.push(r.data);
      }
    }
    const at = parsed.data.checkedAt;
    const parts = [
      shared.length === 0
        ? msg('The team server shares no accounts.')
        : shared.length === 1 ? msg('{0} shared account, checked by the team server at {1}.', 1, at) : msg('{0} shared accounts, checked by the team server at {1}.', shared.length, at),
    ];
    if (skipped) parts.push(skipped === 1 ? msg('{0} entry was not readable and left out.', 1) : msg('{0} entries were not readable and left out.', skipped));
    return {
      balance: null,
      currency: ctx.account.currency ?? 'USD',
      status: 'valid',
      note: parts,
      details: { shared_accounts: shared.length, team_checked_at: parsed.data.checkedAt },
      shared,
    };
  },
};

/**
 * Puts each team account's shared accounts in its place. When the team server could not be
 * read, its last shared numbers stay, marked stale, and the team account itself is shown too,
 * so that its error (a revoked token, a server down) is seen once rather than on every card.
 */
export function expandTeamResults(results: readonly BalanceResult[]): BalanceResult[] {
  const out: BalanceResult[] = [];
  for (const r of results) {
    if (r.provider !== 'team' || !r.shared || r.shared.length === 0) {
      out.push(r);
      continue;
    }
    const { shared, ...teamResult } = r;
    const failed = r.status === 'error' || r.status === 'invalid';
    if (failed) out.push(teamResult);
    for (const s of shared) {
      const member: BalanceResult = { ...s, accountId: `${r.accountId}/${s.accountId}`, label: `Team: ${s.label}` };
      if (failed) {
        member.stale = true;
        const why = r.errorL10n ?? r.error;
        const note = why !== undefined
          ? msg('The team server "{0}" could not be read ({1}); these are its last numbers.', r.label, why)
          : msg('The team server "{0}" could not be read; these are its last numbers.', r.label);
        // Capped as the team account's own error was: the server's words inside may be long.
        // A cut note is shown in its English (its message would say more than it does).
        const english = renderMessage(note);
        member.note = cap(english, MAX_PROVIDER_TEXT);
        if (member.note === english) member.noteL10n = [note];
        if (!s.stale) member.details = { ...s.details, staleSince: s.checkedAt };
      }
      out.push(member);
    }
  }
  return out;
}

/** `expandTeamResults` for a check run's answers: a shared account is as fresh as its team's check. */
export function expandTeamChecks(checked: readonly CheckedResult[]): CheckedResult[] {
  return checked.flatMap((c) => expandTeamResults([c.result]).map((result) => ({ result, fresh: c.fresh })));
}
