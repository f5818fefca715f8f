// "Add API Key", "Update API Key", "Remove API Key" and the "Manage keys" menu. Keys go to
// SecretStorage only; the account (without its key) goes to the application-scoped setting.
import * as vscode from 'vscode';
import type { AccountKeys } from '../../core/check';
import type { Account, BalanceResult, ProviderId } from '../../core/model';
import type { ProviderAdapter } from '../../core/providers/types';
import { formatMoney } from '../../core/format';
import { engine } from '../engineLoader';
import type { KeyStore } from '../keys';
import type { Log } from '../log';
import type { BalanceMonitor } from '../monitor';
import { settings } from '../settings';
import { ui } from '../ui';

export interface AccountCommandDeps {
  monitor: BalanceMonitor;
  keys: KeyStore;
  log: Log;
}

interface ProviderItem extends vscode.QuickPickItem {
  id: ProviderId;
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
  const t = v.trim();
  if (!t) return 'Paste the key.';
  if (/\s/.test(t)) return 'A key has no spaces.';
  if (t.length < 8) return 'That is too short to be a key.';
  return undefined;
}

async function askKey(p: ProviderAdapter, step: string, label: string): Promise<string | undefined> {
  const what = p.keyName ?? 'API key';
  const v = await ui().showInputBox({
    title: `${step}: ${label}`,
    prompt: `Paste the ${p.name} ${what}. It is stored in VS Code's secret storage, never in settings.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: validateKey,
  });
  return v?.trim();
}

function describe(r: BalanceResult): string {
  if (r.balance !== null) return `${formatMoney(r.balance, r.currency)} left${r.level === 'warning' || r.level === 'critical' ? ` (${r.level})` : ''}`;
  if (r.note) return r.note;
  return 'key accepted';
}

/** Checks a key before it is saved. Returns true when it may be saved. */
async function verify(account: Account, keys: AccountKeys, label: string, monitor: BalanceMonitor): Promise<{ save: boolean; result?: BalanceResult; retry?: boolean }> {
  const E = engine();
  const proxy = settings.proxy();
  const opts: ConstructorParameters<typeof E.HttpClient>[0] = { timeoutMs: settings.requestTimeoutSeconds() * 1000, strictSSL: proxy.strictSSL };
  if (proxy.proxy) opts.proxy = proxy.proxy;
  const http = new E.HttpClient(opts);
  let result: BalanceResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking the key for ${label}…` },
      () => E.checkAccount(account, keys, { http, ...(monitor.thresholds ? { thresholds: monitor.thresholds } : {}) }),
    );
  } finally {
    await http.close();
  }
  if (result.status === 'invalid') {
    const pick = await ui().showWarningMessage(`${label}: the key was rejected — ${result.error ?? 'unauthorized'}. It was not saved.`, 'Try Again', 'Save Anyway');
    return { save: pick === 'Save Anyway', result, retry: pick === 'Try Again' };
  }
  if (result.status === 'error') {
    const pick = await ui().showWarningMessage(`${label}: the key could not be verified — ${result.error ?? 'error'}. Save it anyway?`, 'Save', 'Cancel');
    return { save: pick === 'Save', result };
  }
  return { save: true, result };
}

export async function addAccount(d: AccountCommandDeps): Promise<string | undefined> {
  const E = engine();
  const total = 4;
  const items: ProviderItem[] = Object.values(E.PROVIDERS).map((p) => ({ id: p.id, label: p.name, description: p.id, detail: p.description }));
  const picked = await ui().showQuickPick(items, { title: `Add API Key (1/${total}): provider`, placeHolder: 'Which provider is the key for?', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
  if (!picked) return undefined;
  const p = E.PROVIDERS[picked.id];
  const raw = settings.accounts();
  const taken = new Set(raw.map((a) => (a && typeof a === 'object' ? String((a as { id?: unknown }).id) : '')));
  const sameProvider = raw.filter((a) => a && typeof a === 'object' && (a as { provider?: unknown }).provider === p.id).length;

  const label = (await ui().showInputBox({
    title: `Add API Key (2/${total}): name`,
    prompt: 'A name for this account, shown in the status bar',
    value: sameProvider ? `${p.name} (${sameProvider + 1})` : p.name,
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? 'Give the account a name.' : v.trim().length > 80 ? 'At most 80 characters.' : undefined),
  }))?.trim();
  if (!label) return undefined;

  const account: Record<string, unknown> = { id: uniqueId(slug(label === p.name ? p.id : label), taken), provider: p.id };
  if (label !== p.name) account.label = label;
  const urlField = p.id === 'custom' ? 'url' : 'baseUrl';
  const url = (await ui().showInputBox({
    title: `Add API Key (3/${total}): ${p.id === 'custom' ? 'endpoint URL' : 'base URL'}`,
    prompt: p.id === 'custom' ? 'The JSON endpoint that reports the balance' : `The API base URL (default ${p.defaultBaseUrl})`,
    value: p.id === 'custom' ? 'https://' : p.defaultBaseUrl,
    ignoreFocusOut: true,
    validateInput: (v) => E.checkUrlPolicy(v.trim()),
  }))?.trim();
  if (url === undefined) return undefined;
  if (p.id === 'custom' || url.replace(/\/+$/, '') !== p.defaultBaseUrl) account[urlField] = url;
  if (p.id === 'xai') {
    const team = (await ui().showInputBox({ title: 'xAI team id', prompt: 'Your xAI team id (console.x.ai → Settings)', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'The team id is needed.') }))?.trim();
    if (!team) return undefined;
    account.teamId = team;
  }
  if (p.id === 'custom') {
    const path = (await ui().showInputBox({ title: 'JSON path of the balance', prompt: 'Dotted path in the answer, e.g. data.balance', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A path is needed.') }))?.trim();
    if (!path) return undefined;
    account.balancePath = path;
    account.headers = { Authorization: 'Bearer {key}' };
  }
  const parsed = E.AccountSchema.safeParse(account);
  if (!parsed.success) {
    void ui().showErrorMessage(`LLM Balance: ${parsed.error.issues[0]?.message ?? 'invalid account'}`);
    return undefined;
  }

  let adminKey: string | undefined;
  if (p.adminKeyName) {
    const v = await ui().showInputBox({
      title: `Add API Key: ${p.adminKeyName} (optional)`,
      prompt: `Optional ${p.name} ${p.adminKeyName}${p.id === 'openrouter' ? ' (shows the account balance)' : ' (shows this month\'s spend)'}. Leave empty to skip.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (s) => (s.trim() ? validateKey(s) : undefined),
    });
    if (v === undefined) return undefined;
    adminKey = v.trim() || undefined;
  }

  for (;;) {
    const key = await askKey(p, `Add API Key (4/${total})`, p.keyName ?? 'API key');
    if (!key) return undefined;
    const keys: AccountKeys = { key };
    if (adminKey) keys.adminKey = adminKey;
    d.log.addSecret(key);
    d.log.addSecret(adminKey);
    const v = await verify(parsed.data, keys, label, d.monitor);
    if (v.retry) continue;
    if (!v.save) return undefined;
    await d.keys.set(parsed.data.id, key, adminKey ?? '');
    await settings.setAccounts([...raw, account]);
    d.log.info(`Added account ${parsed.data.id} (${p.name}).`);
    d.monitor.reload();
    void d.monitor.checkNow([parsed.data.id]);
    void ui().showInformationMessage(`LLM Balance: saved ${label}${v.result ? ` — ${describe(v.result)}` : ''}.`);
    return parsed.data.id;
  }
}

async function pickAccount(d: AccountCommandDeps, title: string, accountId: unknown): Promise<Account | undefined> {
  const mine = d.monitor.accounts.filter((m) => m.source === 'settings').map((m) => m.account);
  if (typeof accountId === 'string') {
    const a = mine.find((x) => x.id === accountId);
    if (a) return a;
    if (d.monitor.accounts.some((m) => m.account.id === accountId)) {
      void ui().showInformationMessage('LLM Balance: this account comes from the environment; change its key there.');
      return undefined;
    }
  }
  if (mine.length === 0) {
    const pick = await ui().showInformationMessage('LLM Balance: no accounts yet.', 'Add API Key');
    if (pick === 'Add API Key') await vscode.commands.executeCommand('llmBalance.addAccount');
    return undefined;
  }
  const items: AccountItem[] = mine.map((a) => {
    const r = d.monitor.results.find((x) => x.accountId === a.id);
    return { accountId: a.id, label: a.label ?? engine().PROVIDERS[a.provider].name, description: a.id, detail: r ? `${r.level}${r.balance !== null ? ` · ${formatMoney(r.balance, r.currency)}` : ''}` : undefined };
  });
  const picked = await ui().showQuickPick(items, { title, placeHolder: 'Which account?', ignoreFocusOut: true });
  return picked ? mine.find((a) => a.id === picked.accountId) : undefined;
}

export async function updateKey(d: AccountCommandDeps, accountId?: unknown): Promise<boolean> {
  const account = await pickAccount(d, 'Update API Key', accountId);
  if (!account) return false;
  const E = engine();
  const p = E.PROVIDERS[account.provider];
  const label = account.label ?? p.name;
  let which: 'key' | 'admin' = 'key';
  if (p.adminKeyName) {
    const pick = await ui().showQuickPick(
      [{ label: p.keyName ?? 'API key', id: 'key' as const }, { label: p.adminKeyName, description: 'optional', id: 'admin' as const }],
      { title: `Update API Key: ${label}`, placeHolder: 'Which key?', ignoreFocusOut: true },
    );
    if (!pick) return false;
    which = pick.id;
  }
  const current = await d.keys.get(account.id);
  for (;;) {
    const value = await askKey(p, 'Update API Key', `${label} — ${which === 'admin' ? p.adminKeyName : p.keyName ?? 'API key'}`);
    if (!value) return false;
    d.log.addSecret(value);
    const keys: AccountKeys = which === 'admin' ? { ...current, adminKey: value } : { ...current, key: value };
    const v = await verify(account, keys, label, d.monitor);
    if (v.retry) continue;
    if (!v.save) return false;
    if (which === 'admin') await d.keys.set(account.id, keys.key ?? '', value);
    else await d.keys.set(account.id, value);
    d.log.info(`Updated the ${which === 'admin' ? 'admin key' : 'key'} of ${account.id}.`);
    await d.monitor.checkNow([account.id]);
    void ui().showInformationMessage(`LLM Balance: updated ${label}${v.result ? ` — ${describe(v.result)}` : ''}.`);
    return true;
  }
}

export async function removeAccount(d: AccountCommandDeps, accountId?: unknown): Promise<boolean> {
  const account = await pickAccount(d, 'Remove API Key', accountId);
  if (!account) return false;
  const label = account.label ?? engine().PROVIDERS[account.provider].name;
  const ok = await ui().showModalWarning(`Remove "${label}"?`, 'The account is removed from settings and its key deleted from this machine\'s secret storage.', 'Remove');
  if (ok !== 'Remove') return false;
  await d.keys.delete(account.id);
  await settings.setAccounts(settings.accounts().filter((a) => !(a && typeof a === 'object' && (a as { id?: unknown }).id === account.id)));
  await d.monitor.forget(account.id);
  d.monitor.reload();
  d.log.info(`Removed account ${account.id}.`);
  void ui().showInformationMessage(`LLM Balance: removed ${label}.`);
  return true;
}

export async function manageKeys(): Promise<void> {
  const items = [
    { label: '$(add) Add API Key', command: 'llmBalance.addAccount' },
    { label: '$(key) Update API Key', command: 'llmBalance.updateKey' },
    { label: '$(trash) Remove API Key', command: 'llmBalance.removeAccount' },
    { label: '$(settings-gear) Open Settings', command: 'workbench.action.openSettings', args: 'llmBalance' },
  ];
  const pick = await ui().showQuickPick(items, { title: 'LLM Balance: manage keys' });
  if (pick) await vscode.commands.executeCommand(pick.command, ...(pick.args ? [pick.args] : []));
}
