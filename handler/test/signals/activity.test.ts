import { describe, expect, it } from 'vitest';
import type { ActivitySignal } from '../../src/signals/model.js';
import { SignalSchema } from '../../src/signals/model.js';
import { type ParseSignalOptions, parseSignal } from '../../src/signals/parse.js';
import { signalEvent, signalNames, withDetail } from './fixtures.js';

function activity(event: Record<string, unknown>, options: ParseSignalOptions = {}): ActivitySignal {
  const parsed = parseSignal(event, options);
  if (!parsed.ok) throw new Error(parsed.reason);
  if (parsed.signal.kind !== 'activity') throw new Error(`expected an activity signal, got ${parsed.signal.kind}`);
  // Every signal the parser builds satisfies the published schema.
  SignalSchema.parse(parsed.signal);
  return parsed.signal;
}

const fixture = (name: string, options?: ParseSignalOptions) => activity(signalEvent(`activity/${name}`), options);
const field = (signal: ActivitySignal, label: string) => signal.fields.find((f) => f.label === label)?.value;

describe('classifying GuardDuty API calls', () => {
  it.each([
    ['delete-detector', 'tamper', 'CRITICAL', 'GuardDuty detector deleted'],
    ['update-detector-disable', 'tamper', 'CRITICAL', 'GuardDuty detector disabled'],
    ['update-detector-features-disabled', 'tamper', 'CRITICAL', 'GuardDuty detector: protection plans disabled'],
    ['update-detector-datasources-disabled', 'tamper', 'CRITICAL', 'GuardDuty detector: protection plans disabled'],
    ['update-member-detectors-disabled', 'tamper', 'CRITICAL', 'member detectors: protection plans disabled'],
    ['delete-threat-intel-set', 'tamper', 'CRITICAL', 'Threat list deleted'],
    ['delete-members', 'tamper', 'CRITICAL', 'Members deleted: 1 member account'],
    ['disassociate-members', 'tamper', 'CRITICAL', 'Members disassociated: 1 member account'],
    ['stop-monitoring-members', 'tamper', 'CRITICAL', 'Monitoring of members stopped: 1 member account'],
    ['disassociate-from-administrator', 'tamper', 'CRITICAL', 'Account left its GuardDuty administrator'],
    ['delete-publishing-destination', 'tamper', 'CRITICAL', 'Findings export destination deleted'],
    ['disable-organization-admin-account', 'tamper', 'CRITICAL', 'GuardDuty delegated administrator removed'],
    ['delete-malware-protection-plan', 'tamper', 'CRITICAL', 'Malware Protection plan deleted'],
    ['create-filter-archive-hostile', 'tamper', 'HIGH', 'Suppression rule created: quiet-'],
    ['update-filter-archive', 'tamper', 'HIGH', 'Suppression rule updated: suppress-scanners'],
    ['create-ipset-activate', 'tamper', 'HIGH', 'Trusted IP list activated: office-egress'],
    ['update-ipset-activate', 'tamper', 'HIGH', 'Trusted IP list activated'],
    ['update-organization-configuration-off', 'tamper', 'HIGH', 'Organization auto-enable turned off'],
    ['archive-findings', 'lifecycle', 'LOW', '2 findings archived'],
    ['unarchive-findings', 'lifecycle', 'LOW', '1 finding unarchived'],
  ] as const)('%s is %s, %s: "%s…"', (name, category, band, title) => {
    const signal = fixture(name);
    expect(signal.activity.category).toBe(category);
    expect(signal.severity.band).toBe(band);
    expect(signal.title.startsWith(title)).toBe(true);
    expect(signal.delivery).toBe('notify');
    expect(signal.topic).toBe(`activity.${category}`);
  });

  it.each([
    ['list-findings', 'read-only call'],
    ['get-findings', 'read-only call'],
    ['get-detector', 'read-only call'],
    ['update-detector-enable', 'GuardDuty detector updated without disabling anything'],
    ['create-filter-noop', 'a saved filter (action NOOP) hides no findings'],
    ['create-ipset-inactive', 'an inactive trusted IP list has no effect'],
    ['update-organization-configuration-on', 'organization configuration updated without turning auto-enable off'],
  ])('%s is ignored: %s', (name, reason) => {
    const signal = fixture(name);
    expect([signal.activity.category, signal.delivery, signal.ignoreReason]).toEqual(['ignored', 'ignore', reason]);
  });

  it('never reports a Get*/List*/Describe* call, whatever CloudTrail says of readOnly', () => {
    for (const eventName of [
      'GetFindings',
      'ListDetectors',
      'DescribeOrganizationConfiguration',
      'GetMalwareScanSettings',
    ]) {
      const event = withDetail(signalEvent('activity/delete-detector'), (d) => {
        d.eventName = eventName;
        d.readOnly = false;
      });
      expect(activity(event).delivery).toBe('ignore');
    }
  });

  it('ignores calls outside the table, naming them', () => {
    const event = withDetail(signalEvent('activity/delete-detector'), (d) => {
      d.eventName = 'CreateSampleFindings';
    });
    expect(activity(event).ignoreReason).toBe('CreateSampleFindings is neither a lifecycle nor a tamper call');
  });

  it('does not take a prototype property for a call rule', () => {
    const event = withDetail(signalEvent('activity/delete-detector'), (d) => {
      d.eventName = 'constructor';
    });
    expect(activity(event).activity.category).toBe('ignored');
  });

  it('says what an UpdateDetector turns off', () => {
    expect(field(fixture('update-detector-features-disabled'), 'Disabled')).toBe(
      'S3_DATA_EVENTS, RUNTIME_MONITORING / EKS_ADDON_MANAGEMENT',
    );
    expect(field(fixture('update-detector-datasources-disabled'), 'Disabled')).toBe(
      'S3 logs (data source), EKS audit logs (data source), EBS malware scans (data source)',
    );
    expect(field(fixture('update-member-detectors-disabled'), 'Member accounts')).toBe('444455556666, 777788889999');
  });

  it('says what an UpdateOrganizationConfiguration stops enabling, and not what it keeps', () => {
    expect(field(fixture('update-organization-configuration-off'), 'No longer auto-enabled')).toBe(
      'new member accounts (autoEnable: false), member accounts (autoEnableOrganizationMembers: NONE), RUNTIME_MONITORING, RUNTIME_MONITORING / EKS_ADDON_MANAGEMENT',
    );
  });

  it("shows a suppression rule's criteria, bounded", () => {
    const signal = fixture('update-filter-archive');
    expect(field(signal, 'Criteria')).toBe(
      'service.action.networkConnectionAction.remoteIpDetails.ipAddressV4 = 0.0.0.0/0',
    );
    expect(field(signal, 'Action')).toBe('ARCHIVE');
    const many = withDetail(signalEvent('activity/update-filter-archive'), (d) => {
      const criterion: Record<string, unknown> = {};
      for (let i = 0; i < 40; i++)
        criterion[`field${i}`] = { eq: Array.from({ length: 50 }, (_, j) => `v${j}`.repeat(20)) };
      (d.requestParameters as Record<string, unknown>).findingCriteria = { criterion };
    });
    const criteria = field(activity(many), 'Criteria') ?? '';
    expect(criteria.length).toBeLessThanOrEqual(1_000);
    expect(criteria.startsWith('field0 = ')).toBe(true);
  });

  it('treats an UpdateFilter with new criteria and no action as a possible widening of a suppression rule', () => {
    const event = withDetail(signalEvent('activity/update-filter-archive'), (d) => {
      delete (d.requestParameters as Record<string, unknown>).action;
    });
    const signal = activity(event);
    expect([signal.activity.category, signal.severity.band]).toEqual(['tamper', 'HIGH']);
    expect(signal.title).toBe(
      'Filter criteria changed (suppresses findings if it is a suppression rule): suppress-scanners',
    );
  });

  it('reports an UpdateIPSet that replaces the list of an active set, and ignores one that deactivates it', () => {
    const replaced = withDetail(signalEvent('activity/update-ipset-activate'), (d) => {
      const params = d.requestParameters as Record<string, unknown>;
      delete params.activate;
      params.location = 'https://s3.amazonaws.com/amzn-s3-demo-bucket/more.txt';
    });
    expect(activity(replaced).title).toBe('Trusted IP list replaced');
    const deactivated = withDetail(signalEvent('activity/update-ipset-activate'), (d) => {
      (d.requestParameters as Record<string, unknown>).activate = false;
    });
    expect(activity(deactivated).ignoreReason).toBe('trusted IP list deactivated (findings resume)');
  });
});

describe('archive and unarchive', () => {
  it('carries the finding ids and the detector', () => {
    const signal = fixture('archive-findings');
    expect(signal.activity.findingIds).toEqual([
      '6eb2b1f0c8b3e5d7a1f4c2e9d8b7a6f5',
      'a2c4e6f8b0d1c3e5f7a9b1d3c5e7f9a1',
    ]);
    expect(signal.activity.detectorId).toBe('12abc34d567e8fa901bc2d34e56789f0');
    expect(field(signal, 'By')).toBe(
      'role arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_SecurityAdmin_0123456789abcdef (session alice@example.com)',
    );
  });

  it('drops finding ids that are not well formed (they would become PagerDuty dedup keys)', () => {
    const event = withDetail(signalEvent('activity/archive-findings'), (d) => {
      (d.requestParameters as Record<string, unknown>).findingIds = [
        'ok-id_1',
        'bad id',
        '<!here>',
        42,
        'x'.repeat(129),
        'ok-id_1',
      ];
    });
    expect(activity(event).activity.findingIds).toEqual(['ok-id_1']);
  });
});

describe('who, from where, and whether AWS refused', () => {
  it('names the caller, the address and the user agent', () => {
    const signal = fixture('delete-detector');
    expect(signal.activity.principal).toMatchObject({
      type: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/Mallory',
      roleArn: null,
      sessionName: null,
      accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
      display: 'IAM user arn:aws:iam::111122223333:user/Mallory',
    });
    expect(signal.activity.sourceIp).toBe('203.0.113.77');
    expect(field(signal, 'User agent')?.startsWith('Boto3/1.35.99')).toBe(true);
    expect(field(signal, 'Result')).toBe('succeeded');
    expect(signal.account.id).toBe('111122223333');
    expect(signal.region).toBe('eu-west-1');
    expect(signal.time).toBe('2026-11-29T10:15:40Z');
  });

  it('still reports a refused call, marked REFUSED, at the same severity', () => {
    const signal = fixture('delete-detector-refused');
    expect(signal.activity.refused).toBe(true);
    expect(signal.activity.errorCode).toBe('AccessDenied');
    expect(signal.title).toBe('REFUSED: attempt to delete the GuardDuty detector');
    expect(signal.severity.band).toBe('CRITICAL');
    expect(
      field(signal, 'Result')?.startsWith('REFUSED (AccessDenied: User: arn:aws:iam::111122223333:user/Mallory'),
    ).toBe(true);
  });

  it('names the service a call came through', () => {
    const signal = fixture('update-detector-via-cloudformation');
    expect(signal.activity.principal.invokedBy).toBe('cloudformation.amazonaws.com');
    expect(field(signal, 'Via service')).toBe('cloudformation.amazonaws.com');
    expect(signal.activity.principal.display).toBe(
      'role arn:aws:iam::111122223333:role/terraform-ci (session terraform-apply-4711) via cloudformation.amazonaws.com',
    );
  });

  it('names an AWS service acting on its own', () => {
    const signal = fixture('update-detector-by-aws-service');
    expect(signal.activity.principal).toMatchObject({
      type: 'AWSService',
      arn: null,
      invokedBy: 'securityir.amazonaws.com',
    });
    expect(field(signal, 'By')).toBe('AWS service securityir.amazonaws.com');
    expect(signal.severity.band).toBe('CRITICAL');
  });

  it('names the root user', () => {
    expect(fixture('disable-organization-admin-account').activity.principal.display).toBe(
      'root user of account 999988887777',
    );
  });

  it('links to the CloudTrail event and uses its id as the signal id', () => {
    const signal = fixture('delete-detector');
    const eventId = signal.activity.eventId ?? '';
    expect(signal.id).toBe(`activity-${eventId}`);
    expect(signal.consoleUrl).toBe(
      `https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/${eventId}`,
    );
  });

  it('builds no link from an event id that is not one', () => {
    const event = withDetail(signalEvent('activity/delete-detector'), (d) => {
      d.eventID = 'x/../../evil';
    });
    const signal = activity(event);
    expect(signal.consoleUrl).toBeNull();
    expect(signal.id).toMatch(/^activity-[0-9a-f]{32}$/);
  });
});

describe('expected principals', () => {
  const pipeline = ['arn:aws:iam::111122223333:role/terraform-ci'];

  it("turns an expected principal's tamper call into a LOW note that says so", () => {
    const signal = fixture('delete-detector-by-pipeline', { expectedPrincipals: pipeline });
    expect(signal.severity.band).toBe('LOW');
    expect(signal.activity.expected).toBe('arn:aws:iam::111122223333:role/terraform-ci');
    expect(signal.title).toBe('Expected change: GuardDuty detector deleted');
    expect(field(signal, 'Expected principal')).toBe('matches arn:aws:iam::111122223333:role/terraform-ci');
    expect(signal.delivery).toBe('notify');
  });

  it('is an alert for anyone else', () => {
    const signal = fixture('delete-detector', { expectedPrincipals: pipeline });
    expect([signal.severity.band, signal.activity.expected]).toEqual(['CRITICAL', null]);
  });

  it('matches an AWS service acting on its own by its service principal', () => {
    const signal = fixture('update-detector-by-aws-service', { expectedPrincipals: ['securityir.amazonaws.com'] });
    expect(signal.severity.band).toBe('LOW');
  });

  it('does not excuse a human acting through a listed service', () => {
    const signal = fixture('update-detector-via-cloudformation', {
      expectedPrincipals: ['cloudformation.amazonaws.com'],
    });
    expect(signal.severity.band).toBe('CRITICAL');
  });

  it('leaves lifecycle notes and ignored calls as they are', () => {
    expect(fixture('archive-findings', { expectedPrincipals: ['*'] }).activity.expected).toBeNull();
  });
});

describe('attacker-influenced text', () => {
  it('cleans and bounds the filter name, description and user agent', () => {
    const signal = fixture('create-filter-archive-hostile');
    for (const { value } of signal.fields) {
      expect(value).not.toMatch(/[\r\n\u202e]/);
      expect(value.length).toBeLessThanOrEqual(1_000);
    }
    expect(signal.title).not.toMatch(/[\r\n]/);
    expect(signal.title.length).toBeLessThanOrEqual(200);
    expect(field(signal, 'User agent')?.length).toBeLessThanOrEqual(300);
    expect(field(signal, 'User agent')).toContain('[U+202E]');
    expect(field(signal, 'Rule description')?.length).toBeLessThanOrEqual(500);
    // Cleaned, not escaped: the renderers escape for their markup.
    expect(field(signal, 'Rule name')).toBe('quiet-<!here>-[ok](https://evil.example)');
    expect(field(signal, 'Criteria')).toBe(
      'type = Recon:EC2/PortProbeUnprotectedPort, UnauthorizedAccess:EC2/SSHBruteForce, <!here>; resource.instanceDetails.tags.value = prod; severity < 7',
    );
  });

  it('survives request parameters of any shape', () => {
    for (const params of [
      null,
      'text',
      42,
      [],
      { features: 'DISABLED' },
      { features: [null, 7, { status: 'DISABLED' }] },
      { findingCriteria: { criterion: 'x' } },
    ]) {
      for (const eventName of [
        'UpdateDetector',
        'CreateFilter',
        'UpdateFilter',
        'ArchiveFindings',
        'DeleteMembers',
        'UpdateOrganizationConfiguration',
      ]) {
        const event = withDetail(signalEvent('activity/delete-detector'), (d) => {
          d.eventName = eventName;
          d.requestParameters = params;
        });
        expect(() => activity(event)).not.toThrow();
      }
    }
  });

  it('reports a feature disabled even when its name is missing', () => {
    const event = withDetail(signalEvent('activity/delete-detector'), (d) => {
      d.eventName = 'UpdateDetector';
      d.requestParameters = { features: [null, 7, { status: 'DISABLED' }] };
    });
    expect(field(activity(event), 'Disabled')).toBe('unnamed feature');
  });

  it('ignores, with the reason, a record without an eventName', () => {
    const event = withDetail(signalEvent('activity/delete-detector'), (d) => {
      delete d.eventName;
    });
    const signal = activity(event);
    expect([signal.delivery, signal.ignoreReason]).toEqual(['ignore', 'the CloudTrail record has no eventName']);
  });
});

describe('every activity fixture', () => {
  it.each(signalNames('activity'))('%s parses into a valid signal', (name) => {
    expect(() => activity(signalEvent(name))).not.toThrow();
  });
});
