// The history file (SPEC §10) as one window sees it: the polling window keeps it loaded and
// writes it; the others read it afresh, since the poller may have written it meanwhile.
import type { HistoryStore } from '../core/history';
import type { BalanceResult, Level } from '../core/model';
import type { PollerLease } from '../core/pollerLease';
import { engine } from './engineLoader';
import type { Log } from './log';
import { settings } from './settings';
import { t } from './l10n';
import { errorText } from '../core/message';

export class WindowHistory {
  /** Loaded during this lease term; another window may have written the file before it. */
  private live: { store: HistoryStore; term: number } | undefined;

  constructor(
    readonly file: string,
    private readonly lease: PollerLease,
    private readonly log: Pick<Log, 'warn' | 'error'>,
  ) {}

  /** The poller's live history, or a fresh read of the file in other windows. */
  async open(): Promise<HistoryStore> {
    if (this.live && this.live.term === this.lease.term && this.lease.held()) return this.live.store;
    const h = new (engine().HistoryStore)(this.file, { retentionDays: settings.historyRetentionDays(), log: (m) => this.log.warn(m) });
    await h.load();
    if (this.lease.held()) this.live = { store: h, term: this.lease.term };
    return h;
  }

  /** Records a check's fresh results (the poller's only); true when the file was written. */
  async record(fresh: readonly BalanceResult[]): Promise<boolean> {
    if (fresh.length === 0 || !this.lease.held()) return false;
    try {
      const h = await this.open();
      h.record(fresh);
      for (const r of fresh) {
        // In the display language, as the notification events are (the panel's Events list shows both).
        if (r.error && r.level === 'error') h.addEvent({ t: Date.parse(r.checkedAt), accountId: r.accountId, label: r.label, kind: 'error', level: r.level, message: errorText(r, t)! });
      }
      await h.save();
      return true;
    } catch (e) {
      this.log.error(`Could not write history: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  async addNotification(r: BalanceResult, message: string, level: Level): Promise<void> {
    // Only the poller writes history (record above): another window's event would never be saved.
    if (!this.lease.held()) return;
    try {
      const h = await this.open();
      h.addEvent({ t: Date.now(), accountId: r.accountId, label: r.label, kind: 'notification', level, message, channel: 'vscode' });
      await h.save();
    } catch (e) {
      this.log.error(`Could not record the notification: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
