import { cleanLine } from '../text/clean.js';
import { buildReport } from './build.js';
import type { ReportEvent } from './event.js';
import { type GuardDutyFindingsApi, readReportFindings } from './guardduty.js';
import type { Heartbeat, Report, SignalRecord, StateRecord } from './model.js';
import { type Period, reportPeriods } from './period.js';

/*
 * One report, end to end except delivery: GuardDuty read within the deadline,
 * the state table's and the signals' records and the heartbeat facts from the
 * caller's edges, aggregated. A dependency that fails degrades its part of
 * the report (named in `notes`) and never stops it: the report is the
 * heartbeat, so it must go out.
 */

export interface ReportSources {
  guardduty: GuardDutyFindingsApi;
  /**
   * State records (sk=META) of the report's findings (read first, so their ids
   * are known), for acknowledgements and archives in the period.
   */
  stateRecords(period: Period, findingIds: readonly string[]): Promise<StateRecord[]>;
  /** Tamper and coverage records of the period (see `signalRecordOf`). */
  signalRecords(period: Period): Promise<SignalRecord[]>;
  /** Last event processed, queue and DLQ depth. */
  heartbeat(): Promise<Heartbeat>;
  accountNames?: Readonly<Record<string, string>>;
}

export interface ReportTiming {
  /** When the report runs (the period ends here unless the event says otherwise). */
  now: Date;
  /** The configured period, overridden by the event's `periodDays`. */
  periodDays: number;
  /** The invocation's remaining time (Lambda context `getRemainingTimeInMillis()`). */
  remainingMs: number;
  /** Time kept for rendering and delivering to every channel. Default 30 s, or a third of what remains if less. */
  reserveMs?: number;
}

const DEFAULT_RESERVE_MS = 30_000;

async function degrade<T>(what: string, read: () => Promise<T>, fallback: T, notes: string[]): Promise<T> {
  try {
    return await read();
  } catch (error) {
    notes.push(
      `${what} could not be read (${cleanLine(error instanceof Error ? error.message : String(error), 120)}).`,
    );
    return fallback;
  }
}

/**
 * Prepares the report for a report event; render it per channel with `renderReport`.
 *
 * @example const report = await prepareReport({ guarddutyNotify: 'report' }, sources, { now: new Date(), periodDays: 7, remainingMs: context.getRemainingTimeInMillis() });
 */
export async function prepareReport(event: ReportEvent, sources: ReportSources, timing: ReportTiming): Promise<Report> {
  const started = Date.now();
  const end = event.end ? new Date(event.end) : timing.now;
  const { current, previous } = reportPeriods(end, event.periodDays ?? timing.periodDays);
  const reserve = timing.reserveMs ?? Math.min(DEFAULT_RESERVE_MS, Math.floor(timing.remainingMs / 3));
  const notes: string[] = [];
  const [read, signals, heartbeat] = await Promise.all([
    readReportFindings(sources.guardduty, {
      period: current,
      previous,
      deadline: started + timing.remainingMs - reserve,
      accountNames: sources.accountNames,
    }),
    degrade('Signal records', () => sources.signalRecords(current), [], notes),
    degrade(
      'Queue depths',
      () => sources.heartbeat(),
      { lastEventProcessedAt: null, queueDepth: null, dlqDepth: null },
      notes,
    ),
  ]);
  const findingIds = read.findings.map((f) => f.id);
  const states = await degrade('The state table', () => sources.stateRecords(current, findingIds), [], notes);
  return buildReport({
    period: current,
    previous,
    findings: read.findings,
    previousBySeverity: read.previousBySeverity,
    currentBySeverity: read.currentBySeverity,
    fetch: read.fetch,
    openHighOrCritical: read.openHighOrCritical,
    states,
    signals,
    heartbeat,
    notes,
    generatedAt: timing.now,
  });
}
