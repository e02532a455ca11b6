import { FindingEventSchema } from '../../src/finding/schema.js';
import { normaliseFinding } from '../../src/finding/normalise.js';
import type { NormalisedFinding } from '../../src/finding/model.js';

/** What a test says about one finding; everything else is GuardDuty's minimal shape. */
export interface Spec {
  id: string;
  type?: string;
  severity?: number;
  account?: string;
  accountName?: string | null;
  createdAt: string;
  updatedAt: string;
  archived?: boolean;
  count?: number;
  instanceId?: string | null;
  sample?: boolean;
  title?: string;
}

/** The GuardDuty finding (event `detail`, camelCase) a spec describes, as GetFindings returns it after camel-casing. */
export function findingDetail(spec: Spec): Record<string, unknown> {
  const account = spec.account ?? '111122223333';
  return {
    schemaVersion: '2.0',
    accountId: account,
    region: 'us-east-1',
    partition: 'aws',
    id: spec.id,
    arn: `arn:aws:guardduty:us-east-1:${account}:detector/17a03191f450e9768b9a1785791d0b80/finding/${spec.id}`,
    type: spec.type ?? 'Recon:EC2/PortProbeUnprotectedPort',
    resource: {
      resourceType: 'Instance',
      ...(spec.instanceId === null ? {} : { instanceDetails: { instanceId: spec.instanceId ?? 'i-0abc12345' } }),
    },
    service: {
      serviceName: 'guardduty',
      detectorId: '17a03191f450e9768b9a1785791d0b80',
      count: spec.count ?? 1,
      archived: spec.archived ?? false,
      ...(spec.sample ? { additionalInfo: { sample: true } } : {}),
    },
    severity: spec.severity ?? 5,
    createdAt: spec.createdAt,
    updatedAt: spec.updatedAt,
    title: spec.title ?? 'Unprotected port on EC2 instance is being probed.',
    description: 'EC2 instance has an unprotected port which is being probed by a known malicious host.',
  };
}

/** The EventBridge event of a spec (what the CLI reads from files). */
export function findingEvent(spec: Spec): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-${spec.id}`,
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: spec.account ?? '111122223333',
    time: spec.updatedAt,
    region: 'us-east-1',
    resources: [],
    detail: findingDetail(spec),
  };
}

export function finding(spec: Spec): NormalisedFinding {
  return normaliseFinding(FindingEventSchema.parse(findingEvent(spec)), spec.accountName ?? null);
}
