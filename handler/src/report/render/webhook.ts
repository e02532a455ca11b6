import { signWebhookBody, WEBHOOK_BODY_VERSION, SIGNATURE_HEADER } from '../../channels/webhook.js';
import type { Report } from '../model.js';

/*
 * The report on the generic webhook: the report model as JSON, in the same
 * versioned envelope as findings and digests (`kind: "report"`), signed like
 * them when the channel has an HMAC secret. This is the body with every number.
 */

export interface ReportWebhookPayload {
  body: string;
  headers: Record<string, string>;
}

/**
 * Renders the report for the webhook channel.
 *
 * @example JSON.parse(renderReportWebhook(report, {}).body).report.totals.findings
 */
export function renderReportWebhook(report: Report, channel: { hmacSecret?: string }): ReportWebhookPayload {
  const body = JSON.stringify({ version: WEBHOOK_BODY_VERSION, kind: 'report', report });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      ...(channel.hmacSecret ? { [SIGNATURE_HEADER]: signWebhookBody(body, channel.hmacSecret) } : {}),
    },
  };
}
