// Bench entry (bundled by scripts/bench/report.mjs with esbuild): the report's
// path after GuardDuty answered — each finding as GetFindings returns it →
// normalised (as the reader does), aggregation, and every channel's renderer
// (+ serialisation) — with no I/O.
import { buildReport } from '../../../handler/src/report/build.js';
import { normaliseApiFinding } from '../../../handler/src/report/guardduty.js';
import { type ReportFinding, reportFindingOf } from '../../../handler/src/report/model.js';
import { reportPeriods } from '../../../handler/src/report/period.js';
import { REPORT_RENDERERS, renderReport, type ReportChannelType } from '../../../handler/src/report/render/index.js';

export interface ReportBenchResult {
  findings: number;
  normaliseMs: number;
  buildMs: number;
  renderMs: Record<string, number>;
  bytes: Record<string, number>;
}

/**
 * Runs the report for `count` findings produced page by page (50 at a time, as
 * the reader receives them) by `page(start, size)`.
 */
export function runReportBench(
  count: number,
  periodEnd: Date,
  page: (start: number, size: number) => unknown[],
): ReportBenchResult {
  const { current, previous } = reportPeriods(periodEnd, 7);
  const findings: ReportFinding[] = [];
  let t = performance.now();
  for (let start = 0; start < count; start += 50) {
    for (const raw of page(start, Math.min(50, count - start))) {
      const f = normaliseApiFinding(raw, { '111122223333': 'prod-payments' });
      if (f) findings.push(reportFindingOf(f)); // as the reader keeps them
    }
  }
  const normaliseMs = performance.now() - t;
  t = performance.now();
  const report = buildReport({
    period: current,
    previous,
    findings,
    previousBySeverity: { LOW: 4000, MEDIUM: 3000, HIGH: 2000, CRITICAL: 500 },
    states: findings.slice(0, 2000).map((f, i) => ({
      findingId: f.id,
      firstSeenAt: f.createdAt,
      acknowledgedAt: new Date(Date.parse(f.createdAt) + (i + 1) * 60_000).toISOString(),
      archivedAt: i % 2 === 0 ? new Date(Date.parse(f.createdAt) + (i + 1) * 120_000).toISOString() : null,
    })),
    signals: [],
    heartbeat: { lastEventProcessedAt: periodEnd.toISOString(), queueDepth: 0, dlqDepth: 0 },
    generatedAt: periodEnd,
  });
  const buildMs = performance.now() - t;
  const renderMs: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  for (const type of Object.keys(REPORT_RENDERERS) as ReportChannelType[]) {
    t = performance.now();
    const payload = renderReport(type, report, { subjectPrefix: 'SECURITY', hmacSecret: 'bench-secret' });
    bytes[type] = payload === null ? 0 : Buffer.byteLength(JSON.stringify(payload));
    renderMs[type] = performance.now() - t;
  }
  return { findings: report.totals.findings, normaliseMs, buildMs, renderMs, bytes };
}
