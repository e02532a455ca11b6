import type { NormalisedFinding } from '../finding/model.js';
import { normaliseFinding } from '../finding/normalise.js';
import { FindingEventSchema, GUARDDUTY_DETAIL_TYPE } from '../finding/schema.js';
import { severityBand } from '../finding/severity.js';
import { cleanLine } from '../text/clean.js';
import type { ActivityOptions } from './activity.js';
import {
  type Envelope,
  EnvelopeSchema,
  envelopeFacts,
  fieldList,
  guardDutyHomeUrl,
  MAX_SIGNAL_TITLE,
  severityOf,
  stableId,
  str,
} from './common.js';
import type { KindReaders } from './kinds.js';
import type { FindingSignal, OtherSignal, Signal } from './model.js';

/*
 * One entry for everything on the queue from EventBridge: dispatches on
 * `detail-type` to the kind that reads it (the readers of scans, coverage and
 * API calls are passed in: the function loads them while its config is read,
 * not at cold start; `parse.ts` binds every reader for the CLI and tests). Only an event that is not a
 * GuardDuty event at all (`source` other than "aws.guardduty") is refused; a
 * GuardDuty event of a type this version does not know, or a finding the
 * finding reader refuses, becomes an `other` signal shown best-effort.
 */

export type FindingReadResult = { ok: true; finding: NormalisedFinding } | { ok: false; reason: string };
/** Reads a `GuardDuty Finding` event (the finding module's parse + normalise). */
export type FindingReader = (event: unknown) => FindingReadResult;

export interface ParseSignalOptions extends ActivityOptions {
  /** Defaults to {@link readFindingEvent}. */
  readFinding?: FindingReader;
}

export type ParseSignalResult = { ok: true; signal: Signal } | { ok: false; reason: string };

/** The default finding reader: the finding module's schema and normaliser, unchanged. */
export function readFindingEvent(event: unknown): FindingReadResult {
  const parsed = FindingEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, finding: normaliseFinding(parsed.data) };
}

/** Wraps a normalised finding with the header every kind carries. */
export function findingSignal(finding: NormalisedFinding): FindingSignal {
  return {
    kind: 'finding',
    id: finding.id,
    topic: 'finding',
    title: finding.title,
    severity: finding.severity,
    account: finding.account,
    region: finding.region,
    partition: finding.partition,
    time: finding.updatedAt,
    fields: fieldList([
      ['Finding type', finding.type.full],
      ['Resource', finding.resource.id ? `${finding.resource.label} ${finding.resource.id}` : finding.resource.label],
    ]),
    consoleUrl: finding.consoleUrl,
    delivery: 'notify',
    ignoreReason: null,
    finding,
  };
}

const FINDING_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Scalar top-level detail fields shown for an event we cannot read as its kind. */
const MAX_OTHER_FIELDS = 12;

/**
 * A GuardDuty event shown generically: its detail-type as the title, the
 * scalar top-level fields of its detail, MEDIUM unless the detail carries a
 * numeric GuardDuty severity.
 */
export function otherSignal(envelope: Envelope, note: string | null): OtherSignal {
  const facts = envelopeFacts(envelope);
  const detailType = cleanLine(envelope['detail-type'], 128);
  const detail = envelope.detail;
  const score =
    typeof (detail as { severity?: unknown } | null)?.severity === 'number'
      ? (detail as { severity: number }).severity
      : null;
  const severity =
    score !== null && score >= 0 && score <= 10
      ? { score: Math.round(score * 10) / 10, band: severityBand(score) }
      : severityOf('MEDIUM');
  const scalars =
    detail !== null && typeof detail === 'object' && !Array.isArray(detail)
      ? Object.keys(detail)
          .filter((key) => str(detail, [key]) !== null)
          .slice(0, MAX_OTHER_FIELDS)
          .map((key): [string, string | null] => [cleanLine(key, 64), str(detail, [key])])
      : [];
  const title = str(detail, ['title'], 150);
  // An unreadable finding keeps its own id when it has a usable one, so its updates and its PagerDuty incident still line up.
  const findingId = detailType === GUARDDUTY_DETAIL_TYPE ? str(detail, ['id'], 128) : null;
  return {
    kind: 'other',
    id:
      findingId && FINDING_ID.test(findingId) ? findingId : stableId('other', [detailType, facts.eventId, facts.time]),
    topic: 'other',
    title: cleanLine(title ? `${detailType}: ${title}` : detailType, MAX_SIGNAL_TITLE),
    severity,
    account: facts.account,
    region: facts.region,
    partition: facts.partition,
    time: facts.time,
    fields: fieldList([['Note', note], ...scalars]),
    consoleUrl: guardDutyHomeUrl(facts.partition, facts.region),
    delivery: 'notify',
    ignoreReason: null,
    other: { detailType, note },
  };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${cleanLine(value, 100)}"` : 'missing';
}

/**
 * Reads any event the module's rules put on the queue into a {@link Signal}
 * with the given kind readers. Pure. Refuses only what is not a GuardDuty
 * event (`source` other than "aws.guardduty", or not a JSON object with a
 * `detail-type`).
 *
 * @example parseSignalWith(JSON.parse(body), await loadKindReaders(), { expectedPrincipals: [] })
 */
export function parseSignalWith(
  event: unknown,
  readers: KindReaders,
  options: ParseSignalOptions = {},
): ParseSignalResult {
  const raw = (typeof event === 'object' && event !== null && !Array.isArray(event) ? event : {}) as Record<
    string,
    unknown
  >;
  const envelope = EnvelopeSchema.safeParse(event);
  if (!envelope.success)
    return {
      ok: false,
      reason: `not a GuardDuty event: detail-type ${describe(raw['detail-type'])}, source ${describe(raw.source)} (expected source "aws.guardduty")`,
    };
  const detailType = envelope.data['detail-type'];
  if (detailType === GUARDDUTY_DETAIL_TYPE) {
    // The finding reader refuses only a finding without a detail object, an id or a type: not a finding at all.
    const read = (options.readFinding ?? readFindingEvent)(event);
    return read.ok
      ? { ok: true, signal: findingSignal(read.finding) }
      : { ok: false, reason: `not a GuardDuty finding event: ${cleanLine(read.reason, 300)}` };
  }
  // Own keys only: a detail-type such as "constructor" must not reach Object.prototype.
  const read = Object.hasOwn(readers.byDetailType, detailType) ? readers.byDetailType[detailType] : undefined;
  if (read) return { ok: true, signal: read(envelope.data, options) };
  const coverage = readers.coverage(envelope.data);
  // A GuardDuty detail-type this version does not know (AWS adds them): shown best-effort, never withheld.
  return { ok: true, signal: coverage ?? otherSignal(envelope.data, null) };
}

/** The kind readers, imported on first use (while the function reads its config). */
export function loadKindReaders(): Promise<KindReaders> {
  return import('./kinds.js').then((kinds) => kinds.KIND_READERS);
}
