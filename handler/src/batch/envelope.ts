import * as z from 'zod/mini';
import { FindingEventSchema, GUARDDUTY_DETAIL_TYPE, type FindingEvent } from '../finding/schema.js';
import { cleanLine } from '../text/clean.js';
import { formatIssues } from '../config/errors.js';

/*
 * Messages on the queue are either EventBridge events (from the rule) or our
 * own envelopes: a retry of named channels (re-queued with a delay), or a
 * dead-letter record (in the DLQ; redriving it to the queue retries its channel).
 */

export const RetryEnvelopeSchema = z.object({
  guarddutyNotify: z.literal('retry'),
  channels: z.array(z.string()).check(z.minLength(1)),
  attempt: z.int().check(z.gte(1)),
  lastError: z.optional(z.string()),
  event: z.unknown(),
});
export type RetryEnvelope = z.infer<typeof RetryEnvelopeSchema>;

export const DeadLetterSchema = z.object({
  guarddutyNotify: z.literal('dead-letter'),
  /** The channel that could not be served, or null for a message that is not a usable finding. */
  channel: z.nullable(z.string()),
  reason: z.string(),
  attempts: z.int(),
  /** The original event when it parsed, else the raw body. */
  event: z.optional(z.unknown()),
  body: z.optional(z.string()),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** A finding to process, for all channels (null) or only the named ones. */
export interface WorkItem {
  messageId: string;
  event: FindingEvent;
  channels: readonly string[] | null;
  /** How many times this finding was re-queued before (0 for a first delivery). */
  attempt: number;
}

export type ParsedRecord = { ok: true; item: WorkItem } | { ok: false; messageId: string; reason: string; body: string };

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
  if (!parsed.success) return { ok: false, reason: `not a GuardDuty finding event: ${formatIssues(parsed.error, 5).join('; ')}` };
  return { ok: true, event: parsed.data };
}

function parseEvent(messageId: string, event: unknown, body: string, channels: readonly string[] | null, attempt: number): ParsedRecord {
  const parsed = parseFindingEvent(event);
  if (!parsed.ok) return { ok: false, messageId, body, reason: parsed.reason };
  return { ok: true, item: { messageId, event: parsed.event, channels, attempt } };
}

/** Classifies one SQS message body. Pure. */
export function parseRecord(messageId: string, body: string): ParsedRecord {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, messageId, body, reason: 'message body is not JSON' };
  }
  const marker = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).guarddutyNotify : undefined;
  if (marker === 'retry') {
    const retry = RetryEnvelopeSchema.safeParse(json);
    if (!retry.success) return { ok: false, messageId, body, reason: `malformed retry envelope: ${formatIssues(retry.error, 5).join('; ')}` };
    return parseEvent(messageId, retry.data.event, body, retry.data.channels, retry.data.attempt);
  }
  if (marker === 'dead-letter') {
    // Redriven from the DLQ by an operator: a fresh retry budget for the channel it names.
    const dead = DeadLetterSchema.safeParse(json);
    if (!dead.success || dead.data.event === undefined) {
      return { ok: false, messageId, body, reason: 'redriven dead-letter record without a usable event' };
    }
    return parseEvent(messageId, dead.data.event, body, dead.data.channel === null ? null : [dead.data.channel], 0);
  }
  return parseEvent(messageId, json, body, null, 0);
}
