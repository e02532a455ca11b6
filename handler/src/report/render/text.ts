import { cleanLine, truncate } from '../../text/clean.js';
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
} from './facts.js';

/*
 * The plain-text report: the email's text part and the SNS body. Values are
 * cleaned one-line text (no markup to escape), each bounded.
 */

const VALUE_MAX = 200;

function line(value: string): string {
  return cleanLine(value, VALUE_MAX);
}

function rankedLines(title: string, rows: readonly Ranked[]): string[] {
  if (rows.length === 0) return [];
  return [
    '',
    title,
    ...rows.map((r) => `  ${String(r.findings).padStart(6)}  ${line(rankedLabel(r))} (highest ${bandName(r.highest)})`),
  ];
}

/**
 * Renders the report as plain text.
 *
 * @example renderReportText(report) // 'GuardDuty report · 23 Nov – 30 Nov 2026\n\n12 findings: …'
 */
export function renderReportText(report: Report): string {
  const max = Math.max(1, ...BANDS_DOWN.map((b) => report.bySeverity[b]));
  const out: string[] = [reportTitle(report), '', headline(report)];
  const partial = partialText(report);
  if (partial) out.push(partial);
  out.push('', `By severity (previous ${report.period.days} days in brackets):`);
  for (const band of BANDS_DOWN)
    out.push(`  ${bandName(band).padEnd(8)} ${textBar(report.bySeverity[band], max)} (${previousCount(report, band)})`);
  out.push(...rankedLines('Top finding types:', report.topTypes));
  out.push(...rankedLines('Top accounts:', report.topAccounts));
  out.push(...rankedLines('Top resources:', report.topResources));
  if (report.oldestOpen.length > 0) {
    out.push('', `Oldest open high and critical findings (${report.openHighOrCritical} open):`);
    for (const f of report.oldestOpen) {
      out.push(`  ${bandName(f.band)} ${f.score.toFixed(1)}, ${f.ageDays} d old: ${line(f.title)}`);
      out.push(
        `    ${line(f.type)} · ${line(f.accountName ? `${f.accountName} (${f.accountId})` : f.accountId)} · ${line(f.region)}`,
      );
      if (f.consoleUrl) out.push(`    ${f.consoleUrl}`);
    }
  }
  if (report.noisyTypes.length > 0) {
    out.push('', 'Noisiest types (a suppression rule to review; nothing was created):');
    for (const n of report.noisyTypes) {
      out.push(`  ${line(n.type)}: ${n.findings} findings, ${percent(n.share)} of the period`);
      if (n.cli) out.push(`    ${truncate(n.cli, 1_000)}`);
    }
  }
  out.push('', `Response: ${responseText(report)}.`);
  out.push(`Signals: ${signalsText(report)}.`);
  for (const t of report.tamper.recent) out.push(`  tamper ${line(t.at)}: ${line(t.title)} (${line(t.accountId)})`);
  for (const c of report.coverage.stillLost) out.push(`  still uncovered since ${line(c.at)}: ${line(c.title)}`);
  out.push('', `Heartbeat: ${heartbeatText(report)}.`);
  return `${out.join('\n')}\n`;
}
