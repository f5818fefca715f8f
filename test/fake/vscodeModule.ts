// A `vscode` module for loading the production bundles on plain Node: enough of the API for
// activate() and a command without UI of its own, with the real API's shape where the bundles
// could depend on it — one object with about 300 names (like VS Code 1.100's) — and records of
// what the extension did with it. Installed over Node's module loader for `require('vscode')`.
import { Module } from 'node:module';
import * as path from 'node:path';

type Listener<T> = (e: T) => unknown;

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => void (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

const disposable = () => ({ dispose: () => undefined });
const noEvent = () => disposable();

export interface FakeVscode {
  /** The API object `require('vscode')` returns. */
  api: Record<string, unknown>;
  /** Command handlers by id, as registered. */
  commands: Map<string, (...args: unknown[]) => unknown>;
  /** Each time something listed the API object's names (esbuild's __toESM copies them all, per importing file). */
  namesListed: number;
  /** Calls of require('vscode'): VS Code's loader hook realpaths the caller's file on each. */
  requires: number;
  /** Every status bar item made, in order. */
  statusBarItems: { id: string }[];
  /** Every error message shown through vscode.window, in order. */
  errorMessages: string[];
  /** Undoes the module loader hook. */
  uninstall(): void;
}

/** `settings`: the user's settings as one tree ({ llmBalance: { budgetSteps: [...] } }), read by section and dotted key as VS Code does. */
export function installFakeVscode(settings: Record<string, unknown> = {}): FakeVscode {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const statusBarItems: { id: string }[] = [];
  const errorMessages: string[] = [];
  const lookup = (dotted: string): unknown =>
    dotted.split('.').filter(Boolean).reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), settings);
  const config = (section = '') => ({
    get: (key: string, def?: unknown) => lookup(`${section}.${key}`) ?? def,
    has: (key: string) => lookup(`${section}.${key}`) !== undefined,
    inspect: () => undefined,
    update: async () => undefined,
  });
  const namespaces: Record<string, unknown> = {
    version: '1.100.3',
    window: {
      createOutputChannel: () => ({ info() {}, warn() {}, error() {}, debug() {}, trace() {}, append() {}, appendLine() {}, show() {}, hide() {}, clear() {}, dispose() {} }),
      createStatusBarItem: (id: string) => {
        const item = { id, text: '', show() {}, hide() {}, dispose() {} };
        statusBarItems.push(item);
        return item;
      },
      registerWebviewPanelSerializer: disposable,
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async (m: string) => {
        errorMessages.push(m);
        return undefined;
      },
      showQuickPick: async () => undefined,
      showInputBox: async () => undefined,
      setStatusBarMessage: disposable,
      withProgress: async (_o: unknown, task: (p: unknown) => unknown) => task({ report() {} }),
    },
    workspace: { getConfiguration: config, onDidChangeConfiguration: noEvent },
    commands: {
      registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
        commands.set(id, fn);
        return { dispose: () => commands.delete(id) };
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)?.(...args),
    },
    l10n: { t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)])) },
    env: { language: 'en', appName: 'fake', openExternal: async () => true },
    EventEmitter,
    Disposable: class { constructor(private readonly f: () => void) {} dispose() { this.f(); } },
    Uri: {
      file: (p: string) => ({ scheme: 'file', fsPath: p, path: p }),
      joinPath: (u: { fsPath: string }, ...parts: string[]) => ({ scheme: 'file', fsPath: path.join(u.fsPath, ...parts), path: path.join(u.fsPath, ...parts) }),
    },
    ThemeColor: class { constructor(readonly id: string) {} },
    ThemeIcon: class { constructor(readonly id: string) {} },
    MarkdownString: class { isTrusted: unknown; constructor(readonly value = '', readonly supportThemeIcons = false) {} },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
  };
  // The rest of the real API's names (its classes and enums), so that listing them costs what it does in VS Code.
  const api: Record<string, unknown> = { ...namespaces };
  for (let i = Object.keys(api).length; i < 300; i++) api[`ApiType${i}`] = class {};
  const fake: FakeVscode = { api: {}, commands, namesListed: 0, requires: 0, statusBarItems, errorMessages, uninstall: () => undefined };
  fake.api = new Proxy(api, {
    ownKeys: (target) => {
      fake.namesListed++;
      return Reflect.ownKeys(target);
    },
  });
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request !== 'vscode') return load.call(this, request, ...rest);
    fake.requires++;
    return fake.api;
  };
  fake.uninstall = () => void (loader._load = load);
  return fake;
}

/** A Memento in memory. */
export function memento(): { get: (k: string, d?: unknown) => unknown; update: (k: string, v: unknown) => Promise<void>; keys: () => string[]; setKeysForSync: () => void } {
  const m = new Map<string, unknown>();
  return {
    get: (k, d) => (m.has(k) ? m.get(k) : d),
    update: async (k, v) => void (v === undefined ? m.delete(k) : m.set(k, v)),
    keys: () => [...m.keys()],
    setKeysForSync: () => undefined,
  };
}
