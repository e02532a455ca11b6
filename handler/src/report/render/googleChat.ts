import { BAND_COLOUR, type SeverityBand } from '../../finding/severity.js';
import { truncate } from '../../text/clean.js';
import { escapeHtml, htmlWithin } from '../../text/html.js';
import type { Ranked, Report } from '../model.js';
import { BAR_WIDTH, barCells } from './bars.js';
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
} from './facts.js';

/*
 * The report as a Google Chat `cardsV2` message. Widget text accepts Chat's
 * HTML subset, so finding values are HTML-escaped there and bars are
 * coloured with `<font color>`; labels, the header and the `text` line carry
 * only our own wording (numbers, band names), never finding text. Limits as in
 * channels/googleChat.ts: 32,000 bytes, 100 widgets, header one line.
 */

const ROWS = 3;
const VALUE_MAX = 150;
const HEADER_MAX = 120;
const NEUTRAL = '#5D6D7E';

type Button = { text: string; onClick: { openLink: { url: string } } };
type Widget =
  | { decoratedText: { topLabel?: string; text: string; bottomLabel?: string; wrapText: true; button?: Button } }
  | { textParagraph: { text: string } };
type Section = { header?: string; collapsible?: boolean; uncollapsibleWidgetsCount?: number; widgets: Widget[] };

export interface ReportGoogleChatPayload {
  text: string;
  cardsV2: [{ cardId: string; card: { header: { title: string; subtitle?: string }; sections: Section[] } }];
}

/** A coloured bar in Chat's HTML subset: filled cells in the colour, the rest muted. */
function htmlBar(value: number, max: number, colour: string): string {
  const filled = barCells(value, max);
  return `<font color="${colour}">${'█'.repeat(filled)}</font><font color="#D5DBE1">${'█'.repeat(BAR_WIDTH - filled)}</font> <b>${value.toLocaleString('en-US')}</b>`;
}

function ranked(title: string, rows: readonly Ranked[]): Section[] {
  if (rows.length === 0) return [];
  const max = Math.max(1, ...rows.map((r) => r.findings));
  return [
    {
      header: title,
      widgets: rows.slice(0, ROWS).map((r) => ({
        decoratedText: {
          text: `${htmlWithin(rankedLabel(r), VALUE_MAX)}<br>${htmlBar(r.findings, max, BAND_COLOUR[r.highest] ?? NEUTRAL)}`,
          wrapText: true as const,
        },
      })),
    },
  ];
}

function oldestOpen(report: Report): Section[] {
  const rows = report.oldestOpen.slice(0, ROWS);
  if (rows.length === 0) return [];
  return [
    {
      header: `Oldest open high/critical (${report.openHighOrCritical} open)`,
      widgets: rows.map((f) => ({
        decoratedText: {
          topLabel: `${bandName(f.band)} ${f.score.toFixed(1)} · ${f.ageDays} d old`,
          text: `${htmlWithin(f.title, VALUE_MAX)}<br><font color="#5F6B7A">${htmlWithin(f.type, VALUE_MAX)}</font>`,
          wrapText: true as const,
          // Only console URLs built from validated ids are linked.
          ...(f.consoleUrl ? { button: { text: 'Open', onClick: { openLink: { url: f.consoleUrl } } } } : {}),
        },
      })),
    },
  ];
}

function paragraph(html: string): Widget {
  return { textParagraph: { text: html || '-' } };
}

/**
 * Renders the report as a Google Chat webhook message.
 *
 * @example renderReportGoogleChat(report) // POST JSON.stringify(payload)
 */
export function renderReportGoogleChat(report: Report): ReportGoogleChatPayload {
  const max = Math.max(1, ...BANDS_DOWN.map((b) => report.bySeverity[b]));
  const partial = partialText(report);
  const sections: Section[] = [
    {
      widgets: [
        paragraph(`<b>${escapeHtml(headline(report))}</b>`),
        ...(partial ? [paragraph(`<font color="#9A3412">${escapeHtml(partial)}</font>`)] : []),
      ],
    },
    {
      header: `By severity (previous ${report.period.days} days in brackets)`,
      widgets: BANDS_DOWN.map((b: SeverityBand) => ({
        decoratedText: {
          topLabel: bandName(b),
          text: `${htmlBar(report.bySeverity[b], max, BAND_COLOUR[b])} (${previousCount(report, b)})`,
          wrapText: true as const,
        },
      })),
    },
    ...ranked('Top finding types', report.topTypes),
    ...ranked('Top accounts', report.topAccounts),
    ...ranked('Top resources', report.topResources),
    ...oldestOpen(report),
    ...(report.noisyTypes.length > 0
      ? [
          {
            header: 'Noisiest types (rule to review in the email report; nothing was created)',
            widgets: report.noisyTypes.map((n) =>
              paragraph(`${htmlWithin(n.type, VALUE_MAX)}: ${n.findings} findings (${percent(n.share)})`),
            ),
          },
        ]
      : []),
    {
      header: 'Response, signals, heartbeat',
      widgets: [
        paragraph(escapeHtml(responseText(report))),
        paragraph(escapeHtml(signalsText(report))),
        paragraph(escapeHtml(heartbeatText(report))),
      ],
    },
  ];
  return {
    text: truncate(headline(report), 1_000),
    cardsV2: [
      {
        cardId: 'guardduty-report',
        card: {
          header: {
            title: truncate(reportTitle(report), HEADER_MAX),
            subtitle: truncate(partial ? 'Partial report' : 'Weekly report and heartbeat', HEADER_MAX),
          },
          sections,
        },
      },
    ],
  };
}
