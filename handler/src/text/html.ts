/*
 * HTML escaping for attacker-influenced text shown in HTML email and in Google
 * Chat cards (whose text widgets accept a small HTML subset). Every value from
 * a finding goes through one of these; only our own markup is ever raw.
 */

/** Entities for text and double- or single-quoted attribute values. */
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** As {@link HTML_ENTITIES}, plus line breaks as `<br>` (multi-line text such as descriptions). */
const HTML_LINE_ENTITIES: Readonly<Record<string, string>> = { ...HTML_ENTITIES, '\n': '<br>' };

const ELLIPSIS = '…';

const PATTERNS = new WeakMap<Readonly<Record<string, string>>, RegExp>();

/** A global regex matching any single character of an entity table (built once per table). */
function entityPattern(entities: Readonly<Record<string, string>>): RegExp {
  let pattern = PATTERNS.get(entities);
  if (!pattern) {
    const chars = Object.keys(entities).map((ch) => ch.replace(/[\\\]^-]/g, '\\$&'));
    pattern = new RegExp(`[${chars.join('')}]`, 'g');
    PATTERNS.set(entities, pattern);
  }
  return pattern;
}

/**
 * Escapes `value` with an entity table and shortens the *escaped* result to at
 * most `max` UTF-16 code units, ending with an ellipsis. Cuts only between
 * whole characters and whole entities, so the output is never a broken entity
 * or a lone surrogate. Used for every limit that is counted after escaping.
 *
 * @example escapeWithin('a<b', 5, { '<': '&lt;' }) // 'a…' (the entity would not fit whole)
 */
export function escapeWithin(value: string, max: number, entities: Readonly<Record<string, string>>): string {
  if (max <= 0) return '';
  // Escaping never shortens text, so characters past `max` can never be shown.
  const head = value.length > max ? value.slice(0, max + 1) : value;
  if (head.length === value.length) {
    // Most values fit once escaped: one regex pass instead of a piece per character.
    const escaped = head.replace(entityPattern(entities), (ch) => entities[ch] ?? ch);
    if (escaped.length <= max) return escaped;
  }
  const pieces: string[] = [];
  let length = 0;
  for (const ch of head) {
    const piece = entities[ch] ?? ch;
    pieces.push(piece);
    length += piece.length;
  }
  if (length <= max && head.length === value.length) return pieces.join('');
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - ELLIPSIS.length) break;
    out += piece;
  }
  return `${out}${ELLIPSIS}`;
}

/**
 * Escapes text for HTML element content or a quoted attribute value.
 *
 * @example escapeHtml('<script>') // '&lt;script&gt;'
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? ch);
}

/**
 * Escapes one-line text for HTML, at most `max` characters after escaping.
 *
 * @example htmlWithin(finding.title, 200)
 */
export function htmlWithin(value: string, max: number): string {
  return escapeWithin(value, max, HTML_ENTITIES);
}

/**
 * Escapes multi-line text for HTML, turning line breaks into `<br>`, at most
 * `max` characters after escaping.
 *
 * @example htmlLines(finding.description, 4000)
 */
export function htmlLines(value: string, max: number): string {
  return escapeWithin(value, max, HTML_LINE_ENTITIES);
}
