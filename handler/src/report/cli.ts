import { readFileSync } from 'node:fs';
import { CHANNELS } from '../channels/registry.js';
import { parseArgs } from 'node:util';
import { parseFindingEvent } from '../batch/envelope.js';
import { ConfigError } from '../config/errors.js';
import { parseConfig } from '../config/parse.js';
import type { Config } from '../config/schema.js';
import type { NormalisedFinding } from '../finding/model.js';
import { normaliseFinding } from '../finding/normalise.js';
import { buildReport, countByBand } from './build.js';
import { reportPeriods } from './period.js';
import { PAGERDUTY_REPORT_SKIPPED, REPORT_RENDERERS, type ReportChannelType, renderReport } from './render/index.js';

/*
 * `guardduty-notify report --channel <type|name> [--config file] [--days N]
 * [--end ISO] events.json…`: renders the report offline from finding files
 * through the same aggregation and renderers the function uses. The period
 * ends at --end, or at the latest finding update in the files, so a folder of
 * old findings still previews a full report; the previous period's counts come
 * from the same files. Queue depths are unknown offline and say so.
 */

/** Channel types with a report renderer on their descriptor (PagerDuty has none). */
const REPORT_TYPES = CHANNELS.filter((c) => c.loadReportRenderer).map((c) => c.type);

export const REPORT_USAGE = `  guardduty-notify report --channel <type|name> [--config <file>] [--days <n>] [--end <ISO time>] events.json…
      Print the weekly report one channel would send, built from GuardDuty
      EventBridge events in files (each an event or an array of events).
      Types: ${REPORT_TYPES.join(', ')}.`;

class ReportUsageError extends Error {}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReportUsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch {
    throw new ReportUsageError(`${file} is not JSON`);
  }
}

function findingsFrom(files: readonly string[], config: Config | undefined): NormalisedFinding[] {
  const findings: NormalisedFinding[] = [];
  for (const file of files) {
    const json = readJson(file);
    for (const [i, event] of (Array.isArray(json) ? json : [json]).entries()) {
      const parsed = parseFindingEvent(event);
      if (!parsed.ok) throw new ReportUsageError(`${file}${Array.isArray(json) ? `[${i}]` : ''}: ${parsed.reason}`);
      findings.push(normaliseFinding(parsed.event, config?.accountNames[parsed.event.detail.accountId] ?? null));
    }
  }
  return findings;
}

function pickChannel(selector: string, config: Config | undefined): { type: ReportChannelType; options: object } {
  const named = config?.channels.find((c) => c.name === selector);
  if (named) return { type: named.type, options: named };
  if (Object.hasOwn(REPORT_RENDERERS, selector)) {
    const type = selector as ReportChannelType;
    return { type, options: config?.channels.find((c) => c.type === type) ?? {} };
  }
  throw new ReportUsageError(
    `unknown channel "${selector}": use one of ${Object.keys(REPORT_RENDERERS).join(', ')}${config ? ' or a configured channel name' : ''}`,
  );
}

function reportPayload(args: string[]): string {
  const { values, positionals } = parseArgs({
    args,
    options: {
      channel: { type: 'string' },
      config: { type: 'string' },
      days: { type: 'string' },
      end: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (!values.channel) throw new ReportUsageError('report needs --channel <type|name>');
  if (positionals.length === 0) throw new ReportUsageError('report needs at least one events file');
  const days = values.days === undefined ? 7 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 90)
    throw new ReportUsageError('--days must be a whole number from 1 to 90');
  const config = values.config ? parseConfig(readText(values.config), values.config) : undefined;
  const channel = pickChannel(values.channel, config);
  if (channel.type === 'pagerduty') throw new ReportUsageError(PAGERDUTY_REPORT_SKIPPED);
  const findings = findingsFrom(positionals, config);
  const latest = Math.max(0, ...findings.map((f) => Date.parse(f.updatedAt)).filter((t) => !Number.isNaN(t)));
  const end = values.end ? new Date(values.end) : new Date(latest > 0 ? latest + 1 : Date.now());
  if (Number.isNaN(end.getTime())) throw new ReportUsageError('--end must be an ISO 8601 time');
  const { current, previous } = reportPeriods(end, days);
  const report = buildReport({
    period: current,
    previous,
    findings,
    previousBySeverity: countByBand(findings, previous),
    states: [],
    signals: [],
    heartbeat: {
      lastEventProcessedAt: latest > 0 ? new Date(latest).toISOString() : null,
      queueDepth: null,
      dlqDepth: null,
    },
    generatedAt: end,
  });
  return `${JSON.stringify(renderReport(channel.type, report, channel.options), null, 2)}\n`;
}

/**
 * Runs `guardduty-notify report …`; returns the exit code (0, 1 for a bad config, 2 for bad usage).
 *
 * @example runReportCommand(['--channel', 'email', 'events.json'], process.stdout, process.stderr)
 */
export function runReportCommand(
  args: string[],
  out: { write(text: string): unknown },
  err: { write(text: string): unknown },
): number {
  try {
    out.write(reportPayload(args));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      err.write(`guardduty-notify: ${error.message}\n`);
      return 1;
    }
    if (
      error instanceof ReportUsageError ||
      (error instanceof Error && error.name === 'TypeError' && /parseArgs|option/i.test(error.message))
    ) {
      err.write(`guardduty-notify: ${error.message}\n${REPORT_USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
