// `history`: the recorded balances, streamed to stdout. Loaded by main.ts for this command only;
// it reads history.json and never loads the engine, the providers or undici.
import './zodJitless';
import * as path from 'node:path';
import { formatMoney } from '../core/format';
import { HistoryStore } from '../core/history';
import { term } from './table';
import { defaultStateDir, EXIT, UsageError } from './usage';

/** Writes to stdout in chunks, waiting when the pipe is full: a big history is never one string. */
class ChunkedOut {
  private parts: string[] = [];
  private size = 0;
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  }
}

export async function runHistory(hoursArg: string | undefined, flags: { json?: boolean; stateDir?: string }, env: NodeJS.ProcessEnv): Promise<number> {
  const hours = hoursArg === undefined ? 24 : Number(hoursArg);
  if (!Number.isFinite(hours) || hours <= 0) throw new UsageError(`HOURS must be a positive number, got "${hoursArg}".`);
  const stateDir = path.resolve(flags.stateDir ?? defaultStateDir(env));
  const history = new HistoryStore(path.join(stateDir, 'history.json'), { log: (m) => process.stderr.write(`llm-balance: ${term(m, 2000)}\n`) });
  await history.load();
  const since = Date.now() - hours * 3_600_000;
  const events = history.events().filter((e) => e.t >= since);
  const out = new ChunkedOut();
  // Built point by point, never as one object or one string (a 63 MB history once peaked at 1.4 GB).
  if (flags.json) {
    await out.write(`{\n  "hours": ${JSON.stringify(hours)},\n  "accounts": [`);
    let i = 0;
    for (const id of history.accounts()) {
      await out.write(`${i++ ? ',' : ''}\n    {\n      "accountId": ${JSON.stringify(id)},\n      "label": ${JSON.stringify(history.label(id) ?? id)},\n      "points": [`);
      let j = 0;
      for (const p of history.seriesView(id, since)) await out.write(`${j++ ? ',' : ''}\n        ${JSON.stringify({ time: new Date(p.t).toISOString(), ...p })}`);
      await out.write(`${j ? '\n      ' : ''}]\n    }`);
    }
    await out.write(`${i ? '\n  ' : ''}],\n  "events": [`);
    let k = 0;
    for (const e of events) await out.write(`${k++ ? ',' : ''}\n    ${JSON.stringify({ time: new Date(e.t).toISOString(), ...e })}`);
    await out.write(`${k ? '\n  ' : ''}]\n}\n`);
    await out.flush();
    return EXIT.ok;
  }
  await out.write(`History of the last ${hours} h (${term(stateDir, 2000)})\n`);
  let any = false;
  for (const id of history.accounts()) {
    const points = history.seriesView(id, since);
    if (points.length === 0) continue;
    any = true;
    await out.write(`\n${term(history.label(id) ?? id, 80)}\n`);
    for (const p of points) {
      await out.write(`  ${new Date(p.t).toISOString().replace('T', ' ').slice(0, 16)}Z  ${formatMoney(p.balance, p.currency).padStart(12)}  ${p.level}\n`);
    }
  }
  if (!any) await out.write('No history yet: run `llm-balance check` first.\n');
  if (events.length) {
    await out.write('\nEvents\n');
    for (const e of events) await out.write(`  ${new Date(e.t).toISOString().replace('T', ' ').slice(0, 16)}Z  ${e.kind}  ${term(e.message, 2000)}\n`);
  }
  await out.flush();
  return EXIT.ok;
}

