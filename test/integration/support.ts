// Shared pieces of the integration suite: the extension's test API, scripted answers for
// quick picks and input boxes, the fake provider server, and settings helpers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Notifier, ShownNotification } from '../../src/vscode/notifier';
import type { Ui } from '../../src/vscode/ui';
import { FakeProviderServer } from '../fake/server';

export const EXTENSION_ID = 'llmbalance.llm-balance';
export const KEY = 'sk-test-integration-0123456789abcdef';

export async function api(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<{ testing?: TestApi }>(EXTENSION_ID);
  assert.ok(ext, 'extension not loaded');
  const api = await ext.activate();
  assert.ok(api.testing, 'the test API is only there outside production mode');
  if (!logged) {
    const lines: string[] = [];
    api.testing.log.onDidWrite((line) => {
      lines.push(line);
      if (lines.length > 500) lines.shift();
    });
    logged = lines;
  }
  return api.testing;
}

/** The log's latest 500 lines since the suite first asked for the test API (the log itself keeps none). */
let logged: string[] | undefined;
export function logLines(): readonly string[] {
  assert.ok(logged, 'call api() first');
  return logged;
}

/** The notifications a notifier shows from now on, as its event tells them. */
export class NotificationSpy implements vscode.Disposable {
  readonly shown: ShownNotification[] = [];
  private readonly sub: vscode.Disposable;
  constructor(notifier: Notifier) {
    this.sub = notifier.onDidNotify((n) => this.shown.push(n));
  }
  dispose(): void {
    this.sub.dispose();
  }
}

export interface Shown {
  kind: 'info' | 'warning' | 'error' | 'modal' | 'status';
  message: string;
  items: string[];
  /** A modal's detail text. */
  detail?: string;
}

/** Answers prompts from a script and records every message. */
export class ScriptedUi implements Ui {
  readonly shown: Shown[] = [];
  readonly inputs: vscode.InputBoxOptions[] = [];
  /** The options of every quick pick shown (titles, placeholders). */
  readonly pickOptions: vscode.QuickPickOptions[] = [];
  picks: ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined)[] = [];
  /** An answer, or a function of the box's options (e.g. keep its proposed value). */
  answers: (string | undefined | ((options: vscode.InputBoxOptions) => string | undefined))[] = [];
  /** Button to press for a message matching the pattern. */
  buttons: [RegExp, string][] = [];
  /** Answers to modal dialogs, in order (undefined = Cancel); when empty, `buttons` decide. */
  modalAnswers: (string | undefined)[] = [];

  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options?: vscode.QuickPickOptions): Thenable<T | undefined> {
    if (options) this.pickOptions.push(options);
    const next = this.picks.shift();
    assert.ok(next, `unexpected quick pick: ${items.map((i) => i.label).join(', ')}`);
    return Promise.resolve(next(items) as T | undefined);
  }
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined> {
    this.inputs.push(options);
    assert.ok(this.answers.length > 0, `unexpected input box: ${options.title}`);
    const next = this.answers.shift();
    const a = typeof next === 'function' ? next(options) : next;
    if (a !== undefined && options.validateInput) {
      const problem = options.validateInput(a);
      assert.ok(!problem || typeof problem !== 'string', `scripted answer "${a}" failed validation: ${String(problem)}`);
    }
    return Promise.resolve(a);
  }
  private msg(kind: Shown['kind'], message: string, items: string[], detail?: string): Thenable<string | undefined> {
    this.shown.push({ kind, message, items, ...(detail !== undefined ? { detail } : {}) });
    const b = this.buttons.find(([re]) => re.test(message));
    return Promise.resolve(b?.[1]);
  }
  showInformationMessage(m: string, ...items: string[]) {
    return this.msg('info', m, items);
  }
  showWarningMessage(m: string, ...items: string[]) {
    return this.msg('warning', m, items);
  }
  showErrorMessage(m: string, ...items: string[]) {
    return this.msg('error', m, items);
  }
  showModalWarning(m: string, detail: string, ...items: string[]) {
    if (this.modalAnswers.length) {
      this.shown.push({ kind: 'modal', message: m, items, detail });
      return Promise.resolve(this.modalAnswers.shift());
    }
    return this.msg('modal', m, items, detail);
  }
  setStatusBarMessage(m: string) {
    void this.msg('status', m, []);
  }
}

export const byLabel = (label: string) => (items: readonly vscode.QuickPickItem[]) => {
  const it = items.find((i) => i.label === label);
  assert.ok(it, `no item "${label}" in ${items.map((i) => i.label).join(', ')}`);
  return it;
};

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('llmBalance').update(key, value, vscode.ConfigurationTarget.Global);
}

export function startFake(): { server: FakeProviderServer } {
  const ctx = { server: new FakeProviderServer() };
  before(async () => {
    await ctx.server.start();
  });
  after(async () => {
    await ctx.server.stop();
  });
  return ctx;
}

/** The extension's test API and the ScriptedUi now behind its ui() seam. */
export interface ExtensionUnderTest {
  t: TestApi;
  ui: ScriptedUi;
}

/**
 * The suite's hooks for the extension under test against the fake providers (startFake): its
 * test API before the suite, then before each test the fake server's routes and hits reset,
 * (unless `resetNotifications` is false) "Reset Notification State" run, and a fresh ScriptedUi
 * behind the ui() seam, so that a test starts with nothing shown. `use` receives the API and the
 * new ScriptedUi each time, for the suite's own `t` and `ui`. Registered first, these run before
 * the suite's own hooks. Returns the fake server.
 */
export function useExtension(use: (x: ExtensionUnderTest) => void, opts: { resetNotifications?: boolean } = {}): { server: FakeProviderServer } {
  const fake = startFake();
  let t: TestApi;
  const freshUi = () => {
    const ui = new ScriptedUi();
    t.uiHolder.current = ui;
    use({ t, ui });
  };
  before(async () => {
    t = await api();
    freshUi();
  });
  beforeEach(async () => {
    fake.server.reset();
    if (opts.resetNotifications !== false) await vscode.commands.executeCommand('llmBalance.resetNotifications');
    freshUi();
  });
  return fake;
}

/** The fake OpenRouter's path prefix, for an account's baseUrl. */
export const OPENROUTER = '/openrouter/api/v1';

/** The fake OpenRouter's /credits answers `total` credits of which `used` are used. */
export function routeCredits(fake: { server: FakeProviderServer }, total: number, used: number): void {
  fake.server.route('GET', `${OPENROUTER}/credits`, { body: { data: { total_credits: total, total_usage: used } } });
}

/** The theme colour id behind the status bar item (warning / error background), if any. */
export function statusBackground(t: TestApi): string | undefined {
  return (t.statusBar.item.backgroundColor as unknown as { id?: string } | undefined)?.id;
}

/**
 * Runs `fn` with DeepSeek's key (KEY) and base URL (the fake's) in the environment and
 * `useEnvironmentKeys` on, once `clearAccounts` has emptied the settings accounts and the
 * account env-deepseek is there; then takes the variables and the setting away again.
 */
export async function withEnvironmentDeepSeek(fake: { server: FakeProviderServer }, t: TestApi, clearAccounts: () => Promise<void>, fn: () => Promise<void>): Promise<void> {
  process.env.DEEPSEEK_API_KEY = KEY;
  process.env.DEEPSEEK_BASE_URL = `${fake.server.url}/deepseek`;
  try {
    await clearAccounts();
    await setSetting('useEnvironmentKeys', true);
    await until(() => t.monitor.accounts.some((a) => a.account.id === 'env-deepseek'), 'env account');
    await fn();
  } finally {
    delete process.env.DEEPSEEK_API_KEY;
    delete process.env.DEEPSEEK_BASE_URL;
    await setSetting('useEnvironmentKeys', undefined);
  }
}

/** Waits until the predicate holds (settings and secrets events are asynchronous). */
export async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Everything the extension persisted outside SecretStorage, as text. */
export function persistedText(t: TestApi): string {
  const cfg = vscode.workspace.getConfiguration('llmBalance');
  const state = t.globalState;
  const stateText = JSON.stringify(state.keys().map((k) => [k, state.get(k)]));
  return JSON.stringify(cfg.get('accounts')) + stateText + logLines().join('\n');
}
