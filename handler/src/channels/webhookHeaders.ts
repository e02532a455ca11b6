/*
 * Header names a webhook channel owns. Kept apart from `webhook.ts` (no
 * imports) so the config schema can reject them without loading the channel.
 */

/**
 * Header names configured `headers` may not set (compared case-insensitively):
 * the body's content type and the hop-by-hop/framing headers the HTTP
 * transport computes itself.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'host',
  'connection',
]);

/** Our own namespace: the signature, and anything we add later. */
export const RESERVED_HEADER_PREFIX = 'x-guardduty-notify-';

/**
 * True when a configured header name would clash with one the webhook channel owns.
 *
 * @example isReservedHeader('Content-Type') // true
 */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || lower.startsWith(RESERVED_HEADER_PREFIX);
}
