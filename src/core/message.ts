// Our texts in a result (notes, check errors) as a message id and its parameters, beside the
// English the result carries as `note` / `error`: the CLI, its JSON and the metrics keep the
// English, and the extension renders the same message through vscode.l10n.t (SPEC §8).
// The id is the English template itself, as everywhere in this code base's l10n bundle.
import { formatMoney } from './format';
import { english, type Translate } from './l10n';
import { cap, MAX_PROVIDER_TEXT } from './safeText';

/** An amount of money: rendered as the UI renders money (formatMoney), in every language. */
export interface MoneyArg {
  readonly money: number;
  readonly currency: string;
}

/**
 * A parameter: a string is data (a provider's words, a host, a path) and is never translated;
 * a number is shown as it is; a Message is our text again, translated in its turn.
 */
export type MessageArg = string | number | MoneyArg | Message;

export interface Message {
  /** The English template with `{0}`, `{1}` placeholders: the l10n key. */
  readonly m: string;
  readonly a?: readonly MessageArg[];
}

/**
 * Our text with its parameters. The template must be a string literal: test/l10n/keys.ts
 * collects every `msg('…')` as a key that needs a zh-CN entry.
 */
export function msg(template: string, ...args: MessageArg[]): Message {
  return args.length ? { m: template, a: args } : { m: template };
}

/** `currency` is the amount's own (the result's, for an amount in it): required, so that none is shown beside the wrong money. */
export function money(amount: number, currency: string): MoneyArg {
  return { money: amount, currency };
}

function isMoney(a: MessageArg): a is MoneyArg {
  return typeof a === 'object' && 'money' in a;
}

/** A message in the language of `t` (English by default). */
export function renderMessage(message: Message, t: Translate = english): string {
  const args = (message.a ?? []).map((a) => (typeof a === 'string' || typeof a === 'number' ? a : isMoney(a) ? formatMoney(a.money, a.currency) : renderMessage(a, t)));
  return t(message.m, ...args);
}

/** Several sentences, each its own message, as one text (joinSentences). */
export function renderMessages(messages: readonly Message[], t: Translate = english): string {
  return joinSentences(messages.map((m) => renderMessage(m, t)));
}

/** Sentences as one text: spaced, but not after a full-width stop ("。", U+3000–303F, U+FF00–FFEF). */
export function joinSentences(sentences: readonly string[]): string {
  let text = sentences[0] ?? '';
  for (let i = 1; i < sentences.length; i++) {
    const last = text.charCodeAt(text.length - 1);
    text += (last >= 0x3000 && last <= 0x303f) || (last >= 0xff00 && last <= 0xffef) ? sentences[i] : ` ${sentences[i]}`;
  }
  return text;
}

/** The same message with every string parameter (the data in it) passed through `f`: redaction. */
export function mapMessageData(message: Message, f: (data: string) => string): Message {
  if (!message.a) return message;
  return { m: message.m, a: message.a.map((a) => (typeof a === 'string' ? f(a) : typeof a === 'number' || isMoney(a) ? a : mapMessageData(a, f))) };
}

/** What a thrown error says, as a message when it is one of ours (CheckError), else as data. */
export function messageOf(e: unknown): Message | string {
  if (e && typeof e === 'object' && 'l10n' in e && (e as { l10n?: Message }).l10n) return (e as { l10n: Message }).l10n;
  return e instanceof Error ? e.message : String(e);
}

/** A note or error text as `msg`'s parameter: our message stays translatable, anything else is data. */
export type TextArg = Message | string;

/**
 * A note's or error's text in the language of `t`: its messages, which say what its English says
 * (withMatchingMessages dropped any that did not where the result came in), else the English.
 * Capped like the English was.
 */
export function localized(englishText: string, messages: readonly Message[] | undefined, t: Translate): string {
  if (!messages || messages.length === 0 || t === english) return englishText;
  return cap(renderMessages(messages, t), MAX_PROVIDER_TEXT);
}

/** What takes a result's note and error: a BalanceResult, a team's shared result. */
export interface ResultTexts {
  note?: string | undefined;
  noteL10n?: readonly Message[] | undefined;
  error?: string | undefined;
  errorL10n?: Message | undefined;
}

export function errorText(r: ResultTexts, t: Translate): string | undefined {
  return r.error === undefined ? undefined : localized(r.error, r.errorL10n && [r.errorL10n], t);
}

/**
 * The result with only the messages that render back to its English: those of a result cached
 * by another version, or of a text cut after it was rendered, would translate something other
 * than what the English says, so the English is shown. Applied where a stored result comes in
 * (the scheduler's cache read); a text made now keeps its messages only when they render back
 * (safeResultText, a team's members' note). So the display only translates. The result itself
 * when nothing is dropped.
 */
export function withMatchingMessages<R extends ResultTexts>(r: R): R {
  const dropNote = r.noteL10n !== undefined && (r.note === undefined || renderMessages(r.noteL10n) !== r.note);
  const dropError = r.errorL10n !== undefined && (r.error === undefined || renderMessage(r.errorL10n) !== r.error);
  if (!dropNote && !dropError) return r;
  const out = { ...r };
  if (dropNote) delete out.noteL10n;
  if (dropError) delete out.errorL10n;
  return out;
}

/** A result as the CLI's JSON and a team server's API give it (SPEC §11): English, no message ids. */
export function englishOnly<R extends ResultTexts & { shared?: readonly ResultTexts[] | undefined }>(r: R): R {
  if (!r.noteL10n && !r.errorL10n && !r.shared) return r;
  const { noteL10n: _n, errorL10n: _e, ...rest } = r;
  const out = rest as R;
  if (r.shared) out.shared = r.shared.map((s) => englishOnly(s));
  return out;
}
