import * as z from 'zod/mini';

/*
 * The EventBridge "GuardDuty Finding" envelope and the finding inside it.
 * Only what every finding carries is required; everything else is optional and
 * unknown fields pass through (`z.looseObject`), because GuardDuty adds fields
 * and resource types over time and a notifier must not drop a finding for it.
 * The normaliser reads the optional, type-specific parts defensively.
 */

const isoTimestamp = z.string().check(z.minLength(1));

export const FindingSchema = z.looseObject({
  schemaVersion: z.optional(z.string()),
  accountId: z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit AWS account id')),
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as us-east-1')),
  partition: z._default(z.string(), 'aws'),
  id: z.string().check(z.minLength(1)).check(z.maxLength(256)),
  arn: z.optional(z.string()),
  type: z.string().check(z.minLength(1)).check(z.maxLength(512)),
  severity: z.number().check(z.gte(0)).check(z.lte(10)),
  title: z._default(z.string(), ''),
  description: z._default(z.string(), ''),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
  resource: z._default(z.looseObject({ resourceType: z._default(z.string(), 'Unknown') }), { resourceType: 'Unknown' }),
  service: z._default(
    z.looseObject({
      count: z.optional(z.int().check(z.nonnegative())),
      archived: z.optional(z.boolean()),
      eventFirstSeen: z.optional(z.string()),
      eventLastSeen: z.optional(z.string()),
      action: z.optional(z.looseObject({ actionType: z.optional(z.string()) })),
      additionalInfo: z.optional(z.looseObject({})),
    }),
    {},
  ),
});
export type Finding = z.infer<typeof FindingSchema>;

export const GUARDDUTY_DETAIL_TYPE = 'GuardDuty Finding';

export const FindingEventSchema = z.looseObject({
  version: z.optional(z.string()),
  id: z._default(z.string(), 'unknown'),
  'detail-type': z.literal(GUARDDUTY_DETAIL_TYPE, {
    error: `expected detail-type "${GUARDDUTY_DETAIL_TYPE}"`,
  }),
  source: z.literal('aws.guardduty', { error: 'expected source "aws.guardduty"' }),
  account: z.optional(z.string()),
  time: z.optional(z.string()),
  region: z.optional(z.string()),
  detail: FindingSchema,
});
export type FindingEvent = z.infer<typeof FindingEventSchema>;
