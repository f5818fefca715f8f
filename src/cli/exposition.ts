// Metrics out of the CLI: timed checks, the exposition text, and node_exporter's textfile.
import * as path from 'node:path';
import type { CheckScheduler, CheckedResult, CheckRunOptions } from '../core/checkScheduler';
import { writeFileAtomic } from '../core/fileStore';
import { renderMetrics, type ExpositionFormat, type MetricsInput } from '../core/metrics';
import type { Account } from '../core/model';

export const TEXTFILE_NAME = 'llm_balance.prom';

/**
 * Checks every account, timing each. Only answers made by this call count as checks: a result
 * served from the cache gets no duration (it would claim a check that took no time).
 */
export async function checkTimed(scheduler: CheckScheduler, accounts: readonly Account[], opts: CheckRunOptions): Promise<{ checked: CheckedResult[]; durations: Map<string, number> }> {
  const durations = new Map<string, number>();
  const checked = await Promise.all(
    accounts.map(async (a) => {
      // hrtime, not performance.now(): the global `performance` compiles perf_hooks' modules on first use.
      const t0 = process.hrtime.bigint();
      const c = await scheduler.checkOneReported(a, opts);
      if (c.fresh) durations.set(a.id, Number(process.hrtime.bigint() - t0) / 1e9);
      return c;
    }),
  );
  return { checked, durations };
}

export function metricsText(input: MetricsInput, format: ExpositionFormat): string {
  return renderMetrics(input, format);
}

/**
 * Writes DIR/llm_balance.prom atomically (writeFileAtomic: its temp file's name does not end in
 * .prom, so the collector never reads it half-written). World-readable, because node_exporter
 * runs as another user; the file holds no secret. Not synced: the next run writes it again, and
 * a sync cost each run 2–3 ms.
 */
export async function writeTextfile(dir: string, text: string): Promise<string> {
  const file = path.join(dir, TEXTFILE_NAME);
  // Never made here: a mistyped DIR is an error, not a new directory node_exporter never reads.
  await writeFileAtomic(file, text, { mode: 0o644, sync: false, makeDir: false });
  return file;
}
