import * as z from 'zod/mini';
import type { Field } from '../finding/model.js';
import { at } from '../finding/read.js';
import { cleanLine } from '../text/clean.js';
import { classifyCall } from './activityCalls.js';
import {
  arr,
  cloudTrailEventUrl,
  type Envelope,
  envelopeFacts,
  fieldList,
  MAX_SIGNAL_TITLE,
  severityOf,
  stableId,
  str,
} from './common.js';
import type { ActivitySignal } from './model.js';
import { matchExpectedPrincipal, principalOf } from './principal.js';

/*
 * GuardDuty API calls, as CloudTrail records them and EventBridge delivers
 * them (`detail-type: "AWS API Call via CloudTrail"`, `source: "aws.guardduty"`,
 * the CloudTrail record in `detail`; needs a trail logging management events).
 * Record fields: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */

export const ACTIVITY_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** The CloudTrail record. Only what classification needs is typed; the rest passes through. */
export const CloudTrailRecordSchema = z.looseObject({
  eventVersion: z.optional(z.string()),
  userIdentity: z.optional(z.unknown()),
  eventTime: z.optional(z.string()),
  eventSource: z.optional(z.string()),
  eventName: z.string().check(z.minLength(1)),
  awsRegion: z.optional(z.string()),
  sourceIPAddress: z.optional(z.string()),
  userAgent: z.optional(z.string()),
  requestParameters: z.optional(z.unknown()),
  responseElements: z.optional(z.unknown()),
  errorCode: z.optional(z.string()),
  errorMessage: z.optional(z.string()),
  requestID: z.optional(z.string()),
  eventID: z.optional(z.string()),
  readOnly: z.optional(z.boolean()),
  eventType: z.optional(z.string()),
  recipientAccountId: z.optional(z.string()),
});
export type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;

export interface ActivityOptions {
  /**
   * Principals whose changes are expected (the IaC pipeline's role, AWS
   * Security Incident Response's service role): ARN patterns with `*`, see
   * {@link matchExpectedPrincipal}. Their tamper calls become LOW notes.
   */
  expectedPrincipals?: readonly string[];
}

const FINDING_ID = /^[A-Za-z0-9_-]{1,128}$/;
const DETECTOR_ID = /^[A-Za-z0-9_-]{1,300}$/;
/** ArchiveFindings takes at most 50 ids (API reference); anything beyond a generous bound is not ours to trust. */
const MAX_FINDING_IDS = 1_000;

/** The finding ids of an archive/unarchive call: only well-formed ids (they become PagerDuty dedup keys). */
function findingIdsOf(params: unknown): string[] {
  const ids = arr(params, ['findingIds']).filter((v): v is string => typeof v === 'string' && FINDING_ID.test(v));
  return [...new Set(ids)].slice(0, MAX_FINDING_IDS);
}

function resultField(record: CloudTrailRecord): string {
  if (!record.errorCode) return 'succeeded';
  const message = record.errorMessage ? `: ${cleanLine(record.errorMessage, 300)}` : '';
  return `REFUSED (${cleanLine(record.errorCode, 100)}${message})`;
}

/**
 * Reads and classifies one GuardDuty API call: a lifecycle note
 * (ArchiveFindings/UnarchiveFindings), a tamper alert (see the table in
 * `activityCalls.ts`), or ignored with the reason. A refused call (`errorCode`)
 * is still reported, marked REFUSED; a tamper call by an expected principal is
 * a LOW note naming the pattern that matched.
 *
 * @example classifyActivity(envelope, record, { expectedPrincipals: ['arn:aws:iam::111122223333:role/terraform-ci'] })
 */
export function classifyActivity(
  envelope: Envelope,
  record: CloudTrailRecord,
  options: ActivityOptions = {},
): ActivitySignal {
  const facts = envelopeFacts(envelope);
  const callName = cleanLine(record.eventName, 128);
  const verdict = classifyCall(
    record.eventName,
    record.readOnly === true,
    record.requestParameters,
    record.responseElements,
  );
  const principal = principalOf(record.userIdentity);
  const refused = typeof record.errorCode === 'string' && record.errorCode !== '';
  const expected =
    verdict.category === 'tamper' ? matchExpectedPrincipal(principal, options.expectedPrincipals ?? []) : null;
  const eventId = str(record, ['eventID'], 128);
  const detectorRaw = str(record.requestParameters, ['detectorId'], 300);
  const detectorId = detectorRaw && DETECTOR_ID.test(detectorRaw) ? detectorRaw : null;
  const region = facts.region;

  const band = verdict.category === 'tamper' && expected === null ? verdict.band : 'LOW';
  const phrase = verdict.category === 'ignored' ? `${callName} (ignored)` : refused ? verdict.attempt : verdict.done;
  const title = cleanLine(
    [refused ? 'REFUSED:' : null, expected ? 'Expected change:' : null, phrase].filter(Boolean).join(' '),
    MAX_SIGNAL_TITLE,
  );
  const topic = `activity.${verdict.category}`;

  const who: Field[] = fieldList([
    ['Call', callName],
    ['By', principal.display],
    ['Principal type', principal.type],
    ['Role session', principal.sessionName],
    ['Via service', principal.type === 'AWSService' ? null : principal.invokedBy],
    ['Access key', principal.accessKeyId],
    ['Source IP', str(record, ['sourceIPAddress'], 128)],
    ['User agent', str(record, ['userAgent'], 300)],
    ['Result', resultField(record)],
    ['Expected principal', expected ? `matches ${cleanLine(expected, 300)}` : null],
  ]);
  const trailer = fieldList([
    ['Detector', detectorId],
    ['CloudTrail event', eventId],
  ]);

  return {
    kind: 'activity',
    id:
      eventId && /^[0-9a-f-]{36}$/i.test(eventId)
        ? `activity-${eventId}`
        : stableId('activity', [facts.eventId, record.eventTime ?? null, callName, str(record, ['requestID'], 128)]),
    topic,
    title,
    severity: severityOf(band),
    account: facts.account,
    region,
    partition: facts.partition,
    time: cleanLine(record.eventTime ?? facts.time, 64),
    fields: [...who, ...(verdict.category === 'ignored' ? [] : verdict.fields), ...trailer],
    consoleUrl: cloudTrailEventUrl(facts.partition, region, eventId),
    delivery: verdict.category === 'ignored' ? 'ignore' : 'notify',
    ignoreReason: verdict.category === 'ignored' ? verdict.reason : null,
    activity: {
      category: verdict.category,
      callName,
      principal,
      sourceIp: str(record, ['sourceIPAddress'], 128),
      userAgent: str(record, ['userAgent'], 300),
      refused,
      errorCode: refused ? cleanLine(record.errorCode ?? '', 100) : null,
      errorMessage: refused && record.errorMessage ? cleanLine(record.errorMessage, 300) : null,
      expected,
      findingIds: verdict.category === 'lifecycle' ? findingIdsOf(record.requestParameters) : [],
      detectorId,
      eventId,
    },
  };
}

/**
 * Reads the CloudTrail record of an activity event and classifies it. A
 * record without an `eventName` cannot be classified: it is ignored, with that
 * reason, rather than guessed at.
 */
export function readActivity(envelope: Envelope, options: ActivityOptions = {}): ActivitySignal {
  const parsed = CloudTrailRecordSchema.safeParse(envelope.detail);
  if (parsed.success) return classifyActivity(envelope, parsed.data, options);
  const facts = envelopeFacts(envelope);
  return {
    kind: 'activity',
    id: stableId('activity', [facts.eventId]),
    topic: 'activity.ignored',
    title: 'Unreadable GuardDuty API call (ignored)',
    severity: severityOf('LOW'),
    account: facts.account,
    region: facts.region,
    partition: facts.partition,
    time: facts.time,
    fields: [],
    consoleUrl: null,
    delivery: 'ignore',
    ignoreReason: 'the CloudTrail record has no eventName',
    activity: {
      category: 'ignored',
      callName: 'unknown',
      principal: principalOf(at(envelope.detail, 'userIdentity')),
      sourceIp: null,
      userAgent: null,
      refused: false,
      errorCode: null,
      errorMessage: null,
      expected: null,
      findingIds: [],
      detectorId: null,
      eventId: null,
    },
  };
}
