import { describe, expect, it } from 'vitest';
import { type CoverageSignal, SignalSchema } from '../../src/signals/model.js';
import { parseSignal } from '../../src/signals/parse.js';
import { signalEvent, signalNames, withDetail } from './fixtures.js';

function coverage(event: Record<string, unknown>): CoverageSignal {
  const parsed = parseSignal(event);
  if (!parsed.ok) throw new Error(parsed.reason);
  if (parsed.signal.kind !== 'coverage') throw new Error(`expected a coverage signal, got ${parsed.signal.kind}`);
  SignalSchema.parse(parsed.signal);
  return parsed.signal;
}

const fixture = (name: string) => coverage(signalEvent(`coverage/${name}`));
const field = (signal: CoverageSignal, label: string) => signal.fields.find((f) => f.label === label)?.value;

describe('coverage events', () => {
  it.each([
    [
      'runtime-unhealthy-eks',
      'MEDIUM',
      'runtime',
      'lost',
      'Runtime Monitoring coverage lost: EKS cluster payments-prod',
    ],
    [
      'runtime-healthy-eks',
      'LOW',
      'runtime',
      'restored',
      'Runtime Monitoring coverage restored: EKS cluster payments-prod',
    ],
    ['runtime-unhealthy-ecs', 'MEDIUM', 'runtime', 'lost', 'Runtime Monitoring coverage lost: ECS cluster checkout'],
    [
      'runtime-unhealthy-ec2',
      'MEDIUM',
      'runtime',
      'lost',
      'Runtime Monitoring coverage lost: EC2 instance i-0a1b2c3d4e5f67890',
    ],
    [
      'plan-status-warning',
      'MEDIUM',
      'plan',
      'lost',
      'Malware Protection for S3 degraded (WARNING): S3 bucket amzn-s3-demo-bucket',
    ],
    [
      'plan-status-error',
      'HIGH',
      'plan',
      'lost',
      'Malware Protection for S3 not scanning (ERROR): S3 bucket amzn-s3-demo-bucket',
    ],
    [
      'plan-status-active',
      'LOW',
      'plan',
      'restored',
      'Malware Protection for S3 active again: S3 bucket amzn-s3-demo-bucket',
    ],
    [
      'post-scan-action-failed',
      'MEDIUM',
      'postScanAction',
      'lost',
      'Post-scan action failed: s3://amzn-s3-demo-bucket/uploads/2026/11/invoice-4711.pdf',
    ],
  ] as const)('%s is %s, %s %s', (name, band, subject, state, title) => {
    const signal = fixture(name);
    expect([signal.severity.band, signal.coverage.subject, signal.coverage.state, signal.title]).toEqual([
      band,
      subject,
      state,
      title,
    ]);
    expect(signal.topic).toBe(`coverage.${subject}_${state}`);
    expect(signal.delivery).toBe('notify');
  });

  it('gives lost and restored coverage of one resource the same incident key, and other resources others', () => {
    const lost = fixture('runtime-unhealthy-eks');
    const restored = fixture('runtime-healthy-eks');
    expect(lost.coverage.incidentKey).not.toBeNull();
    expect(restored.coverage.incidentKey).toBe(lost.coverage.incidentKey);
    expect(fixture('runtime-unhealthy-ecs').coverage.incidentKey).not.toBe(lost.coverage.incidentKey);
    expect(fixture('plan-status-active').coverage.incidentKey).toBe(fixture('plan-status-error').coverage.incidentKey);
    expect(fixture('plan-status-warning').coverage.incidentKey).toBe(fixture('plan-status-error').coverage.incidentKey);
    expect(lost.id).not.toBe(restored.id);
    // A failed tag has no restored event to wait for.
    expect(fixture('post-scan-action-failed').coverage.incidentKey).toBeNull();
  });

  it('shows the issue, the status change and the resource facts', () => {
    const eks = fixture('runtime-unhealthy-eks');
    expect(field(eks, 'Status')).toBe('HEALTHY → UNHEALTHY');
    expect(field(eks, 'Nodes')).toBe('4 of 6 covered');
    expect(field(eks, 'Add-on version')).toBe('v1.8.1-eksbuild.2');
    expect(eks.coverage.issues).toEqual([
      "Addon Status Unhealthy:EKS Addon issue - InsufficientNumberOfReplicas: The add-on is unhealthy because it doesn't have the desired number of replicas.",
    ]);
    expect(eks.account.id).toBe('111122223333');
    expect(eks.time).toBe('2026-11-29T08:47:13Z');
    expect(eks.consoleUrl).toBe('https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1');

    const ecs = fixture('runtime-unhealthy-ecs');
    expect(ecs.coverage.issues).toEqual([
      'Agent not reporting',
      "Agent not reporting, for task(s) in TaskDefinition - 'checkout-api:42'",
    ]);
    expect(field(ecs, 'Container instances')).toBe('0 of 0 covered');

    const ec2 = fixture('runtime-unhealthy-ec2');
    expect([field(ec2, 'Instance type'), field(ec2, 'Agent version')]).toEqual(['m7g.large', '1.6.0']);
  });

  it('shows the plan status reasons and the failed post-scan actions', () => {
    expect(fixture('plan-status-error').coverage.issues).toEqual([
      'INSUFFICIENT_TEST_OBJECT_PERMISSIONS: The IAM role cannot write the test object to the bucket.',
    ]);
    expect(field(fixture('plan-status-error'), 'Malware Protection plan')).toBe('b4c7f464ab3a4EXAMPLE');
    expect(fixture('post-scan-action-failed').coverage.issues).toEqual(['TAGGING FAILED MAX_TAG_LIMIT_EXCEEDED']);
  });

  it("names the resource's account from resourceAccountId when it is one", () => {
    const event = withDetail(signalEvent('coverage/runtime-unhealthy-eks'), (d) => {
      d.resourceAccountId = '444455556666';
    });
    expect(coverage(event).account.id).toBe('444455556666');
    const bad = withDetail(signalEvent('coverage/runtime-unhealthy-eks'), (d) => {
      d.resourceAccountId = '<!here>';
    });
    expect(coverage(bad).account.id).toBe('111122223333');
  });

  it('survives a detail of any shape', () => {
    for (const name of signalNames('coverage')) {
      for (const detail of [
        null,
        'x',
        [],
        {},
        { resourceDetails: 'x', statusReasons: 'x', postScanActions: [null, 1] },
      ]) {
        const signal = coverage({ ...signalEvent(name), detail });
        expect(signal.title.length).toBeGreaterThan(0);
      }
    }
  });

  it.each(signalNames('coverage'))('%s parses into a valid signal', (name) => {
    expect(() => coverage(signalEvent(name))).not.toThrow();
  });
});

describe('coverage fields', () => {
  it('separates issues with semicolons, since issues contain commas', () => {
    expect(field(fixture('runtime-unhealthy-ecs'), 'Issues')).toBe(
      "Agent not reporting; Agent not reporting, for task(s) in TaskDefinition - 'checkout-api:42'",
    );
  });
});
