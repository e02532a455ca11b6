import { BAND_COLOUR, type SeverityBand } from '../../finding/severity.js';
import { cleanLine, truncate } from '../../text/clean.js';
import { escapeHtml, htmlWithin } from '../../text/html.js';
import type { Ranked, Report } from '../model.js';
import {
  BANDS_DOWN,
  bandCountsText,
  bandName,
  headline,
  heartbeatText,
  partialText,
  percent,
  plural,
  previousCount,
  rankedLabel,
  reportTitle,
  responseText,
  signalsText,
  topBand,
} from './facts.js';
import { renderReportText } from './text.js';

/*
 * The report as an email: a text part (the shared plain-text report) and an
 * HTML part whose bar charts are table cells with a background colour and a
 * pixel width. Tables, `bgcolor`/`width` attributes and inline styles are what
 * Outlook (Word engine), Gmail and Apple Mail all render; no script, no SVG,
 * no images, no <style> block. Every value from a finding is HTML-escaped and
 * bounded, and the lists are short, so the HTML stays far below Gmail's ~102 KB
 * clipping point.
 */

/** Same cap as the finding email's subject. */
export const REPORT_SUBJECT_MAX = 200;
/** Widest bar, in pixels (the content column is 600 px). */
const BAR_PX = 300;
const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const MUTED = '#5F6B7A';
const VALUE_MAX = 160;
/** Bar colour for rows that are not a severity band. */
const NEUTRAL = '#5D6D7E';

export interface ReportEmail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

function bar(value: number, max: number, colour: string): string {
  const width = value <= 0 || max <= 0 ? 0 : Math.max(2, Math.round((value / max) * BAR_PX));
  const filled =
    width > 0
      ? `<td width="${width}" height="14" bgcolor="${colour}" style="width:${width}px;height:14px;background-color:${colour};font-size:0;line-height:0;">&nbsp;</td>`
      : '';
  const rest = BAR_PX - width;
  const empty =
    rest > 0
      ? `<td width="${rest}" height="14" bgcolor="#EEF1F4" style="width:${rest}px;height:14px;background-color:#EEF1F4;font-size:0;line-height:0;">&nbsp;</td>`
      : '';
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="${BAR_PX}" style="width:${BAR_PX}px;"><tr>${filled}${empty}</tr></table>`;
}

function cell(content: string, extra = ''): string {
  return `<td style="padding:4px 8px 4px 0;vertical-align:middle;${FONT}font-size:14px;color:#1B1B1B;${extra}">${content}</td>`;
}

function chartRow(label: string, value: number, max: number, colour: string, note = ''): string {
  return `<tr>${cell(label, 'width:170px;word-break:break-word;')}${cell(bar(value, max, colour))}${cell(`<b>${value.toLocaleString('en-US')}</b>${note}`, 'white-space:nowrap;')}</tr>`;
}

function chart(rows: readonly string[]): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%">${rows.join('')}</table>`;
}

function heading(text: string): string {
  return `<div style="margin:16px 0 6px;${FONT}font-size:12px;font-weight:bold;letter-spacing:0.5px;text-transform:uppercase;color:${MUTED};">${escapeHtml(text)}</div>`;
}

function para(html: string, extra = ''): string {
  return `<p style="margin:4px 0;${FONT}font-size:14px;line-height:1.5;color:#1B1B1B;${extra}">${html}</p>`;
}

function severityChart(report: Report): string {
  const max = Math.max(1, ...BANDS_DOWN.map((b) => report.bySeverity[b]));
  const rows = BANDS_DOWN.map((band: SeverityBand) =>
    chartRow(
      escapeHtml(bandName(band)),
      report.bySeverity[band],
      max,
      BAND_COLOUR[band],
      ` <span style="color:${MUTED};">(previous: ${previousCount(report, band)})</span>`,
    ),
  );
  return `${heading(`By severity (previous ${report.period.days} days in brackets)`)}${chart(rows)}`;
}

function rankedChart(title: string, rows: readonly Ranked[]): string {
  if (rows.length === 0) return '';
  const max = Math.max(1, ...rows.map((r) => r.findings));
  return `${heading(title)}${chart(rows.map((r) => chartRow(htmlWithin(rankedLabel(r), VALUE_MAX), r.findings, max, BAND_COLOUR[r.highest] ?? NEUTRAL)))}`;
}

function oldestOpen(report: Report): string {
  if (report.oldestOpen.length === 0) return '';
  const items = report.oldestOpen.map((f) => {
    const title = htmlWithin(f.title, VALUE_MAX);
    // Only console URLs built from validated ids are linked.
    const linked = f.consoleUrl ? `<a href="${escapeHtml(f.consoleUrl)}" style="color:#0B5CAD;">${title}</a>` : title;
    const account = f.accountName ? `${f.accountName} (${f.accountId})` : f.accountId;
    return `<tr>${cell(`<span style="color:${BAND_COLOUR[f.band]};font-weight:bold;">${escapeHtml(bandName(f.band))} ${f.score.toFixed(1)}</span>`, 'white-space:nowrap;vertical-align:top;')}${cell(`${linked}<br><span style="color:${MUTED};font-size:13px;">${htmlWithin(f.type, VALUE_MAX)} · ${htmlWithin(account, VALUE_MAX)} · ${htmlWithin(f.region, 40)} · ${f.ageDays} d old</span>`, 'word-break:break-word;')}</tr>`;
  });
  return `${heading(`Oldest open high and critical findings (${report.openHighOrCritical} open)`)}${chart(items)}`;
}

function noisy(report: Report): string {
  if (report.noisyTypes.length === 0) return '';
  const items = report.noisyTypes.map(
    (n) =>
      `${para(`<b>${htmlWithin(n.type, VALUE_MAX)}</b>: ${n.findings} findings, ${percent(n.share)} of the period`)}${
        n.cli
          ? `<pre style="margin:4px 0 8px;padding:8px;background-color:#F4F6F8;white-space:pre-wrap;word-break:break-all;font-family:Consolas,Menlo,monospace;font-size:12px;">${htmlWithin(n.cli, 1_000)}</pre>`
          : ''
      }`,
  );
  return `${heading('Noisiest types: a suppression rule to review (nothing was created)')}${items.join('')}`;
}

function signals(report: Report): string {
  const lines = [
    ...report.tamper.recent.map(
      (t) => `Tamper ${htmlWithin(t.at, 40)}: ${htmlWithin(t.title, VALUE_MAX)} (${htmlWithin(t.accountId, 20)})`,
    ),
    ...report.coverage.stillLost.map(
      (c) => `Still uncovered since ${htmlWithin(c.at, 40)}: ${htmlWithin(c.title, VALUE_MAX)}`,
    ),
  ];
  return `${heading('Tamper and coverage')}${para(escapeHtml(signalsText(report)))}${lines.map((l) => para(l, `color:${MUTED};font-size:13px;`)).join('')}`;
}

function reportHtml(report: Report): string {
  const band = topBand(report);
  const partial = partialText(report);
  const body = [
    `<div style="${FONT}font-size:20px;font-weight:bold;color:#1B1B1B;margin:0 0 8px;">${escapeHtml(reportTitle(report))}</div>`,
    para(`<b>${escapeHtml(headline(report))}</b>`, 'font-size:16px;'),
    partial ? para(escapeHtml(partial), 'color:#9A3412;') : '',
    severityChart(report),
    rankedChart('Top finding types', report.topTypes),
    rankedChart('Top accounts', report.topAccounts),
    rankedChart('Top resources', report.topResources),
    oldestOpen(report),
    noisy(report),
    `${heading('Response')}${para(escapeHtml(responseText(report)))}`,
    signals(report),
    `${heading('Heartbeat')}${para(escapeHtml(heartbeatText(report)))}`,
  ].join('');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(reportTitle(report))}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#F4F6F8;">',
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" bgcolor="#F4F6F8" style="background-color:#F4F6F8;"><tr><td align="center" style="padding:16px 8px;">',
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="640" style="width:640px;max-width:100%;background-color:#FFFFFF;border-top:6px solid ${BAND_COLOUR[band]};">`,
    `<tr><td style="padding:16px 20px;">${body}</td></tr>`,
    '</table></td></tr></table></body></html>',
  ].join('\n');
}

function subject(prefix: string, report: Report): string {
  const counts =
    report.totals.findings === 0
      ? '0 findings'
      : `${plural(report.totals.findings, 'finding')} (${bandCountsText(report.bySeverity)})`;
  const partial = report.completeness.complete ? '' : ' [partial]';
  return truncate(
    cleanLine(`[${cleanLine(prefix, 40)}] ${reportTitle(report)}: ${counts}${partial}`),
    REPORT_SUBJECT_MAX,
  );
}

/**
 * Renders the report as an email (same shape as a finding email: subject, text, html, headers).
 *
 * @example renderReportEmail(report, { subjectPrefix: 'SECURITY' })
 */
export function renderReportEmail(report: Report, channel: { subjectPrefix: string }): ReportEmail {
  return {
    subject: subject(channel.subjectPrefix, report),
    text: renderReportText(report),
    html: reportHtml(report),
    headers: {
      'X-GuardDuty-Kind': 'report',
      'X-GuardDuty-Severity': topBand(report),
      'X-GuardDuty-Finding-Count': String(report.totals.findings),
    },
  };
}
