import * as z from 'zod/mini';
import { FacetSchema } from './facets.js';
import { SeverityBandSchema } from './severity.js';

/*
 * The normalised finding: one view model every channel renders from, and the
 * body the generic webhook sends. Strings in it still carry attacker-influenced
 * text (cleaned of control and invisible characters, not escaped): each
 * renderer escapes for its own markup.
 */

/** A labelled value shown in a fact list (Slack fields, Teams facts, email table rows). */
export const FieldSchema = z.lazy(() => z.object({ label: z.string(), value: z.string() }));
export type Field = z.infer<typeof FieldSchema>;

export const ResourceKindSchema = z.enum([
  'instance',
  'accessKey',
  's3Bucket',
  's3Object',
  'eksCluster',
  'ecsCluster',
  'container',
  'rdsInstance',
  'lambda',
  'other',
]);
export type ResourceKind = z.infer<typeof ResourceKindSchema>;

/** The kinds of GuardDuty signal a view can carry (see `signals/`). */
export const VIEW_KINDS = ['finding', 'scan', 'coverage', 'activity'] as const;
export const ViewKindSchema = z.enum(VIEW_KINDS);
export type ViewKind = z.infer<typeof ViewKindSchema>;

export const NormalisedFindingSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    arn: z.nullable(z.string()),
    eventId: z.string(),
    title: z.string(),
    description: z.string(),
    type: z.object({
      full: z.string(),
      /** e.g. "UnauthorizedAccess", "Recon", "CryptoCurrency". */
      threatPurpose: z.string(),
      /** e.g. "EC2", "IAMUser", "S3", "Kubernetes", "Runtime". */
      resourceType: z.string(),
      /** e.g. "SSHBruteForce", "BitcoinTool". */
      family: z.string(),
      /** What follows the family: detection mechanism / variant ("B", "OutsideAWS"). */
      variant: z.nullable(z.string()),
      /** The artefact after "!" ("DNS"), when present. */
      artifact: z.nullable(z.string()),
    }),
    severity: z.object({
      /** The score rounded to one decimal, as channels display it. */
      score: z.number(),
      /** The score exactly as GuardDuty sent it (clamped to 0–10); the band is computed from this. */
      raw: z.number(),
      band: SeverityBandSchema,
    }),
    account: z.object({ id: z.string(), name: z.nullable(z.string()) }),
    region: z.string(),
    partition: z.string(),
    resource: z.object({
      /** GuardDuty's resourceType, verbatim ("Instance", "AccessKey", …). */
      type: z.string(),
      kind: ResourceKindSchema,
      /** Human label of the kind ("EC2 instance"). */
      label: z.string(),
      /** The primary identifier shown in headlines (instance id, bucket name, …). */
      id: z.nullable(z.string()),
      fields: z.array(FieldSchema),
      /** Owner tags of every resource the finding describes (instance, buckets, clusters, function), cleaned. */
      tags: z.array(z.object({ key: z.string(), value: z.string() })),
    }),
    /** Who is who: what of yours was affected (the actor is `actor`). */
    target: z.object({
      /** "EC2 instance", "S3 bucket", … */
      label: z.string(),
      id: z.nullable(z.string()),
    }),
    /** Every other group of facts the finding carries (host instance, process, malware scan, …), in display order. */
    facets: z.array(FacetSchema),
    /** AWS documentation and remediation guide for this type (fixed docs.aws.amazon.com URLs). */
    nextSteps: z.array(z.object({ label: z.string(), url: z.string() })),
    action: z.object({
      /** GuardDuty's actionType ("NETWORK_CONNECTION", …) or null (runtime and malware findings). */
      type: z.nullable(z.string()),
      label: z.string(),
      fields: z.array(FieldSchema),
    }),
    actor: z.object({
      ip: z.nullable(z.string()),
      country: z.nullable(z.string()),
      city: z.nullable(z.string()),
      org: z.nullable(z.string()),
      asn: z.nullable(z.string()),
      caller: z.nullable(z.string()),
      userAgent: z.nullable(z.string()),
      domain: z.nullable(z.string()),
    }),
    occurrences: z.object({
      count: z.number(),
      firstSeen: z.nullable(z.string()),
      lastSeen: z.nullable(z.string()),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** True for an update of a finding already published (updated past the first-publish window). */
    isUpdate: z.boolean(),
    isSample: z.boolean(),
    archived: z.boolean(),
    /** Deep link to the finding in the GuardDuty console, null for partitions without a public console. */
    consoleUrl: z.nullable(z.string()),
    /** Why there is no console link (null when there is one). */
    consoleUrlUnavailable: z.nullable(z.string()),
    /** Fields of the finding that could not be read ("could not read: service.action (null)"); cleaned, short. */
    readNotes: z.array(z.string()),
    /**
     * What GuardDuty signal this is: a finding, a Malware Protection for S3 scan
     * result, a coverage change, or a GuardDuty API call (CloudTrail). Every kind
     * has this same shape, so routing, rendering and digests treat them alike.
     */
    kind: ViewKindSchema,
    /** A short stable name of what happened ("finding", "activity.tamper", "scan.threats_found", …). */
    topic: z.string(),
    /** `quiet` reaches only channels that ask for quiet signals (`includeQuiet`: a clean scan). */
    delivery: z.enum(['notify', 'quiet']),
    /** For an archive or unarchive of a finding (the archive sync): who and when; null otherwise. */
    lifecycle: z.nullable(z.object({ action: z.enum(['archived', 'unarchived']), by: z.string(), at: z.string() })),
    /** True when this view closes what an earlier one opened (archived finding, coverage restored): PagerDuty resolves. */
    resolves: z.boolean(),
  }),
);
export type NormalisedFinding = z.infer<typeof NormalisedFindingSchema>;
