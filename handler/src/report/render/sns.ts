import { snsSubject } from '../../channels/sns.js';
import { truncateBytes } from '../../text/clean.js';
import type { Report } from '../model.js';
import { bandCountsText, topBand } from './facts.js';
import { renderReportText } from './text.js';

/*
 * The report on Amazon SNS: an ASCII subject under 100 characters (email
 * subscriptions show it), the plain-text report as the body, and the numbers
 * as String message attributes (at most 10, what SNS→SQS delivers), so a
 * subscription filter policy can route reports (`kind` = `report`) and a
 * monitor can read the heartbeat without parsing text. The JSON with every
 * number is the webhook channel's body.
 */

/** SNS Publish: message plus attributes at most 256 KB. */
const MESSAGE_MAX_BYTES = 250_000;

export interface ReportSnsPayload {
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

/**
 * Renders the report for SNS.
 *
 * @example renderReportSns(report).attributes.findings // '12'
 */
export function renderReportSns(report: Report): ReportSnsPayload {
  const t = report.totals;
  const counts = t.findings === 0 ? '0 findings' : `${t.findings} findings (${bandCountsText(report.bySeverity)})`;
  return {
    // Partial first: the subject is cut at 99 characters.
    subject: snsSubject(
      `GuardDuty report to ${report.period.end.slice(0, 10)}${report.completeness.complete ? '' : ' [partial]'}: ${counts}`,
    ),
    message: truncateBytes(renderReportText(report), MESSAGE_MAX_BYTES),
    attributes: {
      kind: 'report',
      severity: topBand(report),
      findings: String(t.findings),
      critical: String(report.bySeverity.CRITICAL),
      high: String(report.bySeverity.HIGH),
      openHighOrCritical: String(report.openHighOrCritical),
      tamperEvents: String(report.tamper.count),
      dlqDepth: report.heartbeat.dlqDepth === null ? 'unknown' : String(report.heartbeat.dlqDepth),
      complete: String(report.completeness.complete),
      periodEnd: report.period.end,
    },
  };
}
