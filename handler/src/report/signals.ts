import type { Signal } from '../signals/model.js';
import type { SignalRecord } from './model.js';

/**
 * The report's record of a signal: tamper alerts and coverage changes, or null
 * for every other signal (findings are read from GuardDuty, not from signals).
 * A tamper call matched by an expected-principal rule is a note, not a tamper
 * event, and is left out.
 */
export function signalRecordOf(signal: Signal): SignalRecord | null {
  const base = { at: signal.time, title: signal.title, accountId: signal.account.id, region: signal.region };
  if (signal.kind === 'activity' && signal.activity.category === 'tamper' && signal.activity.expected === null)
    return { kind: 'tamper', ...base, key: null };
  if (signal.kind === 'coverage')
    return {
      kind: signal.coverage.state === 'lost' ? 'coverageLost' : 'coverageRestored',
      ...base,
      key: signal.coverage.incidentKey ?? signal.coverage.resource,
    };
  return null;
}
