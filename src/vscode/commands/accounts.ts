// "Add API Key", "Update API Key", "Remove API Key" and the "Manage keys" menu. Keys go to
// SecretStorage only; the account (without its key) goes to the application-scoped setting.
import * as vscode from 'vscode';
import type { AccountKeys } from '../../core/check';
import type { Account, BalanceResult } from '../../core/model';
import type { OptionField, OptionPrompt } from '../../core/providers/descriptor';
import type { ProviderAdapter } from '../../core/providers/types';
import { formatMoney } from '../../core/format';
import { levelText, noteText } from '../../core/statusView';
import { errorText } from '../../core/message';
import { engine } from '../engineLoader';
import type { KeyStore } from '../keys';
import { descriptorText, t } from '../l10n';
import type { Log } from '../log';
import type { BalanceMonitor } from '../monitor';
import { sandboxBaseUrl, sandboxUrlProblem } from '../sandbox';
import { settings } from '../settings';
import { ui } from '../ui';
import { COMMAND } from '../../core/commandIds';
import { httpFromSettings } from '../httpFromSettings';
import type { NotificationLedger } from '../../core/ledger';

export interface AccountCommandDeps {
  monitor: BalanceMonitor;
  /** Removing an account forgets its notification records. */
  ledger: Pick<NotificationLedger, 'clearAccount'>;
  keys: KeyStore;
  log: Log;
}

interface AccountItem extends vscode.QuickPickItem {
  accountId: string;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'account';
}

function uniqueId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

function validateKey(v: string): string | undefined {
  const k = v.trim();
  if (!k) return t('Paste the key.');
  if (/\s/.test(k)) return t('A key has no spaces.');
  if (k.length < 8) return t('That is too short to be a key.');
  return undefined;
}

/** Provider text as one sentence: trimmed, exactly one final period (never "DNS).."). */
export function sentence(text: string): string {
  const s = text.trim().replace(/[\s.]+$/, '');
  return s ? `${s}.` : '';
}

function describe(r: BalanceResult): string {
  if (r.balance !== null) {
    const left = formatMoney(r.balance, r.currency);
    if (r.level === 'warning') return t('{0} left (warning)', left);
    if (r.level === 'critical') return t('{0} left (critical)', left);
    return t('{0} left', left);
  }
  if (r.note) return noteText(r, t)!.replace(/[\s.]+$/, '');
  return t('key accepted');
}

type EndpointPrompt = Extract<OptionPrompt, { kind: 'endpoint' }>;
type StepPrompt = Exclude<OptionPrompt, EndpointPrompt>;

/** The option the URL step fills instead of `baseUrl` (the custom provider's endpoint). */
function endpointOption(p: ProviderAdapter): { name: string; prompt: EndpointPrompt } | undefined {
  for (const [name, o] of Object.entries(p.options ?? {})) if (o.prompt?.kind === 'endpoint') return { name, prompt: o.prompt };
  return undefined;
}

/** The options the wizard asks for after the URL, in the descriptor's order. */
function promptedOptions(p: ProviderAdapter): [string, OptionField & { prompt: StepPrompt }][] {
  return Object.entries(p.options ?? {}).filter((e): e is [string, OptionField & { prompt: StepPrompt }] => !!e[1].prompt && e[1].prompt.kind !== 'endpoint');
}

/** The URL a check of this account is sent to. */
function targetUrl(account: Account, p: ProviderAdapter): string {
  const endpoint = endpointOption(p);
  const url = endpoint ? (account as Record<string, unknown>)[endpoint.name] : account.baseUrl;
  return typeof url === 'string' ? url : p.defaultBaseUrl;
}

/**
 * VS Code keeps a progress notification on screen for a moment after its task ends; a verdict
 * shown before then appears beside a "Checking the key…" that no longer is true.
 */
const PROGRESS_MIN_VISIBLE_MS = 900;

type Verdict =
  | { outcome: 'save'; result?: BalanceResult }
  | { outcome: 'key' }
  | { outcome: 'url' }
  | { outcome: 'cancel' };

/**
 * Checks a key before it is saved and, when it fails, asks in a modal dialog (it stays until
 * answered) whether to save it anyway. Closing the dialog steps back to the key, never out of
 * the wizard.
 */
async function verify(account: Account, keys: AccountKeys, label: string, monitor: BalanceMonitor, canChangeUrl: boolean): Promise<Verdict> {
  const E = engine();
  const p = E.PROVIDERS[account.provider];
  const blocked = sandboxUrlProblem(targetUrl(account, p), process.env, t);
  if (blocked) {
    await ui().showModalWarning(t('{0}: the key was not checked.', label), blocked);
    return { outcome: canChangeUrl ? 'url' : 'cancel' };
  }
  const http = httpFromSettings();
  const started = Date.now();
  let result: BalanceResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('Checking the key for {0}…', label) },
      () => E.checkAccount(account, keys, { http, ...(monitor.thresholds ? { thresholds: monitor.thresholds } : {}) }),
    );
  } finally {
    await http.close();
  }
  if (result.status !== 'invalid' && result.status !== 'error') return { outcome: 'save', result };

  const wait = started + PROGRESS_MIN_VISIBLE_MS - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const anotherKey = t('Enter Another Key');
  const changeUrl = t('Change Base URL');
  const save = t('Save Anyway');
  const buttons = canChangeUrl ? [anotherKey, changeUrl, save] : [anotherKey, save];
  // The provider's own words lead ("The key was rejected — HTTP 401 …"); nothing is said twice.
  const pick = result.status === 'invalid'
    ? await ui().showModalWarning(t('{0}: {1}', label, sentence(errorText(result, t) ?? t('the key was rejected'))), t('It has not been saved. Enter another key, or save this one anyway.'), ...buttons)
    : await ui().showModalWarning(t('{0}: the key could not be verified.', label), t('{0} It has not been saved yet. Save it anyway?', sentence(errorText(result, t) ?? t('The check failed'))), ...buttons);
  if (pick === save) return { outcome: 'save', result };
  if (pick === changeUrl) return { outcome: 'url' };
  return { outcome: 'key' };
}

/** The wizard's answers so far; stepping back keeps them as the next prompt's value. */
interface Draft {
  p: ProviderAdapter;
  label?: string;
  url?: string;
  /** Answers to the descriptor's option prompts, by option name. */
  options: Record<string, unknown>;
  currency?: { code: string } | { path: string };
  adminKey?: string;
}

/** A fixed step, or the name of an option the descriptor asks for. */
type StepName = 'name' | 'url' | 'currency' | 'adminKey' | 'key' | (string & {});

/** The steps after the provider, so that every step is numbered "n/total" for this provider. */
export function wizardSteps(p: ProviderAdapter): StepName[] {
  const steps: StepName[] = ['name', 'url', ...promptedOptions(p).map(([name]) => name)];
  if (p.currencyQuestion) steps.push('currency');
  if (p.adminKeyName) steps.push('adminKey');
  steps.push('key');
  return steps;
}

// Functions, not constants: the words are asked for in the display language when shown.
const authChoices = (): { label: string; description: string; headers?: Record<string, string> }[] => [
  { label: 'Authorization: Bearer {key}', description: t('most APIs'), headers: { Authorization: 'Bearer {key}' } },
  { label: 'x-api-key: {key}', description: t('the key alone in an x-api-key header'), headers: { 'x-api-key': '{key}' } },
  { label: 'Authorization: {key}', description: t('the key without "Bearer"'), headers: { Authorization: '{key}' } },
  { label: t('Another header…'), description: t('name and value, with {key} where the key goes') },
];

const currencyChoices = (): { label: string; description?: string; code?: string; path?: boolean; other?: boolean }[] => [
  { label: 'USD', description: t('US dollars'), code: 'USD' },
  { label: 'CNY', description: t('Chinese yuan'), code: 'CNY' },
  { label: 'EUR', description: t('euros'), code: 'EUR' },
  { label: t('Read it from the answer…'), description: t('a JSON path such as data.currency'), path: true },
  { label: t('Another currency…'), description: t('a three-letter code'), other: true },
];

export async function addAccount(d: AccountCommandDeps): Promise<string | undefined> {
  const E = engine();
  const providers = Object.values(E.PROVIDERS);
  // How many steps follow depends on the provider, so the first step claims no total.
  const picked = await ui().showQuickPick(
    providers.map((p) => ({ id: p.id, label: p.name, description: p.id, detail: descriptorText(p.description) })),
    { title: t('Add API Key (1): provider'), placeHolder: t('Which provider is the key for?'), matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  const p = E.PROVIDERS[picked.id];
  const steps = wizardSteps(p);
  const total = steps.length + 1;
  const title = (step: StepName, what: string) => t('Add API Key ({0}/{1}): {2}', steps.indexOf(step) + 2, total, what);
  const raw = settings.accounts();
  const taken = new Set(raw.map((a) => (a && typeof a === 'object' ? String((a as { id?: unknown }).id) : '')));
  const sameProvider = raw.filter((a) => a && typeof a === 'object' && (a as { provider?: unknown }).provider === p.id).length;
  const draft: Draft = { p, options: {} };
  const endpoint = endpointOption(p);
  const defaultUrl = sandboxBaseUrl(p.id) ?? (endpoint ? 'https://' : p.defaultBaseUrl);

  const build = (): Record<string, unknown> => {
    const label = draft.label!;
    const account: Record<string, unknown> = { id: uniqueId(slug(label === p.name ? p.id : label), taken), provider: p.id };
    if (label !== p.name) account.label = label;
    const url = draft.url ?? '';
    if (endpoint) account[endpoint.name] = url;
    else if (url.replace(/\/+$/, '') !== p.defaultBaseUrl) account.baseUrl = url;
    Object.assign(account, draft.options);
    if (draft.currency && 'code' in draft.currency) account.currency = draft.currency.code;
    if (draft.currency && 'path' in draft.currency) account.currencyPath = draft.currency.path;
    return account;
  };

  const askOption = async (name: string, option: OptionField, prompt: StepPrompt): Promise<boolean | StepName> => {
    if (prompt.kind === 'headers') return askHeaders(name, descriptorText(prompt.title));
    const v = (await ui().showInputBox({
      title: title(name, descriptorText(prompt.title)),
      prompt: descriptorText(prompt.prompt),
      value: typeof draft.options[name] === 'string' ? draft.options[name] : '',
      ignoreFocusOut: true,
      validateInput: (s) => (s.trim() || !option.required ? undefined : t('The {0} is needed.', descriptorText(prompt.title))),
    }))?.trim();
    if (v === undefined || (!v && option.required)) return false;
    if (v) draft.options[name] = v;
    else delete draft.options[name];
    return true;
  };

  const askHeaders = async (name: string, what: string): Promise<boolean | StepName> => {
    const pick = await ui().showQuickPick(authChoices(), { title: title(name, what), placeHolder: t('Which header carries the key? ({key} is replaced by it)'), ignoreFocusOut: true });
    if (!pick) return false;
    if (pick.headers) {
      draft.options[name] = pick.headers;
      return true;
    }
    const v = (await ui().showInputBox({
      title: title(name, t('header')),
      prompt: t('The header as "Name: value", with {key} where the key goes, e.g. "X-Token: {key}"'),
      value: 'X-Token: {key}',
      ignoreFocusOut: true,
      validateInput: (s) => {
        const m = /^([A-Za-z0-9-]+):\s*(.*\S)\s*$/.exec(s);
        if (!m) return t('Write it as "Name: value".');
        return /\{key\}/i.test(m[2]!) ? undefined : t('Put {key} where the key goes.');
      },
    }))?.trim();
    if (!v) return name;
    const m = /^([A-Za-z0-9-]+):\s*(.*\S)\s*$/.exec(v)!;
    draft.options[name] = { [m[1]!]: m[2]! };
    return true;
  };

  const ask: Record<string, () => Promise<boolean | StepName>> = {
    name: async () => {
      const v = (await ui().showInputBox({
        title: title('name', t('name')),
        prompt: t('A name for this account, shown in the status bar'),
        value: draft.label ?? (sameProvider ? `${p.name} (${sameProvider + 1})` : p.name),
        ignoreFocusOut: true,
        validateInput: (s) => (!s.trim() ? t('Give the account a name.') : s.trim().length > 80 ? t('At most 80 characters.') : undefined),
      }))?.trim();
      if (!v) return false;
      draft.label = v;
      return true;
    },
    url: async () => {
      const v = (await ui().showInputBox({
        title: title('url', endpoint ? descriptorText(endpoint.prompt.title) : t('base URL')),
        prompt: endpoint ? descriptorText(endpoint.prompt.prompt) : t("The API base URL (the provider's is {0})", p.defaultBaseUrl),
        value: draft.url ?? defaultUrl,
        ignoreFocusOut: true,
        validateInput: (s) => E.checkUrlPolicy(s.trim(), t) ?? sandboxUrlProblem(s.trim(), process.env, t),
      }))?.trim();
      if (v === undefined) return false;
      draft.url = v;
      return true;
    },
    currency: async () => {
      const pick = await ui().showQuickPick(currencyChoices(), {
        title: title('currency', t('currency')),
        placeHolder: descriptorText(p.currencyQuestion!),
        ignoreFocusOut: true,
      });
      if (!pick) return false;
      if (pick.code) {
        draft.currency = { code: pick.code };
        return true;
      }
      const v = (await ui().showInputBox(pick.path
        ? { title: title('currency', t('JSON path of the currency')), prompt: t('Dotted path to a three-letter code in the answer, e.g. data.currency'), ignoreFocusOut: true, validateInput: (s) => (s.trim() ? undefined : t('A path is needed.')) }
        : { title: title('currency', t('currency code')), prompt: t('A three-letter currency code, e.g. GBP'), ignoreFocusOut: true, validateInput: (s) => (/^[A-Za-z]{3}$/.test(s.trim()) ? undefined : t('Three letters, e.g. GBP.')) }))?.trim();
      if (!v) return 'currency';
      draft.currency = pick.path ? { path: v } : { code: v.toUpperCase() };
      return true;
    },
    adminKey: async () => {
      const v = await ui().showInputBox({
        title: title('adminKey', t('{0} (optional)', descriptorText(p.adminKeyName!))),
        prompt: p.adminKeyPurpose
          ? t('Optional {0} {1} ({2}). Leave empty to skip.', p.name, descriptorText(p.adminKeyName!), descriptorText(p.adminKeyPurpose))
          : t('Optional {0} {1}. Leave empty to skip.', p.name, descriptorText(p.adminKeyName!)),
        password: true,
        value: draft.adminKey ?? '',
        ignoreFocusOut: true,
        validateInput: (s) => (s.trim() ? validateKey(s) : undefined),
      });
      if (v === undefined) return false;
      draft.adminKey = v.trim() || undefined;
      return true;
    },
    key: async () => {
      const account = build();
      const parsed = E.AccountSchema.safeParse(account);
      if (!parsed.success) {
        void ui().showErrorMessage(t('LLM Balance: {0}', parsed.error.issues[0]?.message ?? t('invalid account')));
        return false;
      }
      const key = (await ui().showInputBox({
        title: title('key', p.keyName ? descriptorText(p.keyName) : t('API key')),
        prompt: t("Paste the {0} {1}. It is stored in VS Code's secret storage, never in settings.", p.name, p.keyName ? descriptorText(p.keyName) : t('API key')),
        password: true,
        ignoreFocusOut: true,
        validateInput: validateKey,
      }))?.trim();
      if (!key) return false;
      const keys: AccountKeys = { key };
      if (draft.adminKey) keys.adminKey = draft.adminKey;
      d.log.addSecret(key);
      d.log.addSecret(draft.adminKey);
      const v = await verify(parsed.data, keys, draft.label!, d.monitor, true);
      if (v.outcome === 'key' || v.outcome === 'url') return v.outcome;
      if (v.outcome === 'cancel') return false;
      await d.keys.set(parsed.data.id, key, draft.adminKey ?? '');
      await settings.setAccounts([...raw, account]);
      d.log.info(`Added account ${parsed.data.id} (${p.name}).`);
      savedId = parsed.data.id;
      d.monitor.reload();
      void d.monitor.checkNow([parsed.data.id]);
      void ui().showInformationMessage(v.result ? t('LLM Balance: saved {0} — {1}.', draft.label!, describe(v.result)) : t('LLM Balance: saved {0}.', draft.label!));
      return true;
    },
  };

  for (const [name, option] of promptedOptions(p)) ask[name] = () => askOption(name, option, option.prompt);

  let savedId: string | undefined;
  for (let i = 0; i < steps.length;) {
    const outcome = await ask[steps[i]!]!();
    if (outcome === false) return undefined;
    if (outcome === true) i++;
    else i = steps.indexOf(outcome);
  }
  return savedId;
}

/** The accounts whose keys this window stores; environment accounts are read-only. */
function storedAccounts(d: AccountCommandDeps): Account[] {
  return d.monitor.accounts.filter((m) => m.source === 'settings').map((m) => m.account);
}


async function pickAccount(d: AccountCommandDeps, title: string, accountId: unknown): Promise<Account | undefined> {
  const mine = storedAccounts(d);
  const fromEnv = d.monitor.accounts.filter((m) => m.source === 'environment');
  if (typeof accountId === 'string') {
    const a = mine.find((x) => x.id === accountId);
    if (a) return a;
    const env = fromEnv.find((m) => m.account.id === accountId);
    if (env) {
      void ui().showInformationMessage(t('LLM Balance: "{0}" is read-only here — its key comes from the environment VS Code was started from: change it there and restart VS Code.', env.account.label ?? env.account.id));
      return undefined;
    }
  }
  if (mine.length === 0) {
    const why = fromEnv.length === 0
      ? t('LLM Balance: no accounts yet.')
      : fromEnv.length === 1
        ? t('LLM Balance: no stored keys. The environment account is read-only here — its key comes from the environment VS Code was started from.')
        : t('LLM Balance: no stored keys. The {0} environment accounts are read-only here — their keys come from the environment VS Code was started from.', fromEnv.length);
    const add = t('Add API Key');
    const pick = await ui().showInformationMessage(why, add);
    if (pick === add) await vscode.commands.executeCommand(COMMAND.addAccount);
    return undefined;
  }
  const items: AccountItem[] = mine.map((a) => {
    const r = d.monitor.results.find((x) => x.accountId === a.id);
    return { accountId: a.id, label: a.label ?? engine().PROVIDERS[a.provider].name, description: a.id, detail: r ? `${levelText(r.level, t)}${r.balance !== null ? ` · ${formatMoney(r.balance, r.currency)}` : ''}` : undefined };
  });
  const placeHolder = fromEnv.length === 0
    ? t('Which account?')
    : fromEnv.length === 1
      ? t('Which account? (1 environment account is not listed: its key comes from the environment)')
      : t('Which account? ({0} environment accounts are not listed: their keys come from the environment)', fromEnv.length);
  const picked = await ui().showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
  return picked ? mine.find((a) => a.id === picked.accountId) : undefined;
}

export async function updateKey(d: AccountCommandDeps, accountId?: unknown): Promise<boolean> {
  const account = await pickAccount(d, t('Update API Key'), accountId);
  if (!account) return false;
  const E = engine();
  const p = E.PROVIDERS[account.provider];
  const label = account.label ?? p.name;
  let which: 'key' | 'admin' = 'key';
  if (p.adminKeyName) {
    const pick = await ui().showQuickPick(
      [{ label: p.keyName ? descriptorText(p.keyName) : t('API key'), id: 'key' as const }, { label: descriptorText(p.adminKeyName), description: t('optional'), id: 'admin' as const }],
      { title: t('Update API Key: {0}', label), placeHolder: t('Which key?'), ignoreFocusOut: true },
    );
    if (!pick) return false;
    which = pick.id;
  }
  const current = await d.keys.get(account.id);
  const keyName = which === 'admin' ? descriptorText(p.adminKeyName!) : p.keyName ? descriptorText(p.keyName) : t('API key');
  for (;;) {
    const value = (await ui().showInputBox({
      title: t('Update API Key: {0} — {1}', label, keyName),
      prompt: t("Paste the {0} {1}. It is stored in VS Code's secret storage, never in settings.", p.name, keyName),
      password: true,
      ignoreFocusOut: true,
      validateInput: validateKey,
    }))?.trim();
    if (!value) return false;
    d.log.addSecret(value);
    const keys: AccountKeys = which === 'admin' ? { ...current, adminKey: value } : { ...current, key: value };
    const v = await verify(account, keys, label, d.monitor, false);
    if (v.outcome === 'key') continue;
    if (v.outcome !== 'save') return false;
    if (which === 'admin') await d.keys.set(account.id, keys.key ?? '', value);
    else await d.keys.set(account.id, value);
    d.log.info(`Updated the ${which === 'admin' ? 'admin key' : 'key'} of ${account.id}.`);
    await d.monitor.checkNow([account.id]);
    void ui().showInformationMessage(v.result ? t('LLM Balance: updated {0} — {1}.', label, describe(v.result)) : t('LLM Balance: updated {0}.', label));
    return true;
  }
}

export async function removeAccount(d: AccountCommandDeps, accountId?: unknown): Promise<boolean> {
  const account = await pickAccount(d, t('Remove API Key'), accountId);
  if (!account) return false;
  const label = account.label ?? engine().PROVIDERS[account.provider].name;
  const remove = t('Remove');
  const ok = await ui().showModalWarning(t('Remove "{0}"?', label), t("The account is removed from settings and its key deleted from this machine's secret storage."), remove);
  if (ok !== remove) return false;
  await d.keys.delete(account.id);
  await settings.setAccounts(settings.accounts().filter((a) => !(a && typeof a === 'object' && (a as { id?: unknown }).id === account.id)));
  await d.monitor.forget(account.id);
  await d.ledger.clearAccount(account.id);
  d.monitor.reload();
  d.log.info(`Removed account ${account.id}.`);
  void ui().showInformationMessage(t('LLM Balance: removed {0}.', label));
  return true;
}

export async function manageKeys(): Promise<void> {
  // Icons through iconPath, not "$(trash)" in the label, which screen readers read out as "trash".
  const items: (vscode.QuickPickItem & { command: string; args?: string })[] = [
    { label: t('Add API Key'), iconPath: new vscode.ThemeIcon('add'), command: COMMAND.addAccount },
    { label: t('Update API Key'), iconPath: new vscode.ThemeIcon('key'), command: COMMAND.updateKey },
    { label: t('Remove API Key'), iconPath: new vscode.ThemeIcon('trash'), command: COMMAND.removeAccount },
    { label: t('Edit Account or Thresholds'), iconPath: new vscode.ThemeIcon('edit'), command: COMMAND.editAccount },
    { label: t('Open Settings'), iconPath: new vscode.ThemeIcon('settings-gear'), command: 'workbench.action.openSettings', args: 'llmBalance' },
  ];
  const pick = await ui().showQuickPick(items, { title: t('LLM Balance: manage keys') });
  if (pick) await vscode.commands.executeCommand(pick.command, ...(pick.args ? [pick.args] : []));
}
