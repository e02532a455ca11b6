import * as z from 'zod/mini';

/*
 * The event EventBridge Scheduler sends to ask for a report: the schedule's
 * fixed JSON input. It carries no EventBridge envelope (`source`,
 * `detail-type`), so it can never be mistaken for a GuardDuty event, and a
 * GuardDuty event can never be mistaken for it.
 *
 * @example {"guarddutyNotify":"report"}
 * @example {"guarddutyNotify":"report","periodDays":7}
 */
export const ReportEventSchema = z.strictObject({
  guarddutyNotify: z.literal('report'),
  /** Overrides the configured period (1–90 days; GuardDuty keeps findings 90 days). */
  periodDays: z.optional(z.int().check(z.gte(1), z.lte(90))),
  /** The period's end (ISO 8601); default: the invocation time. For re-running a missed report. */
  end: z.optional(z.iso.datetime({ offset: true })),
});
export type ReportEvent = z.infer<typeof ReportEventSchema>;

/** True for a report request; the Lambda entry routes it to the report instead of the SQS batch path. */
export function isReportEvent(event: unknown): event is ReportEvent {
  return ReportEventSchema.safeParse(event).success;
}
