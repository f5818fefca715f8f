// Builds the panel's DOM from PanelData. Provider strings only ever become text nodes or
// attribute values (see dom.ts). Charts are created later by main.ts, after the first paint.
import type { AccountView, EventView, PanelData, Range, Summary } from '../panel/protocol';
import { RANGES } from '../panel/protocol';
import { isKeyMissing } from '../core/keyMissing';
import { h } from './dom';
import { formatAgo, formatDateTime, formatDuration, formatMoney, formatRate, LEVEL_TEXT } from './format';

type Eta = AccountView['forecast']['untilZero'];

export const RANGE_TEXT: Record<Range, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days', '90d': '90 days' };
const RANGE_LABEL: Record<Range, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d', '90d': '90 d' };

const STATUS_TEXT: Record<NonNullable<AccountView['status']>, string> = {
  valid: 'key valid',
  invalid: 'key invalid',
  error: 'check failed',
  unavailable: 'unavailable',
};

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
    h('div', { class: 'range', role: 'group', 'aria-label': 'History range' },
      RANGES.map((r) => {
        const b = h('button', {
          type: 'button',
          class: 'range-btn',
          'data-action': 'range',
          'data-range': r,
          'data-focus-key': `range:${r}`,
          'aria-pressed': r === range ? 'true' : 'false',
        }, RANGE_LABEL[r]);
        b.title = `Show the last ${RANGE_TEXT[r]}`;
        return b;
      }),
    ),
    h('div', { class: 'actions' },
      hasAccounts ? button(allBusy ? 'Checking…' : 'Check all', 'check', { kind: 'primary', busy: allBusy }) : null,
      button('Export History', 'export', { title: 'Save the history as CSV or JSON' }),
    ),
  );
}

export function renderSummary(summary: Summary): HTMLElement {
  const tile = (value: string, label: string, cls = '') => h('div', { class: `tile ${cls}` }, h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-label' }, label));
  const totals = summary.totals.length ? summary.totals.map((t) => tile(formatMoney(t.amount, t.currency), `total ${t.currency}`)) : [tile('—', 'total balance')];
  return h('section', { class: 'summary', 'aria-label': 'Summary' },
    totals,
    tile(String(summary.accounts), summary.accounts === 1 ? 'account' : 'accounts'),
    tile(String(summary.errors), summary.errors === 1 ? 'with an error' : 'with errors', summary.errors ? 'level-error' : ''),
    tile(String(summary.critical), 'critical', summary.critical ? 'level-critical' : ''),
    tile(String(summary.warning), 'warning', summary.warning ? 'level-warning' : ''),
  );
}

/** The percentage is labelled by what it counts: "75% left", never a bare "(75%)". */
function usageMeter(a: AccountView): HTMLElement | null {
  if (a.limit !== null && a.limit > 0) {
    // A key cap beside an account balance (OpenRouter) is its own figure, named as such.
    const isKeyCap = a.keyCapLeft !== undefined;
    const remaining = isKeyCap ? a.keyCapLeft! : a.usage !== null ? a.limit - a.usage : a.balance;
    if (remaining === null) return null;
    const pct = Math.max(0, Math.min(100, (remaining / a.limit) * 100));
    const fill = h('div', { class: 'meter-fill' });
    fill.style.width = `${pct}%`;
    const what = isKeyCap ? 'Key cap' : 'Limit';
    const text = `${what}: ${formatMoney(remaining, a.currency)} left of ${formatMoney(a.limit, a.currency)}` +
      (a.usage !== null ? ` · ${formatMoney(a.usage, a.currency)} used` : '') +
      ` · ${Math.round(pct)}% left`;
    const meter = h('div', {
      class: 'meter',
      role: 'meter',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': Math.round(pct),
      'aria-valuetext': `${Math.round(pct)}% of the ${isKeyCap ? 'key cap' : 'limit'} left`,
    }, fill);
    meter.setAttribute('aria-label', isKeyCap ? 'Key cap left' : 'Limit left');
    return h('div', { class: 'usage' }, meter, h('p', { class: 'meter-text' }, text));
  }
  if (a.usage !== null) return h('div', { class: 'usage' }, h('p', { class: 'meter-text' }, `${formatMoney(a.usage, a.currency)} used`));
  return null;
}

/** What the large figure is: the account's balance, or what is left of a limit. */
function amountLabel(a: AccountView): string {
  if (a.keyCapLeft !== undefined) return 'account balance';
  if (a.limit !== null) return 'left of the limit';
  return 'balance';
}

function etaText(eta: Eta): string {
  if (eta === null) return '—';
  if (eta === 'now') return 'reached';
  return `in ${formatDuration(eta.ms)}`;
}

function renderForecast(a: AccountView): HTMLElement {
  const f = a.forecast;
  const currency = f.currency ?? a.currency;
  const rows: [string, string, string?][] = [];
  if (!f.enoughData) {
    rows.push(['Burn rate', 'not enough data yet', 'Needs checks spanning at least an hour.']);
  } else if (f.burnPerDay !== null && f.burnPerDay > 0) {
    rows.push([f.basis === 'usage' ? 'Spend' : 'Burn rate', `${formatRate(f.burnPerDay, currency)} / day`, 'Over the last 7 days; top-ups excluded.']);
  } else {
    rows.push(['Burn rate', 'not burning', 'No spending in the last 7 days.']);
  }
  if (f.basis === 'balance' || f.balance !== null) {
    // Without a burn rate only "reached" is worth a row; dashes would just be noise.
    const estimating = f.burnPerDay !== null && f.burnPerDay > 0;
    const eta = (label: string, e: Eta, present: boolean) => {
      if (!present || (!estimating && e !== 'now')) return;
      const title = e && e !== 'now' ? formatDateTime(e.at) : undefined;
      rows.push([label, etaText(e), title]);
    };
    eta('Warning', f.untilWarning, a.thresholds.warning !== undefined);
    eta('Critical', f.untilCritical, a.thresholds.critical !== undefined);
    eta('Empty', f.untilZero, true);
  }
  const dl = h('dl', { class: 'forecast' });
  for (const [label, value, title] of rows) {
    const dd = h('dd', { class: value === 'reached' ? 'reached' : '' }, value);
    if (title) dd.title = title;
    dl.append(h('div', { class: 'forecast-row' }, h('dt', {}, label), dd));
  }
  return dl;
}

export function renderCard(a: AccountView, state: ViewState, range: Range): HTMLElement {
  const headingId = `acct-${a.id}`;
  const busy = state.busy.has(a.id) || state.busy.has(ALL);
  const amount = a.balance !== null
    ? h('span', { class: 'amount' }, formatMoney(a.balance, a.currency))
    : h('span', { class: 'amount none' }, a.status === null ? 'not checked yet' : 'no balance reported');
  const title = h('h3', { id: headingId }, a.label);
  title.title = a.label;
  const checked = a.checkedAt
    ? h('p', { class: 'checked' }, 'Checked ', timeEl(a.checkedAt, state.now), a.stale ? h('span', { class: 'stale' }, ' · last good numbers (the latest check failed)') : null)
    : h('p', { class: 'checked' }, 'Not checked yet');
  const chart = h('div', { class: 'chart', role: 'img', 'data-chart': a.id });
  if (a.chart.t.length === 0) chart.append(h('p', { class: 'chart-empty' }, `No history in the last ${RANGE_TEXT[range]} yet.`));
  // A key that was never set has no numbers yet: no empty forecast and chart between the
  // problem and its fix.
  const nothingYet = isKeyMissing(a) && a.chart.t.length === 0;
  return h('article', { class: `card level-${a.level}`, 'aria-labelledby': headingId, 'data-account-card': a.id },
    h('header', { class: 'card-head' },
      title,
      h('span', { class: `badge level-${a.level}` }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }), LEVEL_TEXT[a.level]),
    ),
    h('p', { class: 'provider' }, a.provider, a.status && a.status !== 'valid' ? ` · ${STATUS_TEXT[a.status]}` : ''),
    h('div', { class: 'balance' }, amount, a.balance !== null ? h('span', { class: 'currency' }, `${a.currency} ${amountLabel(a)}`) : null),
    usageMeter(a),
    checked,
    a.error ? h('p', { class: 'message error' }, h('span', { class: 'message-label' }, 'Error: '), a.error) : null,
    a.note ? h('p', { class: 'message note' }, a.note) : null,
    nothingYet ? null : renderForecast(a),
    nothingYet ? null : chart,
    a.readOnly ? h('p', { class: 'key-source' }, `Key from the environment${a.keyEnv ? ` (${a.keyEnv})` : ''}: change it there.`) : null,
    renderActions(a, busy),
  );
}

/** A missing or rejected key makes setting it the card's main action; environment keys are not ours to set. */
function renderActions(a: AccountView, busy: boolean): HTMLElement {
  const keyMissing = isKeyMissing(a);
  const keyFirst = !a.readOnly && (keyMissing || a.status === 'invalid');
  const check = button(busy ? 'Checking…' : 'Check now', 'check', { account: a.id, kind: keyFirst ? 'secondary' : 'primary', busy, ariaLabel: `Check ${a.label} now` });
  const key = a.readOnly ? null : button(keyMissing ? 'Set key' : 'Update key', 'updateKey', { account: a.id, kind: keyFirst ? 'primary' : 'secondary', ariaLabel: `${keyMissing ? 'Set' : 'Update'} the key of ${a.label}` });
  return h('div', { class: 'card-actions' },
    keyFirst ? [key, check] : [check, key],
    a.canAddFunds ? button('Add funds', 'addFunds', { account: a.id, title: "Open the provider's billing page", ariaLabel: `Add funds to ${a.label}` }) : null,
  );
}

function timeEl(iso: string, now: number): HTMLTimeElement {
  const t = h('time', { datetime: iso, 'data-ago': iso }, formatAgo(iso, now));
  t.title = formatDateTime(iso);
  return t;
}

export function renderEvents(events: readonly EventView[]): HTMLElement {
  const section = h('section', { class: 'events', 'aria-labelledby': 'events-heading' }, h('h2', { id: 'events-heading' }, 'Events'));
  if (events.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No notifications or errors yet.'));
    return section;
  }
  section.append(h('ol', { class: 'event-list' },
    events.map((e) => {
      const when = h('time', { datetime: new Date(e.t).toISOString() }, formatDateTime(e.t));
      return h('li', { class: `event level-${e.level}` },
        when,
        h('span', { class: `badge level-${e.level}` }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }), e.kind === 'notification' ? `Notified · ${LEVEL_TEXT[e.level]}` : 'Error'),
        h('span', { class: 'event-account' }, e.label),
        h('span', { class: 'event-message' }, e.message, e.channel ? h('span', { class: 'muted' }, ` (${e.channel})`) : null),
      );
    }),
  ));
  return section;
}

export function renderPanel(data: PanelData, state: ViewState): HTMLElement[] {
  const parts: HTMLElement[] = [renderToolbar(data.range, state, data.accounts.length > 0), renderSummary(data.summary)];
  if (data.accounts.length === 0) {
    parts.push(h('section', { class: 'empty' },
      h('p', {}, 'No accounts yet. Add an API key to start watching a balance.'),
      button('Add API Key', 'addAccount', { kind: 'primary' }),
    ));
  } else {
    parts.push(h('section', { class: 'cards', 'aria-label': 'Accounts' }, data.accounts.map((a) => renderCard(a, state, data.range))));
  }
  parts.push(renderEvents(data.events));
  return parts;
}
