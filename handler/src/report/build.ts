import { type SeverityBand, bandRank } from '../finding/severity.js';
import type {
  BandCounts,
  Heartbeat,
  OpenFinding,
  Ranked,
  Report,
  ReportFinding,
  SignalRecord,
  SignalSummary,
  StateRecord,
  SuppressionAdvice,
} from './model.js';
import { type Period, within } from './period.js';

/*
 * Aggregation: findings + state records + signal records + heartbeat facts →
 * the report model. Pure; every number is a count over the inputs.
 */

export interface ReportInput {
  period: Period;
  previous: Period;
  /** Findings read for the period; findings not updated in it are ignored, duplicates (same id) keep the latest. */
  findings: readonly ReportFinding[];
  /** Counts of the previous period, or null when unknown. */
  previousBySeverity: BandCounts | null;
  /**
   * This period's exact counts from GuardDuty's statistics. Used for the
   * severity chart when the read is partial (the listed findings are then only
   * the first pages); ignored when every finding was read.
   */
  currentBySeverity?: BandCounts | null;
  /** What the reader knows about findings it could not read in time; omit when every finding was read. */
  fetch?: { complete: boolean; total: number; note?: string | null };
  /**
   * Open HIGH and CRITICAL findings of any age, as GuardDuty lists them (oldest
   * first, with the total); without it the report lists the open ones among
   * the period's findings.
   */
  openHighOrCritical?: { findings: readonly ReportFinding[]; total: number } | null;
  states: readonly StateRecord[];
  signals: readonly SignalRecord[];
  heartbeat: Heartbeat;
  /** Dependencies that could not be read ("state table unavailable: …"), shown in the report. */
  notes?: readonly string[];
  generatedAt: Date;
  /** How many rows the top lists keep (default 5). */
  top?: number;
}

const DAY_MS = 86_400_000;
/** A type is noisy from this many findings and this share of the period's findings. */
export const NOISY_MIN_FINDINGS = 5;
export const NOISY_MIN_SHARE = 0.1;
const NOISY_MAX = 3;
const RECENT_SIGNALS = 5;
/** Values placed in a proposed rule or command: printable ASCII without quotes or shell characters. */
const SAFE_VALUE = /^[A-Za-z0-9 _.:/@+=,!-]{1,256}$/;

export function emptyBandCounts(): BandCounts {
  return { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
}

/** The period's findings, one per id (the latest update wins). */
function periodFindings(findings: readonly ReportFinding[], period: Period): ReportFinding[] {
  const byId = new Map<string, ReportFinding>();
  for (const f of findings) {
    if (!within(f.updatedAt, period)) continue;
    const seen = byId.get(f.id);
    if (!seen || Date.parse(f.updatedAt) > Date.parse(seen.updatedAt)) byId.set(f.id, f);
  }
  return [...byId.values()];
}

function higher(a: SeverityBand, b: SeverityBand): SeverityBand {
  return bandRank(a) >= bandRank(b) ? a : b;
}

/** Groups findings by a key and ranks the groups by findings, then occurrences, then key. */
function rank(
  findings: readonly ReportFinding[],
  keyOf: (f: ReportFinding) => string | null,
  nameOf: (f: ReportFinding) => string | null,
): Ranked[] {
  const groups = new Map<string, Ranked>();
  for (const f of findings) {
    const key = keyOf(f);
    if (key === null || key === '') continue;
    const group = groups.get(key) ?? { key, name: nameOf(f), findings: 0, occurrences: 0, highest: 'LOW' };
    group.findings += 1;
    group.occurrences += f.occurrences.count;
    group.highest = higher(group.highest, f.severity.band);
    group.name ??= nameOf(f);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => b.findings - a.findings || b.occurrences - a.occurrences || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

function filterName(type: string): string {
  const slug = type
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `suppress-${slug}`.slice(0, 64);
}

/**
 * The noisiest types, each with a reviewable archive rule. A type that produced
 * a HIGH or CRITICAL finding is never proposed: hiding it could hide an attack.
 */
function noisyTypes(findings: readonly ReportFinding[], types: readonly Ranked[]): SuppressionAdvice[] {
  const total = findings.length;
  const advice: SuppressionAdvice[] = [];
  for (const t of types) {
    if (advice.length >= NOISY_MAX) break;
    const share = t.findings / total;
    if (t.findings < NOISY_MIN_FINDINGS || share < NOISY_MIN_SHARE || bandRank(t.highest) >= bandRank('HIGH')) continue;
    const accounts = [...new Set(findings.filter((f) => f.type.full === t.key).map((f) => f.account.id))].sort();
    const criteria = [{ field: 'type', equals: [t.key] }];
    if (accounts.length <= 3) criteria.push({ field: 'accountId', equals: accounts });
    const safe = criteria.every((c) => c.equals.every((v) => SAFE_VALUE.test(v)));
    const json = JSON.stringify({
      Criterion: Object.fromEntries(criteria.map((c) => [c.field, { Eq: c.equals }])),
    });
    advice.push({
      type: t.key,
      findings: t.findings,
      share,
      criteria,
      cli: safe
        ? `aws guardduty create-filter --detector-id <detector-id> --name ${filterName(t.key)} --action ARCHIVE --finding-criteria '${json}'`
        : null,
    });
  }
  return advice;
}

function oldestOpen(findings: readonly ReportFinding[], period: Period, limit: number): OpenFinding[] {
  return findings
    .filter((f) => !f.archived && bandRank(f.severity.band) >= bandRank('HIGH'))
    .sort((a, b) => (Date.parse(a.createdAt) || 0) - (Date.parse(b.createdAt) || 0) || (a.id < b.id ? -1 : 1))
    .slice(0, limit)
    .map((f) => {
      const created = Date.parse(f.createdAt);
      return {
        id: f.id,
        type: f.type.full,
        title: f.title,
        band: f.severity.band,
        score: f.severity.score,
        accountId: f.account.id,
        accountName: f.account.name,
        region: f.region,
        resource: f.target.id,
        createdAt: f.createdAt,
        ageDays: Number.isNaN(created) ? 0 : Math.max(0, Math.floor((period.end.getTime() - created) / DAY_MS)),
        consoleUrl: f.consoleUrl,
      };
    });
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Actions taken in the period and the median minutes from first seen to the action. */
function responseTimes(
  states: readonly StateRecord[],
  period: Period,
  pick: (s: StateRecord) => string | null | undefined,
) {
  const minutes: number[] = [];
  for (const s of states) {
    const at = pick(s);
    if (!within(at, period)) continue;
    const delta = Date.parse(at as string) - Date.parse(s.firstSeenAt);
    if (!Number.isNaN(delta)) minutes.push(Math.max(0, delta) / 60_000);
  }
  const m = median(minutes);
  return { count: minutes.length, medianMinutes: m === null ? null : Math.round(m) };
}

function summary(s: SignalRecord): SignalSummary {
  return { at: s.at, title: s.title, accountId: s.accountId, region: s.region };
}

function byTimeDesc(a: SignalRecord, b: SignalRecord): number {
  return (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0);
}

function coverage(signals: readonly SignalRecord[]): Report['coverage'] {
  const changes = signals.filter((s) => s.kind === 'coverageLost' || s.kind === 'coverageRestored');
  const last = new Map<string, SignalRecord>();
  for (const s of [...changes].sort((a, b) => -byTimeDesc(a, b))) last.set(s.key ?? s.title, s);
  return {
    lost: changes.filter((s) => s.kind === 'coverageLost').length,
    restored: changes.filter((s) => s.kind === 'coverageRestored').length,
    stillLost: [...last.values()]
      .filter((s) => s.kind === 'coverageLost')
      .sort(byTimeDesc)
      .map(summary),
  };
}

/**
 * Builds the report for `input.period`.
 *
 * @example buildReport({ period, previous, findings, previousBySeverity: null, states: [], signals: [], heartbeat, generatedAt: new Date() })
 */
export function buildReport(input: ReportInput): Report {
  const { period, previous } = input;
  const top = input.top ?? 5;
  const findings = periodFindings(input.findings, period);
  const bySeverity = emptyBandCounts();
  let created = 0;
  let archived = 0;
  let occurrences = 0;
  let samples = 0;
  for (const f of findings) {
    bySeverity[f.severity.band] += 1;
    if (within(f.createdAt, period)) created += 1;
    if (f.archived) archived += 1;
    occurrences += f.occurrences.count;
    if (f.isSample) samples += 1;
  }
  const types = rank(
    findings,
    (f) => f.type.full,
    () => null,
  );
  const periodSignals = input.signals.filter((s) => within(s.at, period));
  const tamper = periodSignals.filter((s) => s.kind === 'tamper').sort(byTimeDesc);
  const open = input.openHighOrCritical;
  const openHigh =
    open?.total ?? findings.filter((f) => !f.archived && bandRank(f.severity.band) >= bandRank('HIGH')).length;
  const total = Math.max(input.fetch?.total ?? findings.length, findings.length);
  const complete = input.fetch?.complete ?? true;
  return {
    kind: 'report',
    period: { start: period.start.toISOString(), end: period.end.toISOString(), days: period.days },
    previousPeriod: { start: previous.start.toISOString(), end: previous.end.toISOString() },
    completeness: {
      complete,
      fetched: findings.length,
      total,
      note: complete
        ? null
        : `${input.fetch?.note ?? `first ${findings.length} of at least ${total} findings`}${input.currentBySeverity ? "; the severity counts are GuardDuty's totals" : ''}`,
    },
    totals: {
      findings: findings.length,
      new: created,
      updated: findings.length - created,
      archived,
      open: findings.length - archived,
      occurrences,
      samples,
    },
    bySeverity: !complete && input.currentBySeverity ? { ...input.currentBySeverity } : bySeverity,
    previousBySeverity: input.previousBySeverity,
    topTypes: types.slice(0, top),
    topAccounts: rank(
      findings,
      (f) => f.account.id,
      (f) => f.account.name,
    ).slice(0, top),
    topResources: rank(
      findings,
      (f) => f.target.id,
      (f) => f.target.label,
    ).slice(0, top),
    noisyTypes: noisyTypes(findings, types),
    oldestOpen: oldestOpen(open?.findings ?? findings, period, top),
    openHighOrCritical: openHigh,
    response: {
      acknowledged: responseTimes(input.states, period, (s) => s.acknowledgedAt),
      archived: responseTimes(input.states, period, (s) => s.archivedAt),
    },
    tamper: { count: tamper.length, recent: tamper.slice(0, RECENT_SIGNALS).map(summary) },
    coverage: coverage(periodSignals),
    heartbeat: { ...input.heartbeat },
    notes: [...(input.notes ?? [])],
    generatedAt: input.generatedAt.toISOString(),
  };
}

/** Counts findings per band (the previous period when it is read from files rather than the statistics API). */
export function countByBand(findings: readonly ReportFinding[], period: Period): BandCounts {
  const counts = emptyBandCounts();
  for (const f of periodFindings(findings, period)) counts[f.severity.band] += 1;
  return counts;
}

/** Band counts from GetFindingsStatistics' COUNT_BY_SEVERITY (score strings → counts). */
export function bandCountsFromScores(countBySeverity: Record<string, number>, band: (score: number) => SeverityBand) {
  const counts = emptyBandCounts();
  for (const [score, n] of Object.entries(countBySeverity)) {
    const value = Number(score);
    if (!Number.isNaN(value)) counts[band(value)] += n;
  }
  return counts;
}
