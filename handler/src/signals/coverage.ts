import type { SeverityBand } from '../finding/severity.js';
import { cleanLine } from '../text/clean.js';
import {
  arr,
  type Envelope,
  envelopeFacts,
  fieldList,
  guardDutyHomeUrl,
  MAX_SIGNAL_TITLE,
  MAX_SIGNAL_VALUE,
  s3BucketUrl,
  severityOf,
  someOf,
  stableId,
  str,
} from './common.js';
import type { CoverageSignal } from './model.js';
import { objectLabel, planIdOf } from './scan.js';

/*
 * Coverage: GuardDuty telling us it cannot see something.
 * - Runtime Monitoring agent coverage ("Runtime coverage and troubleshooting"
 *   pages for EKS, ECS and EC2, GuardDuty User Guide): `detail.currentStatus`,
 *   `previousStatus`, `resourceAccountId`, `resourceDetails` {resourceType,
 *   eksClusterDetails | ecsClusterDetails | ec2InstanceDetails}, `issue`, `lastUpdatedAt`.
 * - Malware Protection for S3 plan status and failed post-scan actions
 *   ("Monitoring S3 object scans with Amazon EventBridge"): `detail.s3BucketDetails.bucketName`,
 *   `resourceStatus`, `statusReasons` [{code, message}]; `detail.s3ObjectDetails`,
 *   `postScanActions` [{actionType, status, failureReason}].
 */

export const COVERAGE_DETAIL_TYPES = {
  runtimeUnhealthy: 'GuardDuty Runtime Protection Unhealthy',
  runtimeHealthy: 'GuardDuty Runtime Protection Healthy',
  planActive: 'GuardDuty Malware Protection Resource Status Active',
  planWarning: 'GuardDuty Malware Protection Resource Status Warning',
  planError: 'GuardDuty Malware Protection Resource Status Error',
  postScanActionFailed: 'GuardDuty Malware Protection Post Scan Action Failed',
} as const;

type CoverageEvent = keyof typeof COVERAGE_DETAIL_TYPES;

/**
 * Band per event. Lost runtime coverage is MEDIUM: findings stop for that
 * resource, but agents also drop out briefly when tasks or nodes scale, and a
 * restored note follows. A plan in ERROR scans nothing: HIGH. A plan in
 * WARNING, or a post-scan tag that did not land (consumers gating on the tag
 * wait forever), is MEDIUM. Restored coverage is a LOW note.
 */
export const COVERAGE_BAND: Record<CoverageEvent, SeverityBand> = {
  runtimeUnhealthy: 'MEDIUM',
  runtimeHealthy: 'LOW',
  planActive: 'LOW',
  planWarning: 'MEDIUM',
  planError: 'HIGH',
  postScanActionFailed: 'MEDIUM',
};

/** The coverage event a detail-type names, or null. */
export function coverageEventOf(detailType: string): CoverageEvent | null {
  for (const [event, name] of Object.entries(COVERAGE_DETAIL_TYPES))
    if (name === detailType) return event as CoverageEvent;
  return null;
}

const ACCOUNT = /^\d{12}$/;

interface CoverageFacts {
  subject: CoverageSignal['coverage']['subject'];
  state: CoverageSignal['coverage']['state'];
  resource: string;
  /** Identifies the covered resource; null when no restored event can follow. */
  identity: Array<string | null> | null;
  issues: string[];
  title: string;
  fields: Array<[string, string | null]>;
  consoleUrl: string | null;
  accountId: string | null;
  time: string | null;
}

function runtimeFacts(detail: unknown, lost: boolean, partition: string, region: string): CoverageFacts {
  const type = str(detail, ['resourceDetails', 'resourceType'], 32) ?? 'unknown';
  const eks = ['resourceDetails', 'eksClusterDetails'];
  const ecs = ['resourceDetails', 'ecsClusterDetails'];
  const ec2 = ['resourceDetails', 'ec2InstanceDetails'];
  const name =
    type === 'EKS'
      ? str(detail, [...eks, 'clusterName'], 128)
      : type === 'ECS'
        ? str(detail, [...ecs, 'clusterName'], 256)
        : type === 'EC2'
          ? str(detail, [...ec2, 'instanceId'], 64)
          : null;
  const label = { EKS: 'EKS cluster', ECS: 'ECS cluster', EC2: 'EC2 instance' }[type] ?? `${type} resource`;
  const resource = cleanLine(`${label} ${name ?? '(unnamed)'}`, 200);
  const issue = str(detail, ['issue'], 1_000);
  const fargateIssues = arr(detail, [...ecs, 'fargateDetails', 'issues'])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => cleanLine(v, 500));
  const issues = [...(issue ? [issue] : []), ...fargateIssues];
  return {
    subject: 'runtime',
    state: lost ? 'lost' : 'restored',
    resource,
    identity: ['runtime', type, name],
    issues,
    title: `Runtime Monitoring coverage ${lost ? 'lost' : 'restored'}: ${resource}`,
    fields: [
      ['Resource', resource],
      [
        'Status',
        [str(detail, ['previousStatus'], 32), str(detail, ['currentStatus'], 32)].filter(Boolean).join(' → ') || null,
      ],
      ['Issues', someOf(issues, 5, 1_500, '; ')],
      ['Nodes', type === 'EKS' ? nodes(detail, eks) : null],
      ['Add-on version', type === 'EKS' ? str(detail, [...eks, 'addonVersion'], 64) : null],
      ['Fargate management', type === 'ECS' ? str(detail, [...ecs, 'fargateDetails', 'managementType'], 32) : null],
      ['Container instances', type === 'ECS' ? containerInstances(detail, ecs) : null],
      ['Instance type', type === 'EC2' ? str(detail, [...ec2, 'instanceType'], 64) : null],
      ['Cluster', type === 'EC2' ? str(detail, [...ec2, 'clusterArn'], 512) : null],
      ['Agent version', type === 'EC2' ? str(detail, [...ec2, 'agentDetails', 'version'], 64) : null],
      ['Management', type === 'EC2' ? str(detail, [...ec2, 'managementType'], 32) : null],
    ],
    consoleUrl: guardDutyHomeUrl(partition, region),
    accountId: str(detail, ['resourceAccountId'], 32),
    time: str(detail, ['lastUpdatedAt'], 64),
  };
}

function nodes(detail: unknown, path: string[]): string | null {
  const available = str(detail, [...path, 'availableNodes'], 16);
  const desired = str(detail, [...path, 'desiredNodes'], 16);
  return available || desired ? `${available ?? '?'} of ${desired ?? '?'} covered` : null;
}

function containerInstances(detail: unknown, path: string[]): string | null {
  const covered = str(detail, [...path, 'containerInstanceDetails', 'coveredContainerInstances'], 16);
  const compatible = str(detail, [...path, 'containerInstanceDetails', 'compatibleContainerInstances'], 16);
  return covered || compatible ? `${covered ?? '?'} of ${compatible ?? '?'} covered` : null;
}

function reasonsOf(detail: unknown, path: string[]): string[] {
  return arr(detail, path)
    .map((reason) => {
      if (typeof reason === 'string') return cleanLine(reason, 500);
      const code = str(reason, ['code'], 100);
      const message = str(reason, ['message'], 500);
      return code && message ? `${code}: ${message}` : (code ?? message);
    })
    .filter((reason): reason is string => reason !== null);
}

function planFacts(
  detail: unknown,
  event: CoverageEvent,
  planId: string | null,
  partition: string,
  region: string,
): CoverageFacts {
  const bucket = str(detail, ['s3BucketDetails', 'bucketName'], 255);
  const status = str(detail, ['resourceStatus'], 32);
  const resource = cleanLine(`S3 bucket ${bucket ?? '(unnamed)'}`, 200);
  const issues = reasonsOf(detail, ['statusReasons']);
  const title =
    event === 'planActive'
      ? `Malware Protection for S3 active again: ${resource}`
      : event === 'planError'
        ? `Malware Protection for S3 not scanning (ERROR): ${resource}`
        : `Malware Protection for S3 degraded (WARNING): ${resource}`;
  return {
    subject: 'plan',
    state: event === 'planActive' ? 'restored' : 'lost',
    resource,
    identity: ['plan', bucket, planId],
    issues,
    title,
    fields: [
      ['Resource', resource],
      ['Plan status', status],
      ['Reasons', someOf(issues, 5, 1_500, '; ')],
      ['Malware Protection plan', planId],
    ],
    consoleUrl: s3BucketUrl(partition, region, bucket),
    accountId: null,
    time: str(detail, ['eventTime'], 64),
  };
}

function postScanFacts(detail: unknown, planId: string | null, partition: string, region: string): CoverageFacts {
  const object = ['s3ObjectDetails'];
  const bucket = str(detail, [...object, 'bucketName'], 255);
  const key = str(detail, [...object, 'objectKey'], 1_024);
  const issues = arr(detail, ['postScanActions'])
    .map((action) =>
      [str(action, ['actionType'], 64), str(action, ['status'], 32), str(action, ['failureReason'], 200)]
        .filter(Boolean)
        .join(' '),
    )
    .filter((text) => text !== '');
  const resource = objectLabel(bucket, key);
  return {
    subject: 'postScanAction',
    state: 'lost',
    resource,
    identity: null,
    issues,
    title: `Post-scan action failed: ${resource}`,
    fields: [
      ['Object', resource],
      ['Failed actions', someOf(issues, 5, MAX_SIGNAL_VALUE, '; ')],
      ['Bucket', bucket],
      ['Object key', key],
      ['Version', str(detail, [...object, 'versionId'], 1_024)],
      ['ETag', str(detail, [...object, 'eTag'], 256)],
      ['Malware Protection plan', planId],
    ],
    consoleUrl: s3BucketUrl(partition, region, bucket),
    accountId: null,
    time: str(detail, ['eventTime'], 64),
  };
}

/**
 * Reads one coverage event, or returns null when the detail-type is not one.
 *
 * @example readCoverage(EnvelopeSchema.parse(event))?.coverage.state // 'lost'
 */
export function readCoverage(envelope: Envelope): CoverageSignal | null {
  const event = coverageEventOf(envelope['detail-type']);
  if (event === null) return null;
  const facts = envelopeFacts(envelope);
  const planId = planIdOf(envelope.resources);
  const { partition, region } = facts;
  const read =
    event === 'runtimeUnhealthy' || event === 'runtimeHealthy'
      ? runtimeFacts(envelope.detail, event === 'runtimeUnhealthy', partition, region)
      : event === 'postScanActionFailed'
        ? postScanFacts(envelope.detail, planId, partition, region)
        : planFacts(envelope.detail, event, planId, partition, region);
  const account = read.accountId && ACCOUNT.test(read.accountId) ? { id: read.accountId, name: null } : facts.account;
  const incidentKey = read.identity ? stableId('coverage', [account.id, region, ...read.identity]) : null;
  return {
    kind: 'coverage',
    id: stableId('coverage', [envelope['detail-type'], facts.eventId, incidentKey, read.time]),
    topic: `coverage.${read.subject}_${read.state}`,
    title: cleanLine(read.title, MAX_SIGNAL_TITLE),
    severity: severityOf(COVERAGE_BAND[event]),
    account,
    region,
    partition,
    time: read.time ?? facts.time,
    fields: fieldList(read.fields),
    consoleUrl: read.consoleUrl,
    delivery: 'notify',
    ignoreReason: null,
    coverage: {
      subject: read.subject,
      state: read.state,
      resource: read.resource,
      incidentKey,
      issues: read.issues,
    },
  };
}
