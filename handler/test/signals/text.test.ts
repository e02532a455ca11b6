import { describe, expect, it } from 'vitest';
import type { Signal } from '../../src/signals/model.js';
import { type ParseSignalOptions, parseSignal } from '../../src/signals/parse.js';
import { pagerDutyIntents, signalPlainText, signalSummary } from '../../src/signals/text.js';
import { rawFixture } from '../helpers/fixtures.js';
import { signalEvent, signalNames, withDetail } from './fixtures.js';

function signal(event: unknown, options?: ParseSignalOptions): Signal {
  const parsed = parseSignal(event, options);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.signal;
}

const fixture = (name: string, options?: ParseSignalOptions) => signal(signalEvent(name), options);

describe('signalSummary', () => {
  it('gives a title line and the header facts before the kind’s own fields', () => {
    const summary = signalSummary(fixture('activity/delete-detector-refused'));
    expect(summary.titleLine).toBe('CRITICAL · GuardDuty API call · REFUSED: attempt to delete the GuardDuty detector');
    expect(summary.fields.slice(0, 5)).toEqual([
      { label: 'Severity', value: 'CRITICAL 9.5' },
      { label: 'Account', value: '111122223333' },
      { label: 'Region', value: 'eu-west-1' },
      { label: 'Time', value: '2026-11-29T10:15:40Z' },
      { label: 'Call', value: 'DeleteDetector' },
    ]);
  });

  it('names the account when enrichment has', () => {
    const named = fixture('scan/threats-found');
    named.account.name = 'prod-uploads';
    expect(signalSummary(named).fields[1]).toEqual({ label: 'Account', value: 'prod-uploads (111122223333)' });
  });

  it.each([...signalNames('activity'), ...signalNames('scan'), ...signalNames('coverage')])(
    '%s: every line of the plain text is one line and bounded',
    (name) => {
      const text = signalPlainText(fixture(name), 300);
      const lines = text.split('\n');
      expect(lines[0]).toBe(signalSummary(fixture(name)).titleLine);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(330);
      expect(text).not.toMatch(/\r/);
    },
  );

  it('ends the plain text with the console link', () => {
    expect(signalPlainText(fixture('scan/threats-found'))).toContain(
      'Open in the AWS console: https://eu-west-1.console.aws.amazon.com/s3/buckets/amzn-s3-demo-bucket?region=eu-west-1',
    );
  });
});

describe('pagerDutyIntents', () => {
  it('resolves each archived finding by its id, the key its incident was opened with', () => {
    expect(pagerDutyIntents(fixture('activity/archive-findings'))).toEqual([
      { action: 'resolve', dedupKey: '6eb2b1f0c8b3e5d7a1f4c2e9d8b7a6f5' },
      { action: 'resolve', dedupKey: 'a2c4e6f8b0d1c3e5f7a9b1d3c5e7f9a1' },
    ]);
  });

  it('means nothing for an unarchive, a refused archive, an ignored call or a clean scan', () => {
    const refusedArchive = withDetail(signalEvent('activity/archive-findings'), (d) => {
      d.errorCode = 'AccessDenied';
    });
    expect(pagerDutyIntents(fixture('activity/unarchive-findings'))).toEqual([]);
    expect(pagerDutyIntents(signal(refusedArchive))).toEqual([]);
    expect(pagerDutyIntents(fixture('activity/list-findings'))).toEqual([]);
    expect(pagerDutyIntents(fixture('scan/no-threats-found'))).toEqual([]);
  });

  it('triggers one incident per tamper call, keyed by the call, at its band', () => {
    const tamper = fixture('activity/delete-detector');
    expect(pagerDutyIntents(tamper)).toEqual([
      {
        action: 'trigger',
        dedupKey: tamper.id,
        band: 'CRITICAL',
        summary: 'CRITICAL · GuardDuty API call · GuardDuty detector deleted',
      },
    ]);
    expect(
      pagerDutyIntents(
        fixture('activity/delete-detector-by-pipeline', {
          expectedPrincipals: ['arn:aws:iam::111122223333:role/terraform-ci'],
        }),
      ),
    ).toMatchObject([{ action: 'trigger', band: 'LOW' }]);
  });

  it('triggers on lost coverage and resolves that incident when coverage is restored', () => {
    const lost = pagerDutyIntents(fixture('coverage/runtime-unhealthy-eks'));
    const restored = pagerDutyIntents(fixture('coverage/runtime-healthy-eks'));
    expect(lost).toMatchObject([{ action: 'trigger', band: 'MEDIUM' }]);
    expect(restored).toEqual([{ action: 'resolve', dedupKey: lost[0]?.dedupKey }]);
    expect(pagerDutyIntents(fixture('coverage/plan-status-active'))).toEqual([
      { action: 'resolve', dedupKey: pagerDutyIntents(fixture('coverage/plan-status-error'))[0]?.dedupKey },
    ]);
  });

  it('triggers a scan with threats and a finding by their ids', () => {
    const scan = fixture('scan/threats-found');
    expect(pagerDutyIntents(scan)).toMatchObject([{ action: 'trigger', dedupKey: scan.id, band: 'HIGH' }]);
    const finding = signal(rawFixture('ec2-c2-network'));
    expect(pagerDutyIntents(finding)).toMatchObject([{ action: 'trigger', dedupKey: finding.id }]);
  });

  it('keeps every dedup key within PagerDuty’s 255 characters', () => {
    const event = withDetail(signalEvent('activity/archive-findings'), (d) => {
      (d.requestParameters as Record<string, unknown>).findingIds = ['a'.repeat(128)];
    });
    for (const intent of pagerDutyIntents(signal(event))) expect(intent.dedupKey.length).toBeLessThanOrEqual(255);
  });
});

describe('field bounds, for every fixture', () => {
  it.each([...signalNames('activity'), ...signalNames('scan'), ...signalNames('coverage')])('%s', (name) => {
    const s = fixture(name);
    expect(s.title.length).toBeLessThanOrEqual(200);
    expect(s.fields.length).toBeLessThanOrEqual(20);
    for (const { label, value } of [...s.fields, { label: 'title', value: s.title }]) {
      expect(value.length, label).toBeLessThanOrEqual(1_500);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserts that no control character is left
      expect(value, label).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
  });
});
