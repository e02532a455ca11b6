/*
 * Bars in text for chat cards, which have no charts: `█████░░░░░ 12`.
 */

export const BAR_WIDTH = 10;

/** Filled cells for `value` of `max` (at least one when value > 0, so a small count never looks like none). */
export function barCells(value: number, max: number, width = BAR_WIDTH): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(width, Math.max(1, Math.round((value / max) * width)));
}

/**
 * A text bar and the value.
 *
 * @example textBar(12, 24) // '█████░░░░░ 12'
 */
export function textBar(value: number, max: number, width = BAR_WIDTH): string {
  const filled = barCells(value, max, width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${value.toLocaleString('en-US')}`;
}
