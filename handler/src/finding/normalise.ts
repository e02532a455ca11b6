import type { FindingEvent } from './schema.js';
import type { NormalisedFinding } from './model.js';
import { summariseAction } from './action.js';
import { consoleLink } from './console.js';
import { at, text } from './read.js';
import { facetsOf } from './facets.js';
import { nextStepsFor } from './nextSteps.js';
import { summariseResource } from './resource.js';
import { resourceTags } from './tags.js';
import { severityBand } from './severity.js';
import { parseFindingType } from './type.js';
import { cleanLine, cleanText } from '../text/clean.js';

/** GuardDuty marks sample findings in `service.additionalInfo`, either directly or inside its JSON `value`. */
function isSampleFinding(additionalInfo: unknown): boolean {
  if (at(additionalInfo, 'sample') === true) return true;
  const raw = at(additionalInfo, 'value');
  if (typeof raw !== 'string' || !raw.includes('sample')) return false;
  try {
    return at(JSON.parse(raw), 'sample') === true;
  } catch {
    return false;
  }
}

/**
 * GuardDuty publishes a new finding within about five minutes of creating it,
 * possibly with several occurrences already aggregated (count > 1); later
 * occurrences arrive as updates on the detector's 15 min / 1 h / 6 h cadence.
 */
export const FIRST_PUBLISH_WINDOW_MS = 5 * 60_000;

/** True for an update of a finding published before: updated after the first-publish window (count > 1 when timestamps are unusable). */
function isUpdateOf(createdAt: string, updatedAt: string, count: number): boolean {
  const created = Date.parse(createdAt);
  const updated = Date.parse(updatedAt);
  if (Number.isNaN(created) || Number.isNaN(updated)) return count > 1;
  return updated - created > FIRST_PUBLISH_WINDOW_MS;
}

/**
 * What of yours was affected. Usually the headline resource; a bucket named on
 * an access-key finding (e.g. Policy:S3/BucketPublicAccessGranted) is the target
 * rather than the key that changed it.
 */
function targetOf(
  finding: FindingEvent['detail'],
  resource: ReturnType<typeof summariseResource>,
): NormalisedFinding['target'] {
  if (resource.kind === 'accessKey') {
    const bucket = text(at(finding.resource, 's3BucketDetails', 0), 'name');
    if (bucket) return { label: 'S3 bucket', id: bucket };
  }
  return { label: resource.label, id: resource.id };
}

/**
 * Turns a validated GuardDuty event into the view model every channel renders.
 * Pure: the account name comes from the caller (see `enrich/`).
 *
 * @example normaliseFinding(FindingEventSchema.parse(event), 'prod-payments')
 */
export function normaliseFinding(event: FindingEvent, accountName: string | null = null): NormalisedFinding {
  const finding = event.detail;
  const { action, actor } = summariseAction(finding);
  const count = finding.service.count ?? 1;
  const raw = finding.severity;
  const type = parseFindingType(cleanLine(finding.type, 512));
  const resource = summariseResource(finding);
  const link = consoleLink(finding.partition, finding.region, finding.id);
  return {
    id: cleanLine(finding.id, 256),
    arn: finding.arn ? cleanLine(finding.arn, 512) : null,
    eventId: cleanLine(event.id, 256),
    title: cleanLine(finding.title || finding.type, 500),
    description: cleanText(finding.description),
    type,
    // Banded on the raw score, as EventBridge's numeric filter compares it (6.95 is MEDIUM); rounding is for display only.
    severity: { score: Math.round(raw * 10) / 10, raw, band: severityBand(raw) },
    account: { id: cleanLine(finding.accountId, 64), name: accountName },
    region: cleanLine(finding.region, 64),
    partition: cleanLine(finding.partition, 32),
    resource: { ...resource, tags: resourceTags(finding) },
    target: targetOf(finding, resource),
    facets: facetsOf(finding, resource.kind),
    nextSteps: nextStepsFor(type),
    action,
    actor,
    occurrences: {
      count,
      firstSeen: text(finding.service, 'eventFirstSeen'),
      lastSeen: text(finding.service, 'eventLastSeen'),
    },
    createdAt: cleanLine(finding.createdAt, 64),
    updatedAt: cleanLine(finding.updatedAt, 64),
    isUpdate: isUpdateOf(finding.createdAt, finding.updatedAt, count),
    isSample: isSampleFinding(finding.service.additionalInfo),
    archived: finding.service.archived === true,
    consoleUrl: link.url,
    consoleUrlUnavailable: link.unavailable,
    readNotes: event.readNotes.map((n) => cleanLine(n, 200)),
    kind: 'finding',
    topic: 'finding',
    delivery: 'notify',
    lifecycle: null,
    resolves: finding.service.archived === true,
  };
}
