// What the status bar item shows (SPEC §6), as plain data so it can be tested without VS Code.
import { formatMoney } from './format';
import { english, type Translate } from './l10n';
import { LEVEL_RANK, worstLevel, type Level } from './levels';
import type { BalanceResult } from './model';
import { addMoney } from './numbers';
import { cap, MAX_PROVIDER_TEXT, safeText } from './safeText';
import { errorText, joinSentences, localized, msg, renderMessage, type Message, type ResultTexts } from './message';
import { isKeyMissing } from './keyMissing';
import { COMMAND } from './commandIds';

export { escapeMarkdown } from './safeText';

export type StatusBarMode = 'lowest' | 'total' | 'all';
/** When the item's warning/error background shows: always, until the user acknowledges it, or never. */
export type HighlightMode = 'always' | 'untilAcknowledged' | 'never';

export interface StatusView {
  text: string;
  tooltip: string;
  background: 'warning' | 'error' | undefined;
  command: string;
  /** Arguments for `command` (the account whose key to set). */
  commandArgs?: unknown[];
  level: Level | undefined;
  /** Plain words for screen readers (the item's accessibilityInformation); without it VS Code reads the tooltip's Markdown source. */
  ariaLabel: string;
}

const ICON: Record<Level, string> = {
  ok: '$(credit-card)',
  info: '$(info)',
  warning: '$(warning)',
  critical: '$(error)',
  error: '$(error)',
};

/**
 * Space before a tooltip column. VS Code's hover puts next to no padding between table cells, so
 * without it "$8.00 limit $100.00, used $2.00 warning just now" reads as one run of words and
 * two empty cells as one "— —". An entity, because table cells are trimmed (U+00A0 included).
 * The hover is at most 500 px wide: every pixel added here wraps a long label sooner.
 */
const GAP = '&nbsp;&nbsp;';

/** Text from providers (and labels) for the tooltip: redacted, stripped, capped, then escaped (safeText.ts). */
function md(s: string, max = 300): string {
  return safeText(s, 'markdown', { max });
}

export { isKeyMissing } from './keyMissing';

/** A level in words, for people (the tooltip, toasts). */
export function levelText(level: Level, t: Translate = english): string {
  switch (level) {
    case 'ok': return t('ok');
    case 'info': return t('info');
    case 'warning': return t('warning');
    case 'critical': return t('critical');
    case 'error': return t('error');
  }
}

function short(r: BalanceResult, t: Translate): string {
  if (isKeyMissing(r)) return t('{0}: key missing', r.label);
  if (r.balance !== null) {
    const money = formatMoney(r.balance, r.currency);
    return r.stale ? t('{0} {1} (stale)', r.label, money) : `${r.label} ${money}`;
  }
  if (r.level === 'error') return r.status === 'invalid' ? t('{0}: key rejected', r.label) : t('{0}: error', r.label);
  if (r.errorKind === 'insufficient_funds') return t('{0}: no funds', r.label);
  if (r.status === 'unavailable') return t('{0}: unavailable', r.label);
  return t('{0}: key ok', r.label);
}

/** Worst state first, then the lowest balance; ties keep their order. The status bar, tooltip and panel share it. */
export function byConcern(a: Pick<BalanceResult, 'level' | 'balance'>, b: Pick<BalanceResult, 'level' | 'balance'>): number {
  const d = LEVEL_RANK[b.level] - LEVEL_RANK[a.level];
  if (d !== 0) return d;
  return (a.balance ?? Infinity) - (b.balance ?? Infinity);
}

export function sortByConcern(results: readonly BalanceResult[]): BalanceResult[] {
  return [...results].sort(byConcern);
}

/** One sentence of a note: our message, or, for a note without messages, a sentence of its English (data). */
type Sentence = Message | string;

/**
 * A note as it applies to an account from the environment: such an account cannot carry a
 * monthlyBudget, so advice to set one is left out or reworded, and what can be done is said
 * instead. Read from its messages in the language of `t`, else (in English, or a note without
 * messages) from its English, sentence by sentence, and said in English.
 */
export function noteForEnvironmentAccount(note: string, messages?: readonly Message[], t: Translate = english): string {
  const ours = !!messages?.length && t !== english;
  // Most notes give no such advice: not split into sentences for nothing.
  if (!ours && !note.includes('monthlyBudget')) return note;
  const sentences: readonly Sentence[] = ours ? messages! : note.split(/(?<=\.)\s+/);
  const says = (s: Sentence) => (typeof s === 'string' ? s : s.m);
  if (!sentences.some((s) => says(s).includes('monthlyBudget'))) return localized(note, messages, t);
  const say = ours ? t : english;
  const texts: string[] = [];
  for (const s of sentences.map(withoutBudget)) if (!says(s).includes('monthlyBudget')) texts.push(typeof s === 'string' ? s : renderMessage(s, say));
  texts.push(renderMessage(environmentBudgetHint(), say));
  const text = joinSentences(texts);
  // A translation is capped like the English was (localized); the English is the note plus the hint.
  return ours ? cap(text, MAX_PROVIDER_TEXT) : text;
}

// Built when needed, not when the status bar's module loads.
function environmentBudgetHint(): Message {
  return msg('A monthly budget can be set only on an account added with "Add API Key", not on one from the environment.');
}

/** Advice that names a monthlyBudget among other advice, as it reads for an account from the environment. */
function withoutBudget(s: Sentence): Sentence {
  if (typeof s === 'string') return s.replace(/ and a monthlyBudget/g, '');
  return s.m === '{0} has no balance API; add an admin key and a monthlyBudget to track spend, or check {1}'
    ? { ...s, m: msg('{0} has no balance API; add an admin key to track spend, or check {1}').m }
    : s;
}

/**
 * A result's note in the language of `t` (see message.ts: the English when it has no messages);
 * for an account from the environment, as noteForEnvironmentAccount words it.
 */
export function noteText(r: ResultTexts, t: Translate, environment = false): string | undefined {
  if (r.note === undefined) return undefined;
  return environment ? noteForEnvironmentAccount(r.note, r.noteL10n, t) : localized(r.note, r.noteL10n, t);
}

/**
 * Total balance per currency (never summed across currencies). A currency whose total is not a
 * finite number (1e308 + 1e308) is left out rather than shown as Infinity or turned into JSON null.
 */
/** What a set of results comes to: the one rule behind the CLI's summary, the panel's header and the check's toast. */
export interface ResultsSummary {
  accounts: number;
  totals: Record<string, number>;
  errors: number;
  critical: number;
  warning: number;
}

export function summarizeResults(results: readonly BalanceResult[]): ResultsSummary {
  const count = (level: BalanceResult['level']) => results.filter((r) => r.level === level).length;
  return { accounts: results.length, totals: totals(results), errors: count('error'), critical: count('critical'), warning: count('warning') };
}

export function totals(results: readonly BalanceResult[]): Record<string, number> {
  const t: Record<string, number> = {};
  const overflowed = new Set<string>();
  for (const r of results) {
    if (r.balance === null || overflowed.has(r.currency)) continue;
    const sum = addMoney(t[r.currency] ?? 0, r.balance);
    if (sum === undefined) {
      overflowed.add(r.currency);
      delete t[r.currency];
    } else t[r.currency] = sum;
  }
  return t;
}

function ago(iso: string, now: number, t: Translate): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return t('just now');
  if (s < 3600) return t('{0} min ago', Math.round(s / 60));
  if (s < 86400) return t('{0} h ago', Math.round(s / 3600));
  return t('{0} d ago', Math.round(s / 86400));
}

export function statusView(
  results: readonly BalanceResult[],
  opts: {
    mode: StatusBarMode;
    checking: boolean;
    accountCount: number;
    now?: number;
    /** Accounts whose key is not ours to set (environment). */
    readOnly?: ReadonlySet<string>;
    /** Default `untilAcknowledged`. */
    highlight?: HighlightMode;
    /** Accounts whose highlight the user acknowledged at (at least) their current level. */
    acknowledged?: ReadonlySet<string>;
    /** The extension passes vscode.l10n.t; default English. */
    t?: Translate;
  },
): StatusView {
  const now = opts.now ?? Date.now();
  const t = opts.t ?? english;
  if (opts.accountCount === 0) {
    return {
      text: `$(key) ${t('Add LLM API key')}`,
      tooltip: t('LLM Balance: no accounts yet. Click to add an API key.'),
      background: undefined,
      command: COMMAND.addAccount,
      level: undefined,
      ariaLabel: t('LLM Balance: no accounts yet. Add an API key.'),
    };
  }
  const sorted = sortByConcern(results);
  const level = sorted.length ? worstLevel(sorted.map((r) => r.level)) : undefined;
  let icon = level ? ICON[level] : '$(credit-card)';
  const first = sorted[0];
  if (first && isKeyMissing(first)) icon = '$(key)';
  if (opts.checking) icon = '$(sync~spin)';
  let body: string;
  if (!first) body = 'LLM Balance';
  else if (opts.mode === 'total') {
    const sums = Object.entries(totals(sorted)).map(([c, n]) => formatMoney(n, c));
    body = sums.length ? sums.join(' · ') : short(first, t);
    if (sorted.some((r) => r.stale)) body = t('{0} (stale)', body);
  } else if (opts.mode === 'all') {
    body = sorted.map((r) => short(r, t)).join(' | ');
  } else {
    body = short(first, t) + (sorted.length > 1 ? ` ${t('+{0} more', sorted.length - 1)}` : '');
  }
  const highlight = opts.highlight ?? 'untilAcknowledged';
  const isAcked = (r: BalanceResult) => highlight === 'untilAcknowledged' && !!opts.acknowledged?.has(r.accountId);
  const lit = highlight === 'never' ? [] : sorted.filter((r) => LEVEL_RANK[r.level] >= LEVEL_RANK.warning && !isAcked(r));
  const litLevel = worstLevel(lit.map((r) => r.level));
  const background = litLevel === 'warning' ? 'warning' : litLevel === 'critical' || litLevel === 'error' ? 'error' : undefined;

  // Checked together (the usual case): say when once, under the table, and keep the width for the rest.
  const agos = new Set(sorted.map((r) => ago(r.checkedAt, now, t)));
  const oneAgo = agos.size === 1 ? [...agos][0] : undefined;
  const rows = sorted.map((r) => {
    const bal = r.balance === null ? '—' : r.stale ? t('{0} _(stale)_', formatMoney(r.balance, r.currency)) : formatMoney(r.balance, r.currency);
    const limit = r.limit !== null ? formatMoney(r.limit, r.currency) : undefined;
    const used = r.usage !== null ? formatMoney(r.usage, r.currency) : undefined;
    const lim = limit && used ? t('limit {0}, used {1}', limit, used) : limit ? t('limit {0}', limit) : used ? t('used {0}', used) : '—';
    return `| ${md(r.label, 80)} | ${bal} | ${GAP}${lim} | ${GAP}${levelText(r.level, t)}${isAcked(r) ? t(' _(acknowledged)_') : ''} |${oneAgo ? '' : ` ${GAP}${ago(r.checkedAt, now, t)} |`}`;
  });
  const notes = sorted
    .filter((r) => r.error || r.note)
    .map((r) => {
      const readOnly = opts.readOnly?.has(r.accountId) ?? false;
      const fix = (isKeyMissing(r) || r.status === 'invalid') && !readOnly ? ` [${t('Set key')}](command:${COMMAND.updateKey}?${encodeURIComponent(JSON.stringify([r.accountId]))})` : '';
      const text = isKeyMissing(r) ? t('no API key is stored on this machine.') : errorText(r, t) ?? noteText(r, t, readOnly) ?? '';
      return `- **${md(r.label, 80)}**: ${md(text)}${fix}`;
    });
  const ack = highlight === 'untilAcknowledged' && lit.length
    ? ` · [$(check) ${t('Acknowledge')}](command:${COMMAND.acknowledge}?${encodeURIComponent(JSON.stringify([lit.map((r) => r.accountId)]))} "${t('Turn the highlight off until the level gets worse').replace(/"/g, "'")}")`
    : '';
  const tooltip = [
    '**LLM Balance**',
    '',
    `| ${t('Account')} | ${GAP}${t('Balance')} | ${GAP}${t('Limit / usage')} | ${GAP}${t('Level')} |${oneAgo ? '' : ` ${GAP}${t('Checked')} |`}`,
    `|:--|--:|:--|:--|${oneAgo ? '' : ':--|'}`,
    ...rows,
    ...(oneAgo ? ['', `_${t('Checked {0}.', oneAgo)}_`] : []),
    ...(notes.length ? ['', ...notes] : []),
    '',
    `[$(refresh) ${t('Check now')}](command:${COMMAND.check}) · [$(graph) ${t('Open panel')}](command:${COMMAND.showPanel}) · [$(key) ${t('Manage keys')}](command:${COMMAND.manageKeys})` + ack,
  ].join('\n');
  // The worst account has no key (and it is ours to set): the click sets it rather than opening the panel.
  const setKey = first && isKeyMissing(first) && !opts.readOnly?.has(first.accountId) ? first : undefined;
  const ariaLabel = `${opts.checking ? t('LLM Balance (checking)') : 'LLM Balance'}: ${first ? body : t('no results yet')}${level && level !== 'ok' ? `, ${levelText(level, t)}` : ''}${setKey ? t('. Activate to set the key of {0}.', setKey.label) : ''}`;
  const view: StatusView = { text: `${icon} ${body}`, tooltip, background, command: setKey ? COMMAND.updateKey : COMMAND.showPanel, level, ariaLabel };
  if (setKey) view.commandArgs = [setKey.accountId];
  return view;
}
