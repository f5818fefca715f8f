// The extension's alert path on plain Node: the production dist/extension.js with a fake `vscode`
// module, its real Notifier, ledger (globalState) and AlertChannels (dist/commands.js), sending
// over real HTTP on loopback to a fake Telegram Bot API, a Slack and a generic webhook. A budget
// step and a spend spike reach every channel that is on, once; and a check that finds an account
// without its key on this machine puts one toast on screen, not two.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { COMMAND } from '../../src/core/commandIds';
import type { BalanceResult } from '../../src/core/model';
import type { TestApi } from '../../src/extension';
import type { Ui } from '../../src/vscode/ui';
import { FakeProviderServer } from '../fake/server';
import { installFakeVscode, memento, type FakeVscode } from '../fake/vscodeModule';
import { BOT_TOKEN, CHAT_ID, FakeTelegram } from './alerts/fakes';

const root = path.resolve(__dirname, '../../..');
const HOUR = 3_600_000;
const SLACK_PATH = '/services/T0001/B0001/extension-steps-secret';
const HOOK_PATH = '/hook/extension-steps-secret';
/** src/vscode/notifier.ts ALERTS_STARTED_KEY: set, so two accounts alerting at once are two toasts. */
const ALERTS_STARTED_KEY = 'llmBalance.alertsStarted';

interface Toast {
  kind: 'info' | 'warning' | 'error';
  message: string;
  items: string[];
}

class RecordingUi implements Ui {
  readonly toasts: Toast[] = [];
  showQuickPick<T extends vscode.QuickPickItem>(): Thenable<T | undefined> {
    return Promise.resolve(undefined);
  }
  showInputBox(): Thenable<string | undefined> {
    return Promise.resolve(undefined);
  }
  showInformationMessage(message: string, ...items: string[]): Thenable<string | undefined> {
    this.toasts.push({ kind: 'info', message, items });
    return Promise.resolve(undefined);
  }
  showWarningMessage(message: string, ...items: string[]): Thenable<string | undefined> {
    this.toasts.push({ kind: 'warning', message, items });
    return Promise.resolve(undefined);
  }
  showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined> {
    this.toasts.push({ kind: 'error', message, items });
    return Promise.resolve(undefined);
  }
  showModalWarning(message: string): Thenable<string | undefined> {
    return this.showWarningMessage(message);
  }
  setStatusBarMessage(): void {}
}

function keyCap(remaining: number, at: number): BalanceResult {
  return {
    accountId: 'busy', provider: 'openrouter', label: 'OpenRouter (team)', status: 'valid', level: 'ok', balance: remaining, currency: 'USD',
    usage: 100 - remaining, limit: 100, checkedAt: new Date(at).toISOString(), details: { limit_remaining: remaining, key_limit_reset: 'monthly' },
  };
}

function balance(accountId: string, value: number, at: number): BalanceResult {
  return {
    accountId, provider: 'openrouter', label: 'OpenRouter', status: 'valid', level: 'ok', balance: value, currency: 'USD',
    usage: null, limit: null, checkedAt: new Date(at).toISOString(),
  };
}

describe('extension: alerts through the real notifier (dist/extension.js on a fake vscode)', function () {
  this.timeout(120_000);
  const telegram = new FakeTelegram();
  const hooks = new FakeProviderServer([]);
  let work: string;
  let dist: string;
  let fake: FakeVscode;
  let testing: TestApi;
  let ui: RecordingUi;
  const subscriptions: { dispose(): unknown }[] = [];
  const globalState = memento();
  const secrets = new Map<string, string>();
  const payloads = (p: string) => hooks.hits(p).map((h) => JSON.parse(h.body) as Record<string, unknown>);

  before(async () => {
    await Promise.all([telegram.start(), hooks.start()]);
    hooks.route('POST', SLACK_PATH, { body: 'ok' });
    hooks.route('POST', HOOK_PATH, { status: 204 });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'llmb-extension-alerts-'));
    dist = path.join(work, 'dist');
    execFileSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${dist}`], { cwd: root, stdio: 'pipe' });
    fake = installFakeVscode({
      llmBalance: {
        // An account whose key is not on this machine (Settings Sync brought only the setting).
        accounts: [{ id: 'nokey', provider: 'deepseek', label: 'DeepSeek (synced)' }],
        budgetSteps: [50, 80],
        channels: { telegram: { enabled: true, chatId: CHAT_ID, apiBase: telegram.url }, slack: { enabled: true }, webhook: { enabled: true } },
      },
    });
    secrets.set('llmBalance.channel.telegram.botToken', BOT_TOKEN);
    secrets.set('llmBalance.channel.slack.webhookUrl', hooks.url + SLACK_PATH);
    secrets.set('llmBalance.channel.webhook.url', hooks.url + HOOK_PATH);
    const context = {
      subscriptions, globalState, workspaceState: memento(),
      secrets: { get: async (k: string) => secrets.get(k), store: async (k: string, v: string) => void secrets.set(k, v), delete: async (k: string) => void secrets.delete(k), onDidChange: () => ({ dispose() {} }) },
      globalStorageUri: { scheme: 'file', fsPath: path.join(work, 'storage'), path: path.join(work, 'storage') },
      extensionUri: { scheme: 'file', fsPath: work, path: work }, extensionPath: work,
      extensionMode: 3, extension: { id: 'llmbalance.llm-balance' },
    } as unknown as vscode.ExtensionContext;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(path.join(dist, 'extension.js')) as typeof import('../../src/extension');
    testing = extension.activate(context).testing!;
    ui = new RecordingUi();
    testing.uiHolder.current = ui;
    await globalState.update(ALERTS_STARTED_KEY, new Date().toISOString());
    // The monitor starts on the next turn (its first poll is 1.5 s later).
    await new Promise((r) => setTimeout(r, 20));
  });

  after(async () => {
    for (const s of subscriptions.reverse()) await s.dispose();
    fake?.uninstall();
    for (const f of Object.keys(require.cache)) if (dist && f.startsWith(dist + path.sep)) delete require.cache[f];
    await Promise.all([telegram.stop(), hooks.stop()]);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('"Check LLM Balance" on an account without its key: one toast, the one that offers to set the key', async () => {
    const results = (await fake.commands.get(COMMAND.check)!()) as BalanceResult[];
    assert.deepEqual(results.map((r) => [r.accountId, r.level, r.errorKind]), [['nokey', 'error', 'config']]);
    assert.deepEqual(ui.toasts, [{
      kind: 'warning',
      message: 'LLM Balance: no API key is stored on this machine for "DeepSeek (synced)". Set it to start checking.',
      items: ['Set Key'],
    }]);
    // Within the day the prompt is not repeated; the command's own toast then says it, still once.
    ui.toasts.length = 0;
    await fake.commands.get(COMMAND.check)!();
    assert.equal(ui.toasts.length, 1, JSON.stringify(ui.toasts));
    assert.match(ui.toasts[0]!.message, /DeepSeek \(synced\): No API key is stored for "DeepSeek \(synced\)" \(key missing\)\./);
    assert.deepEqual(ui.toasts[0]!.items, ['Set Key', 'Show Log', 'Open Panel']);
    testing.monitor.dispose();
  });

  it('a budget step and a spend spike: a toast each and one message on each channel; again within the cooldown, nothing', async () => {
    ui.toasts.length = 0;
    const now = Date.now();
    // Seven days of $1 an hour, then $42.10 gone in the last 70 minutes.
    const h = await testing.history.open();
    const points: BalanceResult[] = [];
    for (let k = 7 * 24; k >= 0; k--) points.push(balance('spiky', Math.round((116.85 + k) * 100) / 100, now - 70 * 60_000 - k * HOUR));
    const spiky = balance('spiky', 74.75, now);
    h.record([...points, spiky]);
    // Written: with the monitor stopped, this window holds no poller lease and reads the file afresh.
    await h.save();

    await testing.notifier.handle([keyCap(15, now), spiky]);
    await testing.channels.idle();
    const step = 'BUDGET: OpenRouter (team) passed 80% of its $100.00 monthly limit — $85.00 used, $15.00 left.';
    const spike = 'UNUSUAL SPEND: OpenRouter dropped $42.10 in the last hour — 42× its usual. Check for a leaked key.';
    assert.deepEqual(ui.toasts.map((x) => [x.kind, x.message]), [['info', step], ['warning', spike]]);
    assert.deepEqual(payloads(HOOK_PATH).map((p) => [p.kind, p.account, p.level, p.message]), [['step', 'busy', 'info', step], ['spike', 'spiky', 'warning', spike]]);
    assert.deepEqual(payloads(SLACK_PATH).map((p) => p.text), [step, spike]);
    assert.deepEqual(telegram.messages.map((m) => m.text.split('\n')[0]), ['🔵 *BUDGET: OpenRouter \\(team\\) passed 80% of its monthly limit*', '🟠 *UNUSUAL SPEND: OpenRouter*']);
    assert.ok(globalState.get('llmBalance.notified.busy.step.80') && globalState.get('llmBalance.notified.spiky.spike'), 'recorded where SPEC §7 says');

    // A minute later, the same numbers: the ledger holds both back, in VS Code and in the channels.
    const later = balance('spiky', 74.75, now + 60_000);
    h.record([later]);
    await h.save();
    await testing.notifier.handle([keyCap(15, now + 60_000), later]);
    await testing.channels.idle();
    assert.equal(ui.toasts.length, 2);
    assert.equal(telegram.calls, 2);
    assert.equal(hooks.hits(HOOK_PATH).length + hooks.hits(SLACK_PATH).length, 4);
    // No channel secret was written anywhere the extension keeps state.
    const kept = JSON.stringify(globalState.keys().map((k) => [k, globalState.get(k)]));
    for (const s of [BOT_TOKEN, BOT_TOKEN.split(':')[1]!, SLACK_PATH, HOOK_PATH]) assert.ok(!kept.includes(s), 'a channel secret in globalState');
  });
});
