import { z } from 'zod';

/*
 * The EventBridge "GuardDuty Finding" envelope and the finding inside it.
 * Only what every finding carries is required; everything else is optional and
 * unknown fields pass through (`z.looseObject`), because GuardDuty adds fields
 * and resource types over time and a notifier must not drop a finding for it.
 * The normaliser reads the optional, type-specific parts defensively.
 */

const isoTimestamp = z.string().min(1);

export const FindingSchema = z.looseObject({
  schemaVersion: z.string().optional(),
  accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as us-east-1'),
  partition: z.string().default('aws'),
  id: z.string().min(1).max(256),
  arn: z.string().optional(),
  type: z.string().min(1).max(512),
  severity: z.number().min(0).max(10),
  title: z.string().default(''),
  description: z.string().default(''),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
  resource: z.looseObject({ resourceType: z.string().default('Unknown') }).default({ resourceType: 'Unknown' }),
  service: z
    .looseObject({
      count: z.number().int().nonnegative().optional(),
      archived: z.boolean().optional(),
      eventFirstSeen: z.string().optional(),
      eventLastSeen: z.string().optional(),
      action: z.looseObject({ actionType: z.string().optional() }).optional(),
      additionalInfo: z.looseObject({}).optional(),
    })
    .default({}),
});
export type Finding = z.infer<typeof FindingSchema>;

export const GUARDDUTY_DETAIL_TYPE = 'GuardDuty Finding';

export const FindingEventSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string().default('unknown'),
  'detail-type': z.literal(GUARDDUTY_DETAIL_TYPE, {
    error: `expected detail-type "${GUARDDUTY_DETAIL_TYPE}"`,
  }),
  source: z.literal('aws.guardduty', { error: 'expected source "aws.guardduty"' }),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  detail: FindingSchema,
});
export type FindingEvent = z.infer<typeof FindingEventSchema>;
