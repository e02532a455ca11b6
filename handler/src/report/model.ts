import * as z from 'zod/mini';
import { NormalisedFindingSchema } from '../finding/model.js';
import { SeverityBandSchema } from '../finding/severity.js';

/*
 * The weekly report: one view model every channel renders from, and the body
 * the webhook and SNS channels send. Strings that come from findings or
 * signals (types, resource ids, titles, account names) are cleaned, not
 * escaped: each renderer escapes them for its own markup.
 */

/**
 * What the report keeps of each finding: the fields it counts and lists. A
 * normalised finding is one; the reader keeps only these, so 10,000 findings
 * fit a 128 MB function.
 */
export const ReportFindingSchema = z.pick(NormalisedFindingSchema._zod.innerType, {
  id: true,
  title: true,
  type: true,
  severity: true,
  account: true,
  region: true,
  target: true,
  occurrences: true,
  createdAt: true,
  updatedAt: true,
  archived: true,
  isSample: true,
  consoleUrl: true,
});
export type ReportFinding = z.infer<typeof ReportFindingSchema>;

/** The report's fields of a finding (drops descriptions, facets, actor and the rest). */
export function reportFindingOf(f: ReportFinding): ReportFinding {
  return {
    id: f.id,
    title: f.title,
    type: f.type,
    severity: f.severity,
    account: f.account,
    region: f.region,
    target: f.target,
    occurrences: f.occurrences,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    archived: f.archived,
    isSample: f.isSample,
    consoleUrl: f.consoleUrl,
  };
}

/** Counts per severity band. */
export const BandCountsSchema = z.object({
  LOW: z.number(),
  MEDIUM: z.number(),
  HIGH: z.number(),
  CRITICAL: z.number(),
});
export type BandCounts = z.infer<typeof BandCountsSchema>;

const RankedSchema = z.object({
  /** What is counted: a finding type, an account id, a resource id. */
  key: z.string(),
  /** A display name when known (account name), else null. */
  name: z.nullable(z.string()),
  /** Findings updated in the period. */
  findings: z.number(),
  /** Sum of their occurrence counts. */
  occurrences: z.number(),
  /** Highest band among them. */
  highest: SeverityBandSchema,
});
export type Ranked = z.infer<typeof RankedSchema>;

/** A reviewable archive rule for a noisy type: proposed, never created (creating filters is an attacker technique). */
export const SuppressionAdviceSchema = z.object({
  type: z.string(),
  findings: z.number(),
  /** Share of all findings of the period, 0–1. */
  share: z.number(),
  /** GuardDuty filter criteria, each field equal to one of the values. */
  criteria: z.array(z.object({ field: z.string(), equals: z.array(z.string()) })),
  /** The equivalent `aws guardduty create-filter` command, for review; null when a value is unsafe to place in a command. */
  cli: z.nullable(z.string()),
});
export type SuppressionAdvice = z.infer<typeof SuppressionAdviceSchema>;

export const OpenFindingSchema = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  band: SeverityBandSchema,
  score: z.number(),
  accountId: z.string(),
  accountName: z.nullable(z.string()),
  region: z.string(),
  resource: z.nullable(z.string()),
  createdAt: z.string(),
  /** Whole days between createdAt and the end of the period. */
  ageDays: z.number(),
  consoleUrl: z.nullable(z.string()),
});
export type OpenFinding = z.infer<typeof OpenFindingSchema>;

export const ResponseSchema = z.object({
  count: z.number(),
  /** Median minutes from first seen to the action, null when nothing was acted on. */
  medianMinutes: z.nullable(z.number()),
});

export const SignalSummarySchema = z.object({
  at: z.string(),
  title: z.string(),
  accountId: z.string(),
  region: z.string(),
});
export type SignalSummary = z.infer<typeof SignalSummarySchema>;

export const ReportSchema = z.object({
  kind: z.literal('report'),
  period: z.object({ start: z.string(), end: z.string(), days: z.number() }),
  previousPeriod: z.object({ start: z.string(), end: z.string() }),
  /** Whether every finding of the period was read; when not, `fetched` of at least `total`. */
  completeness: z.object({
    complete: z.boolean(),
    fetched: z.number(),
    /** Findings known to exist (from the statistics API or a page still to read); "at least". */
    total: z.number(),
    note: z.nullable(z.string()),
  }),
  totals: z.object({
    findings: z.number(),
    /** Created in the period. */
    new: z.number(),
    /** Created before the period, updated in it. */
    updated: z.number(),
    /** Archived now (of the period's findings). */
    archived: z.number(),
    /** Not archived. */
    open: z.number(),
    occurrences: z.number(),
    samples: z.number(),
  }),
  /** Findings per band: counted from the findings read, or GuardDuty's statistics when the read is partial. */
  bySeverity: BandCountsSchema,
  /** The period before, or null when it could not be read. */
  previousBySeverity: z.nullable(BandCountsSchema),
  topTypes: z.array(RankedSchema),
  topAccounts: z.array(RankedSchema),
  topResources: z.array(RankedSchema),
  noisyTypes: z.array(SuppressionAdviceSchema),
  /** Oldest still-open HIGH and CRITICAL findings, oldest first. */
  oldestOpen: z.array(OpenFindingSchema),
  /** Open HIGH and CRITICAL findings in total (oldestOpen lists the first few). */
  openHighOrCritical: z.number(),
  response: z.object({ acknowledged: ResponseSchema, archived: ResponseSchema }),
  tamper: z.object({ count: z.number(), recent: z.array(SignalSummarySchema) }),
  coverage: z.object({
    lost: z.number(),
    restored: z.number(),
    /** Resources whose last coverage event of the period is "lost". */
    stillLost: z.array(SignalSummarySchema),
  }),
  heartbeat: z.object({
    lastEventProcessedAt: z.nullable(z.string()),
    queueDepth: z.nullable(z.number()),
    dlqDepth: z.nullable(z.number()),
  }),
  /** What could not be read (a dependency down): the numbers it feeds are unknown, the rest stands. */
  notes: z.array(z.string()),
  generatedAt: z.string(),
});
export type Report = z.infer<typeof ReportSchema>;

/** One state record per finding, as the state table holds it (`sk=META`): only what the report reads. */
export const StateRecordSchema = z.object({
  findingId: z.string(),
  firstSeenAt: z.string(),
  acknowledgedAt: z.optional(z.nullable(z.string())),
  archivedAt: z.optional(z.nullable(z.string())),
});
export type StateRecord = z.infer<typeof StateRecordSchema>;

/** A tamper alert or a coverage change seen in the period, as the signal modules produce them (see `signals/`). */
export const SignalRecordSchema = z.object({
  kind: z.enum(['tamper', 'coverageLost', 'coverageRestored']),
  at: z.string(),
  title: z.string(),
  accountId: z.string(),
  region: z.string(),
  /** Identity of the covered resource, shared by its lost and restored records; null for tamper. */
  key: z.nullable(z.string()),
});
export type SignalRecord = z.infer<typeof SignalRecordSchema>;

/** Facts about the pipeline itself, given by the caller (the queue attributes, the state table). */
export const HeartbeatSchema = z.object({
  lastEventProcessedAt: z.nullable(z.string()),
  queueDepth: z.nullable(z.number()),
  dlqDepth: z.nullable(z.number()),
});
export type Heartbeat = z.infer<typeof HeartbeatSchema>;
