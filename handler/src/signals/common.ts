import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { at } from '../finding/read.js';
import type { Field } from '../finding/model.js';
import type { SeverityBand } from '../finding/severity.js';
import { cleanLine } from '../text/clean.js';
import type { SignalHeader } from './model.js';

/*
 * What every non-finding kind shares: the EventBridge envelope, the severity
 * a kind assigns, stable ids, bounded readers of attacker-influenced values,
 * and console links built only from validated identifiers.
 */

/** The EventBridge envelope around any GuardDuty event; the detail is read per kind. */
export const EnvelopeSchema = z.looseObject({
  version: z.optional(z.string()),
  id: z._default(z.string(), 'unknown'),
  'detail-type': z.string(),
  source: z.literal('aws.guardduty'),
  account: z.optional(z.string()),
  time: z.optional(z.string()),
  region: z.optional(z.string()),
  resources: z.optional(z.array(z.unknown())),
  detail: z._default(z.unknown(), {}),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/**
 * The score a signal of each band carries. These events have no score of
 * their own; this is the middle of GuardDuty's band, so sorting and numeric
 * floors treat them like findings of that band.
 */
export const BAND_SCORE: Record<SeverityBand, number> = { LOW: 2, MEDIUM: 5.5, HIGH: 8, CRITICAL: 9.5 };

export function severityOf(band: SeverityBand): SignalHeader['severity'] {
  return { score: BAND_SCORE[band], band };
}

/** Longest single value kept in a signal field; renderers truncate further per channel. */
export const MAX_SIGNAL_VALUE = 500;
/** Longest title. */
export const MAX_SIGNAL_TITLE = 200;

/** A string at the path, cleaned to one line and bounded, or null when absent or empty. */
export function str(value: unknown, path: Array<string | number>, max = MAX_SIGNAL_VALUE): string | null {
  const found = at(value, ...path);
  if (typeof found === 'string') return found.trim() === '' ? null : cleanLine(found, max);
  if (typeof found === 'number' || typeof found === 'boolean') return String(found);
  return null;
}

/** A boolean at the path, or null. */
export function bool(value: unknown, path: Array<string | number>): boolean | null {
  const found = at(value, ...path);
  return typeof found === 'boolean' ? found : null;
}

/** The array at the path, or empty. */
export function arr(value: unknown, path: Array<string | number>): unknown[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? found : [];
}

/** Builds a field list, dropping entries without a value. */
export function fieldList(entries: Array<[label: string, value: string | null | undefined]>): Field[] {
  const out: Field[] = [];
  for (const [label, value] of entries) if (value) out.push({ label, value });
  return out;
}

/** Shows at most `max` values, saying how many more there were; bounded to `limit` characters. */
export function someOf(values: readonly string[], max = 5, limit = MAX_SIGNAL_VALUE, separator = ', '): string | null {
  if (values.length === 0) return null;
  const shown = values.slice(0, max).join(separator);
  return cleanLine(values.length > max ? `${shown} (+${values.length - max} more)` : shown, limit);
}

/** A stable id from the parts that identify an event: `prefix-<32 hex>`. */
export function stableId(prefix: string, parts: ReadonlyArray<string | null>): string {
  const digest = createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\n'), 'utf8')
    .digest('hex');
  return `${prefix}-${digest.slice(0, 32)}`;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;

/** The partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The header facts the envelope gives: account, region, partition, time. */
export function envelopeFacts(
  event: Envelope,
): Pick<SignalHeader, 'account' | 'region' | 'partition' | 'time'> & { eventId: string } {
  const region = event.region && REGION.test(event.region) ? event.region : cleanLine(event.region ?? 'unknown', 32);
  const account =
    event.account && ACCOUNT.test(event.account) ? event.account : cleanLine(event.account ?? 'unknown', 32);
  return {
    account: { id: account, name: null },
    region,
    partition: partitionOf(region),
    time: cleanLine(event.time ?? '', 64),
    eventId: cleanLine(event.id, 128),
  };
}

const CONSOLE_HOST: Record<string, (region: string) => string> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
  'aws-cn': () => 'console.amazonaws.cn',
};

function consoleBase(partition: string, region: string): string | null {
  const host = CONSOLE_HOST[partition];
  return host && REGION.test(region) ? `https://${host(region)}` : null;
}

/** The GuardDuty console of a region (coverage pages live there), or null. */
export function guardDutyHomeUrl(partition: string, region: string): string | null {
  const base = consoleBase(partition, region);
  return base ? `${base}/guardduty/home?region=${region}` : null;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The S3 console page of a bucket, or null when the name is not a valid bucket name. */
export function s3BucketUrl(partition: string, region: string, bucket: string | null): string | null {
  const base = consoleBase(partition, region);
  return base && bucket && BUCKET.test(bucket) ? `${base}/s3/buckets/${bucket}?region=${region}` : null;
}

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The CloudTrail event history page of one event, or null when the id is not a CloudTrail event id. */
export function cloudTrailEventUrl(partition: string, region: string, eventId: string | null): string | null {
  const base = consoleBase(partition, region);
  return base && eventId && EVENT_ID.test(eventId)
    ? `${base}/cloudtrailv2/home?region=${region}#/events/${eventId}`
    : null;
}
