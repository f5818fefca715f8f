// Which of several windows polls (SPEC §5): a lease in a store they all share (globalState),
// renewed by a heartbeat. A holder that stops beating loses it after LEASE_STALE_MS; one that
// closes releases it at once. Two windows that claim at the same moment both write; after the
// writes have crossed, only the one whose record stuck holds it (`confirm`).
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from './kv';

export const LEASE_KEY = 'llmBalance.leader';
export const HEARTBEAT_MS = 15_000;
export const LEASE_STALE_MS = 45_000;
/** How long a claim is given to reach the other windows before it counts. */
export const CLAIM_SETTLE_MS = 500;

export interface PollerLeaseOptions {
  id?: string;
  now?: () => number;
  settleMs?: number;
}

export class PollerLease {
  readonly id: string;
  private readonly now: () => number;
  private readonly settleMs: number;
  private gains = 0;

  constructor(private readonly store: KeyValueStore, opts: PollerLeaseOptions = {}) {
    this.id = opts.id ?? randomUUID();
    this.now = opts.now ?? Date.now;
    this.settleMs = opts.settleMs ?? CLAIM_SETTLE_MS;
  }

  private record(): { id?: unknown; beat?: unknown } | undefined {
    const rec = this.store.get(LEASE_KEY);
    return rec && typeof rec === 'object' ? (rec as { id?: unknown; beat?: unknown }) : undefined;
  }

  /** Counts the times this window gained the lease: what it cached in one term may be stale in the next. */
  get term(): number {
    return this.gains;
  }

  /** Whether this window holds the lease, as the store says now. */
  held(): boolean {
    return this.record()?.id === this.id;
  }

  /**
   * Takes the lease when nobody holds it or its holder stopped beating, and renews it when this
   * window holds it. `gained`: this window did not hold it before the call.
   */
  claim(): { held: boolean; gained: boolean } {
    const rec = this.record();
    const now = this.now();
    // A beat from further ahead than one heartbeat is a clock that moved back: not alive.
    const alive = !!rec && typeof rec.beat === 'number' && now - rec.beat < LEASE_STALE_MS && rec.beat <= now + HEARTBEAT_MS;
    const ours = rec?.id === this.id;
    if (alive && !ours) return { held: false, gained: false };
    void this.store.update(LEASE_KEY, { id: this.id, beat: now });
    if (!ours) this.gains++;
    return { held: true, gained: !ours };
  }

  /** Claims, waits for other windows' claims to arrive, and says whether this one's stuck. */
  async confirm(): Promise<{ held: boolean; gained: boolean }> {
    const { held, gained } = this.claim();
    if (!held) return { held, gained };
    await new Promise((r) => setTimeout(r, this.settleMs));
    return { held: this.held(), gained };
  }

  /** Hands the lease over at once rather than after the heartbeat goes stale. */
  release(): void {
    if (this.held()) void this.store.update(LEASE_KEY, undefined);
  }
}
