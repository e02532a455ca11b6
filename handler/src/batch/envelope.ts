import * as z from 'zod/mini';
import { FindingEventSchema, GUARDDUTY_DETAIL_TYPE, type FindingEvent } from '../finding/schema.js';
import type { Signal } from '../signals/model.js';
import { type ParseSignalOptions, parseSignalWith } from '../signals/dispatch.js';
import type { KindReaders } from '../signals/kinds.js';
import { cleanLine } from '../text/clean.js';
import { formatIssues } from '../config/errors.js';

/**
 * node:zlib, loaded the first time an envelope is too large for plain text:
 * only oversized retries need it, and loading it costs every cold start
 * several milliseconds (`process.getBuiltinModule`, Node 22.3+, is synchronous).
 */
const zlib = (): typeof import('node:zlib') => process.getBuiltinModule('node:zlib');

/*
 * Messages on the queue are either EventBridge events (from the rule) or our
 * own envelopes: a retry of named channels (re-queued with a delay), or a
 * dead-letter record (in the DLQ; redriving it to the queue retries its channel).
 *
 * Envelopes carry the original message as JSON *text*, never re-serialised
 * from the parsed value: stringifying a string cannot overflow the stack on a
 * deeply nested event, and the bytes stay exactly as received. When the text
 * would not fit in one SQS message it travels gzipped (base64).
 */

/** SQS's message size limit (256 KiB, the module's queue setting), less room for attributes. */
export const MAX_MESSAGE_BYTES = 262_144 - 2_048;

const MessageText = {
  /** The original message, verbatim. */
  text: z.optional(z.string()),
  /** The original message, gzipped and base64-encoded, when `text` would not fit. */
  gzip: z.optional(z.string()),
};

export const RetryEnvelopeSchema = z.object({
  guarddutyNotify: z.literal('retry'),
  channels: z.array(z.string()).check(z.minLength(1)),
  attempt: z.int().check(z.gte(1)),
  lastError: z.optional(z.string()),
  ...MessageText,
});
export type RetryEnvelope = z.infer<typeof RetryEnvelopeSchema>;

export const DeadLetterSchema = z.object({
  guarddutyNotify: z.literal('dead-letter'),
  /** The channel that could not be served, or null for a message that is not a usable finding. */
  channel: z.nullable(z.string()),
  reason: z.string(),
  attempts: z.int(),
  ...MessageText,
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** An envelope or dead letter that does not fit in one SQS message even gzipped. */
export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLargeError';
}

/**
 * Serialises an envelope around the original message text, gzipping the text
 * when needed to stay within {@link MAX_MESSAGE_BYTES}.
 */
export function serialiseEnvelope(
  envelope: Omit<RetryEnvelope, 'text' | 'gzip'> | Omit<DeadLetter, 'text' | 'gzip'>,
  original: string,
): string {
  const plain = JSON.stringify({ ...envelope, text: original });
  if (Buffer.byteLength(plain, 'utf8') <= MAX_MESSAGE_BYTES) return plain;
  const packed = JSON.stringify({ ...envelope, gzip: zlib().gzipSync(original).toString('base64') });
  if (Buffer.byteLength(packed, 'utf8') <= MAX_MESSAGE_BYTES) return packed;
  throw new MessageTooLargeError(
    `message of ${Buffer.byteLength(original, 'utf8')} bytes does not fit in one SQS message even gzipped`,
  );
}

/** The original message text of an envelope, or null when it carries none. */
function originalText(envelope: { text?: string | undefined; gzip?: string | undefined }): string | null {
  if (envelope.text !== undefined) return envelope.text;
  if (envelope.gzip !== undefined) {
    try {
      return zlib().gunzipSync(Buffer.from(envelope.gzip, 'base64')).toString('utf8');
    } catch {
      return null;
    }
  }
  return null;
}

/** A GuardDuty event to process (a finding or another signal), for all channels (null) or only the named ones. */
export interface WorkItem {
  messageId: string;
  signal: Signal;
  /** The event's JSON text as received: what re-queues and dead letters carry. */
  eventText: string;
  channels: readonly string[] | null;
  /** How many times this finding was re-queued before (0 for a first delivery). */
  attempt: number;
}

/** How to read a record's event: the signal options and the kind readers (`loadKindReaders`, or `KIND_READERS`). */
export interface ParseRecordOptions extends ParseSignalOptions {
  readers: KindReaders;
}

export type ParsedRecord =
  | { ok: true; item: WorkItem }
  | { ok: false; messageId: string; reason: string; body: string };

/**
 * Validates a GuardDuty EventBridge event. For an event of another kind (a
 * mis-wired rule) the reason says what it is rather than which finding fields it lacks.
 */
export function parseFindingEvent(value: unknown): { ok: true; event: FindingEvent } | { ok: false; reason: string } {
  const envelope = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (envelope['detail-type'] !== GUARDDUTY_DETAIL_TYPE || envelope.source !== 'aws.guardduty') {
    const describe = (v: unknown) => (typeof v === 'string' ? `"${cleanLine(v, 100)}"` : 'missing');
    return {
      ok: false,
      reason: `not a GuardDuty finding event: detail-type ${describe(envelope['detail-type'])}, source ${describe(envelope.source)} (expected "${GUARDDUTY_DETAIL_TYPE}" from "aws.guardduty")`,
    };
  }
  const parsed = FindingEventSchema.safeParse(value);
  if (!parsed.success)
    return { ok: false, reason: `not a GuardDuty finding event: ${formatIssues(parsed.error, 5).join('; ')}` };
  return { ok: true, event: parsed.data };
}

function parseEvent(
  messageId: string,
  eventText: string,
  body: string,
  channels: readonly string[] | null,
  attempt: number,
  options: ParseRecordOptions,
  parsedText?: unknown,
): ParsedRecord {
  let event = parsedText;
  if (event === undefined) {
    try {
      event = JSON.parse(eventText);
    } catch {
      return { ok: false, messageId, body, reason: 'the original message in the envelope is not JSON' };
    }
  }
  const parsed = parseSignalWith(event, options.readers, options);
  if (!parsed.ok) return { ok: false, messageId, body, reason: parsed.reason };
  return { ok: true, item: { messageId, signal: parsed.signal, eventText, channels, attempt } };
}

/** Classifies one SQS message body. Pure. */
export function parseRecord(messageId: string, body: string, options: ParseRecordOptions): ParsedRecord {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, messageId, body, reason: 'message body is not JSON' };
  }
  const marker =
    typeof json === 'object' && json !== null ? (json as Record<string, unknown>).guarddutyNotify : undefined;
  if (marker === 'retry') {
    const retry = RetryEnvelopeSchema.safeParse(json);
    const text = retry.success ? originalText(retry.data) : null;
    if (!retry.success || text === null) {
      return {
        ok: false,
        messageId,
        body,
        reason: `malformed retry envelope${retry.success ? ': no readable text or gzip' : `: ${formatIssues(retry.error, 5).join('; ')}`}`,
      };
    }
    return parseEvent(messageId, text, body, retry.data.channels, retry.data.attempt, options);
  }
  if (marker === 'dead-letter') {
    // Redriven from the DLQ by an operator: a fresh retry budget for the channel it names.
    const dead = DeadLetterSchema.safeParse(json);
    const text = dead.success ? originalText(dead.data) : null;
    if (!dead.success || text === null)
      return { ok: false, messageId, body, reason: 'redriven dead-letter record without its original message' };
    return parseEvent(messageId, text, body, dead.data.channel === null ? null : [dead.data.channel], 0, options);
  }
  return parseEvent(messageId, body, body, null, 0, options, json);
}
