import * as z from 'zod/mini';
import { readFinding } from './readFinding.js';

/*
 * The EventBridge "GuardDuty Finding" envelope and the finding inside it.
 *
 * Only what makes an event a GuardDuty finding at all is required: the source,
 * the detail-type, a `detail` object with a finding `id` and `type`. Every other
 * field is read best-effort by `readFinding` (a number given as a string is used
 * as the number; a value of an unexpected shape is left out or kept as text) and
 * each deviation is recorded as a short "could not read" note, so no finding is
 * withheld because of one field's shape. Unknown fields pass through.
 */

/** Longest finding id and type accepted (GuardDuty's are far shorter). */
const MAX_ID = 256;
const MAX_TYPE = 512;

/** A string, or a finite number given where a string was expected (ids are sometimes numeric in hand-made events). */
const IdText = (max: number) =>
  z
    .pipe(
      z.union([z.string(), z.number().check(z.refine(Number.isFinite, 'expected a finite number'))]),
      z.transform((v) => String(v)),
    )
    .check(z.minLength(1), z.maxLength(max));

/** What every GuardDuty finding must carry; the rest is read leniently. */
export const RawFindingSchema = z.looseObject({
  id: IdText(MAX_ID),
  type: z.string().check(z.minLength(1), z.maxLength(MAX_TYPE)),
});

/** The finding as the normaliser reads it: every top-level field typed, defaults filled in. */
export const FindingSchema = z.looseObject({
  schemaVersion: z.optional(z.string()),
  accountId: z.string(),
  region: z.string(),
  partition: z.string(),
  id: z.string(),
  arn: z.optional(z.string()),
  type: z.string(),
  /** The score as given (0–10, clamped), before any display rounding. */
  severity: z.number(),
  title: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resource: z.looseObject({ resourceType: z.string() }),
  service: z.looseObject({
    count: z.optional(z.number()),
    archived: z.optional(z.boolean()),
    eventFirstSeen: z.optional(z.string()),
    eventLastSeen: z.optional(z.string()),
    action: z.optional(z.looseObject({ actionType: z.optional(z.string()) })),
    additionalInfo: z.optional(z.looseObject({})),
  }),
});
export type Finding = z.infer<typeof FindingSchema>;

export const GUARDDUTY_DETAIL_TYPE = 'GuardDuty Finding';

const EnvelopeSchema = z.looseObject({
  version: z.optional(z.string()),
  id: z.catch(z._default(z.string(), 'unknown'), 'unknown'),
  'detail-type': z.literal(GUARDDUTY_DETAIL_TYPE, {
    error: `expected detail-type "${GUARDDUTY_DETAIL_TYPE}"`,
  }),
  source: z.literal('aws.guardduty', { error: 'expected source "aws.guardduty"' }),
  account: z.optional(z.unknown()),
  time: z.optional(z.unknown()),
  region: z.optional(z.unknown()),
  detail: RawFindingSchema,
});

/**
 * A GuardDuty finding event: the envelope, the finding read leniently, and the
 * notes on what could not be read (`readNotes`, already cleaned and short).
 */
export const FindingEventSchema = z.pipe(
  EnvelopeSchema,
  z.transform((event) => {
    const { finding, notes } = readFinding(event.detail, typeof event.time === 'string' ? event.time : null);
    return { ...event, detail: finding, readNotes: notes };
  }),
);
export type FindingEvent = z.infer<typeof FindingEventSchema>;
