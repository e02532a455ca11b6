import * as z from 'zod/mini';
import { NormalisedFindingSchema, type NormalisedFinding } from '../finding/model.js';
import { SEVERITY_BANDS, SeverityBandSchema, bandRank } from '../finding/severity.js';
import { guardDutyFindingsUrl } from '../finding/console.js';

/** One summary message standing for many findings that reached a channel in one batch. */
export const DigestSchema = z.lazy(() =>
  z.object({
    total: z.int(),
    bySeverity: z.record(SeverityBandSchema, z.int()),
    /** Finding types with counts, most frequent first. */
    byType: z.array(z.object({ type: z.string(), count: z.int() })),
    accounts: z.array(z.string()),
    regions: z.array(z.string()),
    /** The id of every finding in the digest, sorted and unique (an update and its original count once). */
    findingIds: z.array(z.string()),
    /** The most severe findings, shown in full. */
    top: z.array(NormalisedFindingSchema),
    /** Link to the GuardDuty findings list, when all findings share one partition and region. */
    consoleUrl: z.nullable(z.string()),
  }),
);
export type Digest = z.infer<typeof DigestSchema>;

/** How many findings a digest shows in full. */
export const DIGEST_TOP = 5;
/** How many finding types a digest lists. */
export const DIGEST_TYPES = 10;

/**
 * Summarises findings into a digest: counts by severity and type, the ids of
 * all of them, the most severe few in full (ties: most recently updated first).
 */
export function buildDigest(findings: readonly NormalisedFinding[]): Digest {
  const bySeverity = Object.fromEntries(SEVERITY_BANDS.map((b) => [b, 0])) as Digest['bySeverity'];
  const types = new Map<string, number>();
  for (const f of findings) {
    bySeverity[f.severity.band] += 1;
    types.set(f.type.full, (types.get(f.type.full) ?? 0) + 1);
  }
  const byType = [...types.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, DIGEST_TYPES)
    .map(([type, count]) => ({ type, count }));
  const top = [...findings]
    .sort(
      (a, b) =>
        b.severity.score - a.severity.score ||
        bandRank(b.severity.band) - bandRank(a.severity.band) ||
        b.updatedAt.localeCompare(a.updatedAt),
    )
    .slice(0, DIGEST_TOP);
  const accounts = [...new Set(findings.map((f) => f.account.name ?? f.account.id))].sort();
  const regions = [...new Set(findings.map((f) => f.region))].sort();
  const findingIds = [...new Set(findings.map((f) => f.id))].sort();
  const partitions = new Set(findings.map((f) => f.partition));
  const [partition] = partitions;
  const [region] = regions;
  const consoleUrl =
    partitions.size === 1 && regions.length === 1 && partition && region
      ? guardDutyFindingsUrl(partition, region)
      : null;
  return { total: findings.length, bySeverity, byType, accounts, regions, findingIds, top, consoleUrl };
}
