// What every result's own texts must satisfy to be shown in zh-CN (SPEC §8): each note and error
// that carries messages renders back to its English exactly, every message id has a zh-CN entry
// with the same placeholders, and each message has as many parameters as its template asks for.
// checkVia (helpers.ts) runs it on every provider result the unit tests produce.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BalanceResult, SharedResult } from '../../src/core/model';
import { fromBundle } from '../../src/core/l10n';
import { renderMessages, type Message } from '../../src/core/message';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const ZH_BUNDLE: Readonly<Record<string, string>> = JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));
export const zhT = fromBundle(ZH_BUNDLE);

function placeholderIndexes(template: string): number[] {
  return [...new Set((template.match(/\{(\d+)\}/g) ?? []).map((p) => Number(p.slice(1, -1))))].sort((a, b) => a - b);
}

/** Every message in a tree, nested ones included. */
export function allMessages(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  const visit = (m: Message) => {
    out.push(m);
    for (const a of m.a ?? []) if (typeof a === 'object' && 'm' in a) visit(a);
  };
  messages.forEach(visit);
  return out;
}

/** Problems with one note's or error's messages; empty when they are fine. */
export function messageProblems(what: string, english: string | undefined, messages: readonly Message[] | undefined): string[] {
  if (!messages) return [];
  const out: string[] = [];
  if (english === undefined) return [`${what}: messages without an English text`];
  if (renderMessages(messages) !== english) out.push(`${what}: the messages say ${JSON.stringify(renderMessages(messages))}, the English ${JSON.stringify(english)}`);
  for (const m of allMessages(messages)) {
    const zh = ZH_BUNDLE[m.m];
    if (zh === undefined) out.push(`${what}: ${JSON.stringify(m.m)} has no zh-CN entry`);
    else if (placeholderIndexes(zh).join() !== placeholderIndexes(m.m).join()) out.push(`${what}: the zh-CN of ${JSON.stringify(m.m)} has other placeholders`);
    const wanted = placeholderIndexes(m.m);
    const expected = wanted.length ? wanted[wanted.length - 1]! + 1 : 0;
    if ((m.a?.length ?? 0) !== expected) out.push(`${what}: ${JSON.stringify(m.m)} has ${m.a?.length ?? 0} parameter(s), its template ${expected}`);
  }
  const zhText = renderMessages(messages, zhT);
  if (/\{\d+\}/.test(zhText)) out.push(`${what}: a placeholder is left in ${JSON.stringify(zhText)}`);
  return out;
}

/**
 * A result's texts are fit to translate: the messages match the English, and every note is our
 * text with messages (a note is never a provider's words alone; a team's shared results carry the
 * server's English, which the API gives without messages).
 */
export function assertTranslatable(r: BalanceResult | SharedResult, opts: { sharedFromServer?: boolean } = {}): void {
  // A shared result has no message ids (SharedResultSchema reads none).
  const { noteL10n, errorL10n } = r as BalanceResult;
  const problems = [
    ...messageProblems(`${r.accountId} note`, r.note, noteL10n),
    ...messageProblems(`${r.accountId} error`, r.error, errorL10n && [errorL10n]),
  ];
  if (r.note !== undefined && !noteL10n && !opts.sharedFromServer) problems.push(`${r.accountId}: the note ${JSON.stringify(r.note)} has no messages, so it would show in English`);
  assert.deepEqual(problems, []);
  if ('shared' in r && r.shared) for (const s of r.shared) assertTranslatable(s, { sharedFromServer: true });
}
