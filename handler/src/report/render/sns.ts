import { SNS_LIMITS, type SnsPayload, snsSubject } from '../../channels/sns.js';
import { truncateBytes } from '../../text/clean.js';
import type { Report } from '../model.js';
import { bandCountsText, topBand } from './facts.js';
import { renderReportText } from './text.js';

/*
 * The report on Amazon SNS: an ASCII subject under 100 characters (email
 * subscriptions show it), the report as JSON for machine subscribers and as
 * text for email, and the numbers as message attributes (at most 10, what
 * SNS→SQS delivers; counts as `Number`), so a subscription filter policy can
 * route reports (`kind` = `report`, `critical` >= 1) and a monitor can read
 * the heartbeat without parsing text.
 */

/** SNS Publish: message plus attributes at most 256 KB; the JSON body is cut before that. */
const MESSAGE_MAX_BYTES = 250_000;

/** Report attributes SNS filter policies match numerically. */
const REPORT_NUMBERS = new Set(['findings', 'critical', 'high', 'openHighOrCritical', 'tamperEvents', 'dlqDepth']);

/**
 * Renders the report as the SNS Publish request: `MessageStructure: "json"`
 * whose `default` body is the report as JSON (the webhook's numbers: what an
 * SQS or Lambda subscriber reads), `email` the plain-text report, `sms` one
 * line; the numbers as `Number` message attributes for filter policies.
 *
 * @example JSON.parse(JSON.parse(renderReportSns(report).Message).default).report.totals.findings
 */
export function renderReportSns(report: Report): SnsPayload {
  const t = report.totals;
  const counts = t.findings === 0 ? '0 findings' : `${t.findings} findings (${bandCountsText(report.bySeverity)})`;
  const subject = snsSubject(
    `GuardDuty report to ${report.period.end.slice(0, 10)}${report.completeness.complete ? '' : ' [partial]'}: ${counts}`,
  );
  const json = JSON.stringify({ version: 1, kind: 'report', report });
  const bodies = {
    default: truncateBytes(json, MESSAGE_MAX_BYTES / 2),
    email: truncateBytes(renderReportText(report), MESSAGE_MAX_BYTES / 2),
    sms: snsSubject(`GuardDuty week: ${counts}`).slice(0, SNS_LIMITS.sms),
  };
  const attributes: Record<string, string> = {
    kind: 'report',
    severity: topBand(report),
    findings: String(t.findings),
    critical: String(report.bySeverity.CRITICAL),
    high: String(report.bySeverity.HIGH),
    openHighOrCritical: String(report.openHighOrCritical),
    tamperEvents: String(report.tamper.count),
    ...(report.heartbeat.dlqDepth === null ? {} : { dlqDepth: String(report.heartbeat.dlqDepth) }),
    complete: String(report.completeness.complete),
    periodEnd: report.period.end,
  };
  return {
    Subject: subject,
    MessageStructure: 'json',
    Message: JSON.stringify(bodies),
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [
        name,
        { DataType: REPORT_NUMBERS.has(name) ? 'Number' : 'String', StringValue: value },
      ]),
    ),
  };
}
