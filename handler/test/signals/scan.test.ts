import { describe, expect, it } from 'vitest';
import { type ScanSignal, SignalSchema } from '../../src/signals/model.js';
import { parseSignal } from '../../src/signals/parse.js';
import { signalEvent, signalNames, withDetail } from './fixtures.js';

function scan(event: Record<string, unknown>): ScanSignal {
  const parsed = parseSignal(event);
  if (!parsed.ok) throw new Error(parsed.reason);
  if (parsed.signal.kind !== 'scan') throw new Error(`expected a scan signal, got ${parsed.signal.kind}`);
  SignalSchema.parse(parsed.signal);
  return parsed.signal;
}

const field = (signal: ScanSignal, label: string) => signal.fields.find((f) => f.label === label)?.value;

describe('Malware Protection for S3 scan results', () => {
  it.each([
    [
      'threats-found',
      'THREATS_FOUND',
      'HIGH',
      'notify',
      'Malware found in s3://amzn-s3-demo-bucket/uploads/2026/11/invoice-4711.pdf',
    ],
    [
      'no-threats-found',
      'NO_THREATS_FOUND',
      'LOW',
      'quiet',
      'No threats found in s3://amzn-s3-demo-bucket/uploads/2026/11/invoice-4711.pdf',
    ],
    [
      'unsupported',
      'UNSUPPORTED',
      'LOW',
      'notify',
      'Object not scanned (unsupported): s3://amzn-s3-demo-bucket/backups/disk-image.vhdx',
    ],
    [
      'access-denied',
      'ACCESS_DENIED',
      'MEDIUM',
      'notify',
      'Object not scanned (access denied): s3://amzn-s3-demo-bucket/uploads/2026/11/invoice-4711.pdf',
    ],
    [
      'failed',
      'FAILED',
      'MEDIUM',
      'notify',
      'Object scan failed: s3://amzn-s3-demo-bucket/uploads/2026/11/invoice-4711.pdf',
    ],
  ] as const)('%s: %s is %s and %s', (name, result, band, delivery, title) => {
    const signal = scan(signalEvent(`scan/${name}`));
    expect([signal.scan.result, signal.severity.band, signal.delivery, signal.title]).toEqual([
      result,
      band,
      delivery,
      title,
    ]);
    expect(signal.topic).toBe(`scan.${result.toLowerCase()}`);
  });

  it('carries bucket, key, version, eTag, threats, plan and scan status', () => {
    const signal = scan(signalEvent('scan/threats-found'));
    expect(signal.scan).toEqual({
      result: 'THREATS_FOUND',
      scanStatus: 'COMPLETED',
      bucket: 'amzn-s3-demo-bucket',
      key: 'uploads/2026/11/invoice-4711.pdf',
      versionId: 'd41d8cd98f00b204e9800998eEXAMPLE',
      eTag: 'ASIAI44QH8DHBEXAMPLE',
      threats: ['EICAR-Test-File (not a virus)'],
      planId: 'b4c7f464ab3a4EXAMPLE',
      s3Throttled: false,
    });
    expect(field(signal, 'Threats')).toBe('EICAR-Test-File (not a virus)');
    expect(signal.account.id).toBe('111122223333');
    expect(signal.time).toBe('2026-11-29T09:12:31Z');
    expect(signal.consoleUrl).toBe(
      'https://eu-west-1.console.aws.amazon.com/s3/buckets/amzn-s3-demo-bucket?region=eu-west-1',
    );
  });

  it('gives a redelivered result the same id, and a different object another', () => {
    const first = scan(signalEvent('scan/threats-found'));
    const again = scan({ ...signalEvent('scan/threats-found'), id: 'another-eventbridge-id' });
    const other = scan(
      withDetail(signalEvent('scan/threats-found'), (d) => {
        (d.s3ObjectDetails as Record<string, unknown>).versionId = 'v2';
      }),
    );
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
  });

  it('cleans and bounds a hostile object key and threat name, and keeps them out of the link', () => {
    const signal = scan(signalEvent('scan/threats-found-hostile-key'));
    expect(signal.title.length).toBeLessThanOrEqual(200);
    expect(signal.title).not.toMatch(/[\r\n\u202e]/);
    expect(signal.scan.key?.length).toBeLessThanOrEqual(1_024);
    expect(signal.scan.key).toContain('[U+202E]');
    expect(signal.scan.threats).toEqual([
      'Win32.Trojan <!here> [x](https://evil.example)',
      'EICAR-Test-File (not a virus)',
    ]);
    expect(signal.consoleUrl).toBe(
      'https://eu-west-1.console.aws.amazon.com/s3/buckets/amzn-s3-demo-bucket?region=eu-west-1',
    );
  });

  it('builds no link from a bucket name that is not one', () => {
    const event = withDetail(signalEvent('scan/threats-found'), (d) => {
      (d.s3ObjectDetails as Record<string, unknown>).bucketName = 'evil.example/phish?x=';
    });
    expect(scan(event).consoleUrl).toBeNull();
  });

  it('shows a result status AWS does not document as MEDIUM, verbatim', () => {
    const event = withDetail(signalEvent('scan/threats-found'), (d) => {
      d.scanResultDetails = { scanResultStatus: 'PARTIALLY_SCANNED' };
    });
    const signal = scan(event);
    expect([signal.scan.result, signal.severity.band, field(signal, 'Scan result')]).toEqual([
      'UNKNOWN',
      'MEDIUM',
      'PARTIALLY_SCANNED',
    ]);
  });

  it('survives a detail of any shape', () => {
    for (const detail of [null, 'x', [], {}, { s3ObjectDetails: 'x', scanResultDetails: { threats: 'x' } }]) {
      const event = { ...signalEvent('scan/threats-found'), detail };
      const signal = scan(event);
      expect(signal.scan.result).toBe('UNKNOWN');
      expect(signal.delivery).toBe('notify');
    }
  });

  it.each(signalNames('scan'))('%s parses into a valid signal', (name) => {
    expect(() => scan(signalEvent(name))).not.toThrow();
  });
});
