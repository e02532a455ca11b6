/*
 * PagerDuty gets no report. The Events API v2 has no informational message:
 * every `trigger`, even with severity `info`, opens an alert (and, by default,
 * an incident that pages), and a weekly page that says "all is well" trains
 * responders to ignore pages. A PagerDuty channel named in `reports.channels`
 * is skipped with this reason; its heartbeat role is better served by the
 * function-errors alarm, which a failed report raises.
 */

/** Why the report skips PagerDuty (logged once per report). */
export const PAGERDUTY_REPORT_SKIPPED =
  'PagerDuty receives no report: every Events API v2 trigger opens an alert, and a weekly page that says all is well teaches responders to ignore pages';
