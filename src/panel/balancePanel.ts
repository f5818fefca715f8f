// The "Show Balance History" panel, host side: one instance at most, restored after a reload by
// a WebviewPanelSerializer (revive), its webview rebuilt whenever it becomes visible again
// (retainContextWhenHidden is off), and fed through the protocol in ./protocol.ts.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { exportHistory } from './export';
import { panelHtml } from './html';
import {
  DEFAULT_RANGE, PanelStateSchema, WebviewMessageSchema,
  type Charts, type HostMessage, type Range, type WebviewMessage,
} from './protocol';
import { PANEL_VIEW_TYPE, type PanelModel } from './types';
import { t } from '../vscode/l10n';
import { spikeEventPrefixes } from '../core/spike';
import { buildPanelCards, buildPanelCharts, EMPTY_HISTORY, isHttpsUrl, type HistoryReader, type PanelBuild, type PanelInput } from './viewData';
import { COMMAND } from '../core/commandIds';

export { PANEL_VIEW_TYPE };

const TITLE = 'LLM Balance';

type PanelContext = Pick<vscode.ExtensionContext, 'extensionUri'>;

/** Webview options: scripts on, resources only from the bundle and media folders. */
export function panelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
    enableFindWidget: true,
  };
}

export interface PaintReport {
  marks: Record<string, number>;
  openedAt: number;
  reportedAt: number;
}

/** Cards served in the page, what they were built from, and their charts once built. */
interface PagedCards {
  input: PanelInput;
  built: PanelBuild;
  charts?: Charts;
}

export class BalancePanel {
  private static current: BalancePanel | undefined;
  private static readonly painted = new vscode.EventEmitter<PaintReport>();
  /** The timing marks each webview reports after its first paint (the benchmark listens). */
  static readonly onDidReportPaint = BalancePanel.painted.event;
  private readonly openedAt = Date.now();

  private readonly disposables: vscode.Disposable[] = [];
  /** True once the webview said `ready`; false again when it is hidden (and so destroyed). */
  private ready = false;
  private range: Range;
  private pushTimer: ReturnType<typeof setTimeout> | undefined;
  private pushing: Promise<void> = Promise.resolve();
  /** The history, read while the webview loads; taken by the next push. */
  private historyAhead: Promise<HistoryReader> | undefined;
  /**
   * The cards written into the page and what they were built from, while nothing has changed
   * since: a `ready` that says it painted them gets only their charts.
   */
  private embedded: PagedCards | undefined;
  /** Counts the model's changes, so a page built across one is not taken for current. */
  private changes = 0;
  private disposed = false;

  static get currentPanel(): BalancePanel | undefined {
    return BalancePanel.current;
  }

  /** Whether the webview has said `ready` since it was last (re)loaded. */
  get webviewReady(): boolean {
    return this.ready;
  }

  static createOrShow(context: PanelContext, model: PanelModel): BalancePanel {
    const column = vscode.window.activeTextEditor?.viewColumn;
    if (BalancePanel.current) {
      BalancePanel.current.panel.reveal(column);
      return BalancePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, TITLE, column ?? vscode.ViewColumn.One, panelWebviewOptions(context.extensionUri));
    BalancePanel.current = new BalancePanel(panel, context, model, DEFAULT_RANGE);
    return BalancePanel.current;
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, context: PanelContext, model: PanelModel, state: unknown): BalancePanel {
    BalancePanel.current?.dispose();
    const parsed = PanelStateSchema.safeParse(state ?? {});
    const range = (parsed.success ? parsed.data.range : undefined) ?? DEFAULT_RANGE;
    panel.webview.options = panelWebviewOptions(context.extensionUri);
    BalancePanel.current = new BalancePanel(panel, context, model, range);
    return BalancePanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: PanelContext,
    private readonly model: PanelModel,
    range: Range,
  ) {
    this.range = range;
    panel.iconPath = {
      light: vscode.Uri.joinPath(context.extensionUri, 'media', 'panel-light.svg'),
      dark: vscode.Uri.joinPath(context.extensionUri, 'media', 'panel-dark.svg'),
    };
    this.readHistoryAhead();
    void this.load();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden webview is destroyed; it says `ready` again when shown.
        if (!panel.visible) this.ready = false;
        else if (!this.ready) this.readHistoryAhead();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        void this.onMessage(raw);
      }),
      model.onDidChange(() => {
        this.changes++;
        this.embedded = undefined;
        this.historyAhead = undefined;
        this.schedulePush();
      }),
    );
  }

  /**
   * Serves the page with the cards in it, so that they are painted without waiting for a
   * message; without them (they could not be built) the page asks for them on `ready`.
   */
  private async load(): Promise<void> {
    const changes = this.changes;
    let embedded: PagedCards | undefined;
    try {
      const input = await this.input();
      embedded = { input, built: buildPanelCards(input) };
    } catch (e) {
      this.log(`the page goes out without its cards: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.disposed) return;
    this.embedded = changes === this.changes ? embedded : undefined;
    // Cards built while the model changed are not painted: the page asks for the current ones.
    this.panel.webview.html = this.html(this.embedded?.built.cards);
    // The charts are built while the page loads, so that they go out as soon as it is ready.
    if (!this.embedded) return;
    await new Promise((r) => setImmediate(r));
    const paged = this.embedded;
    if (!paged || paged.charts) return;
    try {
      paged.charts = buildPanelCharts(paged.input, paged.built);
    } catch (e) {
      this.log(`charts failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** What the cards and charts are built from: the model now, the history read ahead (or now). */
  private async input(): Promise<PanelInput> {
    const history = await (this.historyAhead ?? this.readHistory());
    this.historyAhead = undefined;
    return {
      results: this.model.results(),
      accounts: this.model.accounts(),
      history,
      billingUrl: (id) => this.model.billingUrl(id),
      range: this.range,
      now: Date.now(),
      t,
      ...(this.model.spendSpike ? { spendSpike: this.model.spendSpike(), spikeEventPrefixes: spikeEventPrefixes(t) } : {}),
    };
  }

  /** Starts reading the history now, so that it is there when the webview says `ready`. */
  private readHistoryAhead(): void {
    this.historyAhead = this.readHistory();
  }

  private async readHistory(): Promise<HistoryReader> {
    try {
      return await this.model.history();
    } catch (e) {
      this.log(`history unavailable: ${e instanceof Error ? e.message : String(e)}`);
      return EMPTY_HISTORY;
    }
  }

  dispose(): void {
    this.disposed = true;
    if (BalancePanel.current === this) BalancePanel.current = undefined;
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = undefined;
    this.ready = false;
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }

  private html(cards: PanelBuild['cards'] | undefined): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    return panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      ...(cards ? { cards } : {}),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      nonce: randomBytes(16).toString('base64'),
      lang: vscode.env.language,
      ...(vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {}),
    });
  }

  private log(message: string): void {
    this.model.log?.(`[panel] ${message}`);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = WebviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.log(`ignored an invalid message from the webview: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    try {
      await this.handle(parsed.data);
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      this.log(`${parsed.data.type} failed: ${text}`);
      void vscode.window.showErrorMessage(t('LLM Balance: {0}', text));
    }
  }

  private async handle(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'painted':
        // For the benchmark only: the panel's log is for what went wrong.
        BalancePanel.painted.fire({ marks: msg.marks, openedAt: this.openedAt, reportedAt: Date.now() });
        return;
      case 'ready': {
        this.ready = true;
        if (msg.range) this.range = msg.range;
        // The page's own cards are on screen and still current: only their charts are missing.
        const embedded = this.embedded;
        this.embedded = undefined;
        const current = embedded && msg.painted === embedded.built.cards.generatedAt && embedded.input.range === this.range;
        return this.push(current ? embedded : undefined);
      }
      case 'range':
        this.range = msg.range;
        return this.push();
      case 'check': {
        const accountId = msg.accountId ?? null;
        this.post({ type: 'busy', accountId, busy: true });
        try {
          // The model's onDidChange brings the new numbers. One card's check is quiet: the card
          // shows its progress and result, so it pops no progress or summary toast.
          if (msg.accountId) await vscode.commands.executeCommand(COMMAND.checkAccountQuietly, msg.accountId);
          else await vscode.commands.executeCommand(COMMAND.check);
        } finally {
          this.post({ type: 'busy', accountId, busy: false });
        }
        return;
      }
      case 'updateKey':
        await vscode.commands.executeCommand(COMMAND.updateKey, msg.accountId);
        return;
      case 'addAccount':
        await vscode.commands.executeCommand(COMMAND.addAccount);
        return;
      case 'addFunds': {
        const url = this.model.billingUrl(msg.accountId);
        if (!isHttpsUrl(url)) {
          this.log(`no https billing page for ${msg.accountId}; not opening ${JSON.stringify(url ?? null)}`);
          return;
        }
        await vscode.env.openExternal(vscode.Uri.parse(url, true));
        return;
      }
      case 'export':
        await exportHistory(this.model);
        return;
    }
  }

  /** Coalesces bursts of changes (several accounts finishing together) into one update. */
  private schedulePush(): void {
    if (this.pushTimer) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      void this.push();
    }, 150);
  }

  /**
   * Sends the whole view: the cards first, then the chart series in a second message, so that
   * the cards are on screen while the charts travel — or only the charts of cards the page
   * already painted. Pushes run one at a time so an older one never lands last.
   */
  private push(painted?: PagedCards): Promise<void> {
    const next = this.pushing.then(async () => {
      if (!this.ready || !this.panel.visible) return;
      if (painted?.charts) {
        this.post({ type: 'charts', charts: painted.charts });
        return;
      }
      let input: PanelInput;
      let built: PanelBuild;
      if (painted) {
        ({ input, built } = painted);
      } else {
        input = await this.input();
        built = buildPanelCards(input);
        this.post({ type: 'data', data: built.cards });
        // A turn of the event loop between the two, so the first message leaves first.
        await new Promise((r) => setImmediate(r));
        if (!this.ready) return;
      }
      this.post({ type: 'charts', charts: buildPanelCharts(input, built) });
    });
    this.pushing = next.catch((e: unknown) => this.log(`update failed: ${e instanceof Error ? e.message : String(e)}`));
    return this.pushing;
  }

  private post(msg: HostMessage): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(msg);
  }
}
