/*
 * The EventBridge patterns of modules/event-pattern, evaluated by EventBridge
 * (moto's matcher, through TestEventPattern) against real-shaped events: every
 * GuardDuty API call the api-activity rule must carry, the calls it must not
 * (Get*, List*, Describe*, other writes), scan results of every status, the
 * coverage detail-types and their neighbours. The patterns come from the
 * module itself (`apply` of modules/event-pattern, outputs read back), on
 * each engine asked for, so a pattern and its tftest can't drift apart.
 *
 *   npx tsx tests/e2e/patterns.ts [--engines terraform,tofu]   (make tf-pattern-test)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws } from './lib/aws.js';
import { type Engine, engineBin } from './lib/engines.js';
import { startMoto } from './lib/moto.js';
import { cleanupAll } from './lib/proc.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

type Json = Record<string, unknown>;
interface Event {
  label: string;
  event: Json;
}

let sequence = 0;
function envelope(detailType: string, detail: Json, resources: string[] = []): Json {
  sequence += 1;
  return {
    version: '0',
    id: `6f1c0e2a-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    'detail-type': detailType,
    source: 'aws.guardduty',
    account: ACCOUNT,
    time: '2026-11-29T12:00:00Z',
    region: REGION,
    resources,
    detail,
  };
}

/** A GuardDuty API call as CloudTrail hands it to EventBridge (a trail logging management events). */
function apiCall(eventName: string, extra: Json = {}, eventSource = 'guardduty.amazonaws.com'): Event {
  const readOnly = /^(Get|List|Describe)/.test(eventName);
  return {
    label: `${eventName}${extra.errorCode ? ` (${String(extra.errorCode)})` : ''}${eventSource === 'guardduty.amazonaws.com' ? '' : ` from ${eventSource}`}`,
    event: envelope('AWS API Call via CloudTrail', {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEID:mallory',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/mallory`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIAEXAMPLEKEY',
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLEID',
            arn: `arn:aws:iam::${ACCOUNT}:role/Admin`,
            accountId: ACCOUNT,
            userName: 'Admin',
          },
          attributes: { creationDate: '2026-11-29T11:58:00Z', mfaAuthenticated: 'false' },
        },
      },
      eventTime: '2026-11-29T12:00:00Z',
      eventSource,
      eventName,
      awsRegion: REGION,
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.17.0 <script>alert(1)</script>',
      requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0' },
      responseElements: null,
      requestID: '3e1b7c55-0000-4000-8000-000000000001',
      eventID: '0b6f5c9e-0000-4000-8000-000000000002',
      readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
      ...extra,
    }),
  };
}

function scanResult(status: string | undefined): Event {
  return {
    label: `scan result ${status ?? '(no scanResultDetails)'}`,
    event: envelope(
      'GuardDuty Malware Protection Object Scan Result',
      {
        schemaVersion: '1.0',
        scanStatus: status === 'THREATS_FOUND' || status === 'NO_THREATS_FOUND' ? 'COMPLETED' : 'SKIPPED',
        resourceType: 'S3_OBJECT',
        s3ObjectDetails: {
          bucketName: 'uploads-example',
          objectKey: 'invoices/2026/11/invoice.pdf',
          eTag: '0123456789abcdef0123456789abcdef',
          versionId: 'null',
          s3Throttled: false,
        },
        ...(status === undefined
          ? {}
          : {
              scanResultDetails: {
                scanResultStatus: status,
                threats: status === 'THREATS_FOUND' ? [{ name: 'EICAR-Test-File (not a virus)' }] : null,
              },
            }),
      },
      [`arn:aws:guardduty:${REGION}:${ACCOUNT}:malware-protection-plan/b4c7f464ab3a4EXAMPLE`],
    ),
  };
}

function coverage(detailType: string, detail: Json): Event {
  return { label: detailType, event: envelope(detailType, { schemaVersion: '1.0', ...detail }) };
}

// The calls issue 16 names, plus the module's documented additions: each must reach the queue.
const ACTIVITY_CALLS = [
  'ArchiveFindings',
  'UnarchiveFindings',
  'DeleteDetector',
  'UpdateDetector',
  'CreateFilter',
  'UpdateFilter',
  'CreateIPSet',
  'UpdateIPSet',
  'DeleteThreatIntelSet',
  'DeleteMembers',
  'DisassociateMembers',
  'StopMonitoringMembers',
  'DisassociateFromAdministratorAccount',
  'DeletePublishingDestination',
  'UpdateOrganizationConfiguration',
  'DisableOrganizationAdminAccount',
  'DeleteMalwareProtectionPlan',
  // additions (README: "GuardDuty API activity")
  'UpdateMemberDetectors',
  'UpdateMalwareScanSettings',
  'UpdateThreatIntelSet',
  'DisassociateFromMasterAccount',
  'UpdateMalwareProtectionPlan',
];
// Reading calls, and writes that change nothing GuardDuty sees: never sent.
const QUIET_CALLS = [
  'GetFindings',
  'ListFindings',
  'GetDetector',
  'ListDetectors',
  'GetFindingsStatistics',
  'ListFilters',
  'GetFilter',
  'ListIPSets',
  'GetMalwareProtectionPlan',
  'ListMembers',
  'DescribeOrganizationConfiguration',
  'DescribeMalwareScans',
  'DescribePublishingDestination',
  'CreateSampleFindings',
  'TagResource',
  'DeleteFilter',
  'DeleteIPSet',
  'InviteMembers',
];

const COVERAGE_EVENTS = [
  coverage('GuardDuty Malware Protection Post Scan Action Failed', {
    scanId: '2bd4b5c2-0000-4000-8000-000000000003',
    resourceType: 'S3_OBJECT',
    s3ObjectDetails: { bucketName: 'uploads-example', objectKey: 'a.zip', versionId: 'null' },
    postScanActions: [{ action: 'TAGGING', status: 'FAILED', failureReason: 'ACCESS_DENIED' }],
  }),
  coverage('GuardDuty Malware Protection Resource Status Warning', {
    resourceType: 'S3_BUCKET',
    s3BucketDetails: { bucketName: 'uploads-example' },
    status: 'WARNING',
    statusReasons: [{ code: 'EVENTBRIDGE_RULE_MISSING', message: 'The managed rule was deleted' }],
  }),
  coverage('GuardDuty Malware Protection Resource Status Error', {
    resourceType: 'S3_BUCKET',
    s3BucketDetails: { bucketName: 'uploads-example' },
    status: 'ERROR',
    statusReasons: [{ code: 'ROLE_PERMISSIONS_INSUFFICIENT', message: 'The role cannot read the bucket' }],
  }),
  coverage('GuardDuty Runtime Protection Unhealthy', {
    resourceAccountId: ACCOUNT,
    currentStatus: 'UNHEALTHY',
    previousStatus: 'HEALTHY',
    resourceDetails: { resourceType: 'EKS', eksClusterDetails: { clusterName: 'prod', addonVersion: 'v1.7.0' } },
    issue: 'No Agent Reporting',
    lastUpdatedAt: '2026-11-29T12:00:00Z',
  }),
  coverage('GuardDuty Runtime Protection Healthy', {
    resourceAccountId: ACCOUNT,
    currentStatus: 'HEALTHY',
    previousStatus: 'UNHEALTHY',
    resourceDetails: { resourceType: 'EC2', ec2InstanceDetails: { instanceId: 'i-0123456789abcdef0' } },
    lastUpdatedAt: '2026-11-29T12:05:00Z',
  }),
];

const finding: Event = {
  label: 'GuardDuty Finding (severity 8)',
  event: JSON.parse(
    readFileSync(join(ROOT, 'handler/test/fixtures/events/iam-exfiltration-credentials.json'), 'utf8'),
  ) as Json,
};

interface Expectation {
  label: string;
  /** The pattern as the module outputs it (JSON); empty when the output is missing. */
  pattern: string;
  matches: Event[];
  misses: Event[];
}

function expectations(outputs: Record<string, string>, withClean: boolean): Expectation[] {
  const signals = JSON.parse(outputs.signal_patterns ?? '{}') as Record<string, string>;
  const clean = scanResult('NO_THREATS_FOUND');
  return [
    {
      label: 'api-activity',
      pattern: signals['api-activity'] ?? '',
      matches: [
        ...ACTIVITY_CALLS.map((n) => apiCall(n)),
        // A refused attempt is still news.
        apiCall('DeleteDetector', { errorCode: 'AccessDenied', errorMessage: 'not authorized' }),
      ],
      misses: [
        ...QUIET_CALLS.map((n) => apiCall(n)),
        apiCall('ArchiveFindings', {}, 'securityhub.amazonaws.com'),
        finding,
        ...COVERAGE_EVENTS,
      ],
    },
    {
      label: 'malware-scan',
      pattern: signals['malware-scan'] ?? '',
      matches: [
        scanResult('THREATS_FOUND'),
        scanResult('UNSUPPORTED'),
        scanResult('ACCESS_DENIED'),
        scanResult('FAILED'),
        scanResult(undefined),
        ...(withClean ? [clean] : []),
      ],
      misses: [...(withClean ? [] : [clean]), finding, apiCall('ArchiveFindings'), ...COVERAGE_EVENTS],
    },
    {
      label: 'coverage',
      pattern: signals.coverage ?? '',
      matches: COVERAGE_EVENTS,
      misses: [
        coverage('GuardDuty Malware Protection Resource Status Active', { status: 'ACTIVE' }),
        scanResult('THREATS_FOUND'),
        finding,
        apiCall('DeleteDetector'),
      ],
    },
    {
      label: 'findings',
      pattern: outputs.json ?? '',
      matches: [finding],
      misses: [apiCall('ArchiveFindings'), scanResult('THREATS_FOUND'), ...COVERAGE_EVENTS],
    },
  ];
}

/** Applies modules/event-pattern (pure: no provider) with `vars` and returns its outputs as JSON strings. */
function moduleOutputs(bin: string, vars: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'gdn-patterns-'));
  try {
    cpSync(join(ROOT, 'modules/event-pattern'), dir, { recursive: true, filter: (p) => !p.includes('.terraform') });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: '/dev/null',
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    };
    delete env.TF_DATA_DIR;
    const tf = (args: string[]) => execFileSync(bin, args, { cwd: dir, env, encoding: 'utf8' });
    tf(['init', '-input=false', '-no-color']);
    tf([
      'apply',
      '-auto-approve',
      '-input=false',
      '-no-color',
      ...Object.entries(vars).map(([k, v]) => `-var=${k}=${v}`),
    ]);
    const out = JSON.parse(tf(['output', '-json'])) as Record<string, { value: unknown }>;
    return Object.fromEntries(
      Object.entries(out).map(([k, v]) => [k, typeof v.value === 'string' ? v.value : JSON.stringify(v.value)]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--engines');
  const engines = (arg > 0 ? process.argv[arg + 1]! : process.env.TF_PATTERN_ENGINES || 'terraform,tofu')
    .split(/[ ,]+/)
    .filter(Boolean) as Engine[];
  const logFile = join(tmpdir(), `gdn-patterns-moto-${process.pid}.log`);
  const moto = await startMoto(logFile);
  const aws = new Aws(moto.endpoint);
  const failures: string[] = [];
  let checks = 0;
  try {
    for (const engine of engines) {
      const bin = engineBin(engine);
      for (const withClean of [false, true]) {
        const outputs = moduleOutputs(bin, { include_clean_malware_scan_results: String(withClean) });
        for (const x of expectations(outputs, withClean)) {
          if (x.pattern === '') {
            failures.push(`${engine}: no ${x.label} pattern in the module's outputs`);
            continue;
          }
          for (const [want, events] of [
            [true, x.matches],
            [false, x.misses],
          ] as const) {
            for (const e of events) {
              const { Result } = await aws.json<{ Result: boolean }>('events', 'AWSEvents.TestEventPattern', {
                EventPattern: x.pattern,
                Event: JSON.stringify(e.event),
              });
              checks += 1;
              if (Result !== want)
                failures.push(
                  `${engine}${withClean ? ' (clean results on)' : ''}: the ${x.label} pattern ${want ? 'misses' : 'matches'} ${e.label}`,
                );
            }
          }
        }
      }
      console.log(`tf-pattern-test: ${engine}: patterns evaluated`);
    }
  } finally {
    await moto.stop();
    await cleanupAll();
  }
  if (failures.length > 0) {
    console.error(`tf-pattern-test: ${failures.length} of ${checks} checks failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`tf-pattern-test: ${checks} event/pattern checks passed (${engines.join(', ')})`);
}

await main();
