import { createHash } from 'node:crypto';
import type { Field } from '../finding/model.js';
import type { SeverityBand } from '../finding/severity.js';
import { truncate } from '../text/clean.js';
import type { Signal, SignalKind } from './model.js';

/*
 * What generic renderers need from any non-finding signal (findings keep
 * their own rich renderers): a title line and a field list, as plain
 * unescaped text; and what a signal means for PagerDuty, as data.
 */

export const KIND_LABEL: Record<SignalKind, string> = {
  finding: 'GuardDuty finding',
  scan: 'Malware Protection for S3',
  coverage: 'GuardDuty coverage',
  activity: 'GuardDuty API call',
  other: 'GuardDuty event',
};

/** "HIGH 8.0": band and score as every channel shows them. */
export function signalSeverityLabel(signal: Signal): string {
  return `${signal.severity.band} ${signal.severity.score.toFixed(1)}`;
}

export interface SignalSummary {
  /** "CRITICAL · GuardDuty API call · REFUSED: attempt to delete the GuardDuty detector" */
  titleLine: string;
  /** Kind, account, region, time, then the signal's own fields. */
  fields: Field[];
}

/**
 * The title line and fields of a signal, for renderers that show any kind
 * the same way. Values are attacker-influenced text: escape per channel.
 *
 * @example signalSummary(signal).titleLine // 'CRITICAL · GuardDuty API call · GuardDuty detector deleted'
 */
export function signalSummary(signal: Signal): SignalSummary {
  const account = signal.account.name ? `${signal.account.name} (${signal.account.id})` : signal.account.id;
  return {
    titleLine: `${signal.severity.band} · ${KIND_LABEL[signal.kind]} · ${signal.title}`,
    fields: [
      { label: 'Severity', value: signalSeverityLabel(signal) },
      { label: 'Account', value: account },
      { label: 'Region', value: signal.region },
      ...(signal.time ? [{ label: 'Time', value: signal.time }] : []),
      ...signal.fields,
    ],
  };
}

/** Wide enough for most labels; longer ones just get a space. */
const LABEL_WIDTH = 20;

/**
 * The plain-text view of a signal (email text part, SNS message): title line,
 * one "Label: value" per line, each value within `maxValue`, and the console link.
 */
export function signalPlainText(signal: Signal, maxValue = 2_000): string {
  const { titleLine, fields } = signalSummary(signal);
  return [
    titleLine,
    '',
    ...fields.map((f) => `${`${f.label}:`.padEnd(LABEL_WIDTH)} ${truncate(f.value, maxValue)}`),
    '',
    signal.consoleUrl ? `Open in the AWS console: ${signal.consoleUrl}` : 'No console link for this event.',
    '',
  ].join('\n');
}

/** PagerDuty's `dedup_key` limit (Events API v2). */
const DEDUP_KEY_MAX = 255;

function dedupKey(key: string): string {
  return key.length > 0 && key.length <= DEDUP_KEY_MAX
    ? key
    : `guardduty-${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

export type PagerDutyIntent =
  | { action: 'trigger'; dedupKey: string; band: SeverityBand; summary: string }
  | { action: 'resolve'; dedupKey: string };

/**
 * What a signal means for PagerDuty. A successful ArchiveFindings call for N
 * findings resolves N incidents (dedup key = finding id, the key the finding
 * opened them with); UnarchiveFindings, refused lifecycle calls, ignored calls
 * and quiet signals mean nothing. Restored coverage resolves the incident its
 * lost-coverage event opened (same `incidentKey`). Everything else triggers
 * one incident keyed by the signal id.
 *
 * @example pagerDutyIntents(archiveOfTwo) // [{ action: 'resolve', dedupKey: 'id1' }, { action: 'resolve', dedupKey: 'id2' }]
 */
export function pagerDutyIntents(signal: Signal): PagerDutyIntent[] {
  if (signal.delivery !== 'notify') return [];
  const trigger = (key: string): PagerDutyIntent[] => [
    {
      action: 'trigger',
      dedupKey: dedupKey(key),
      band: signal.severity.band,
      summary: signalSummary(signal).titleLine,
    },
  ];
  switch (signal.kind) {
    case 'activity': {
      const { category, callName, refused, findingIds } = signal.activity;
      if (category === 'lifecycle') {
        if (refused || callName !== 'ArchiveFindings') return [];
        return findingIds.map((id) => ({ action: 'resolve', dedupKey: dedupKey(id) }));
      }
      return trigger(signal.id);
    }
    case 'coverage': {
      const { state, incidentKey } = signal.coverage;
      if (state === 'restored') return incidentKey ? [{ action: 'resolve', dedupKey: dedupKey(incidentKey) }] : [];
      return trigger(incidentKey ?? signal.id);
    }
    case 'finding':
    case 'scan':
    case 'other':
      return trigger(signal.id);
    default: {
      const unreachable: never = signal;
      return unreachable;
    }
  }
}
