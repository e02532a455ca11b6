import { z } from 'zod';
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
  channels: z.array(z.string()).min(1),
  attempt: z.number().int().min(1),
  lastError: z.string().optional(),
  event: z.unknown(),
});
export type RetryEnvelope = z.infer<typeof RetryEnvelopeSchema>;

export const DeadLetterSchema = z.object({
  guarddutyNotify: z.literal('dead-letter'),
  /** The channel that could not be served, or null for a message that is not a usable finding. */
  channel: z.string().nullable(),
  reason: z.string(),
  attempts: z.number().int(),
  /** The original event when it parsed, else the raw body. */
  event: z.unknown().optional(),
  body: z.string().optional(),
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

function parseEvent(messageId: string, event: unknown, body: string, channels: readonly string[] | null, attempt: number): ParsedRecord {
  const envelope = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (envelope['detail-type'] !== GUARDDUTY_DETAIL_TYPE || envelope.source !== 'aws.guardduty') {
    // Another event on the queue (a mis-wired rule): say what it is, not which finding fields it lacks.
    const describe = (v: unknown) => (typeof v === 'string' ? `"${cleanLine(v, 100)}"` : 'missing');
    return {
      ok: false,
      messageId,
      body,
      reason: `not a GuardDuty finding event: detail-type ${describe(envelope['detail-type'])}, source ${describe(envelope.source)} (expected "${GUARDDUTY_DETAIL_TYPE}" from "aws.guardduty")`,
    };
  }
  const parsed = FindingEventSchema.safeParse(event);
  if (!parsed.success) {
    return { ok: false, messageId, body, reason: `not a GuardDuty finding event: ${formatIssues(parsed.error, 5).join('; ')}` };
  }
  return { ok: true, item: { messageId, event: parsed.data, channels, attempt } };
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
