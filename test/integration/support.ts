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
