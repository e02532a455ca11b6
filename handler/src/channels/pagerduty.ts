import * as z from 'zod/mini';
import { createHash } from 'node:crypto';
import type { Field, NormalisedFinding } from '../finding/model.js';
import { SEVERITY_BANDS, type SeverityBand } from '../finding/severity.js';
import { postWithRetry } from '../deliver/http.js';
import type { Digest } from '../route/digest.js';
import { truncate } from '../text/clean.js';
import type { NextStep } from '../finding/nextSteps.js';
import {
  accountLabel,
  actorText,
  digestCountsText,
  digestTopBand,
  facetBudget,
  findingCount,
  nextStepLinks,
  noConsoleLinkText,
  readNotesText,
  resourceLabel,
  severityLabel,
  targetText,
} from './facts.js';
import { fitWithin, jsonBytes, type DetailLevels } from './fit.js';
import { pagerDutySettings, PagerDutyChannelSchema, type PagerDutyChannel } from './settings/pagerduty.js';
import { defineChannel } from './types.js';

/** The settings (config schema and defaults) live in `settings/pagerduty.ts`, loaded at cold start. */
export { PagerDutyChannelSchema, type PagerDutyChannel };

/*
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
 * PagerDuty shows these fields as plain text, so there is nothing to escape:
 * the normaliser already removed control and invisible characters; here we
 * only keep within the documented limits.
 *
 * The rendered event deliberately has no `routing_key`: the integration key is
 * a secret, and rendered payloads are data (goldens, previews, logs). `send`
 * adds it to the body at the last moment.
 */

/** `payload.summary` is limited to 1024 characters (Events API v2, "Send an Alert Event"). */
export const PD_SUMMARY_MAX = 1_024;
/** `dedup_key` is limited to 255 characters (same page). */
export const PD_DEDUP_KEY_MAX = 255;
/**
 * Events API payloads are limited to 512 KB (Events API v2 overview, "Size
 * Limits"). We keep the rendered event under 500,000 UTF-8 bytes, leaving room
 * for the routing key and for either reading of "KB".
 */
export const PD_MAX_BYTES = 500_000;
/** Our own cap for source/component/group/class (PagerDuty documents none; they are labels in its UI). */
export const PD_LABEL_MAX = 255;

export const PD_CLIENT = 'GuardDuty Notify';

const PagerDutySeveritySchema = z.enum(['critical', 'error', 'warning', 'info']);
export type PagerDutySeverity = z.infer<typeof PagerDutySeveritySchema>;

/** GuardDuty band → PagerDuty severity. */
export const PD_SEVERITY: Record<SeverityBand, PagerDutySeverity> = {
  CRITICAL: 'critical',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'info',
};

/** `custom_details`: free-form JSON (PagerDuty shows it as a table); objects nest. */
type Details = { [key: string]: string | number | boolean | Details | Details[] };
// A recursive shape needs its type named once; the schema is checked against it.
const DetailsSchema: z.ZodMiniType<Details> = z.lazy(() =>
  z.record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.lazy(() => DetailsSchema), z.array(z.lazy(() => DetailsSchema))]),
  ),
);

const Label = z.optional(z.string().check(z.maxLength(PD_LABEL_MAX)));

/** A trigger event (Events API v2, "Send an Alert Event"), with the documented limits. */
export const PagerDutyTriggerSchema = z.lazy(() =>
  z.strictObject({
    event_action: z.literal('trigger'),
    dedup_key: z.string().check(z.minLength(1)).check(z.maxLength(PD_DEDUP_KEY_MAX)),
    payload: z.strictObject({
      summary: z.string().check(z.minLength(1)).check(z.maxLength(PD_SUMMARY_MAX)),
      source: z.string().check(z.minLength(1)).check(z.maxLength(PD_LABEL_MAX)),
      severity: PagerDutySeveritySchema,
      timestamp: z.optional(z.iso.datetime({ offset: true })),
      component: Label,
      group: Label,
      class: Label,
      custom_details: DetailsSchema,
    }),
    links: z.array(z.strictObject({ href: z.url(), text: z.string() })),
    client: z.string(),
    client_url: z.optional(z.url()),
  }),
);

/** A resolve event: closes the incident with this dedup key. */
export const PagerDutyResolveSchema = z.lazy(() =>
  z.strictObject({
    event_action: z.literal('resolve'),
    dedup_key: z.string().check(z.minLength(1)).check(z.maxLength(PD_DEDUP_KEY_MAX)),
  }),
);

/** A rendered Events API v2 event, without its `routing_key` (added by `send`), within {@link PD_MAX_BYTES}. */
export const PagerDutyPayloadSchema = z.lazy(() =>
  z
    .discriminatedUnion('event_action', [PagerDutyTriggerSchema, PagerDutyResolveSchema])
    .check(z.refine((p) => jsonBytes(p) <= PD_MAX_BYTES, { error: `over ${PD_MAX_BYTES} bytes` })),
);

export type PagerDutyTrigger = z.infer<typeof PagerDutyTriggerSchema>;
export type PagerDutyResolve = z.infer<typeof PagerDutyResolveSchema>;
export type PagerDutyPayload = z.infer<typeof PagerDutyPayloadSchema>;

/** The exact JSON body posted: the event with the channel's routing key. */
export function pagerDutyBody(payload: PagerDutyPayload, routingKey: string): string {
  return JSON.stringify({ routing_key: routingKey, ...payload });
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * The dedup key of a finding: its GuardDuty id, so every update of one finding
 * lands on the same alert. Ids longer than PagerDuty's 255 characters (never
 * seen from GuardDuty) are replaced by a hash of the id.
 *
 * @example findingDedupKey(finding) // '6eb2b1f0c8b3e5d7a1f4…'
 */
export function findingDedupKey(finding: NormalisedFinding): string {
  return finding.id.length > 0 && finding.id.length <= PD_DEDUP_KEY_MAX
    ? finding.id
    : `guardduty-finding-${sha256(finding.id)}`;
}

/**
 * The dedup key of a digest, derived only from its content: the ids of every
 * finding in it (not just the ones it shows), its total and its counts. A
 * digest delivered again (retry, re-queue) therefore updates the same alert
 * instead of opening a second incident, and digests that differ in any
 * finding open their own.
 *
 * @example digestDedupKey(digest) // 'guardduty-digest-3f1c…' (81 characters)
 */
export function digestDedupKey(digest: Digest): string {
  const counts = SEVERITY_BANDS.map((band) => `${band}=${digest.bySeverity[band] ?? 0}`);
  return `guardduty-digest-${sha256([`total=${digest.total}`, ...counts, ...digest.findingIds].join('\n'))}`;
}

/** ISO 8601 timestamps pass through; anything else is left out (PagerDuty then stamps the event itself). */
function timestamp(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

/**
 * A one-line summary ≤ 1024 characters that leads with what triage needs:
 * markers, band and score, type, target, account, region; the title last, so
 * a long one is what gets cut. Everything else goes to `custom_details`.
 */
export function findingSummary(finding: NormalisedFinding): string {
  const markers = [
    finding.isSample ? '[SAMPLE]' : null,
    finding.archived ? '[ARCHIVED]' : null,
    finding.isUpdate ? `[UPDATE ×${finding.occurrences.count}]` : null,
  ];
  const head = [...markers.filter(Boolean), `${severityLabel(finding)}:`].join(' ');
  const what =
    `${truncate(finding.type.full, 200)} on ${truncate(targetText(finding), 200)} ` +
    `in ${truncate(accountLabel(finding.account), 120)} ${truncate(finding.region, 40)}`;
  return truncate(`${head} ${what} · ${finding.title}`.replace(/\s+/g, ' '), PD_SUMMARY_MAX);
}

/** Field list → object, keeping repeated labels apart and values within `max`. */
function fieldObject(fields: readonly Field[], max: number): Details {
  const out: Details = {};
  for (const { label, value } of fields) {
    let key = label;
    for (let n = 2; key in out; n++) key = `${label} (${n})`;
    out[key] = truncate(value, max);
  }
  return out;
}

function actorObject(actor: NormalisedFinding['actor'], max: number): Details {
  const entries = Object.entries(actor).filter((entry): entry is [string, string] => entry[1] !== null);
  return Object.fromEntries(entries.map(([key, value]) => [key, truncate(value, max)]));
}

/** How much detail custom_details carries; tried from fullest to leanest until the event fits. */
interface DetailLevel {
  value: number;
  description: number;
  fields: boolean;
}
const DETAIL_LEVELS: DetailLevels<DetailLevel> = [
  { value: 2_000, description: 4_000, fields: true },
  { value: 500, description: 2_000, fields: true },
  { value: 100, description: 500, fields: true },
  { value: 100, description: 200, fields: false },
];

function findingDetails(finding: NormalisedFinding, level: DetailLevel): Details {
  const details: Details = {
    title: truncate(finding.title, level.value),
    type: truncate(finding.type.full, level.value),
    severity: severityLabel(finding),
    account: accountLabel(finding.account),
    region: finding.region,
    resource: truncate(resourceLabel(finding), level.value),
    action: finding.action.label,
    occurrences: finding.occurrences.count,
    ...(finding.occurrences.firstSeen ? { first_seen: finding.occurrences.firstSeen } : {}),
    ...(finding.occurrences.lastSeen ? { last_seen: finding.occurrences.lastSeen } : {}),
    status: [
      finding.isUpdate ? 'update' : 'new',
      finding.isSample ? 'sample' : null,
      finding.archived ? 'archived' : null,
    ]
      .filter(Boolean)
      .join(', '),
    description: truncate(finding.description, level.description),
    finding_id: finding.id,
    ...(finding.arn ? { finding_arn: finding.arn } : {}),
    created_at: finding.createdAt,
    updated_at: finding.updatedAt,
  };
  const actor = actorText(finding);
  details.target = truncate(targetText(finding), level.value);
  if (actor) details.actor_summary = truncate(actor, level.value);
  const notes = readNotesText(finding);
  if (notes) details.could_not_read = notes;
  if (!finding.consoleUrl) details.console_link = noConsoleLinkText(finding);
  if (level.fields) {
    details.resource_details = fieldObject(finding.resource.fields, level.value);
    details.action_details = fieldObject(finding.action.fields, level.value);
    details.actor = actorObject(finding.actor, level.value);
  }
  // Every facet, keyed by its title (PagerDuty shows custom_details as a table), fewer and shorter as the level leans.
  const facets = facetBudget({ fields: level.fields ? 100 : 5, value: level.value, description: 0 });
  for (const facet of finding.facets.slice(0, facets.facets)) {
    let key = facet.title;
    for (let n = 2; key in details; n++) key = `${facet.title} (${n})`;
    details[key] = fieldObject(facet.fields.slice(0, facets.fieldsPerFacet), level.value);
  }
  return details;
}

/** Renders with the fullest detail level that fits {@link PD_MAX_BYTES}. */
function fitTrigger(build: (level: DetailLevel) => PagerDutyTrigger): PagerDutyTrigger {
  return fitWithin(
    DETAIL_LEVELS,
    build,
    { size: jsonBytes, limit: PD_MAX_BYTES },
    // Unreachable for normalised findings (every part above is capped); keep the essentials.
    (leanest) => ({ ...leanest, payload: { ...leanest.payload, custom_details: {} } }),
  );
}

function consoleLinks(
  url: string | null,
  text: string,
  nextSteps: readonly NextStep[] = [],
): Pick<PagerDutyTrigger, 'links' | 'client' | 'client_url'> {
  // The console first, then the next steps (fixed documentation URLs only, see nextStepLinks).
  const links = [
    ...(url ? [{ href: url, text }] : []),
    ...nextSteps.map((step) => ({ href: step.url, text: step.label })),
  ];
  return url ? { links, client: PD_CLIENT, client_url: url } : { links, client: PD_CLIENT };
}

function findingTrigger(finding: NormalisedFinding, level: DetailLevel): PagerDutyTrigger {
  const ts = timestamp(finding.updatedAt);
  return {
    event_action: 'trigger',
    dedup_key: findingDedupKey(finding),
    payload: {
      summary: findingSummary(finding),
      source: truncate(
        `${finding.account.id}/${finding.region}/${finding.resource.id ?? finding.resource.type}`,
        PD_LABEL_MAX,
      ),
      severity: PD_SEVERITY[finding.severity.band],
      ...(ts ? { timestamp: ts } : {}),
      component: truncate(finding.resource.label, PD_LABEL_MAX),
      group: finding.account.id,
      class: truncate(finding.type.full, PD_LABEL_MAX),
      custom_details: findingDetails(finding, level),
    },
    ...consoleLinks(finding.consoleUrl, 'Open in GuardDuty console', nextStepLinks(finding)),
  };
}

/**
 * Renders one finding as an Events API v2 event.
 *
 * Archived findings: when the finding is archived and the channel has
 * `resolveOnArchive` (the default), the event is a `resolve` with the same
 * dedup key and no payload. Archiving is how a GuardDuty user says "handled" or
 * "not a threat", so the page it raised should close with it; a resolve for a
 * key that has no open alert is dropped by PagerDuty, so it is harmless when
 * the finding never paged. With `resolveOnArchive: false` an archived finding
 * that routing lets through triggers like any other, marked `[ARCHIVED]`.
 *
 * Every other finding is a `trigger` whose `dedup_key` is the finding id, so
 * updates of one finding stay one alert.
 *
 * @example renderPagerDutyFinding(finding, channel) // { event_action: 'trigger', dedup_key: finding.id, payload: {…}, … }
 */
export function renderPagerDutyFinding(
  finding: NormalisedFinding,
  channel: Pick<PagerDutyChannel, 'resolveOnArchive'>,
): PagerDutyPayload {
  // `resolves`: an archived finding, an archive of it made in the console or the API (archive sync),
  // or coverage restored (its lost alert shares the dedup key).
  if (finding.resolves && channel.resolveOnArchive)
    return { event_action: 'resolve', dedup_key: findingDedupKey(finding) };
  return fitTrigger((level) => findingTrigger(finding, level));
}

function digestSummary(digest: Digest): string {
  // " (1 critical, 3 high)"; total > 0 exactly when some band count is.
  const counts = digest.total > 0 ? ` (${digestCountsText(digest).toLowerCase()})` : '';
  const top = digest.top[0];
  const lead = `GuardDuty digest: ${findingCount(digest.total)}${counts}`;
  return truncate((top ? `${lead} · most severe: ${top.title}` : lead).replace(/\s+/g, ' '), PD_SUMMARY_MAX);
}

function digestTrigger(digest: Digest, level: DetailLevel): PagerDutyTrigger {
  const band = digestTopBand(digest);
  const top = digest.top.map((f) => ({
    title: truncate(f.title, level.value),
    severity: severityLabel(f),
    type: truncate(f.type.full, level.value),
    account: accountLabel(f.account),
    region: f.region,
    resource: truncate(resourceLabel(f), level.value),
    finding_id: f.id,
    ...(f.consoleUrl ? { console_url: f.consoleUrl } : {}),
  }));
  const links = [
    ...(digest.consoleUrl ? [{ href: digest.consoleUrl, text: 'Open GuardDuty findings' }] : []),
    ...digest.top.flatMap((f) =>
      f.consoleUrl ? [{ href: f.consoleUrl, text: truncate(`${severityLabel(f)}: ${f.title}`, 200) }] : [],
    ),
  ];
  return {
    event_action: 'trigger',
    dedup_key: digestDedupKey(digest),
    payload: {
      summary: digestSummary(digest),
      source: truncate(
        `${digest.accounts.join(',') || 'unknown'}/${digest.regions.join(',') || 'unknown'}`,
        PD_LABEL_MAX,
      ),
      severity: PD_SEVERITY[band],
      component: 'GuardDuty digest',
      group: truncate(digest.accounts.join(',') || 'unknown', PD_LABEL_MAX),
      class: 'GuardDuty digest',
      custom_details: {
        total: digest.total,
        by_severity: Object.fromEntries([...SEVERITY_BANDS].reverse().map((b) => [b, digest.bySeverity[b] ?? 0])),
        by_type: Object.fromEntries(digest.byType.map((t) => [truncate(t.type, level.value), t.count])),
        accounts: truncate(digest.accounts.join(', '), level.description),
        regions: digest.regions.join(', '),
        ...(level.fields ? { top } : {}),
      },
    },
    links,
    client: PD_CLIENT,
    ...(digest.consoleUrl ? { client_url: digest.consoleUrl } : {}),
  };
}

/**
 * Renders a digest as one `trigger` with a content-derived dedup key (see
 * {@link digestDedupKey}), severity from the most severe band present, counts
 * and the most severe findings in custom_details, and console links.
 *
 * @example renderPagerDutyDigest(buildDigest(findings))
 */
export function renderPagerDutyDigest(digest: Digest): PagerDutyTrigger {
  return fitTrigger((level) => digestTrigger(digest, level));
}

/**
 * PagerDuty Events API v2. It answers 202 `{status: "success", dedup_key}`;
 * 400 is an invalid event (permanent), 429 a rate limit and 5xx an outage
 * (both retried, honouring Retry-After when sent).
 */
export const pagerDutyChannel = defineChannel(pagerDutySettings, {
  render: (finding, channel) => renderPagerDutyFinding(finding, channel),
  renderDigest: (digest) => renderPagerDutyDigest(digest),
  async send(payload, channel, context) {
    const result = await postWithRetry(
      channel.eventsUrl,
      pagerDutyBody(payload, channel.routingKey),
      { 'content-type': 'application/json' },
      context.http,
      channel,
      context.httpDeps,
    );
    return { attempts: result.attempts };
  },
});
