/*
 * Channel-independent neutralisation of attacker-influenced text, applied once
 * in the normaliser. Escaping for a markup language is the renderer's job; this
 * removes what no channel should show: control characters, and invisible or
 * direction-changing code points that can make text read differently from what
 * it is ("Trojan Source"). Those are replaced with their code point in
 * brackets ("[U+202E]"), so an analyst sees exactly which trick was tried.
 */

// C0 (except tab/newline) and C1 controls, DEL.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Zero-width and bidi controls: soft hyphen, Arabic letter mark, Mongolian vowel separator, ZWSP..RLM, LRE..RLO, word joiner.., LRI..PDI, BOM.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

// A zero-width joiner between two pictographs builds one emoji (👩‍💻); anywhere else it is a spoofing trick ("ad\u200Dmin").
const PICTOGRAPH_BEFORE = /\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?$/u;
const PICTOGRAPH_AFTER = /^\p{Extended_Pictographic}/u;

function joinsEmoji(text: string, offset: number): boolean {
  return (
    PICTOGRAPH_BEFORE.test(text.slice(Math.max(0, offset - 4), offset)) &&
    PICTOGRAPH_AFTER.test(text.slice(offset + 1, offset + 3))
  );
}

function showInvisible(ch: string, offset: number, text: string): string {
  if (ch === '\u200D' && joinsEmoji(text, offset)) return ch;
  return `[U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** Longest string kept from any one finding field; renderers truncate further per channel. */
export const MAX_FIELD_LENGTH = 2_000;

/**
 * Cleans one attacker-influenced value for display in any channel.
 * Keeps tabs and newlines (descriptions use them); CR becomes LF.
 */
export function cleanText(value: string, maxLength = MAX_FIELD_LENGTH): string {
  const cleaned = value.replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(INVISIBLE, showInvisible);
  return truncate(cleaned, maxLength);
}

/** Cleans a value that must stay on one line (headers, subjects, fact values). */
export function cleanLine(value: string, maxLength = MAX_FIELD_LENGTH): string {
  return cleanText(value.replace(/[\r\n\t]+/g, ' '), maxLength);
}

/**
 * Shortens text to at most `max` code units, ending with an ellipsis, without
 * splitting a surrogate pair.
 */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  if (max <= 1) return '…'.slice(0, max);
  let end = max - 1;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}…`;
}

/** Shortens text to at most `max` UTF-8 bytes (for limits counted in bytes), ending with an ellipsis. */
export function truncateBytes(value: string, max: number): string {
  if (Buffer.byteLength(value, 'utf8') <= max) return value;
  const budget = max - 3; // the ellipsis is 3 bytes in UTF-8
  let bytes = 0;
  let end = 0;
  for (const ch of value) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    end += ch.length;
  }
  return `${value.slice(0, end)}…`;
}
