import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSignal } from '../../src/signals/parse.js';
import { signalRecordOf } from '../../src/report/signals.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

/* Which signals the report counts, from the shared signal fixtures (AWS's documented shapes). */

const SIGNALS = join(FIXTURES_DIR, '..', 'signals');
const signal = (path: string, expectedPrincipals: string[] = []) => {
  const result = parseSignal(JSON.parse(readFileSync(join(SIGNALS, path), 'utf8')), { expectedPrincipals });
  if (!result.ok) throw new Error(result.reason);
  return result.signal;
};

describe('signalRecordOf', () => {
  it('counts a tamper call, including one AWS refused', () => {
    expect(signalRecordOf(signal('activity/delete-detector.json'))).toMatchObject({ kind: 'tamper', key: null });
    expect(signalRecordOf(signal('activity/delete-detector-refused.json'))?.kind).toBe('tamper');
    expect(signalRecordOf(signal('activity/create-filter-archive-hostile.json'))?.kind).toBe('tamper');
  });

  it('leaves out a tamper call by an expected principal (a LOW note), but counts it without the rule', () => {
    const path = 'activity/delete-detector-by-pipeline.json';
    expect(signalRecordOf(signal(path, ['arn:aws:iam::111122223333:role/terraform-ci']))).toBeNull();
    expect(signalRecordOf(signal(path))?.kind).toBe('tamper');
  });

  it('leaves out lifecycle notes, read calls and calls that do not weaken protection', () => {
    for (const path of [
      'activity/archive-findings.json',
      'activity/get-findings.json',
      'activity/list-findings.json',
      'activity/update-detector-enable.json',
      'activity/create-filter-noop.json',
    ])
      expect(signalRecordOf(signal(path)), path).toBeNull();
  });

  it('records lost and restored coverage under the same key', () => {
    const lost = signalRecordOf(signal('coverage/runtime-unhealthy-eks.json'));
    const restored = signalRecordOf(signal('coverage/runtime-healthy-eks.json'));
    expect(lost?.kind).toBe('coverageLost');
    expect(restored?.kind).toBe('coverageRestored');
    expect(lost?.key).not.toBeNull();
    expect(lost?.key).toBe(restored?.key);
    expect(signalRecordOf(signal('coverage/plan-status-error.json'))?.kind).toBe('coverageLost');
  });
});
