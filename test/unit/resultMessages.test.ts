// Our notes and check errors in zh-CN (SPEC §8): real checks over loopback HTTP against the fake
// providers, rendered as the extension renders them (statusView.noteText / message.errorText with
// the zh-CN bundle), with the English kept for the CLI and provider text kept as data.
import * as assert from 'node:assert/strict';
import { useFakeServer, checkVia, VALID_KEY, BAD_KEY, assertNoSecret } from './helpers';
import { messageProblems, zhT, ZH_BUNDLE } from './messageChecks';
import { english } from '../../src/core/l10n';
import { englishOnly, errorText, money, msg, renderMessage, renderMessages, withMatchingMessages } from '../../src/core/message';
import { formatMoney } from '../../src/core/format';
import { AccountSchema, BalanceResultSchema, type BalanceResult } from '../../src/core/model';
import { checkOver } from '../../src/core/check';
import { CheckScheduler, RESULT_PREFIX } from '../../src/core/checkScheduler';
import { checkUrlPolicy, HttpClient } from '../../src/core/http';
import { MemoryStore } from '../../src/core/kv';
import { noteText, statusView } from '../../src/core/statusView';
import { buildPanelCards, EMPTY_HISTORY } from '../../src/panel/viewData';
import { recordedTeamSnapshot } from '../fake/routes/team';
import { errorResult, safeResultText } from '../../src/core/errorResult';
import { expandTeamResults } from '../../src/core/providers/team';
import { MAX_PROVIDER_TEXT } from '../../src/core/safeText';
import { DEFAULT_THRESHOLD_SETTINGS } from '../../src/core/thresholds';

const ADMIN = 'sk-admin-test-0123456789abcdefADMIN';
/** Latin words of our English texts: none may be left in a zh-CN rendering (names, codes and fields may). */
const ENGLISH_WORDS = /\b(the|has|no|is|of|and|to|was|not|left|spent|since|key|rejected|balance|account)\b/i;

describe('notes and check errors in zh-CN', () => {
  const f = useFakeServer();

  it('a spend note: Chinese words around the same money and date the English has', async () => {
    f.server.route('GET', '/openai/v1/organization/costs', {
      body: { object: 'page', has_more: false, next_page: null, data: [{ results: [{ amount: { value: 1234.5, currency: 'usd' } }] }] },
    });
    const r = await checkVia(f.server, { provider: 'openai' }, '/openai/v1', { keys: { key: VALID_KEY, adminKey: ADMIN } });
    assert.match(r.note ?? '', /^Spent \$1,234\.50 since \d{4}-\d\d-01\. Set a monthlyBudget/);
    const zh = noteText(r, zhT)!;
    const day = /since (\d{4}-\d\d-01)/.exec(r.note!)![1]!;
    assert.ok(zh.startsWith(`自 ${day} 起已消费 ${formatMoney(1234.5, 'USD')}。`), zh);
    assert.ok(zh.includes('为该账户设置 monthlyBudget'), zh);
    assert.doesNotMatch(zh.replace(/monthlyBudget/g, ''), ENGLISH_WORDS);
    // The English is what it always was (the CLI, its JSON and the metrics read it), and the messages say just that.
    assert.equal(renderMessages(r.noteL10n!), r.note);
  });

  it('an account from the environment: the budget advice is left out and the hint is Chinese too', async () => {
    const r = await checkVia(f.server, { provider: 'openai' }, '/openai/v1');
    assert.match(r.note ?? '', /add an admin key and a monthlyBudget/);
    const zh = noteText(r, zhT, true)!;
    assert.ok(zh.startsWith('OpenAI 没有余额接口；添加管理员密钥以跟踪消费，或查看 https://platform.openai.com/'), zh);
    assert.ok(zh.endsWith(ZH_BUNDLE['A monthly budget can be set only on an account added with "Add API Key", not on one from the environment.']!), zh);
    assert.ok(!zh.includes('monthlyBudget'), zh);
    const en = noteText(r, english, true)!;
    assert.ok(en.startsWith('OpenAI has no balance API; add an admin key to track spend, or check https://platform.openai.com/'), en);
    assert.ok(en.endsWith('A monthly budget can be set only on an account added with "Add API Key", not on one from the environment.'), en);
    assert.ok(!en.includes('monthlyBudget'), en);
    // Without budget advice in it, an environment account's note is just translated.
    const plain = await checkVia(f.server, { provider: 'deepseek' }, '/deepseek');
    assert.equal(noteText(plain, zhT, true), '该账户还有：USD 0.00。');
  });

  it('a rejected key: the Chinese frame keeps the provider\'s own words as they are, escaped in the tooltip', async () => {
    f.server.route('GET', '/deepseek/user/balance', { status: 401, body: { error: { message: '<img src=x onerror=alert(1)> *Authentication Fails*' } } });
    const r = await checkVia(f.server, { provider: 'deepseek' }, '/deepseek', { keys: { key: BAD_KEY } });
    assert.equal(r.errorKind, 'auth');
    const host = new URL(f.server.url).host;
    assert.equal(errorText(r, zhT), `密钥被拒绝 — ${host} 返回 HTTP 401：<img src=x onerror=alert(1)> *Authentication Fails*`);
    assert.equal(renderMessage(r.errorL10n!), r.error);
    assert.equal(r.error, `The key was rejected — HTTP 401 from ${host}: <img src=x onerror=alert(1)> *Authentication Fails*`);
    const tip = statusView([r], { mode: 'lowest', checking: false, accountCount: 1, t: zhT }).tooltip;
    assert.ok(tip.includes('密钥被拒绝 — '), tip);
    assert.ok(!/[^\\]<img/.test(tip) && tip.includes('\\<img'), tip);
    assert.ok(tip.includes('\\*Authentication Fails\\*'), tip);
  });

  it('a provider message that echoes the key is redacted in the messages as in the English', async () => {
    f.server.route('GET', '/deepseek/user/balance', { status: 401, body: { error: { message: `invalid key ${BAD_KEY}` } } });
    const r = await checkVia(f.server, { provider: 'deepseek' }, '/deepseek', { keys: { key: BAD_KEY } });
    assert.ok(r.errorL10n, 'the error has its message');
    assertNoSecret(r, BAD_KEY);
    assert.ok(!errorText(r, zhT)!.includes(BAD_KEY));
  });

  it('a network failure and a timeout are ours to translate; a bad number says which field', async () => {
    const down = await checkVia(f.server, { provider: 'deepseek', baseUrl: 'http://127.0.0.1:9/deepseek' }, '');
    assert.equal(down.errorKind, 'network');
    assert.equal(errorText(down, zhT), '127.0.0.1:9 拒绝了连接。');
    f.server.route('GET', '/deepseek/user/balance', { body: { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: 'abc' }] } });
    const bad = await checkVia(f.server, { provider: 'deepseek' }, '/deepseek');
    assert.equal(errorText(bad, zhT), '字段“balance_infos[0].total_balance”不是数字：\"abc\"。');
  });

  it('the panel card shows the note in the display language', async () => {
    const r = await checkVia(f.server, { provider: 'deepseek' }, '/deepseek');
    const input = {
      results: [r],
      accounts: [{ account: { id: 'deepseek', provider: 'deepseek' as const }, thresholds: {} }],
      history: EMPTY_HISTORY,
      billingUrl: () => undefined,
      range: '7d' as const,
      now: Date.now(),
    };
    assert.equal(buildPanelCards({ ...input, t: zhT }).cards.accounts[0]!.note, '该账户还有：USD 0.00。');
    assert.equal(buildPanelCards(input).cards.accounts[0]!.note, 'Also on this account: USD 0.00.');
  });

  it("a team server's shared results are its data: shown in its English, message ids it sent along dropped; the team note is ours", async () => {
    const snapshot = recordedTeamSnapshot();
    const first = snapshot.accounts[0] as Record<string, unknown>;
    const sent = { ...first, note: 'This key has no limit.', noteL10n: [{ m: 'This key has no limit.' }], error: 'x', errorL10n: { m: 'x' } };
    // Message ids in a shape we never send are not read either: the account is not left out for them.
    const second = snapshot.accounts[1] as Record<string, unknown>;
    const odd = { ...second, noteL10n: 'x', errorL10n: 42 };
    f.server.route('GET', '/team/api/v1/balances', { body: { ...snapshot, accounts: [sent, odd, ...snapshot.accounts.slice(2)] } });
    const r = await checkVia(f.server, { provider: 'team' }, '/team');
    const shared = r.shared!.find((s) => s.accountId === first.accountId)!;
    assert.equal(shared.note, 'This key has no limit.');
    assert.equal((shared as Record<string, unknown>).noteL10n, undefined);
    assert.equal((shared as Record<string, unknown>).errorL10n, undefined);
    const oddShared = r.shared!.find((s) => s.accountId === second.accountId);
    assert.ok(oddShared, 'the account with odd message ids is still shown');
    assert.equal((oddShared as Record<string, unknown>).noteL10n, undefined);
    assert.equal(r.shared!.length, snapshot.accounts.length);
    assert.equal(noteText(shared, zhT), 'This key has no limit.');
    const n = snapshot.accounts.length;
    assert.ok(noteText(r, zhT)!.startsWith(`${n} 个共享账户，由团队服务器于 ${snapshot.checkedAt} 检查。`), noteText(r, zhT));
  });

  it("a team server that cannot be read: its members' note is capped like the team's own error, however long the server's words", () => {
    const ctx = { thresholds: DEFAULT_THRESHOLD_SETTINGS, now: () => new Date() };
    const said = 'x '.repeat(260);
    const team = errorResult({ id: 't', provider: 'team', baseUrl: 'https://team.example' }, { key: 'tok-123456789' }, { kind: 'auth', message: msg('The key was rejected — {0}', msg('HTTP {0} from {1}: {2}', 401, 'team.example', said)) }, ctx);
    team.shared = [{ accountId: 'm', provider: 'deepseek', label: 'M', status: 'valid', level: 'ok', balance: 5, currency: 'USD', usage: null, limit: null, checkedAt: new Date().toISOString() }];
    const member = expandTeamResults([team]).find((r) => r.accountId === 't/m')!;
    assert.ok(team.error!.length <= MAX_PROVIDER_TEXT && member.note!.length <= MAX_PROVIDER_TEXT, `${team.error!.length} / ${member.note!.length}`);
    assert.ok(member.note!.startsWith('The team server "Team" could not be read (The key was rejected'), member.note);
    assert.equal(member.noteL10n, undefined, 'a cut note shows its English');
    const short = { ...team, error: 'The key was rejected — HTTP 401 from team.example: revoked', errorL10n: msg('The key was rejected — {0}', msg('HTTP {0} from {1}: {2}', 401, 'team.example', 'revoked')) };
    const whole = expandTeamResults([short]).find((r) => r.accountId === 't/m')!;
    assert.equal(noteText(whole, zhT), '无法读取团队服务器“Team”（密钥被拒绝 — team.example 返回 HTTP 401：revoked）；以下是它最近一次的数据。');
  });

  it('messages that no longer say what the English says are dropped where the result comes in: the English shows in the tooltip and the panel', async () => {
    const http = new HttpClient({ timeoutMs: 2000, env: {} });
    try {
      const store = new MemoryStore();
      const scheduler = new CheckScheduler({ check: checkOver(http), store, cacheTtlMs: 60_000, keys: () => ({ key: VALID_KEY }) });
      const account = AccountSchema.parse({ id: 'ds', provider: 'deepseek', baseUrl: `${f.server.url}/deepseek` });
      const fresh = await scheduler.checkOne(account);
      const shown = (r: BalanceResult) => ({
        tooltip: statusView([r], { mode: 'lowest', checking: false, accountCount: 1, t: zhT }).tooltip,
        card: buildPanelCards({ results: [r], accounts: [{ account, thresholds: {} }], history: EMPTY_HISTORY, billingUrl: () => undefined, range: '7d', now: Date.now(), t: zhT }).cards.accounts[0]!,
      });
      // What this version stored renders back: it is translated.
      const cached = scheduler.last(account)!;
      assert.deepEqual(cached.noteL10n, fresh.noteL10n);
      assert.ok(shown(cached).tooltip.includes('该账户还有：USD 0\\.00。'), shown(cached).tooltip);
      // Another version stored other English beside the same messages (and an error): the English is what it says.
      const key = `${RESULT_PREFIX}ds`;
      const entry = store.get(key) as { result: BalanceResult };
      const error = msg('Provider error — {0}', msg('HTTP {0} from {1}: {2}', 500, 'b.example', 'boom'));
      await store.update(key, { ...entry, result: { ...entry.result, note: 'Something a later version wrote.', error: 'HTTP 500 from a.example: boom', errorL10n: error } });
      const other = scheduler.last(account)!;
      assert.equal(other.noteL10n, undefined);
      assert.equal(other.errorL10n, undefined);
      const { tooltip, card } = shown(other);
      assert.ok(tooltip.includes('HTTP 500 from a\\.example\\: boom'), tooltip);
      assert.deepEqual([card.note, card.error], ['Something a later version wrote.', 'HTTP 500 from a.example: boom']);
      // A check run answered from the cache gives the same.
      assert.equal((await scheduler.checkOne(account)).noteL10n, undefined);
    } finally {
      await http.close();
    }
  });

  it('a text cut after it was rendered keeps no messages: a check\'s notes and errors, the worker\'s own and a team\'s members show their English', () => {
    const ctx = { thresholds: DEFAULT_THRESHOLD_SETTINGS, now: () => new Date() };
    const account = { id: 'a', provider: 'deepseek' as const };
    const said = 'y'.repeat(MAX_PROVIDER_TEXT);
    // errorResult: check.ts's failures and the ones the check worker's main-thread side makes.
    const cut = errorResult(account, { key: VALID_KEY }, { kind: 'bad_response', message: msg('Could not read the answer from {0}: {1}', 'DeepSeek', said) }, ctx);
    assert.ok(cut.error!.endsWith('…') && cut.error!.length === MAX_PROVIDER_TEXT, cut.error);
    assert.equal(cut.errorL10n, undefined);
    const whole = errorResult(account, { key: VALID_KEY }, { kind: 'bad_response', message: msg('Could not read the answer from {0}: {1}', 'DeepSeek', 'timeout') }, ctx);
    assert.deepEqual(whole.errorL10n, msg('Could not read the answer from {0}: {1}', 'DeepSeek', 'timeout'));
    assert.equal(errorText(whole, zhT), '无法读取 DeepSeek 的响应：timeout');
    // safeResultText: every note and error a check makes, in this thread and in the worker.
    const note = safeResultText([msg('This key has no limit.'), msg('Key info unavailable: {0}', said)], [VALID_KEY]);
    assert.ok(note.text.endsWith('…') && note.text.length === MAX_PROVIDER_TEXT, note.text);
    assert.equal(note.l10n, undefined);
    assert.equal(noteText({ note: note.text }, zhT), note.text);
    assert.deepEqual(safeResultText([msg('This key has no limit.')], [VALID_KEY]), { text: 'This key has no limit.', l10n: [msg('This key has no limit.')] });
    assert.equal(withMatchingMessages(whole), whole, 'nothing to drop: the same result');
  });

  it("the add-key wizard's URL check answers in the display language", () => {
    assert.equal(checkUrlPolicy('http://example.com/v1', zhT), '拒绝通过明文 http 向 example.com 发送密钥：请使用 https（仅 localhost 允许 http）。');
    assert.equal(checkUrlPolicy('http://example.com/v1'), 'Refusing to send a key over plain http to example.com: use https (http is allowed only for localhost).');
    assert.equal(checkUrlPolicy('https://example.com/v1', zhT), undefined);
  });

  it('money in a parameter is shown as the UI shows money, in every language', () => {
    const m = msg('Available balance includes a credit line of {0} (cash {1}).', money(1234.5, 'USD'), money(0.001, 'USD'));
    assert.equal(renderMessage(m), 'Available balance includes a credit line of $1,234.50 (cash < $0.01).');
    assert.equal(renderMessage(m, zhT), '可用余额包含 $1,234.50 的信用额度（现金 < $0.01）。');
    assert.equal(renderMessages([msg('This key has no limit.'), msg('Checked again in {0} h.', 24)], zhT), '该密钥没有额度上限。24 小时后再次检查。');
    assert.equal(renderMessage(msg('Cash balance is negative ({0}): the account is in arrears.', money(-2, 'CNY')), zhT), '现金余额为负（-¥2.00）：该账户已欠费。');
    // @ts-expect-error the currency is required: a CNY amount that forgot it would be shown as dollars.
    const _forgotten = () => money(2);
  });

  it('the result schema validates the messages, and the CLI\'s copy has none', () => {
    const base: BalanceResult = {
      accountId: 'a', provider: 'deepseek', label: 'A', status: 'valid', level: 'ok', balance: 1, currency: 'USD', usage: null, limit: null,
      checkedAt: new Date().toISOString(), note: 'x', noteL10n: [msg('{0} and {1}', money(2, 'CNY'), msg('Nested {0}', 'data'))],
    };
    assert.ok(BalanceResultSchema.safeParse(base).success);
    for (const bad of [[{ m: 1 }], [{ m: 'x', a: [{}] }], [{ m: 'x', a: [[1]] }], [{ m: 'x'.repeat(2001) }], Array.from({ length: 21 }, () => ({ m: 'x' }))]) {
      assert.equal(BalanceResultSchema.safeParse({ ...base, noteL10n: bad }).success, false, JSON.stringify(bad).slice(0, 60));
    }
    assert.equal(BalanceResultSchema.safeParse({ ...base, errorL10n: { a: [] } }).success, false);
    const shared = { ...base, accountId: 's', errorL10n: msg('x'), error: 'x' };
    const plain = englishOnly({ ...base, shared: [shared] });
    assert.ok(!JSON.stringify(plain).includes('L10n'), JSON.stringify(plain));
    assert.equal(plain.note, 'x');
    assert.equal(plain.shared![0]!.error, 'x');
  });

  it('the checks find a missing translation, a missing parameter and messages that differ from the English', () => {
    assert.deepEqual(messageProblems('ok', 'This key has no limit.', [msg('This key has no limit.')]), []);
    const found = [
      ...messageProblems('a', 'Not in the bundle.', [msg('Not in the bundle.')]),
      ...messageProblems('b', 'Spent x since {1}.', [msg('Spent {0} since {1}.', 'x')]),
      ...messageProblems('c', 'Other English.', [msg('This key has no limit.')]),
    ];
    assert.equal(found.length, 4, found.join('\n'));
    for (const k of ['a: "Not in the bundle." has no zh-CN entry', 'b: "Spent {0} since {1}." has 1 parameter(s), its template 2', 'b: a placeholder is left', 'c: the messages say']) {
      assert.ok(found.some((p) => p.startsWith(k)), k);
    }
  });
});
