import type { DeliveryKey, Sighting } from './types.js';

/*
 * The single-table layout. One partition per finding, so everything about a
 * finding is one Query away; the pipeline's heartbeat record has its own.
 *
 *   pk                  sk                                   what
 *   FINDING#<id>        META                                 first seen, highest severity, last count, lifecycle
 *   FINDING#<id>        DELIVERY#<occurrence>#<channel>      the receiver accepted this occurrence on this channel
 *   FINDING#<id>        REF#<channel>                        the latest message reference on this channel
 *   PIPELINE            LAST_EVENT                           the last processed event time
 *   SIGNAL#<yyyy-mm-dd> <time>#<digest>                      a tamper alert or coverage change of that UTC day (the report)
 *
 * Every item carries `expiresAt` (epoch seconds), the table's TTL attribute.
 */

export const META = 'META';
export const PIPELINE_KEY = { pk: 'PIPELINE', sk: 'LAST_EVENT' } as const;

export const findingPk = (findingId: string): string => `FINDING#${findingId}`;
export const deliverySk = (occurrence: string, channel: string): string => `DELIVERY#${occurrence}#${channel}`;
export const refSk = (channel: string): string => `REF#${channel}`;
/** One partition per UTC day: the report reads a period with one Query per day. */
export const signalPk = (day: string): string => `SIGNAL#${day}`;

/** The UTC days (yyyy-mm-dd) that [start, end) touches, oldest first. */
export function daysOf(start: Date, end: Date): string[] {
  const days: string[] = [];
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  for (; day.getTime() < end.getTime(); day.setUTCDate(day.getUTCDate() + 1)) days.push(day.toISOString().slice(0, 10));
  return days;
}

/**
 * What identifies one occurrence of a finding: its `updatedAt` and `service.count`.
 * A redelivered SQS record, or the same event forwarded twice, carries both
 * unchanged and so maps to the same key; GuardDuty publishes a new occurrence
 * with a later `updatedAt` and a higher count. The count breaks the tie should
 * two occurrences ever share a timestamp. The EventBridge event id is not used:
 * a region forwarder re-publishes the same finding state under another id.
 * Because `updatedAt` is ISO 8601, a finding's receipts sort by time.
 */
export function occurrenceOf(sighting: Pick<Sighting, 'updatedAt' | 'count'>): string {
  return `${sighting.updatedAt}#${sighting.count}`;
}

/** A stable string for a delivery key (deduplication within one request). */
export const deliveryId = (key: DeliveryKey): string =>
  `${findingPk(key.findingId)}|${deliverySk(key.occurrence, key.channel)}`;

/** Epoch seconds `ttlDays` after `nowMs`: the TTL attribute's value. */
export function expiresAtFrom(nowMs: number, ttlDays: number): number {
  return Math.floor(nowMs / 1000) + Math.round(ttlDays * 86_400);
}
