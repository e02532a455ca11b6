/*
 * The report's period: whole days ending at a given instant, and the same
 * length before it for trends.
 */

const DAY_MS = 86_400_000;

export interface Period {
  start: Date;
  end: Date;
  days: number;
}

/**
 * The `days` days ending at `end`, and the period before it.
 *
 * @example reportPeriods(new Date('2026-11-30T08:00:00Z'), 7).current.start // 2026-11-23T08:00:00Z
 */
export function reportPeriods(end: Date, days: number): { current: Period; previous: Period } {
  const start = new Date(end.getTime() - days * DAY_MS);
  return {
    current: { start, end, days },
    previous: { start: new Date(start.getTime() - days * DAY_MS), end: start, days },
  };
}

/** True when `iso` parses to an instant in [start, end). */
export function within(iso: string | null | undefined, period: { start: Date; end: Date }): boolean {
  if (!iso) return false;
  const t = Date.parse(iso);
  return !Number.isNaN(t) && t >= period.start.getTime() && t < period.end.getTime();
}
