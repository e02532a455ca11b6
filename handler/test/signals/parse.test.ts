import { describe, expect, it } from 'vitest';
import { SignalSchema } from '../../src/signals/model.js';
import { type FindingReader, parseSignal } from '../../src/signals/parse.js';
import { fixtureNames, normalisedFixture, rawFixture } from '../helpers/fixtures.js';
import { signalEvent } from './fixtures.js';

describe('parseSignal', () => {
  it('dispatches each detail-type to its kind', () => {
    const kinds = [
      ['activity/delete-detector', 'activity'],
      ['scan/threats-found', 'scan'],
      ['coverage/runtime-unhealthy-eks', 'coverage'],
      ['coverage/plan-status-error', 'coverage'],
      ['coverage/post-scan-action-failed', 'coverage'],
    ].map(([name, kind]) => {
      const parsed = parseSignal(signalEvent(name ?? ''));
      return [name, parsed.ok ? parsed.signal.kind : parsed.reason, kind];
    });
    for (const [name, got, want] of kinds) expect(`${name}: ${got}`).toBe(`${name}: ${want}`);
  });

  it.each(fixtureNames())('reads the GuardDuty Finding fixture %s as the finding module does', (name) => {
    const parsed = parseSignal(rawFixture(name));
    if (!parsed.ok || parsed.signal.kind !== 'finding')
      throw new Error(`not a finding signal: ${JSON.stringify(parsed)}`);
    const expected = normalisedFixture(name);
    // The fixture helper names account 111122223333; the parser leaves naming to enrichment.
    expect(parsed.signal.finding).toEqual({ ...expected, account: { ...expected.account, name: null } });
    expect(parsed.signal).toMatchObject({
      id: expected.id,
      title: expected.title,
      severity: expected.severity,
      region: expected.region,
      consoleUrl: expected.consoleUrl,
      time: expected.updatedAt,
      delivery: 'notify',
    });
    SignalSchema.parse(parsed.signal);
  });

  it('delegates GuardDuty Finding events to the reader it is given', () => {
    const seen: unknown[] = [];
    const finding = normalisedFixture('minimal');
    const reader: FindingReader = (event) => {
      seen.push(event);
      return { ok: true, finding };
    };
    const event = rawFixture('ec2-ssh-bruteforce');
    const parsed = parseSignal(event, { readFinding: reader });
    expect(seen).toEqual([event]);
    expect(parsed.ok && parsed.signal.kind === 'finding' && parsed.signal.finding).toBe(finding);
  });

  it('refuses a GuardDuty Finding event without a type: not a finding at all (issue 15)', () => {
    const event = { ...rawFixture('ec2-c2-network') };
    const { type: _type, ...detail } = event.detail as Record<string, unknown>;
    const parsed = parseSignal({ ...event, detail });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/^not a GuardDuty finding event: /);
  });

  it('shows a GuardDuty event of a type it does not know, MEDIUM, with its scalar fields', () => {
    const parsed = parseSignal({
      version: '0',
      id: 'e1',
      'detail-type': 'GuardDuty Malware Protection Backup Scan Result',
      source: 'aws.guardduty',
      account: '111122223333',
      time: '2026-11-29T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { scanId: 'abc', scanStatus: 'COMPLETED', nested: { ignored: true }, hostile: '<!here>\r\nBcc: x' },
    });
    if (!parsed.ok || parsed.signal.kind !== 'other') throw new Error('expected an other signal');
    expect(parsed.signal.title).toBe('GuardDuty Malware Protection Backup Scan Result');
    expect(parsed.signal.severity.band).toBe('MEDIUM');
    expect(parsed.signal.fields).toEqual([
      { label: 'scanId', value: 'abc' },
      { label: 'scanStatus', value: 'COMPLETED' },
      { label: 'hostile', value: '<!here> Bcc: x' },
    ]);
    SignalSchema.parse(parsed.signal);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'reads a GuardDuty event with detail-type %j as an unknown kind, never as an inherited property',
    (detailType) => {
      const parsed = parseSignal({
        version: '0',
        id: 'e2',
        'detail-type': detailType,
        source: 'aws.guardduty',
        account: '111122223333',
        time: '2026-11-29T10:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: { note: 'hostile detail-type' },
      });
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(parsed.signal.kind).toBe('other');
      expect(parsed.signal.title).toBe(detailType);
      SignalSchema.parse(parsed.signal);
    },
  );

  it.each([
    [null, 'detail-type missing, source missing'],
    ['text', 'detail-type missing, source missing'],
    [[], 'detail-type missing, source missing'],
    [
      { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.s3', detail: {} },
      'detail-type "AWS API Call via CloudTrail", source "aws.s3"',
    ],
    [{ 'detail-type': 'Object Created', source: 'aws.s3' }, 'detail-type "Object Created", source "aws.s3"'],
    [{ source: 'aws.guardduty' }, 'detail-type missing, source "aws.guardduty"'],
  ])('refuses %j: not a GuardDuty event', (event, what) => {
    const parsed = parseSignal(event);
    expect(parsed).toEqual({ ok: false, reason: `not a GuardDuty event: ${what} (expected source "aws.guardduty")` });
  });

  it('keeps hostile text out of the refusal reason', () => {
    const parsed = parseSignal({ 'detail-type': `x\r\n${'y'.repeat(500)}`, source: 'evil' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).not.toMatch(/[\r\n]/);
      expect(parsed.reason.length).toBeLessThan(300);
    }
  });

  it('names the partition from the region', () => {
    const partitionOf = (region: string) => {
      const parsed = parseSignal({ ...signalEvent('activity/delete-detector'), region });
      return parsed.ok ? [parsed.signal.partition, parsed.signal.consoleUrl?.split('/cloudtrailv2')[0]] : null;
    };
    expect(partitionOf('cn-north-1')).toEqual(['aws-cn', 'https://console.amazonaws.cn']);
    expect(partitionOf('us-gov-west-1')).toEqual(['aws-us-gov', 'https://console.amazonaws-us-gov.com']);
    expect(partitionOf('eu-west-1')).toEqual(['aws', 'https://eu-west-1.console.aws.amazon.com']);
    expect(partitionOf('<script>')).toEqual(['aws', undefined]);
  });
});
