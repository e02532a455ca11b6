import type { Report } from '../model.js';
import { renderReportEmail, type ReportEmail } from './email.js';
import { renderReportGoogleChat, type ReportGoogleChatPayload } from './googleChat.js';
import { PAGERDUTY_REPORT_SKIPPED } from './pagerduty.js';
import { renderReportSlack, type ReportSlackPayload } from './slack.js';
import type { SnsPayload } from '../../channels/sns.js';
import { renderReportSns } from './sns.js';
import { renderReportTeams, type ReportTeamsPayload } from './teams.js';
import { renderReportWebhook, type ReportWebhookPayload } from './webhook.js';

/*
 * One entry per channel type, until the lead moves each renderer into its
 * channel descriptor. `null` means the channel type gets no report (with the
 * reason in pagerduty.ts).
 */

export type ReportPayload =
  | ReportSlackPayload
  | ReportTeamsPayload
  | ReportGoogleChatPayload
  | ReportEmail
  | SnsPayload
  | ReportWebhookPayload;

/** What a report renderer needs of the channel's options. */
export interface ReportChannelOptions {
  subjectPrefix?: string;
  hmacSecret?: string;
}

export const REPORT_RENDERERS = {
  slack: (report: Report) => renderReportSlack(report),
  teams: (report: Report) => renderReportTeams(report),
  googleChat: (report: Report) => renderReportGoogleChat(report),
  email: (report: Report, channel: ReportChannelOptions) =>
    renderReportEmail(report, { subjectPrefix: channel.subjectPrefix ?? 'GuardDuty' }),
  sns: (report: Report) => renderReportSns(report),
  webhook: (report: Report, channel: ReportChannelOptions) => renderReportWebhook(report, channel),
  pagerduty: null,
} as const satisfies Record<string, ((report: Report, channel: ReportChannelOptions) => ReportPayload) | null>;

export type ReportChannelType = keyof typeof REPORT_RENDERERS;

/** Renders the report for a channel type, or null (with {@link PAGERDUTY_REPORT_SKIPPED}) for PagerDuty. */
export function renderReport(
  type: ReportChannelType,
  report: Report,
  channel: ReportChannelOptions = {},
): ReportPayload | null {
  const render = REPORT_RENDERERS[type];
  return render === null ? null : render(report, channel);
}

export { PAGERDUTY_REPORT_SKIPPED };
