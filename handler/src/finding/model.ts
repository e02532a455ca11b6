import { z } from 'zod';
import { SeverityBandSchema } from './severity.js';

/*
 * The normalised finding: one view model every channel renders from, and the
 * body the generic webhook sends. Strings in it still carry attacker-influenced
 * text (cleaned of control and invisible characters, not escaped): each
 * renderer escapes for its own markup.
 */

/** A labelled value shown in a fact list (Slack fields, Teams facts, email table rows). */
export const FieldSchema = z.object({ label: z.string(), value: z.string() });
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

export const NormalisedFindingSchema = z.object({
  id: z.string(),
  arn: z.string().nullable(),
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
    variant: z.string().nullable(),
    /** The artefact after "!" ("DNS"), when present. */
    artifact: z.string().nullable(),
  }),
  severity: z.object({ score: z.number(), band: SeverityBandSchema }),
  account: z.object({ id: z.string(), name: z.string().nullable() }),
  region: z.string(),
  partition: z.string(),
  resource: z.object({
    /** GuardDuty's resourceType, verbatim ("Instance", "AccessKey", …). */
    type: z.string(),
    kind: ResourceKindSchema,
    /** Human label of the kind ("EC2 instance"). */
    label: z.string(),
    /** The primary identifier shown in headlines (instance id, bucket name, …). */
    id: z.string().nullable(),
    fields: z.array(FieldSchema),
  }),
  action: z.object({
    /** GuardDuty's actionType ("NETWORK_CONNECTION", …) or null (runtime and malware findings). */
    type: z.string().nullable(),
    label: z.string(),
    fields: z.array(FieldSchema),
  }),
  actor: z.object({
    ip: z.string().nullable(),
    country: z.string().nullable(),
    city: z.string().nullable(),
    org: z.string().nullable(),
    asn: z.string().nullable(),
    caller: z.string().nullable(),
    userAgent: z.string().nullable(),
    domain: z.string().nullable(),
  }),
  occurrences: z.object({
    count: z.number(),
    firstSeen: z.string().nullable(),
    lastSeen: z.string().nullable(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** True for an update of a finding already published (updated past the first-publish window). */
  /** True for an update of a finding already published (updated past the first-publish window). */
  isUpdate: z.boolean(),
  isSample: z.boolean(),
  archived: z.boolean(),
  /** Deep link to the finding in the GuardDuty console, null for partitions without a public console. */
  consoleUrl: z.string().nullable(),
});
export type NormalisedFinding = z.infer<typeof NormalisedFindingSchema>;
