/*
 * The only ways preview code turns data into HTML: text is escaped, URLs are
 * allowed only as http(s) and escaped for the attribute, colours only as hex.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for element content or a quoted attribute value.
 *
 * @example esc('<img src=x>') // '&lt;img src=x&gt;'
 */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** The URL when it is absolute http(s) (so no `javascript:` or `data:`), else null. */
export function safeUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A link that opens in a new tab without access to this page, or the URL as
 * plain text when it is not http(s).
 *
 * @example link('https://console.aws.amazon.com/', 'Open')
 */
export function link(url: string, html: string, className = ''): string {
  const safe = safeUrl(url);
  const cls = className ? ` class="${esc(className)}"` : '';
  if (!safe) return `<span${cls} title="${esc(`not a web link: ${url}`)}">${html}</span>`;
  return `<a${cls} href="${esc(safe)}" target="_blank" rel="noopener noreferrer nofollow">${html}</a>`;
}

/** A `#rrggbb` colour, or `fallback` for anything else (colours go into style attributes). */
export function hexColour(value: unknown, fallback = '#8D99A6'): string {
  return typeof value === 'string' && /^#[0-9A-Fa-f]{6}$/.test(value) ? value : fallback;
}
