// "Edit Account or Thresholds": the edits people make most — an account's name, its own warning
// and critical amounts, a monthly budget, turning checks off — and the default amount and
// percent thresholds, without opening settings.json. Writes the same application-scoped
// settings a hand edit would; keys are not touched here.
import * as vscode from 'vscode';
import type { Account, PercentThresholds, Thresholds } from '../../core/model';
import { formatMoney } from '../../core/format';
import { engine } from '../engineLoader';
import { t } from '../l10n';
import type { BalanceMonitor } from '../monitor';
import { settings } from '../settings';
import { ui } from '../ui';

type Target = vscode.QuickPickItem & ({ accountId: string } | { defaults: 'amount' | 'percent' });
type Field = vscode.QuickPickItem & { field: 'label' | 'warning' | 'critical' | 'monthlyBudget' | 'enabled' };

/** A non-negative amount, or empty for "use the default"; anything else is a message. */
export function parseAmountInput(text: string, opts: { allowEmpty: boolean; max?: number }): number | undefined | string {
  const s = text.trim().replace(/^[$¥€£]/, '');
  if (!s) return opts.allowEmpty ? undefined : t('A number is needed.');
  if (!/^\d+(\.\d+)?$/.test(s)) return t('A plain number such as 10 or 2.50.');
  const n = Number(s);
  if (opts.max !== undefined && n > opts.max) return t('At most {0}.', opts.max);
  return n;
}

async function askNumber(title: string, prompt: string, value: number | undefined, opts: { allowEmpty: boolean; max?: number; check?: (n: number | undefined) => string | undefined }): Promise<{ value: number | undefined } | undefined> {
  const text = await ui().showInputBox({
    title,
    prompt,
    value: value === undefined ? '' : String(value),
    ignoreFocusOut: true,
    validateInput: (s) => {
      const v = parseAmountInput(s, opts);
      if (typeof v === 'string') return v;
      return opts.check?.(v);
    },
  });
  if (text === undefined) return undefined;
  const v = parseAmountInput(text, opts);
  return typeof v === 'string' ? undefined : { value: v };
}

function rawAccounts(): Record<string, unknown>[] {
  return settings.accounts().map((a) => (a && typeof a === 'object' ? { ...(a as Record<string, unknown>) } : (a as Record<string, unknown>)));
}

async function editOne(monitor: BalanceMonitor, account: Account): Promise<boolean> {
  const E = engine();
  const p = E.PROVIDERS[account.provider];
  const label = account.label ?? p.name;
  const cur = account.currency ?? monitor.results.find((r) => r.accountId === account.id)?.currency ?? p.defaultCurrency;
  const defaults = monitor.thresholds?.thresholds[cur];
  const amount = (n: number | undefined, fallback: number | undefined) =>
    n !== undefined ? formatMoney(n, cur) : fallback !== undefined ? t('default ({0})', formatMoney(fallback, cur)) : t('none');
  const fields: Field[] = [
    { field: 'label', label: t('Name'), description: label },
    { field: 'warning', label: t('Warning threshold'), description: amount(account.warning, defaults?.warning) },
    { field: 'critical', label: t('Critical threshold'), description: amount(account.critical, defaults?.critical) },
  ];
  if (p.budget === 'monthly') {
    fields.push({ field: 'monthlyBudget', label: t('Monthly budget'), description: account.monthlyBudget !== undefined ? formatMoney(account.monthlyBudget, cur) : t('none') });
  }
  fields.push({ field: 'enabled', label: account.enabled === false ? t('Turn checks on') : t('Turn checks off'), description: account.enabled === false ? t('checks are off') : t('keeps the account and its key') });
  const field = await ui().showQuickPick(fields, { title: t('Edit {0}', label), placeHolder: t('What to change?'), ignoreFocusOut: true });
  if (!field) return false;

  let patch: Record<string, unknown>;
  if (field.field === 'label') {
    const v = (await ui().showInputBox({ title: t('Edit {0}: name', label), value: label, ignoreFocusOut: true, validateInput: (s) => (!s.trim() ? t('Give the account a name.') : s.trim().length > 80 ? t('At most 80 characters.') : undefined) }))?.trim();
    if (!v) return false;
    patch = { label: v === p.name ? undefined : v };
  } else if (field.field === 'enabled') {
    patch = { enabled: account.enabled === false ? undefined : false };
  } else if (field.field === 'monthlyBudget') {
    const v = await askNumber(t('Edit {0}: monthly budget', label), t("This month's budget in {0}; what is left of it is watched. Empty: no budget.", cur), account.monthlyBudget, {
      allowEmpty: true,
      check: (n) => (n === 0 ? t('A budget above zero, or empty for none.') : undefined),
    });
    if (!v) return false;
    patch = { monthlyBudget: v.value };
  } else {
    const which = field.field;
    const other = which === 'warning' ? account.critical ?? defaults?.critical : account.warning ?? defaults?.warning;
    const fallback = defaults?.[which];
    const v = await askNumber(
      which === 'warning' ? t('Edit {0}: warning threshold', label) : t('Edit {0}: critical threshold', label),
      fallback !== undefined
        ? t('Warn at this balance in {0}. Empty: the default for {0} ({1}).', cur, formatMoney(fallback, cur))
        : t('Warn at this balance in {0}. Empty: the default for {0}.', cur),
      account[which], {
      allowEmpty: true,
      check: (n) => {
        if (n === undefined || other === undefined) return undefined;
        if (which === 'warning' && n < other) return t('The warning amount should be at least the critical one ({0}).', formatMoney(other, cur));
        if (which === 'critical' && n > other) return t('The critical amount should be at most the warning one ({0}).', formatMoney(other, cur));
        return undefined;
      },
    });
    if (!v) return false;
    patch = { [which]: v.value };
    // An amount is in the account's currency: pin it so that it does not apply to another one.
    if (v.value !== undefined && !account.currency) patch.currency = cur;
  }
  const all = rawAccounts();
  const i = all.findIndex((a) => a && a.id === account.id);
  if (i < 0) return false;
  const next = { ...all[i], ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  all[i] = next;
  await settings.setAccounts(all);
  void ui().showInformationMessage(t('LLM Balance: {0} — {1} saved.', label, field.label.toLowerCase()));
  return true;
}

async function editAmountDefaults(monitor: BalanceMonitor): Promise<boolean> {
  const E = engine();
  const current: Thresholds = { ...(monitor.thresholds?.thresholds ?? E.DEFAULT_THRESHOLDS) };
  const items: (vscode.QuickPickItem & { currency?: string })[] = Object.entries(current).map(([c, th]) => ({
    currency: c, label: c, description: t('warning {0} · critical {1}', formatMoney(th.warning, c), formatMoney(th.critical, c)),
  }));
  items.push({ label: t('Another currency…') });
  const pick = await ui().showQuickPick(items, { title: t('Default thresholds'), placeHolder: t('Which currency?'), ignoreFocusOut: true });
  if (!pick) return false;
  let cur = pick.currency;
  if (!cur) {
    cur = (await ui().showInputBox({ title: t('Default thresholds: currency'), prompt: t('A three-letter code, e.g. EUR'), ignoreFocusOut: true, validateInput: (s) => (/^[A-Za-z]{3}$/.test(s.trim()) ? undefined : t('Three letters, e.g. EUR.')) }))?.trim().toUpperCase();
    if (!cur) return false;
  }
  const warning = await askNumber(t('Default thresholds: {0} warning', cur), t('Warn when a {0} balance falls to this amount.', cur), current[cur]?.warning, { allowEmpty: false });
  if (!warning || warning.value === undefined) return false;
  const critical = await askNumber(t('Default thresholds: {0} critical', cur), t('Critical when a {0} balance falls to this amount (at most {1}).', cur, formatMoney(warning.value, cur)), current[cur]?.critical, {
    allowEmpty: false,
    check: (n) => (n !== undefined && n > warning.value! ? t('At most the warning amount ({0}).', formatMoney(warning.value!, cur!)) : undefined),
  });
  if (!critical || critical.value === undefined) return false;
  current[cur] = { warning: warning.value, critical: critical.value };
  await settings.update('thresholds', current);
  void ui().showInformationMessage(t('LLM Balance: {0} thresholds saved — warning {1}, critical {2}.', cur, formatMoney(warning.value, cur), formatMoney(critical.value, cur)));
  return true;
}

async function editPercentDefaults(monitor: BalanceMonitor): Promise<boolean> {
  const E = engine();
  const current: PercentThresholds = monitor.thresholds?.percent ?? E.DEFAULT_PERCENT_THRESHOLDS;
  const warning = await askNumber(t('Percent thresholds: warning'), t('Warn when this percentage of a key cap or budget is left.'), current.warning, { allowEmpty: false, max: 100 });
  if (!warning || warning.value === undefined) return false;
  const critical = await askNumber(t('Percent thresholds: critical'), t('Critical when this percentage is left (at most {0}).', warning.value), current.critical, {
    allowEmpty: false,
    max: 100,
    check: (n) => (n !== undefined && n > warning.value! ? t('At most the warning percentage ({0}).', warning.value!) : undefined),
  });
  if (!critical || critical.value === undefined) return false;
  await settings.update('percentThresholds', { warning: warning.value, critical: critical.value });
  void ui().showInformationMessage(t('LLM Balance: percent thresholds saved — warning at {0}% left, critical at {1}% left.', warning.value, critical.value));
  return true;
}

export async function editAccount(monitor: BalanceMonitor, accountId?: unknown): Promise<boolean> {
  const stored = monitor.accounts.filter((m) => m.source === 'settings').map((m) => m.account);
  // Turned-off accounts are not monitored but can be turned back on here.
  const off = settings.accounts()
    .map((a) => engine().AccountSchema.safeParse(a))
    .filter((r) => r.success && r.data.enabled === false)
    .map((r) => r.data!);
  const accounts = [...stored, ...off];
  const direct = typeof accountId === 'string' ? accounts.find((a) => a.id === accountId) : undefined;
  if (direct) return editOne(monitor, direct);
  const envCount = monitor.accounts.filter((m) => m.source === 'environment').length;
  const items: Target[] = [
    ...accounts.map((a) => ({ accountId: a.id, label: a.label ?? engine().PROVIDERS[a.provider].name, description: a.enabled === false ? t('{0} · checks off', a.id) : a.id })),
    { label: t('Defaults'), kind: vscode.QuickPickItemKind.Separator, defaults: 'amount' as const },
    { defaults: 'amount' as const, label: t('Default thresholds'), description: t('warning and critical amounts per currency') },
    { defaults: 'percent' as const, label: t('Percent thresholds'), description: t('for key caps and budgets') },
  ];
  const placeHolder = envCount
    ? t('Which account, or the defaults? (environment accounts are not listed: they follow the defaults)')
    : t('Which account, or the defaults?');
  const pick = await ui().showQuickPick(items, { title: t('Edit Account or Thresholds'), placeHolder, ignoreFocusOut: true });
  if (!pick) return false;
  if ('accountId' in pick) {
    const a = accounts.find((x) => x.id === pick.accountId);
    return a ? editOne(monitor, a) : false;
  }
  return pick.defaults === 'amount' ? editAmountDefaults(monitor) : editPercentDefaults(monitor);
}
