// Builds the panel's DOM from PanelData. Provider strings only ever become text nodes or
// attribute values (see dom.ts). Charts are created later by main.ts, after the first paint.
import type { CardView, EventView, PanelCards, Range, Summary } from '../panel/protocol';
import { RANGES } from '../panel/protocol';
import { isKeyMissing } from '../core/keyMissing';
import { h } from './dom';
import { formatAgo, formatDateTime, formatDuration, formatMoney, formatRate, levelLabel } from './format';
import { t } from './l10n';

type Eta = CardView['forecast']['untilZero'];

/** "the last 24 hours": the range in words. */
export function rangeText(r: Range): string {
  switch (r) {
    case '24h': return t('24 hours');
    case '7d': return t('7 days');
    case '30d': return t('30 days');
    case '90d': return t('90 days');
  }
}

/** The range buttons. */
function rangeLabel(r: Range): string {
  switch (r) {
    case '24h': return t('24 h');
    case '7d': return t('7 d');
    case '30d': return t('30 d');
    case '90d': return t('90 d');
  }
}

function statusText(s: NonNullable<CardView['status']>): string {
  switch (s) {
    case 'valid': return t('key valid');
    case 'invalid': return t('key invalid');
    case 'error': return t('check failed');
    case 'unavailable': return t('unavailable');
  }
}

export interface ViewState {
  busy: ReadonlySet<string>;
  now: number;
}

/** The key main.ts uses for the "every account" check. */
export const ALL = '*';

function button(label: string, action: string, opts: { account?: string; kind?: 'primary' | 'secondary'; busy?: boolean; title?: string; ariaLabel?: string } = {}): HTMLButtonElement {
  const b = h('button', {
    type: 'button',
    class: `btn ${opts.kind ?? 'secondary'}`,
    'data-action': action,
    'data-account': opts.account,
    'data-focus-key': `${action}:${opts.account ?? ''}`,
    'aria-disabled': opts.busy ? 'true' : undefined,
    // Eleven "Check now" buttons read alike to a screen reader: say whose.
    'aria-label': opts.ariaLabel,
  }, label);
  if (opts.title) b.title = opts.title;
  return b;
}

export function renderToolbar(range: Range, state: ViewState, hasAccounts: boolean): HTMLElement {
  const allBusy = state.busy.has(ALL);
  return h('header', { class: 'toolbar' },
    h('h1', {}, 'LLM Balance'),
    h('div', { class: 'range', role: 'group', 'aria-label': t('History range') },
      RANGES.map((r) => {
        const b = h('button', {
          type: 'button',
          class: 'range-btn',
          'data-action': 'range',
          'data-range': r,
          'data-focus-key': `range:${r}`,
          'aria-pressed': r === range ? 'true' : 'false',
        }, rangeLabel(r));
        b.title = t('Show the last {0}', rangeText(r));
        return b;
      }),
    ),
    h('div', { class: 'actions' },
      hasAccounts ? button(allBusy ? t('Checking…') : t('Check all'), 'check', { kind: 'primary', busy: allBusy }) : null,
      button(t('Export History'), 'export', { title: t('Save the history as CSV or JSON') }),
    ),
  );
}

export function renderSummary(summary: Summary): HTMLElement {
  const tile = (value: string, label: string, cls = '') => h('div', { class: `tile ${cls}` }, h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-label' }, label));
  const totals = summary.totals.length ? summary.totals.map((x) => tile(formatMoney(x.amount, x.currency), t('total {0}', x.currency))) : [tile('—', t('total balance'))];
  return h('section', { class: 'summary', 'aria-label': t('Summary') },
    totals,
    tile(String(summary.accounts), summary.accounts === 1 ? t('account') : t('accounts')),
    tile(String(summary.errors), summary.errors === 1 ? t('with an error') : t('with errors'), summary.errors ? 'level-error' : ''),
    tile(String(summary.critical), t('critical'), summary.critical ? 'level-critical' : ''),
    tile(String(summary.warning), t('warning'), summary.warning ? 'level-warning' : ''),
  );
}

/** The percentage is labelled by what it counts: "75% left", never a bare "(75%)". */
function usageMeter(a: CardView): HTMLElement | null {
  if (a.limit !== null && a.limit > 0) {
    // A key cap beside an account balance (OpenRouter) is its own figure, named as such.
    const isKeyCap = a.keyCapLeft !== undefined;
    const remaining = isKeyCap ? a.keyCapLeft! : a.usage !== null ? a.limit - a.usage : a.balance;
    if (remaining === null) return null;
    const pct = Math.max(0, Math.min(100, (remaining / a.limit) * 100));
    const fill = h('div', { class: 'meter-fill' });
    fill.style.width = `${pct}%`;
    const what = isKeyCap ? t('Key cap') : t('Limit');
    const text = t('{0}: {1} left of {2}', what, formatMoney(remaining, a.currency), formatMoney(a.limit, a.currency)) +
      (a.usage !== null ? ` · ${t('{0} used', formatMoney(a.usage, a.currency))}` : '') +
      ` · ${t('{0}% left', Math.round(pct))}`;
    const meter = h('div', {
      class: 'meter',
      role: 'meter',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': Math.round(pct),
      'aria-valuetext': isKeyCap ? t('{0}% of the key cap left', Math.round(pct)) : t('{0}% of the limit left', Math.round(pct)),
    }, fill);
    meter.setAttribute('aria-label', isKeyCap ? t('Key cap left') : t('Limit left'));
    return h('div', { class: 'usage' }, meter, h('p', { class: 'meter-text' }, text));
  }
  if (a.usage !== null) return h('div', { class: 'usage' }, h('p', { class: 'meter-text' }, t('{0} used', formatMoney(a.usage, a.currency))));
  return null;
}

/** What the large figure is: the account's balance, or what is left of a limit. */
function amountLabel(a: CardView): string {
  if (a.keyCapLeft !== undefined) return t('account balance');
  if (a.limit !== null) return t('left of the limit');
  return t('balance');
}

function etaText(eta: Eta): string {
  if (eta === null) return '—';
  if (eta === 'now') return t('reached');
  return t('in {0}', formatDuration(eta.ms));
}

function renderForecast(a: CardView): HTMLElement {
  const f = a.forecast;
  const currency = f.currency ?? a.currency;
  const rows: [label: string, value: string, title?: string, reached?: boolean][] = [];
  if (!f.enoughData) {
    rows.push([t('Burn rate'), t('not enough data yet'), t('Needs checks spanning at least an hour.')]);
  } else if (f.burnPerDay !== null && f.burnPerDay > 0) {
    rows.push([f.basis === 'usage' ? t('Spend') : t('Burn rate'), t('{0} / day', formatRate(f.burnPerDay, currency)), t('Over the last 7 days; top-ups excluded.')]);
  } else {
    rows.push([t('Burn rate'), t('not burning'), t('No spending in the last 7 days.')]);
  }
  if (f.basis === 'balance' || f.balance !== null) {
    // Without a burn rate only "reached" is worth a row; dashes would just be noise.
    const estimating = f.burnPerDay !== null && f.burnPerDay > 0;
    const eta = (label: string, e: Eta, present: boolean) => {
      if (!present || (!estimating && e !== 'now')) return;
      const title = e && e !== 'now' ? formatDateTime(e.at) : undefined;
      rows.push([label, etaText(e), title, e === 'now']);
    };
    eta(t('Warning'), f.untilWarning, a.thresholds.warning !== undefined);
    eta(t('Critical'), f.untilCritical, a.thresholds.critical !== undefined);
    eta(t('Empty'), f.untilZero, true);
  }
  const dl = h('dl', { class: 'forecast' });
  for (const [label, value, title, reached] of rows) {
    const dd = h('dd', { class: reached ? 'reached' : '' }, value);
    if (title) dd.title = title;
    dl.append(h('div', { class: 'forecast-row' }, h('dt', {}, label), dd));
  }
  return dl;
}

export function renderCard(a: CardView, state: ViewState, range: Range): HTMLElement {
  const headingId = `acct-${a.id}`;
  const busy = state.busy.has(a.id) || state.busy.has(ALL);
  const amount = a.balance !== null
    ? h('span', { class: 'amount' }, formatMoney(a.balance, a.currency))
    : h('span', { class: 'amount none' }, a.status === null ? t('not checked yet') : t('no balance reported'));
  const title = h('h3', { id: headingId }, a.label);
  title.title = a.label;
  const checked = a.checkedAt
    ? h('p', { class: 'checked' }, ...checkedParts(timeEl(a.checkedAt, state.now)), a.stale ? h('span', { class: 'stale' }, ` · ${t('last good numbers (the latest check failed)')}`) : null)
    : h('p', { class: 'checked' }, t('Not checked yet'));
  const chart = h('div', { class: 'chart', role: 'img', 'data-chart': a.id });
  // No chart yet: its series are on their way (the host sends an empty one with the card).
  const empty = a.chart !== undefined && a.chart.t.length === 0;
  if (empty) chart.append(h('p', { class: 'chart-empty' }, t('No history in the last {0} yet.', rangeText(range))));
  // A key that was never set has no numbers yet: no empty forecast and chart between the
  // problem and its fix.
  const nothingYet = isKeyMissing(a) && empty;
  return h('article', { class: `card level-${a.level}`, 'aria-labelledby': headingId, 'data-account-card': a.id },
    h('header', { class: 'card-head' },
      title,
      h('span', { class: `badge level-${a.level}` }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }), levelLabel(a.level)),
    ),
    h('p', { class: 'provider' }, a.provider, a.status && a.status !== 'valid' ? ` · ${statusText(a.status)}` : ''),
    h('div', { class: 'balance' }, amount, a.balance !== null ? h('span', { class: 'currency' }, `${a.currency} ${amountLabel(a)}`) : null),
    usageMeter(a),
    checked,
    a.error ? h('p', { class: 'message error' }, h('span', { class: 'message-label' }, t('Error: ')), a.error) : null,
    a.note ? h('p', { class: 'message note' }, a.note) : null,
    nothingYet ? null : renderForecast(a),
    nothingYet ? null : chart,
    a.readOnly ? h('p', { class: 'key-source' }, a.keyEnv ? t('Key from the environment ({0}): change it there.', a.keyEnv) : t('Key from the environment: change it there.')) : null,
    renderActions(a, busy),
  );
}

/** A missing or rejected key makes setting it the card's main action; environment keys are not ours to set. */
function renderActions(a: CardView, busy: boolean): HTMLElement {
  const keyMissing = isKeyMissing(a);
  const keyFirst = !a.readOnly && (keyMissing || a.status === 'invalid');
  const check = button(busy ? t('Checking…') : t('Check now'), 'check', { account: a.id, kind: keyFirst ? 'secondary' : 'primary', busy, ariaLabel: t('Check {0} now', a.label) });
  const key = a.readOnly ? null : button(keyMissing ? t('Set key') : t('Update key'), 'updateKey', { account: a.id, kind: keyFirst ? 'primary' : 'secondary', ariaLabel: keyMissing ? t('Set the key of {0}', a.label) : t('Update the key of {0}', a.label) });
  return h('div', { class: 'card-actions' },
    keyFirst ? [key, check] : [check, key],
    a.canAddFunds ? button(t('Add funds'), 'addFunds', { account: a.id, title: t("Open the provider's billing page"), ariaLabel: t('Add funds to {0}', a.label) }) : null,
  );
}

/** "Checked <time>": the sentence around the time element, in the word order of the language. */
function checkedParts(time: HTMLTimeElement): (string | HTMLTimeElement)[] {
  const [before, after] = t('Checked {0}', '\u0000').split('\u0000');
  return [before ?? '', time, after ?? ''].filter((p) => p !== '');
}

function timeEl(iso: string, now: number): HTMLTimeElement {
  const t = h('time', { datetime: iso, 'data-ago': iso }, formatAgo(iso, now));
  t.title = formatDateTime(iso);
  return t;
}

export function renderEvents(events: readonly EventView[]): HTMLElement {
  const section = h('section', { class: 'events', 'aria-labelledby': 'events-heading' }, h('h2', { id: 'events-heading' }, t('Events')));
  if (events.length === 0) {
    section.append(h('p', { class: 'muted' }, t('No notifications or errors yet.')));
    return section;
  }
  section.append(h('ol', { class: 'event-list' },
    events.map((e) => {
      const when = h('time', { datetime: new Date(e.t).toISOString() }, formatDateTime(e.t));
      return h('li', { class: `event level-${e.level}` },
        when,
        h('span', { class: `badge level-${e.level}` }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }), e.kind === 'notification' ? t('Notified · {0}', levelLabel(e.level)) : t('Error')),
        h('span', { class: 'event-account' }, e.label),
        h('span', { class: 'event-message' }, e.message, e.channel ? h('span', { class: 'muted' }, ` (${e.channel})`) : null),
      );
    }),
  ));
  return section;
}

export function renderPanel(data: PanelCards, state: ViewState): HTMLElement[] {
  const parts: HTMLElement[] = [renderToolbar(data.range, state, data.accounts.length > 0), renderSummary(data.summary)];
  if (data.accounts.length === 0) {
    parts.push(h('section', { class: 'empty' },
      h('p', {}, t('No accounts yet. Add an API key to start watching a balance.')),
      button(t('Add API Key'), 'addAccount', { kind: 'primary' }),
    ));
  } else {
    parts.push(h('section', { class: 'cards', 'aria-label': t('Accounts') }, data.accounts.map((a) => renderCard(a, state, data.range))));
  }
  parts.push(renderEvents(data.events));
  return parts;
}
