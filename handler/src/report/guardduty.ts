import { parseFindingEvent } from '../batch/envelope.js';
import type { NormalisedFinding } from '../finding/model.js';
import { normaliseFinding } from '../finding/normalise.js';
import { severityBand } from '../finding/severity.js';
import { camelCase } from '../interact/guardduty.js';
import { cleanLine } from '../text/clean.js';
import { bandCountsFromScores } from './build.js';
import { type BandCounts, type ReportFinding, reportFindingOf } from './model.js';
import type { Period } from './period.js';

/*
 * Reads GuardDuty in the administrator account for the report: the period's
 * findings (ListFindings on `updatedAt`, 50 ids a page, then GetFindings for
 * each page) and the counts per severity of this period and the one before
 * (GetFindingsStatistics: one call instead of paging the previous period).
 *
 * It never fails: throttling is retried with backoff (the SDK's own retries,
 * then ours, adapting the pace to what GuardDuty allows), and paging stops
 * before the deadline, so a large organisation gets a report that says it is
 * partial ("first N of at least M findings") instead of a timeout; any other
 * error ends the read with the reason in the report.
 */

/** The GuardDuty calls the reader makes: the seam tests and other callers can replace. */
export interface GuardDutyFindingsApi {
  detectorId(): Promise<string>;
  /** One page of finding ids updated in [start, end). */
  listFindings(
    detectorId: string,
    period: Period,
    nextToken: string | undefined,
  ): Promise<{ ids: string[]; nextToken?: string }>;
  /** Findings (at most 50 ids), in GuardDuty's event (camelCase) shape. */
  getFindings(detectorId: string, ids: string[]): Promise<unknown[]>;
  /** COUNT_BY_SEVERITY for findings updated in [start, end): severity score string → count. */
  countBySeverity(detectorId: string, period: Period): Promise<Record<string, number>>;
  /** The oldest open (not archived) findings of severity 7 or more, oldest first, and how many there are. */
  oldestOpenHigh(detectorId: string, limit: number): Promise<{ ids: string[]; total: number }>;
}

/** Open HIGH and CRITICAL findings, whenever they were last updated: an old one GuardDuty never updated again is still open. */
const OPEN_HIGH = {
  Criterion: { 'service.archived': { Equals: ['false'] }, severity: { GreaterThanOrEqual: 7 } },
};

/** GuardDuty's page and batch size for ListFindings and GetFindings. */
export const PAGE_SIZE = 50;

type GdModule = typeof import('@aws-sdk/client-guardduty');
let gdModule: Promise<GdModule> | undefined;

function updatedIn(period: Period) {
  return {
    Criterion: {
      updatedAt: { GreaterThanOrEqual: period.start.getTime(), LessThan: period.end.getTime() },
    },
  };
}

/**
 * GuardDuty through the SDK, loaded on first use (the finding path never
 * needs it). The SDK retries throttling itself in adaptive mode (client-side
 * rate limiting after a throttle); {@link readReportFindings} adds its own
 * bounded backoff on top.
 */
export function createGuardDutyFindingsApi(options: { maxAttempts?: number } = {}): GuardDutyFindingsApi {
  let client: import('@aws-sdk/client-guardduty').GuardDutyClient | undefined;
  const connect = async () => {
    gdModule ??= import('@aws-sdk/client-guardduty');
    const mod = await gdModule;
    client ??= new mod.GuardDutyClient({ maxAttempts: options.maxAttempts ?? 3, retryMode: 'adaptive' });
    return { mod, client };
  };
  return {
    async detectorId() {
      const { mod, client } = await connect();
      const result = await client.send(new mod.ListDetectorsCommand({}));
      const id = result.DetectorIds?.[0];
      if (!id) throw new Error('GuardDuty has no detector in this region');
      return id;
    },
    async listFindings(detectorId, period, nextToken) {
      const { mod, client } = await connect();
      const result = await client.send(
        new mod.ListFindingsCommand({
          DetectorId: detectorId,
          FindingCriteria: updatedIn(period),
          MaxResults: PAGE_SIZE,
          NextToken: nextToken,
        }),
      );
      return { ids: result.FindingIds ?? [], ...(result.NextToken ? { nextToken: result.NextToken } : {}) };
    },
    async getFindings(detectorId, ids) {
      const { mod, client } = await connect();
      const result = await client.send(new mod.GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids }));
      return (result.Findings ?? []).map(camelCase);
    },
    async countBySeverity(detectorId, period) {
      const { mod, client } = await connect();
      const result = await client.send(
        new mod.GetFindingsStatisticsCommand({
          DetectorId: detectorId,
          FindingStatisticTypes: ['COUNT_BY_SEVERITY'],
          FindingCriteria: updatedIn(period),
        }),
      );
      return (result.FindingStatistics?.CountBySeverity ?? {}) as Record<string, number>;
    },
    async oldestOpenHigh(detectorId, limit) {
      const { mod, client } = await connect();
      const list = await client.send(
        new mod.ListFindingsCommand({
          DetectorId: detectorId,
          FindingCriteria: OPEN_HIGH,
          SortCriteria: { AttributeName: 'createdAt', OrderBy: 'ASC' },
          MaxResults: limit,
        }),
      );
      const stats = await client.send(
        new mod.GetFindingsStatisticsCommand({
          DetectorId: detectorId,
          FindingStatisticTypes: ['COUNT_BY_SEVERITY'],
          FindingCriteria: OPEN_HIGH,
        }),
      );
      const counts = Object.values(stats.FindingStatistics?.CountBySeverity ?? {}) as number[];
      return { ids: list.FindingIds ?? [], total: counts.reduce((a, b) => a + b, 0) };
    },
  };
}

export interface ReadOptions {
  period: Period;
  previous: Period;
  /** Epoch ms by which reading must be over (the function's deadline minus time to render and deliver). */
  deadline: number;
  accountNames?: Readonly<Record<string, string>>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** How many of the oldest open HIGH and CRITICAL findings the report lists. */
export const OLDEST_OPEN_LIMIT = 5;

export interface ReadResult {
  /** The report's fields of each finding (see ReportFinding). */
  findings: ReportFinding[];
  previousBySeverity: BandCounts | null;
  /** This period's exact counts from GetFindingsStatistics (null when unavailable): they stand when paging is cut short. */
  currentBySeverity: BandCounts | null;
  fetch: { complete: boolean; total: number; note: string | null };
  /** The oldest open HIGH and CRITICAL findings of any age, or null when they could not be read. */
  openHighOrCritical: { findings: ReportFinding[]; total: number } | null;
  /** Calls GuardDuty refused as throttled (after the SDK's own retries), and API calls made. */
  throttled: number;
  calls: number;
}

/** Backoff after a throttled call: doubles from the first to the last, never past the deadline. */
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 8_000;

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return (
    e?.name === 'TooManyRequestsException' || e?.name === 'ThrottlingException' || e?.$metadata?.httpStatusCode === 429
  );
}

class DeadlineReached extends Error {}

/** The EventBridge envelope around a finding read from the API, so the finding path's reader and normaliser apply unchanged. */
function asEvent(finding: unknown): unknown {
  const f = (finding ?? {}) as Record<string, unknown>;
  return {
    version: '0',
    id: typeof f.id === 'string' ? f.id : 'unknown',
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: f.accountId,
    time: f.updatedAt,
    region: f.region,
    resources: [],
    detail: finding,
  };
}

/**
 * A finding as GetFindings returns it (camel-cased) → the normalised finding,
 * through the same lenient reader and normaliser as findings from EventBridge;
 * null for something that is not a finding at all.
 */
export function normaliseApiFinding(
  finding: unknown,
  accountNames?: Readonly<Record<string, string>>,
): NormalisedFinding | null {
  const parsed = parseFindingEvent(asEvent(finding));
  if (!parsed.ok) return null;
  const accountId = parsed.event.detail.accountId;
  const name = accountNames && Object.hasOwn(accountNames, accountId) ? accountNames[accountId] : null;
  return normaliseFinding(parsed.event, name ?? null);
}

/**
 * Reads the period's findings and the severity counts of both periods.
 *
 * @example await readReportFindings(createGuardDutyFindingsApi(), { period, previous, deadline: Date.now() + 600_000 })
 */
export async function readReportFindings(api: GuardDutyFindingsApi, options: ReadOptions): Promise<ReadResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let throttled = 0;
  let calls = 0;
  let pause = 0; // the pace GuardDuty currently allows: grows on a throttle, shrinks on success
  let slowestCall = 0;

  /** One call with our backoff on throttling, within the deadline. */
  async function call<T>(fn: () => Promise<T>): Promise<T> {
    for (;;) {
      if (pause > 0) {
        if (now() + pause + slowestCall >= options.deadline) throw new DeadlineReached();
        await sleep(pause);
      }
      if (now() + slowestCall >= options.deadline) throw new DeadlineReached();
      const started = now();
      calls += 1;
      try {
        const result = await fn();
        slowestCall = Math.max(slowestCall, now() - started);
        pause = Math.floor(pause / 2);
        return result;
      } catch (error) {
        if (!isThrottling(error)) throw error;
        throttled += 1;
        pause = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_FIRST_MS, pause * 2));
        pause += Math.floor(Math.random() * (pause / 4)); // jitter, so concurrent readers spread out
      }
    }
  }

  const findings: ReportFinding[] = [];
  let total: number | null = null;
  let previousBySeverity: BandCounts | null = null;
  let currentBySeverity: BandCounts | null = null;
  let openHighOrCritical: ReadResult['openHighOrCritical'] = null;
  let note: string | null = null;
  let complete = false;
  try {
    const detectorId = await call(() => api.detectorId());
    try {
      const current = bandCountsFromScores(
        await call(() => api.countBySeverity(detectorId, options.period)),
        severityBand,
      );
      total = current.LOW + current.MEDIUM + current.HIGH + current.CRITICAL;
      currentBySeverity = current;
      previousBySeverity = bandCountsFromScores(
        await call(() => api.countBySeverity(detectorId, options.previous)),
        severityBand,
      );
    } catch (error) {
      if (error instanceof DeadlineReached) throw error;
      // Statistics are an extra: without them the report still lists what it reads, and trends say "unknown".
    }
    try {
      // Before paging: a few calls, worth more than the last page when the deadline cuts the read.
      const open = await call(() => api.oldestOpenHigh(detectorId, OLDEST_OPEN_LIMIT));
      const raw = open.ids.length > 0 ? await call(() => api.getFindings(detectorId, open.ids)) : [];
      const byId = new Map(
        raw.map((f) => normaliseApiFinding(f, options.accountNames)).flatMap((f) => (f ? [[f.id, f] as const] : [])),
      );
      const findings = open.ids.flatMap((id) => {
        const f = byId.get(id);
        return f ? [reportFindingOf(f)] : [];
      });
      openHighOrCritical = { findings, total: Math.max(open.total, findings.length) };
    } catch (error) {
      if (error instanceof DeadlineReached) throw error;
      // Then the report lists the open ones among the period's findings.
    }
    let nextToken: string | undefined;
    do {
      const page = await call(() => api.listFindings(detectorId, options.period, nextToken));
      nextToken = page.nextToken;
      if (page.ids.length === 0) continue;
      const raw = await call(() => api.getFindings(detectorId, page.ids.slice(0, PAGE_SIZE)));
      for (const finding of raw) {
        const normalised = normaliseApiFinding(finding, options.accountNames);
        if (normalised) findings.push(reportFindingOf(normalised));
      }
    } while (nextToken);
    complete = true;
  } catch (error) {
    note =
      error instanceof DeadlineReached
        ? null
        : `GuardDuty could not be read: ${cleanLine(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 200)}`;
  }
  const known = Math.max(total ?? 0, findings.length + (complete ? 0 : 1));
  return {
    findings,
    previousBySeverity,
    currentBySeverity,
    openHighOrCritical,
    fetch: {
      complete,
      total: complete ? Math.max(total ?? 0, findings.length) : known,
      note: complete ? null : `first ${findings.length} of at least ${known} findings${note ? `; ${note}` : ''}`,
    },
    throttled,
    calls,
  };
}
