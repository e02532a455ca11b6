import { BAND_COLOUR } from '../../finding/severity.js';
import { truncate } from '../../text/clean.js';
import { escapeMrkdwn, mrkdwnCode, mrkdwnProse, slackPlain } from '../../text/slackMrkdwn.js';
import type { Ranked, Report } from '../model.js';
import { textBar } from './bars.js';
import {
  BANDS_DOWN,
  bandName,
  headline,
  heartbeatText,
  partialText,
  percent,
  previousCount,
  rankedLabel,
  reportTitle,
  responseText,
  signalsText,
  topBand,
} from './facts.js';

/*
 * The report as a compact Slack message: the same shape as a finding message
 * (top-level `text` plus one attachment with the colour bar and Block Kit
 * blocks), bars in a code block so they line up. Finding values are code
 * spans or neutralised prose (see text/slackMrkdwn.ts); links are only
 * console URLs built from validated ids. Limits as in channels/slack.ts:
 * header 150, section text 3000, context 10 elements, 50 blocks.
 */

const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const ROWS = 3;

type Text = { type: 'mrkdwn'; text: string; verbatim: true };
export type ReportSlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: false } }
  | { type: 'section'; text: Text }
  | { type: 'context'; elements: Text[] }
  | { type: 'divider' };

export interface ReportSlackPayload {
  text: string;
  attachments: [{ color: string; blocks: ReportSlackBlock[] }];
  unfurl_links: false;
  unfurl_media: false;
}

function mrkdwn(text: string): Text {
  return { type: 'mrkdwn', text: truncate(text, SECTION_MAX) || '-', verbatim: true };
}

function section(text: string): ReportSlackBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function severityBars(report: Report): string {
  const max = Math.max(1, ...BANDS_DOWN.map((b) => report.bySeverity[b]));
  const lines = BANDS_DOWN.map(
    (b) => `${bandName(b).padEnd(8)} ${textBar(report.bySeverity[b], max)}  (prev ${previousCount(report, b)})`,
  );
  return `*By severity*\n\`\`\`${lines.join('\n')}\`\`\``;
}

function ranked(title: string, rows: readonly Ranked[]): ReportSlackBlock[] {
  if (rows.length === 0) return [];
  const lines = rows
    .slice(0, ROWS)
    .map((r) => `• ${r.findings.toLocaleString('en-US')} · ${mrkdwnCode(rankedLabel(r), 200)}`);
  return [section(`*${escapeMrkdwn(title)}*\n${lines.join('\n')}`)];
}

function oldestOpen(report: Report): ReportSlackBlock[] {
  if (report.oldestOpen.length === 0) return [];
  const lines = report.oldestOpen.slice(0, ROWS).map((f) => {
    const link = f.consoleUrl ? ` · <${f.consoleUrl}|Open>` : '';
    return `• *${bandName(f.band)} ${f.score.toFixed(1)}* · ${f.ageDays} d · ${mrkdwnProse(f.title, 200)} · ${mrkdwnCode(f.type, 120)}${link}`;
  });
  return [section(`*Oldest open high/critical (${report.openHighOrCritical} open)*\n${lines.join('\n')}`)];
}

function noisy(report: Report): ReportSlackBlock[] {
  if (report.noisyTypes.length === 0) return [];
  const lines = report.noisyTypes.map(
    (n) => `• ${mrkdwnCode(n.type, 200)}: ${n.findings} findings (${percent(n.share)})`,
  );
  return [
    section(
      `*Noisiest types* (a suppression rule to review is in the email and webhook report; nothing was created)\n${lines.join('\n')}`,
    ),
  ];
}

/**
 * Renders the report as a Slack incoming-webhook message.
 *
 * @example renderReportSlack(report) // POST JSON.stringify(payload)
 */
export function renderReportSlack(report: Report): ReportSlackPayload {
  const partial = partialText(report);
  const blocks: ReportSlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: slackPlain(reportTitle(report), HEADER_MAX), emoji: false } },
    section(`*${escapeMrkdwn(headline(report))}*${partial ? `\n:warning: ${escapeMrkdwn(partial)}` : ''}`),
    section(severityBars(report)),
    ...ranked('Top finding types', report.topTypes),
    ...ranked('Top accounts', report.topAccounts),
    ...ranked('Top resources', report.topResources),
    ...oldestOpen(report),
    ...noisy(report),
    { type: 'divider' },
    {
      type: 'context',
      elements: [
        mrkdwn(`*Response:* ${escapeMrkdwn(responseText(report))}`),
        mrkdwn(`*Signals:* ${escapeMrkdwn(signalsText(report))}`),
        mrkdwn(`*Heartbeat:* ${escapeMrkdwn(heartbeatText(report))}`),
      ],
    },
  ];
  return {
    text: truncate(`${reportTitle(report)}: ${headline(report)}`, 3000).replace(/[&<>]/g, (c) => escapeMrkdwn(c)),
    attachments: [{ color: BAND_COLOUR[topBand(report)], blocks }],
    unfurl_links: false,
    unfurl_media: false,
  };
}
