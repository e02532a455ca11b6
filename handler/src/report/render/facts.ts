import { SEVERITY_BANDS, type SeverityBand } from '../../finding/severity.js';
import type { BandCounts, Ranked, Report } from '../model.js';

/*
 * Wording shared by every report renderer: our own text only. Values from
 * findings are returned unescaped; each renderer escapes them for its markup.
 */

/** Bands from the most to the least severe, as every report lists them. */
export const BANDS_DOWN: readonly SeverityBand[] = [...SEVERITY_BANDS].reverse();

const BAND_NAME: Record<SeverityBand, string> = { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export function bandName(band: SeverityBand): string {
  return BAND_NAME[band];
}

/** "23 Nov – 30 Nov 2026" (UTC). */
export function periodLabel(report: Report): string {
  const day = (iso: string, year: boolean) =>
    new Date(iso).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      ...(year ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    });
  return `${day(report.period.start, false)} – ${day(report.period.end, true)}`;
}

export function reportTitle(report: Report): string {
  return `GuardDuty report · ${periodLabel(report)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function sum(counts: BandCounts): number {
  return counts.LOW + counts.MEDIUM + counts.HIGH + counts.CRITICAL;
}

/** "+4 vs the previous 7 days", "same as …", or null when the previous period is unknown. */
export function trend(report: Report): string | null {
  if (!report.previousBySeverity) return null;
  // The chart's counts: exact even when the listing was cut short.
  const delta = sum(report.bySeverity) - sum(report.previousBySeverity);
  const days = `the previous ${report.period.days} days`;
  if (delta === 0) return `same as ${days}`;
  return `${delta > 0 ? '▲ +' : '▼ −'}${Math.abs(delta).toLocaleString('en-US')} vs ${days}`;
}

/** The first line: "0 findings." stated plainly, or the counts. */
export function headline(report: Report): string {
  const t = report.totals;
  if (t.findings === 0) return `0 findings in the last ${report.period.days} days.`;
  const parts = [`${plural(t.findings, 'finding')}: ${t.new} new, ${t.updated} updated, ${t.archived} archived`];
  const change = trend(report);
  if (change) parts.push(change);
  return parts.join(' · ');
}

/** "1 critical, 2 high, 0 medium, 4 low". */
export function bandCountsText(counts: BandCounts): string {
  return BANDS_DOWN.map((b) => `${counts[b]} ${b.toLowerCase()}`).join(', ');
}

/** Previous-period count of a band for display, or "–" when unknown. */
export function previousCount(report: Report, band: SeverityBand): string {
  return report.previousBySeverity ? String(report.previousBySeverity[band]) : '–';
}

/** "1 h 5 min", "3 d 4 h", "12 min", or "–" when there were no actions. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '–';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
}

export function responseText(report: Report): string {
  const { acknowledged, archived } = report.response;
  return [
    `${plural(acknowledged.count, 'acknowledgement')} (median ${duration(acknowledged.medianMinutes)} to acknowledge)`,
    `${plural(archived.count, 'archive')} (median ${duration(archived.medianMinutes)} to archive)`,
  ].join('; ');
}

export function signalsText(report: Report): string {
  const c = report.coverage;
  return `${plural(report.tamper.count, 'tamper event')}; coverage: ${c.lost} lost, ${c.restored} restored, ${c.stillLost.length} still lost`;
}

function depth(n: number | null, name: string): string {
  if (n === null) return `${name} depth unknown`;
  return n === 0 ? `${name} empty` : `${name}: ${plural(n, 'message')}`;
}

/** "last event processed at …; queue empty; DLQ: 2 messages" — the heartbeat. */
export function heartbeatText(report: Report): string {
  const h = report.heartbeat;
  return [
    h.lastEventProcessedAt ? `last event processed at ${h.lastEventProcessedAt}` : 'no event processed yet',
    depth(h.queueDepth, 'queue'),
    depth(h.dlqDepth, 'DLQ'),
  ].join('; ');
}

/** What the reader of the report must know first: a partial read, a dependency that could not be read; or null. */
export function partialText(report: Report): string | null {
  const warnings = [...report.notes];
  if (!report.completeness.complete)
    warnings.unshift(
      `Partial: ${report.completeness.note ?? `first ${report.completeness.fetched} of at least ${report.completeness.total} findings`} (GuardDuty could not be read in full before the function's deadline).`,
    );
  return warnings.length > 0 ? warnings.join(' ') : null;
}

/** A ranked row's label: the name with the key, or the key alone. */
export function rankedLabel(row: Ranked): string {
  return row.name ? `${row.name} (${row.key})` : row.key;
}

/** Highest band with findings, for a colour; LOW when there are none. */
export function topBand(report: Report): SeverityBand {
  return BANDS_DOWN.find((b) => report.bySeverity[b] > 0) ?? 'LOW';
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
