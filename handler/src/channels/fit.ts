/*
 * Every channel has a size limit and renders at decreasing levels of detail
 * until its payload fits. This is that loop, once.
 */

/** Detail levels, fullest first; never empty. */
export type DetailLevels<Level> = readonly [Level, ...Level[]];

/** How a payload is measured against its channel's limit. */
export interface SizeLimit<Payload> {
  /** The payload's size in the unit the limit is in (UTF-8 bytes for every channel today). */
  size: (payload: Payload) => number;
  limit: number;
}

/**
 * Renders at each detail level in turn, from fullest to leanest, and returns
 * the first payload within the limit. When none is (normalised findings are
 * capped, so the leanest level fits in practice), `lastResort` gets the
 * leanest rendering and returns what is sent instead (by default that
 * rendering itself): never fail, never drop the alert.
 *
 * @example fitWithin(DETAIL_LEVELS, (level) => render(finding, level), { size: jsonBytes, limit: 24_000 })
 */
export function fitWithin<Level, Payload>(
  levels: DetailLevels<Level>,
  render: (level: Level) => Payload,
  limit: SizeLimit<Payload>,
  lastResort: (leanest: Payload) => Payload = (leanest) => leanest,
): Payload {
  let leanest: Payload | undefined;
  for (const level of levels) {
    leanest = render(level);
    if (limit.size(leanest) <= limit.limit) return leanest;
  }
  return lastResort(leanest as Payload);
}

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** UTF-8 bytes of a value serialised as JSON, as an HTTP channel posts it. */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value));
}
