import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { NormalisedFinding } from '../finding/model.js';
import { asDeliveryError, type DeliveryError } from '../deliver/errors.js';
import type { Digest } from '../route/digest.js';
import { cleanLine, truncateBytes } from '../text/clean.js';
import {
  accountLabel,
  digestCountsText,
  digestTopBand,
  findingCount,
  findingMarkers,
  resourceLabel,
  severityLabel,
} from './facts.js';
import { TEXT_DETAIL_LEVELS, renderDigestText, renderFindingText } from './plainText.js';
import { fitWithin, utf8Bytes } from './fit.js';
import { snsSettings, SnsChannelSchema, type SnsChannel } from './settings/sns.js';
import { SEND_BATCH_MAX, defineChannel, type DetailBudget, type SendResult } from './types.js';

/** The settings (config schema and defaults) live in `settings/sns.ts`, loaded at cold start. */
export { SnsChannelSchema, type SnsChannel };

/*
 * Amazon SNS: a subject (used by email subscriptions), a JSON message with a
 * body per protocol (`MessageStructure: "json"`), and message attributes for
 * subscription filter policies.
 *
 * Per-protocol bodies (SNS API reference, Publish, MessageStructure): with
 * `json` the message is a JSON object whose keys are protocols; it must hold a
 * `default` key (used by any protocol without its own key, SQS and HTTPS
 * included). We send `default` and `email` = the full plain text, and `sms` =
 * one short line (severity, type, account, resource) of at most 140
 * characters, one SMS segment, for teams that subscribe phones to critical
 * findings.
 *
 * Attribute types: `severityScore` and `findingCount` are `Number`, so a filter
 * policy can match them numerically (`{"severityScore": [{"numeric": [">=", 7]}]}`);
 * numeric matching never matches a `String` attribute. The others are `String`.
 *
 * Limits (Amazon SNS API reference, Publish): the subject must be ASCII text
 * that begins with a letter, number or punctuation mark, without line breaks or
 * control characters, and less than 100 characters long; the message is at most
 * 256 KB (262,144 bytes), and message attributes count toward that size. SQS
 * subscribers receive at most 10 message attributes, so we send no more.
 *
 * FIFO topics (name ending `.fifo`) also need a message group id and, unless
 * the topic has content-based deduplication, a deduplication id: each at most
 * 128 ASCII letters, digits and punctuation marks. We always send both; an
 * explicit deduplication id takes precedence over a content-based one.
 */

/** Amazon SNS Publish limits (see the sources above). */
export const SNS_LIMITS = {
  /** "less than 100 characters". */
  subject: 99,
  /** Message plus attributes. */
  messageBytes: 262_144,
  /** SNS→SQS delivery carries at most 10 message attributes. */
  attributes: 10,
  /** One SMS segment of 7-bit characters. */
  sms: 140,
} as const;

/** Attributes sent as `Number`, for numeric filter-policy matching; every other one is `String`. */
export const NUMBER_ATTRIBUTES: ReadonlySet<string> = new Set(['severityScore', 'findingCount']);

/** Starts with an ASCII letter, digit or punctuation mark; printable ASCII throughout. */
const SUBJECT = /^[A-Za-z0-9!-/:-@[-`{-~][\x20-\x7E]*$/;
/** A FIFO message group or deduplication id: 1–128 ASCII letters, digits and punctuation marks. */
const FIFO_ID = /^[!-~]{1,128}$/;

const MessageAttributeSchema = z.lazy(() =>
  z.strictObject({
    DataType: z.enum(['String', 'Number']),
    StringValue: z.string().check(z.minLength(1)),
  }),
);

/** The per-protocol bodies inside the JSON message. */
export const SnsBodiesSchema = z.lazy(() =>
  z.strictObject({
    default: z.string().check(z.minLength(1)),
    email: z.string().check(z.minLength(1)),
    sms: z.string().check(z.minLength(1), z.maxLength(SNS_LIMITS.sms), z.regex(/^[\x20-\x7E]+$/)),
  }),
);
export type SnsBodies = z.infer<typeof SnsBodiesSchema>;

/** The Publish request exactly as SNS receives it, without the topic (PublishBatch entries add an `Id`). */
export const SnsPayloadSchema = z.lazy(() =>
  z
    .strictObject({
      Subject: z.string().check(z.maxLength(SNS_LIMITS.subject)).check(z.regex(SUBJECT)),
      MessageStructure: z.literal('json'),
      Message: z
        .string()
        .check(
          z.refine((m) => SnsBodiesSchema.safeParse(JSON.parse(m)).success, { error: 'not the per-protocol bodies' }),
        ),
      MessageAttributes: z.record(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,256}$/)), MessageAttributeSchema),
      MessageGroupId: z.optional(z.string().check(z.regex(FIFO_ID))),
      MessageDeduplicationId: z.optional(z.string().check(z.regex(FIFO_ID))),
    })
    .check(
      z.refine((p) => Object.keys(p.MessageAttributes).length <= SNS_LIMITS.attributes, {
        error: `more than ${SNS_LIMITS.attributes} attributes`,
      }),
    )
    .check(
      z.refine((p) => snsPayloadBytes(p) <= SNS_LIMITS.messageBytes, {
        error: `over ${SNS_LIMITS.messageBytes} bytes`,
      }),
    ),
);
export type SnsPayload = z.infer<typeof SnsPayloadSchema>;
type MessageAttributes = SnsPayload['MessageAttributes'];

/** Attribute values with their SNS data types: `Number` for {@link NUMBER_ATTRIBUTES}, else `String`. */
export function typedAttributes(attributes: Record<string, string>): MessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { DataType: NUMBER_ATTRIBUTES.has(name) ? 'Number' : 'String', StringValue: value },
    ]),
  );
}

/** Bytes SNS counts against the 256 KB limit: message, attribute names, types and values. */
export function snsPayloadBytes(payload: {
  Message: string;
  MessageAttributes: Readonly<Record<string, { DataType: string; StringValue: string }>>;
}): number {
  let bytes = Buffer.byteLength(payload.Message, 'utf8');
  for (const [name, { DataType, StringValue }] of Object.entries(payload.MessageAttributes)) {
    bytes += Buffer.byteLength(name, 'utf8') + DataType.length + Buffer.byteLength(StringValue, 'utf8');
  }
  return bytes;
}

/**
 * The SMS body: `GuardDuty BAND score type | account | resource`, one ASCII
 * line of at most 140 characters (cut from the end, so the resource goes first).
 *
 * @example smsText(finding) // 'GuardDuty LOW 2.0 UnauthorizedAccess:EC2/SSHBruteForce | prod-payments (111122223333) | EC2 instance i-0a1b…'
 */
export function smsText(finding: NormalisedFinding): string {
  const parts = [`GuardDuty ${severityLabel(finding)} ${finding.type.full}`, accountLabel(finding.account)];
  return asciiLine([...parts, resourceLabel(finding)].join(' | '), SNS_LIMITS.sms) || 'GuardDuty finding';
}

/** The SMS body of a digest: `GuardDuty digest: N findings (counts)`, within 140 characters. */
export function digestSmsText(digest: Digest): string {
  return asciiLine(`GuardDuty digest: ${findingCount(digest.total)} (${digestCountsText(digest)})`, SNS_LIMITS.sms);
}

/** The JSON message: the full text for `default` and `email`, the short line for `sms`. */
export function snsMessage(text: string, sms: string): string {
  return JSON.stringify({ default: text, email: text, sms } satisfies SnsBodies);
}

/**
 * An SNS subject: whitespace runs (CR/LF included) collapsed, accents dropped
 * (é → e), anything before the first ASCII letter, digit or punctuation mark
 * removed, other non-ASCII replaced with `?`, at most 99 characters.
 *
 * @example snsSubject('GuardDuty HIGH 8.0: Ünusual\r\nBcc: x') // 'GuardDuty HIGH 8.0: Unusual Bcc: x'
 */
export function snsSubject(value: string): string {
  return asciiLine(value, SNS_LIMITS.subject) || 'GuardDuty finding';
}

/** One line of printable ASCII (as {@link snsSubject} describes), cut to `max` characters with `...`. */
function asciiLine(value: string, max: number): string {
  const ascii = subjectAscii(value);
  return ascii.length > max ? `${ascii.slice(0, max - 3).trimEnd()}...` : ascii;
}

/** The subject's character rules without its length limit. */
function subjectAscii(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .replace(/^[^A-Za-z0-9!-/:-@[-`{-~]+/, '')
    .replace(/[^\x20-\x7E]/gu, '?')
    .trim();
}

/** Longest account name kept in a subject; a longer one gives way to the account id. */
const SUBJECT_ACCOUNT_MAX = 40;

/**
 * `GuardDuty BAND score [markers]: title (account)`. When it is too long the
 * title is shortened, never the account: a subject that loses the account
 * cannot be routed by whoever reads it (issue 15, item 3).
 */
export function findingSubject(finding: NormalisedFinding): string {
  const lead = subjectAscii(`GuardDuty ${[severityLabel(finding), ...findingMarkers(finding)].join(' ')}:`);
  const name = subjectAscii(finding.account.name ?? '');
  const account = name && name.length <= SUBJECT_ACCOUNT_MAX ? name : subjectAscii(finding.account.id).slice(0, 30);
  const tail = account ? ` (${account})` : '';
  const room = SNS_LIMITS.subject - lead.length - tail.length - 1;
  const title = subjectAscii(finding.title);
  const shortTitle = title.length > room ? `${title.slice(0, Math.max(0, room - 3)).trimEnd()}...` : title;
  return snsSubject(`${lead} ${shortTitle}${tail}`);
}

/** An attribute value: one clean line, never empty (SNS drops empty attributes). */
function attribute(value: string): string {
  return cleanLine(value, 256) || 'unknown';
}

/** Filter-policy attributes for one finding (9 of the 10 allowed). */
export function findingAttributes(finding: NormalisedFinding): Record<string, string> {
  return {
    severity: finding.severity.band,
    severityScore: finding.severity.score.toFixed(1),
    findingType: attribute(finding.type.full),
    threatPurpose: attribute(finding.type.threatPurpose),
    accountId: attribute(finding.account.id),
    region: attribute(finding.region),
    // GuardDuty's resource.resourceType verbatim ("Instance", "AccessKey", …), as filter policies expect.
    resourceType: attribute(finding.resource.type),
    isSample: String(finding.isSample),
    isUpdate: String(finding.isUpdate),
  };
}

/**
 * Filter-policy attributes for a digest: the highest band and score, `Digest`
 * for the type fields, the single account/region or `multiple`, and the count.
 */
export function digestAttributes(digest: Digest): Record<string, string> {
  const ids = [...new Set(digest.top.map((f) => f.account.id))];
  const single = <T>(values: readonly T[]): T | undefined => (values.length === 1 ? values[0] : undefined);
  const topScore = digest.top.reduce((max, f) => Math.max(max, f.severity.score), 0);
  return {
    severity: digestTopBand(digest),
    severityScore: topScore.toFixed(1),
    findingType: 'Digest',
    threatPurpose: 'Digest',
    accountId: attribute((digest.accounts.length === 1 ? single(ids) : undefined) ?? 'multiple'),
    region: attribute(single(digest.regions) ?? 'multiple'),
    resourceType: 'Digest',
    isSample: String(digest.top.length > 0 && digest.top.every((f) => f.isSample)),
    isUpdate: 'false',
    findingCount: String(digest.total),
  };
}

/** True for a FIFO topic, whose messages need a group id and a deduplication id. */
function isFifoTopic(topicArn: string): boolean {
  return topicArn.endsWith('.fifo');
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

type FifoFields = Pick<SnsPayload, 'MessageGroupId' | 'MessageDeduplicationId'>;

/**
 * FIFO fields for one finding: grouped by account, so one account's findings
 * stay in order; deduplicated per finding version (id and updatedAt), so a
 * re-delivery within SNS's 5-minute window is dropped but an update is not.
 */
function findingFifo(finding: NormalisedFinding): FifoFields {
  return {
    MessageGroupId: finding.account.id,
    MessageDeduplicationId: sha256(`${finding.id}\n${finding.updatedAt}`),
  };
}

/** FIFO fields for a digest: the single account's group (else `multiple`), deduplicated by the findings it covers. */
function digestFifo(digest: Digest, attributes: Record<string, string>): FifoFields {
  return {
    MessageGroupId: attributes.accountId ?? 'multiple',
    MessageDeduplicationId: sha256(['digest', `total=${digest.total}`, ...digest.findingIds].join('\n')),
  };
}

/**
 * The JSON message at the first detail level that fits beside the attributes
 * (the text appears twice, JSON-escaped); cutting the text is the last resort.
 */
function fitMessage(render: (budget: DetailBudget) => string, sms: string, attributes: MessageAttributes): string {
  const room = SNS_LIMITS.messageBytes - snsPayloadBytes({ Message: '', MessageAttributes: attributes });
  const message = (text: string) => snsMessage(text, sms);
  return message(
    fitWithin(TEXT_DETAIL_LEVELS, render, { size: (text) => utf8Bytes(message(text)), limit: room }, (leanest) => {
      // The text appears twice and JSON escaping can grow it: start at a quarter of the room, trim until it fits.
      let max = Math.floor((room - utf8Bytes(message(''))) / 4);
      let cut = truncateBytes(leanest, max);
      while (utf8Bytes(message(cut)) > room && max > 0) {
        max = Math.floor(max * 0.9);
        cut = truncateBytes(leanest, max);
      }
      return cut;
    }),
  );
}

/**
 * Renders one finding for SNS: subject `GuardDuty BAND score [markers]: title (account)`,
 * the plain-text body and filter-policy attributes; for a FIFO topic also the
 * message group and deduplication ids.
 *
 * @example renderSns(finding, channel)
 */
export function renderSns(finding: NormalisedFinding, channel: Pick<SnsChannel, 'topicArn'>): SnsPayload {
  const attributes = typedAttributes(findingAttributes(finding));
  return {
    Subject: findingSubject(finding),
    MessageStructure: 'json',
    Message: fitMessage((budget) => renderFindingText(finding, budget), smsText(finding), attributes),
    MessageAttributes: attributes,
    ...(isFifoTopic(channel.topicArn) ? findingFifo(finding) : {}),
  };
}

/**
 * Renders a digest for SNS: subject `GuardDuty digest: N findings (counts)`;
 * for a FIFO topic also the message group and deduplication ids.
 *
 * @example renderSnsDigest(buildDigest(findings), channel)
 */
export function renderSnsDigest(digest: Digest, channel: Pick<SnsChannel, 'topicArn'>): SnsPayload {
  const plain = digestAttributes(digest);
  const attributes = typedAttributes(plain);
  return {
    Subject: snsSubject(`GuardDuty digest: ${findingCount(digest.total)} (${digestCountsText(digest)})`),
    MessageStructure: 'json',
    Message: fitMessage((budget) => renderDigestText(digest, budget), digestSmsText(digest), attributes),
    MessageAttributes: attributes,
    ...(isFifoTopic(channel.topicArn) ? digestFifo(digest, plain) : {}),
  };
}

/**
 * Splits payloads into PublishBatch calls: at most 10 each, and at most 256 KB
 * of messages and attributes together (each payload is within 256 KB already).
 *
 * @example publishBatches([a, b, c]) // [[a, b, c]] when small; [[a], [b, c]] when a is near 256 KB
 */
export function publishBatches<P extends Pick<SnsPayload, 'Message' | 'MessageAttributes'>>(
  payloads: readonly P[],
): P[][] {
  const batches: P[][] = [];
  let current: P[] = [];
  let bytes = 0;
  for (const payload of payloads) {
    const size = snsPayloadBytes(payload);
    if (current.length > 0 && (current.length === SEND_BATCH_MAX || bytes + size > SNS_LIMITS.messageBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(payload);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Amazon SNS topic: findings go out ten to a PublishBatch call, a digest with Publish. */
export const snsChannel = defineChannel(snsSettings, {
  render: (finding, channel) => renderSns(finding, channel),
  renderDigest: (digest, channel) => renderSnsDigest(digest, channel),
  // Loaded for the weekly report only, so no SQS invocation pays for it at cold start.
  loadReportRenderer: async () => {
    const { renderReportSns: render } = await import('../report/render/sns.js');
    return (report) => render(report);
  },
  async send(payload, channel, context) {
    try {
      await context.snsPublish({ TopicArn: channel.topicArn, ...payload });
    } catch (error) {
      throw asDeliveryError(error, channel);
    }
    return { attempts: 1 };
  },
  async sendBatch(payloads, channel, context) {
    const outcomes: Array<SendResult | DeliveryError> = [];
    for (const batch of publishBatches(payloads)) {
      try {
        const results = await context.snsPublishBatch({ topicArn: channel.topicArn, messages: batch });
        for (const r of results) outcomes.push(typeof r === 'string' ? { attempts: 1 } : asDeliveryError(r, channel));
      } catch (error) {
        // Nothing in this call was published; earlier calls' outcomes stand.
        const failure = asDeliveryError(error, channel);
        if (outcomes.length === 0) throw failure;
        for (let i = 0; i < batch.length; i++) outcomes.push(failure);
      }
    }
    return outcomes;
  },
});
