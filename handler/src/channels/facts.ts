import type { Facet } from '../finding/facets.js';
import type { Field, NormalisedFinding } from '../finding/model.js';
import { NEXT_STEP_URLS, type NextStep } from '../finding/nextSteps.js';
import { SEVERITY_BANDS, type SeverityBand } from '../finding/severity.js';
import type { Digest } from '../route/digest.js';
import type { DetailBudget } from './types.js';

/*
 * The facts every channel shows, derived from a normalised finding or a
 * digest, as plain unescaped text. Each renderer escapes and lays them out in
 * its own markup.
 */

/** What a view is, in the words of a headline: a finding, or one of GuardDuty's other signals. */
export function kindLabel(finding: Pick<NormalisedFinding, 'kind'>): string {
  switch (finding.kind) {
    case 'activity':
      return 'GuardDuty API call';
    case 'scan':
      return 'Malware Protection for S3';
    case 'coverage':
      return 'GuardDuty coverage';
    default:
      return 'GuardDuty finding';
  }
}

/** "HIGH 8.0": band and score as every channel shows them. */
export function severityLabel(finding: NormalisedFinding): string {
  return `${finding.severity.band} ${finding.severity.score.toFixed(1)}`;
}

/** "prod-payments (111122223333)", or the bare id when the account has no name. */
export function accountLabel(account: NormalisedFinding['account']): string {
  return account.name ? `${account.name} (${account.id})` : account.id;
}

/** "EC2 instance i-0abc…", or the bare label when the resource has no id. */
export function resourceLabel(finding: NormalisedFinding): string {
  return finding.resource.id ? `${finding.resource.label} ${finding.resource.id}` : finding.resource.label;
}

/** Status markers shown beside the severity: SAMPLE, UPDATE, ARCHIVED. */
export function findingMarkers(finding: NormalisedFinding): string[] {
  const markers: string[] = [];
  if (finding.isSample) markers.push('SAMPLE');
  if (finding.isUpdate) markers.push('UPDATE');
  if (finding.archived) markers.push('ARCHIVED');
  return markers;
}

/** "17 (first seen …, last seen …)" from the occurrence counters. */
export function occurrenceText(finding: NormalisedFinding): string {
  const { count, firstSeen, lastSeen } = finding.occurrences;
  const seen = [firstSeen ? `first seen ${firstSeen}` : null, lastSeen ? `last seen ${lastSeen}` : null].filter(
    Boolean,
  );
  return seen.length > 0 ? `${count} (${seen.join(', ')})` : String(count);
}

/** "S3 bucket my-bucket": what of yours was affected (who is who: the target). */
export function targetText(finding: NormalisedFinding): string {
  return finding.target.id ? `${finding.target.label} ${finding.target.id}` : finding.target.label;
}

/**
 * Who acted, in one line: remote IP, caller, location, network (who is who:
 * the actor). Null when the finding names no actor.
 *
 * @example actorText(finding) // "198.51.100.23 · Amsterdam, Netherlands · ExampleNet AS64500"
 */
export function actorText(finding: NormalisedFinding): string | null {
  const { ip, city, country, org, asn, caller } = finding.actor;
  const where = [city, country].filter(Boolean).join(', ');
  const network = [org, asn ? `AS${asn}` : null].filter(Boolean).join(' ');
  const parts = [ip, caller, where, network].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** The headline facts every channel shows first, in order: never dropped to fit. */
export function overviewFields(finding: NormalisedFinding): Field[] {
  const actor = actorText(finding);
  return [
    { label: 'Finding type', value: finding.type.full },
    { label: 'Account', value: accountLabel(finding.account) },
    { label: 'Region', value: finding.region },
    { label: 'Resource', value: resourceLabel(finding) },
    { label: 'Target', value: targetText(finding) },
    ...(actor ? [{ label: 'Actor', value: actor }] : []),
    { label: 'Occurrences', value: occurrenceText(finding) },
  ];
}

/** Most characters of the "could not read" note: it explains, it never crowds out the finding. */
export const READ_NOTES_MAX = 300;

/** "Could not read: service.action (null); …", bounded, or null when everything was read. */
export function readNotesText(finding: NormalisedFinding, max = READ_NOTES_MAX): string | null {
  if (finding.readNotes.length === 0) return null;
  const notes = finding.readNotes.map((note) => note.replace(/^could not read:\s*/i, ''));
  const text = `Could not read: ${notes.join('; ')}`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Why a message carries no console link (the normaliser's reason, or the partition's). */
export function noConsoleLinkText(finding: NormalisedFinding): string {
  return finding.consoleUrlUnavailable ?? 'No GuardDuty console link for this partition.';
}

/**
 * The next steps (AWS documentation, remediation guide) that may be links: only
 * the fixed URLs of the next-steps table, never anything built from finding text.
 */
export function nextStepLinks(finding: NormalisedFinding): NextStep[] {
  return finding.nextSteps.filter((step) => NEXT_STEP_URLS.has(step.url));
}

/**
 * Facets within a detail budget: at most `fieldsPerFacet` fields each, and at
 * most `facets` facets (the first ones: the model orders them by importance).
 * `hidden` counts the fields left out of each facet so a channel can say so.
 */
export function facetsWithin(
  finding: NormalisedFinding,
  budget: { facets: number; fieldsPerFacet: number },
): Array<Facet & { hidden: number }> {
  return finding.facets.slice(0, budget.facets).map((facet) => ({
    ...facet,
    fields: facet.fields.slice(0, budget.fieldsPerFacet),
    hidden: Math.max(0, facet.fields.length - budget.fieldsPerFacet),
  }));
}

/**
 * The facet budget of a detail level: fewer fields per facet as the level
 * leans, then fewer facets (the headline facts are never part of it).
 */
export function facetBudget(budget: DetailBudget): { facets: number; fieldsPerFacet: number } {
  return {
    facets: budget.fields >= 15 ? 8 : budget.fields >= 5 ? 4 : 2,
    fieldsPerFacet: Math.max(1, Math.min(budget.fields, 12)),
  };
}

/**
 * Who acted, as fields. Values already among `shown` (by default the
 * resource's and the action's fields, where GuardDuty repeats the remote IP,
 * the user agent, …) are left out so nothing repeats.
 *
 * @example actorFields(finding) // [{ label: 'IP address', value: '198.51.100.23' }, { label: 'Location', value: 'Amsterdam, Netherlands' }, …]
 */
export function actorFields(
  finding: NormalisedFinding,
  shown: readonly Field[] = [...finding.resource.fields, ...finding.action.fields],
): Field[] {
  const { ip, city, country, org, asn, caller, userAgent, domain } = finding.actor;
  const shownValues = shown.map((f) => f.value);
  const where = [city, country].filter(Boolean).join(', ');
  const network = [org, asn ? `AS${asn}` : null].filter(Boolean).join(' ');
  const candidates: Array<[string, string | null]> = [
    ['IP address', ip],
    ['Location', where || null],
    ['Network', network || null],
    ['Caller', caller],
    ['User agent', userAgent],
    ['Domain', domain],
  ];
  return candidates
    .filter(
      (entry): entry is [string, string] =>
        entry[1] !== null && !shownValues.some((value) => value.includes(entry[1] as string)),
    )
    .map(([label, value]) => ({ label, value }));
}

/** The highest band with at least one finding in a digest (LOW for an empty one). */
export function digestTopBand(digest: Digest): SeverityBand {
  return [...SEVERITY_BANDS].reverse().find((band) => (digest.bySeverity[band] ?? 0) > 0) ?? 'LOW';
}

/** "1 CRITICAL, 3 HIGH": non-zero band counts, most severe first ("none" for an empty digest). */
export function digestCountsText(digest: Digest): string {
  const parts = [...SEVERITY_BANDS]
    .reverse()
    .filter((band) => (digest.bySeverity[band] ?? 0) > 0)
    .map((band) => `${digest.bySeverity[band]} ${band}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** "12 findings" / "1 finding". */
export function findingCount(n: number): string {
  return `${n} ${n === 1 ? 'finding' : 'findings'}`;
}
