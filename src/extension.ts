// What VS Code loads and calls at activation (dist/extension.js), and nothing more: every
// command id and the panel's serializer are registered at once, as VS Code needs them, and the
// extension itself (dist/extension-main.js, src/extensionMain.ts: services, status bar, command
// handlers) loads on the next turn (issue 14: its ~37 KB were most of what activation cost above
// a floor extension with one status bar item). A command run, a panel restored or the test API
// read before that turn loads it then, synchronously: nothing waits or is missed.
import * as vscode from 'vscode';
import { COMMAND } from './core/commandIds';
import { t } from './vscode/l10n';
import type * as Main from './extensionMain';

export type { TestApi } from './extensionMain';

export function activate(context: vscode.ExtensionContext): { testing?: Main.TestApi } {
  const t0 = performance.now();
  let started: Main.Started | undefined;
  let failure: Error | undefined;
  const start = (): Main.Started => {
    if (started) return started;
    // A start that failed is not tried again by each command: it could leave half a window
    // (an output channel, a poller) behind every time. Each command says the same failure.
    if (failure) throw failure;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require('./extension-main.js') as typeof Main;
      return (started = main.start(context, activationMs));
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
      throw failure;
    }
  };
  for (const id of Object.values(COMMAND)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => start().commands[id](...args)));
  }
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer('llmBalance.panel', {
      deserializeWebviewPanel: async (panel, state) => start().revive(panel, state),
    }),
  );
  const first = setTimeout(() => {
    try {
      start();
    } catch (e) {
      // Our own log is what failed to start: the extension host's log has the stack.
      console.error('LLM Balance could not start:', e);
      void vscode.window.showErrorMessage(t('LLM Balance: could not start. The details are in the Extension Host log.'));
    }
  }, 0);
  // Not after the window closed in between: its disposables are gone.
  context.subscriptions.push({ dispose: () => clearTimeout(first) });
  const activationMs = performance.now() - t0;
  if (context.extensionMode === vscode.ExtensionMode.Production) return {};
  return {
    get testing() {
      return start().testing;
    },
  };
}

export function deactivate(): void {
  // Disposables in context.subscriptions hand over the poller role and stop the timers.
}
