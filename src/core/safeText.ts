// Provider text is data, never markup (SPEC §3). A relay or a compromised provider controls
// every string it sends back; this is the one place that makes such text safe for each kind of
// sink: redacted first, then stripped of what the sink would interpret, then capped — in that
// order, so a cut never leaves a piece of a key behind.
import { redact } from './redact';

export type Sink =
  /** VS Code notifications: they render `[text](command:…)` as a link that runs the command. */
  | 'plain'
  /** The status bar tooltip (a MarkdownString with command links enabled). */
  | 'markdown'
  /** The CLI table and stderr: a terminal obeys ESC sequences (OSC 52 writes the clipboard). */
  | 'terminal'
  /** Where results are made (and so JSON, state files, alert payloads): redacted, no controls, capped. */
  | 'data';

/** How long a provider message may be where a result is made (error, note, detail strings). */
export const MAX_PROVIDER_TEXT = 500;
/** Whole toasts (our words around provider text). */
export const MAX_TOAST_TEXT = 1000;

/**
 * A first cut for code that builds a message without the secrets at hand (a provider adapter).
 * It lies far beyond MAX_PROVIDER_TEXT, so the final, redacted cut where the result is made
 * always falls before it: a key this cut splits never reaches a sink.
 */
export const PREVIEW_CHARS = 4 * MAX_PROVIDER_TEXT;

export function preview(text: string): string {
  return text.length <= PREVIEW_CHARS ? text : text.slice(0, PREVIEW_CHARS);
}

export interface SafeTextOptions {
  secrets?: readonly (string | undefined)[];
  /** Characters kept; default MAX_PROVIDER_TEXT. */
  max?: number;
}

// ESC-introduced sequences: CSI (ESC [ … final), OSC / DCS / SOS / PM / APC (… BEL or ST), and
// two-character escapes. C1 equivalents (U+009B CSI, U+009D OSC, …) likewise.
const OSC_LIKE = /(?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)/g;
const CSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?/g;
const ESC_OTHER = /\x1b[ -/]*[0-~]?/g;
// Every other C0 and C1 control (tab and newline become spaces first), DEL, and the bidi
// embeddings, overrides and isolates (U+202A–202E, U+2066–2069) plus the marks that reorder text.
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const LINE_BREAKS = /[\t\r\n\u2028\u2029\x0b\x0c\x85]+/g;

/** Removes terminal escape sequences, control characters and bidi controls; line breaks become spaces. */
export function stripControls(text: string): string {
  return text
    .replace(OSC_LIKE, '')
    .replace(CSI, '')
    .replace(ESC_OTHER, '')
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROLS, '')
    .replace(BIDI, '');
}

/**
 * Breaks Markdown link syntax so that no `[text](target)` survives for VS Code's notification
 * renderer (which links http(s):, command: and file: targets). The words stay readable.
 */
export function defuseLinks(text: string): string {
  let out = text;
  // Repeat: removing one pair must not join the halves of another.
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\]\s*\(/g, '] (').replace(/\[([^\]]*)\] \(/g, '‹$1› (');
  }
  return out;
}

/** Escapes text for Markdown (a tooltip table cell): every character Markdown gives meaning to, and HTML. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&$:]/g, (c) => `\\${c}`);
}

/** Cuts to `max` characters (not splitting a surrogate pair), with an ellipsis when cut. */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}

/** Provider text made safe for one sink: redacted, stripped or escaped for it, then capped. */
export function safeText(text: string, sink: Sink, opts: SafeTextOptions = {}): string {
  const max = opts.max ?? MAX_PROVIDER_TEXT;
  // A huge message is first cut to something redaction can scan quickly, with room on both
  // sides so that a key near the final cut is still seen whole; the final cut comes after.
  const scanned = text.length > max * 4 + 256 ? text.slice(0, max * 4 + 256) : text;
  let out = redact(scanned, opts.secrets ?? []);
  out = stripControls(out).replace(/ {2,}/g, ' ').trim();
  out = cap(out, max);
  // The cut may have split a mask or left a key pattern's head: redact once more (idempotent on masks).
  out = redact(out, opts.secrets ?? []);
  if (sink === 'plain') out = defuseLinks(out);
  if (sink === 'markdown') out = escapeMarkdown(out);
  return out;
}
