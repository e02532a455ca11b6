import * as z from 'zod/mini';

/** GuardDuty's severity bands, lowest first. */
export const SEVERITY_BANDS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const SeverityBandSchema = z.enum(SEVERITY_BANDS);
export type SeverityBand = z.infer<typeof SeverityBandSchema>;

/** Lowest score of each band (GuardDuty: Low 1.0–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0). */
export const BAND_FLOOR: Record<SeverityBand, number> = { LOW: 1, MEDIUM: 4, HIGH: 7, CRITICAL: 9 };

/**
 * Maps a GuardDuty numeric severity to its band. Scores below 1 (never sent by
 * GuardDuty, but possible in hand-made events) count as LOW.
 *
 * @example severityBand(8.9) // 'HIGH'
 */
export function severityBand(score: number): SeverityBand {
  if (score >= BAND_FLOOR.CRITICAL) return 'CRITICAL';
  if (score >= BAND_FLOOR.HIGH) return 'HIGH';
  if (score >= BAND_FLOOR.MEDIUM) return 'MEDIUM';
  return 'LOW';
}

/** Band ordinal for comparisons: LOW 0 … CRITICAL 3. */
export function bandRank(band: SeverityBand): number {
  return SEVERITY_BANDS.indexOf(band);
}

/** Conventional colours per band, shared by every renderer that shows one. */
export const BAND_COLOUR: Record<SeverityBand, string> = {
  LOW: '#2E86C1',
  MEDIUM: '#F1C40F',
  HIGH: '#E67E22',
  CRITICAL: '#C0392B',
};
