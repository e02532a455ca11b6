import * as z from 'zod/mini';

/*
 * What the state store takes and answers. Items read back from DynamoDB are
 * parsed with these schemas too, so a hand-edited or older item degrades to
 * "unknown", never to a crash.
 */

/** One sighting of a finding: enough to tell new, escalation and occurrence. */
export const SightingSchema = z.lazy(() =>
  z.object({
    findingId: z.string().check(z.minLength(1)),
    /** GuardDuty's numeric severity (1.0-10.0). */
    score: z.number(),
    /** GuardDuty's `service.count`: grows with every occurrence of the finding. */
    count: z.int().check(z.nonnegative()),
    /** GuardDuty's `updatedAt`, verbatim (ISO 8601). */
    updatedAt: z.string().check(z.minLength(1)),
  }),
);
export type Sighting = z.infer<typeof SightingSchema>;

/** What the memory says about one sighting. */
export const ObservationSchema = z.lazy(() =>
  z.object({
    /** First sighting of this finding by any container (since the table existed, within the TTL). */
    isNew: z.boolean(),
    /** Severity rose above the highest seen before, and this sighting is the one that raised it. */
    isEscalation: z.boolean(),
    /** The highest score seen before this sighting's decision; null when new. */
    previousHighest: z.nullable(z.number()),
  }),
);
export type Observation = z.infer<typeof ObservationSchema>;

/** One (finding occurrence, channel) pair: the unit of idempotent delivery. */
export const DeliveryKeySchema = z.lazy(() =>
  z.object({
    findingId: z.string().check(z.minLength(1)),
    /** From `occurrenceOf(sighting)`. */
    occurrence: z.string().check(z.minLength(1)),
    channel: z.string().check(z.minLength(1)),
  }),
);
export type DeliveryKey = z.infer<typeof DeliveryKeySchema>;

/** Where a service put the message, so later work can thread under it or edit it. */
export const MessageRefSchema = z.lazy(() =>
  z.discriminatedUnion('service', [
    z.object({ service: z.literal('slack'), channel: z.string(), ts: z.string() }),
    z.object({ service: z.literal('googleChat'), name: z.string() }),
  ]),
);
export type MessageRef = z.infer<typeof MessageRefSchema>;

export const AcceptedDeliverySchema = z.lazy(() =>
  z.object({
    ...DeliveryKeySchema._zod.innerType.shape,
    ref: z.optional(MessageRefSchema),
  }),
);
export type AcceptedDelivery = z.infer<typeof AcceptedDeliverySchema>;

export const LIFECYCLE_ACTIONS = ['archived', 'unarchived', 'acknowledged'] as const;
export const LifecycleChangeSchema = z.lazy(() =>
  z.object({
    action: z.enum(LIFECYCLE_ACTIONS),
    /** Who did it: an IAM principal (archive sync) or a Slack user (acknowledge). */
    by: z.string().check(z.minLength(1)),
    /** When, ISO 8601. */
    at: z.string().check(z.minLength(1)),
  }),
);
export type LifecycleChange = z.infer<typeof LifecycleChangeSchema>;

const optionalString = z.optional(z.string());

/** The per-finding record (`sk = "META"`), as the report and the Slack app read it. */
export const FindingRecordSchema = z.lazy(() =>
  z.object({
    firstSeenAt: optionalString,
    highestSeverity: z.optional(z.number()),
    lastCount: z.optional(z.number()),
    lastUpdatedAt: optionalString,
    lastSeenAt: optionalString,
    archivedBy: optionalString,
    archivedAt: optionalString,
    unarchivedBy: optionalString,
    unarchivedAt: optionalString,
    acknowledgedBy: optionalString,
    acknowledgedAt: optionalString,
    expiresAt: z.number(),
  }),
);
export type FindingRecord = z.infer<typeof FindingRecordSchema>;

/**
 * A tamper alert or a coverage change, kept for the report (`pk = SIGNAL#<day>`).
 * The same shape as the report's signal record (`report/model.ts`).
 */
export const SignalEntrySchema = z.lazy(() =>
  z.object({
    kind: z.enum(['tamper', 'coverageLost', 'coverageRestored']),
    /** The event's time, ISO 8601: its day is the partition. */
    at: z.string().check(z.minLength(10)),
    title: z.string(),
    accountId: z.string(),
    region: z.string(),
    key: z.nullable(z.string()),
  }),
);
export type SignalEntry = z.infer<typeof SignalEntrySchema>;

/** The pipeline's last processed event (for the heartbeat report). */
export const PipelineRecordSchema = z.lazy(() =>
  z.object({
    lastEventAt: z.string(),
    lastProcessedAt: z.string(),
    expiresAt: z.number(),
  }),
);
export type PipelineRecord = z.infer<typeof PipelineRecordSchema>;
