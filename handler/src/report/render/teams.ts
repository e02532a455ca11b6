import { ADAPTIVE_CARD_CONTENT_TYPE, ADAPTIVE_CARD_SCHEMA, TEAMS_CARD_VERSION } from '../../channels/teams.js';
import { truncate } from '../../text/clean.js';
import { markdownLine } from '../../text/markdown.js';
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
 * The report as a Teams Workflows message: the same envelope as a finding
 * (a `message` with one Adaptive Card 1.4 attachment), facts with bars in
 * text. Finding values go through the Teams Markdown escaping
 * (text/markdown.ts); the only links are console URLs built from validated
 * ids, as OpenUrl actions. Bounded lists keep it far below the 24,000-byte
 * budget of channels/teams.ts.
 */

const ROWS = 3;
const VALUE_MAX = 150;

type TextBlock = {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'Medium' | 'Large';
  weight?: 'Bolder';
  color?: 'Attention' | 'Warning';
  isSubtle?: true;
  spacing?: 'Medium';
  separator?: true;
  fontType?: 'Monospace';
};
type FactSet = { type: 'FactSet'; facts: Array<{ title: string; value: string }> };
type OpenUrl = { type: 'Action.OpenUrl'; title: string; url: string };
type ActionSet = { type: 'ActionSet'; actions: OpenUrl[] };
export type ReportCardElement = TextBlock | FactSet | ActionSet;

export interface ReportTeamsPayload {
  type: 'message';
  attachments: [
    {
      contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
      contentUrl: null;
      content: {
        $schema: typeof ADAPTIVE_CARD_SCHEMA;
        type: 'AdaptiveCard';
        version: typeof TEAMS_CARD_VERSION;
        body: ReportCardElement[];
        /** Empty: the report's links are ActionSets in the body; the finding card's type requires the field. */
        actions: OpenUrl[];
        msteams: { width: 'Full' };
      };
    },
  ];
}

function heading(text: string): TextBlock {
  return {
    type: 'TextBlock',
    text: markdownLine(text),
    wrap: true,
    weight: 'Bolder',
    spacing: 'Medium',
    separator: true,
  };
}

function ranked(title: string, rows: readonly Ranked[]): ReportCardElement[] {
  if (rows.length === 0) return [];
  const max = Math.max(1, ...rows.map((r) => r.findings));
  return [
    heading(title),
    {
      type: 'FactSet',
      facts: rows.slice(0, ROWS).map((r) => ({
        title: markdownLine(truncate(rankedLabel(r), VALUE_MAX)),
        value: textBar(r.findings, max),
      })),
    },
  ];
}

function oldestOpen(report: Report): ReportCardElement[] {
  const rows = report.oldestOpen.slice(0, ROWS);
  if (rows.length === 0) return [];
  const links = rows.filter((f) => f.consoleUrl !== null);
  return [
    heading(`Oldest open high/critical (${report.openHighOrCritical} open)`),
    {
      type: 'FactSet',
      facts: rows.map((f) => ({
        title: `${bandName(f.band)} ${f.score.toFixed(1)} · ${f.ageDays} d`,
        value: markdownLine(`${truncate(f.title, VALUE_MAX)} (${truncate(f.type, VALUE_MAX)})`),
      })),
    },
    ...(links.length > 0
      ? [
          {
            type: 'ActionSet' as const,
            actions: links.map((f, i) => ({
              type: 'Action.OpenUrl' as const,
              title: `Open #${i + 1}`,
              url: f.consoleUrl as string,
            })),
          },
        ]
      : []),
  ];
}

/**
 * Renders the report as a Teams Workflows webhook message.
 *
 * @example renderReportTeams(report) // POST JSON.stringify(payload)
 */
export function renderReportTeams(report: Report): ReportTeamsPayload {
  const max = Math.max(1, ...BANDS_DOWN.map((b) => report.bySeverity[b]));
  const partial = partialText(report);
  const band = topBand(report);
  const body: ReportCardElement[] = [
    { type: 'TextBlock', text: markdownLine(reportTitle(report)), wrap: true, size: 'Large', weight: 'Bolder' },
    { type: 'TextBlock', text: markdownLine(headline(report)), wrap: true, weight: 'Bolder' },
    ...(partial
      ? [{ type: 'TextBlock' as const, text: markdownLine(partial), wrap: true as const, color: 'Warning' as const }]
      : []),
    heading(`By severity (previous ${report.period.days} days)`),
    {
      type: 'FactSet',
      facts: BANDS_DOWN.map((b) => ({
        title: bandName(b),
        value: `${textBar(report.bySeverity[b], max)} (${previousCount(report, b)})`,
      })),
    },
    ...ranked('Top finding types', report.topTypes),
    ...ranked('Top accounts', report.topAccounts),
    ...ranked('Top resources', report.topResources),
    ...oldestOpen(report),
    ...(report.noisyTypes.length > 0
      ? [
          heading('Noisiest types (a rule to review is in the email and webhook report; nothing was created)'),
          {
            type: 'FactSet' as const,
            facts: report.noisyTypes.map((n) => ({
              title: markdownLine(truncate(n.type, VALUE_MAX)),
              value: `${n.findings} findings (${percent(n.share)})`,
            })),
          },
        ]
      : []),
    heading('Response, signals, heartbeat'),
    {
      type: 'FactSet',
      facts: [
        { title: 'Response', value: markdownLine(responseText(report)) },
        { title: 'Signals', value: markdownLine(signalsText(report)) },
        { title: 'Heartbeat', value: markdownLine(heartbeatText(report)) },
      ],
    },
  ];
  if (band === 'CRITICAL' || band === 'HIGH') {
    const first = body[1] as TextBlock;
    first.color = band === 'CRITICAL' ? 'Attention' : 'Warning';
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: {
          $schema: ADAPTIVE_CARD_SCHEMA,
          type: 'AdaptiveCard',
          version: TEAMS_CARD_VERSION,
          body,
          actions: [],
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
