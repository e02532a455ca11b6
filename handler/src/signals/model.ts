import * as z from 'zod/mini';
import { FieldSchema, NormalisedFindingSchema } from '../finding/model.js';
import { SeverityBandSchema } from '../finding/severity.js';

/*
 * The normalised signal: one view model for everything GuardDuty puts on the
 * bus. Every kind carries the same header (id, title, severity, where, when,
 * fields, console link, delivery), so routing, digests, metrics and generic
 * renderers treat kinds alike; each kind adds its own data under its own key.
 * Strings are cleaned of control and invisible characters, not escaped: every
 * renderer escapes for its own markup, as for findings.
 */

export const SIGNAL_KINDS = ['finding', 'scan', 'coverage', 'activity', 'other'] as const;
export const SignalKindSchema = z.enum(SIGNAL_KINDS);
export type SignalKind = z.infer<typeof SignalKindSchema>;

/**
 * How routing treats a signal: `notify` goes to every channel whose rules match;
 * `quiet` only to channels that ask for quiet signals (a clean scan); `ignore`
 * to none, with `ignoreReason` saying why (a read-only API call).
 */
export const DeliverySchema = z.enum(['notify', 'quiet', 'ignore']);
export type Delivery = z.infer<typeof DeliverySchema>;

/** The header's fields, built per use (the schemas below are built on first use, not at cold start). */
const header = () => ({
  /** Stable across redeliveries of the same event: for dedup and metrics. */
  id: z.string(),
  /**
   * A short stable name of what happened, for routing and metrics:
   * "activity.tamper", "scan.threats_found", "coverage.runtime_unhealthy", …
   */
  topic: z.string(),
  title: z.string(),
  severity: z.object({ score: z.number(), band: SeverityBandSchema }),
  account: z.object({ id: z.string(), name: z.nullable(z.string()) }),
  region: z.string(),
  partition: z.string(),
  /** When it happened (ISO 8601 as the event gives it). */
  time: z.string(),
  /** Kind-specific facts in display order; account, region and time are not repeated here. */
  fields: z.array(FieldSchema),
  /** A console page built only from validated identifiers, or null. */
  consoleUrl: z.nullable(z.string()),
  delivery: DeliverySchema,
  ignoreReason: z.nullable(z.string()),
});

export const FindingSignalSchema = z.lazy(() =>
  z.object({
    kind: z.literal('finding'),
    ...header(),
    finding: NormalisedFindingSchema,
  }),
);
export type FindingSignal = z.infer<typeof FindingSignalSchema>;

export const ScanResultStatusSchema = z.enum([
  'THREATS_FOUND',
  'NO_THREATS_FOUND',
  'UNSUPPORTED',
  'ACCESS_DENIED',
  'FAILED',
  'UNKNOWN',
]);
export type ScanResultStatus = z.infer<typeof ScanResultStatusSchema>;

export const ScanSignalSchema = z.lazy(() =>
  z.object({
    kind: z.literal('scan'),
    ...header(),
    scan: z.object({
      /** GuardDuty's `scanResultStatus`; UNKNOWN when absent or not one AWS documents. */
      result: ScanResultStatusSchema,
      /** `scanStatus` verbatim (COMPLETED, SKIPPED, FAILED), or null. */
      scanStatus: z.nullable(z.string()),
      bucket: z.nullable(z.string()),
      key: z.nullable(z.string()),
      versionId: z.nullable(z.string()),
      eTag: z.nullable(z.string()),
      threats: z.array(z.string()),
      /** The Malware Protection plan id, from the plan ARN in `resources`. */
      planId: z.nullable(z.string()),
      s3Throttled: z.nullable(z.boolean()),
    }),
  }),
);
export type ScanSignal = z.infer<typeof ScanSignalSchema>;

export const CoverageSignalSchema = z.lazy(() =>
  z.object({
    kind: z.literal('coverage'),
    ...header(),
    coverage: z.object({
      /** runtime = Runtime Monitoring agent; plan = Malware Protection for S3 plan; postScanAction = tagging after a scan. */
      subject: z.enum(['runtime', 'plan', 'postScanAction']),
      /** lost = coverage gone or degraded, restored = back to healthy/active. */
      state: z.enum(['lost', 'restored']),
      /** What is (not) covered: "EKS cluster prod", "S3 bucket uploads", … */
      resource: z.string(),
      /**
       * Identity of the covered resource, the same for its lost and restored
       * events (so a restored note can resolve the lost alert), or null.
       */
      incidentKey: z.nullable(z.string()),
      issues: z.array(z.string()),
    }),
  }),
);
export type CoverageSignal = z.infer<typeof CoverageSignalSchema>;

/** Who made an API call, from CloudTrail's `userIdentity`. */
export const PrincipalSchema = z.lazy(() =>
  z.object({
    /** IAMUser, AssumedRole, Root, AWSService, FederatedUser, IdentityCenterUser, …, or "Unknown". */
    type: z.string(),
    arn: z.nullable(z.string()),
    /** For an assumed role: the role's ARN (`sessionContext.sessionIssuer.arn`). */
    roleArn: z.nullable(z.string()),
    /** For an assumed role: the session name chosen by whoever assumed it (attacker-influenced). */
    sessionName: z.nullable(z.string()),
    /** The AWS service that made the call, or on whose behalf (`invokedBy`). */
    invokedBy: z.nullable(z.string()),
    accountId: z.nullable(z.string()),
    accessKeyId: z.nullable(z.string()),
    /** One line naming the principal for headlines. */
    display: z.string(),
  }),
);
export type Principal = z.infer<typeof PrincipalSchema>;

export const ActivitySignalSchema = z.lazy(() =>
  z.object({
    kind: z.literal('activity'),
    ...header(),
    activity: z.object({
      /** lifecycle = archive/unarchive; tamper = blinds or weakens GuardDuty; ignored = anything else. */
      category: z.enum(['lifecycle', 'tamper', 'ignored']),
      /** CloudTrail `eventName` ("DeleteDetector"). */
      callName: z.string(),
      principal: PrincipalSchema,
      sourceIp: z.nullable(z.string()),
      userAgent: z.nullable(z.string()),
      /** True when AWS refused the call (`errorCode` present): an attempt is still news. */
      refused: z.boolean(),
      errorCode: z.nullable(z.string()),
      errorMessage: z.nullable(z.string()),
      /** The expected-principal pattern that matched, turning a tamper alert into a LOW note; null otherwise. */
      expected: z.nullable(z.string()),
      /** For ArchiveFindings/UnarchiveFindings: the finding ids (validated), else empty. */
      findingIds: z.array(z.string()),
      detectorId: z.nullable(z.string()),
      /** CloudTrail `eventID`. */
      eventId: z.nullable(z.string()),
    }),
  }),
);
export type ActivitySignal = z.infer<typeof ActivitySignalSchema>;

/** A GuardDuty event this version does not know, or one whose detail could not be read: shown best-effort. */
export const OtherSignalSchema = z.lazy(() =>
  z.object({
    kind: z.literal('other'),
    ...header(),
    other: z.object({ detailType: z.string(), note: z.nullable(z.string()) }),
  }),
);
export type OtherSignal = z.infer<typeof OtherSignalSchema>;

export const SignalSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    FindingSignalSchema,
    ScanSignalSchema,
    CoverageSignalSchema,
    ActivitySignalSchema,
    OtherSignalSchema,
  ]),
);
export type Signal = z.infer<typeof SignalSchema>;

/** The fields every kind carries. */
export const SignalHeaderSchema = z.lazy(() => z.object(header()));
export type SignalHeader = z.infer<typeof SignalHeaderSchema>;
