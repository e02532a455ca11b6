import { cleanLine } from '../text/clean.js';
import type { Finding } from './schema.js';
import type { NormalisedFinding } from './model.js';
import { at, fields, joinSome, list, text, type Json } from './read.js';

type Resource = Omit<NormalisedFinding['resource'], 'tags'>;

/** Tag value by key from GuardDuty's `[{key, value}]` tag lists. */
function tag(tags: Json[], key: string): string | null {
  const found = tags.find((t) => text(t, 'key') === key);
  return found ? text(found, 'value') : null;
}

function tagSummary(tags: Json[]): string | null {
  return joinSome(
    tags.map((t) => (text(t, 'key') ? `${text(t, 'key')}=${text(t, 'value') ?? ''}` : null)),
    4,
  );
}

function instance(resource: Json, service: Json): Omit<Resource, 'type'> {
  const details = at(resource, 'instanceDetails');
  const nics = list(details, 'networkInterfaces');
  const tags = list(details, 'tags');
  const id = text(details, 'instanceId');
  const threats = list(service, 'ebsVolumeScanDetails', 'scanDetections', 'threatDetectedByName', 'threatNames');
  const volumes = list(resource, 'ebsVolumeDetails', 'scannedVolumeDetails');
  return {
    kind: 'instance',
    label: 'EC2 instance',
    id,
    fields: fields([
      ['Instance', id],
      ['Name', tag(tags, 'Name')],
      ['Instance type', text(details, 'instanceType')],
      ['Image', text(details, 'imageId')],
      ['Platform', text(details, 'platform')],
      ['Public IP', joinSome(nics.map((n) => text(n, 'publicIp')))],
      ['Private IP', joinSome(nics.map((n) => text(n, 'privateIpAddress')))],
      ['VPC', joinSome(nics.map((n) => text(n, 'vpcId')))],
      ['Subnet', joinSome(nics.map((n) => text(n, 'subnetId')))],
      ['Instance profile', text(details, 'iamInstanceProfile', 'arn')],
      ['Availability zone', text(details, 'availabilityZone')],
      [
        'Scanned volumes',
        joinSome(
          volumes.map((v) => text(v, 'volumeArn')),
          2,
        ),
      ],
      ['Malware', joinSome(threats.map((t) => text(t, 'name')))],
      [
        'Infected files',
        joinSome(
          threats.flatMap((t) => list(t, 'filePaths').map((p) => text(p, 'filePath') ?? text(p, 'fileName'))),
          3,
        ),
      ],
      ['Tags', tagSummary(tags)],
    ]),
  };
}

function accessKey(resource: Json): Omit<Resource, 'type'> {
  const details = at(resource, 'accessKeyDetails');
  const user = text(details, 'userName');
  return {
    kind: 'accessKey',
    label: 'IAM access key',
    id: user ?? text(details, 'accessKeyId'),
    fields: fields([
      ['User', user],
      ['User type', text(details, 'userType')],
      ['Access key', text(details, 'accessKeyId')],
      ['Principal', text(details, 'principalId')],
    ]),
  };
}

function s3(resource: Json, service: Json, kind: 's3Bucket' | 's3Object'): Omit<Resource, 'type'> {
  const buckets = list(resource, 's3BucketDetails');
  const objects = buckets.flatMap((b) => list(b, 's3ObjectDetails'));
  const names = joinSome(buckets.map((b) => text(b, 'name')));
  const objectKeys = joinSome(
    objects.map((o) => text(o, 'key')),
    2,
  );
  const threats = list(service, 'malwareScanDetails', 'threats');
  return {
    kind,
    label: kind === 's3Object' ? 'S3 object' : 'S3 bucket',
    id: kind === 's3Object' && objectKeys ? `${names ?? 'unknown bucket'}/${objectKeys}` : names,
    fields: fields([
      ['Bucket', names],
      ['Object', objectKeys],
      [
        'Object version',
        joinSome(
          objects.map((o) => text(o, 'versionId')),
          1,
        ),
      ],
      [
        'Bucket owner',
        joinSome(
          buckets.map((b) => text(b, 'owner', 'id')),
          1,
        ),
      ],
      [
        'Public access',
        joinSome(
          buckets.map((b) => text(b, 'publicAccess', 'effectivePermission')),
          1,
        ),
      ],
      [
        'Encryption',
        joinSome(
          buckets.map((b) => text(b, 'defaultServerSideEncryption', 'encryptionType')),
          1,
        ),
      ],
      ['Malware', joinSome(threats.map((t) => text(t, 'name')))],
      ['Access key user', text(resource, 'accessKeyDetails', 'userName')],
    ]),
  };
}

function kubernetesFields(resource: Json): Array<[string, string | null]> {
  const k8s = at(resource, 'kubernetesDetails');
  const workload = at(k8s, 'kubernetesWorkloadDetails');
  const namespace = text(workload, 'namespace');
  const name = text(workload, 'name');
  return [
    ['Kubernetes user', text(k8s, 'kubernetesUserDetails', 'username')],
    ['Groups', joinSome(list(k8s, 'kubernetesUserDetails', 'groups').map((g) => text(g)))],
    ['Workload', name ? `${text(workload, 'type') ?? 'workload'} ${namespace ? `${namespace}/` : ''}${name}` : null],
    [
      'Images',
      joinSome(
        list(workload, 'containers').map((c) => text(c, 'image')),
        2,
      ),
    ],
  ];
}

function eks(resource: Json): Omit<Resource, 'type'> {
  const cluster = at(resource, 'eksClusterDetails');
  const name = text(cluster, 'name');
  return {
    kind: 'eksCluster',
    label: 'EKS cluster',
    id: name,
    fields: fields([
      ['Cluster', name],
      ['Cluster ARN', text(cluster, 'arn')],
      ['VPC', text(cluster, 'vpcId')],
      ...kubernetesFields(resource),
    ]),
  };
}

function ecs(resource: Json): Omit<Resource, 'type'> {
  const cluster = at(resource, 'ecsClusterDetails');
  const task = at(cluster, 'taskDetails');
  const name = text(cluster, 'name');
  return {
    kind: 'ecsCluster',
    label: 'ECS cluster',
    id: name,
    fields: fields([
      ['Cluster', name],
      ['Task', text(task, 'arn')],
      ['Task definition', text(task, 'definitionArn')],
      ['Containers', joinSome(list(task, 'containers').map((c) => text(c, 'name')))],
      [
        'Images',
        joinSome(
          list(task, 'containers').map((c) => text(c, 'image')),
          2,
        ),
      ],
    ]),
  };
}

function container(resource: Json): Omit<Resource, 'type'> {
  const details = at(resource, 'containerDetails');
  const name = text(details, 'name');
  return {
    kind: 'container',
    label: 'Container',
    id: name ?? text(details, 'id'),
    fields: fields([
      ['Container', name],
      ['Container id', text(details, 'id')],
      ['Image', text(details, 'image')],
      ['Runtime', text(details, 'containerRuntime')],
    ]),
  };
}

function rds(resource: Json): Omit<Resource, 'type'> {
  const db = at(resource, 'rdsDbInstanceDetails');
  const user = at(resource, 'rdsDbUserDetails');
  const id = text(db, 'dbInstanceIdentifier');
  const engine = text(db, 'engine');
  const version = text(db, 'engineVersion');
  return {
    kind: 'rdsInstance',
    label: 'RDS database',
    id: id ?? text(db, 'dbClusterIdentifier'),
    fields: fields([
      ['DB instance', id],
      ['DB cluster', text(db, 'dbClusterIdentifier')],
      ['Engine', engine ? `${engine}${version ? ` ${version}` : ''}` : null],
      ['DB user', text(user, 'user')],
      ['Database', text(user, 'database')],
      ['Application', text(user, 'application')],
      ['Auth method', text(user, 'authMethod')],
    ]),
  };
}

function lambda(resource: Json): Omit<Resource, 'type'> {
  const fn = at(resource, 'lambdaDetails');
  const name = text(fn, 'functionName');
  return {
    kind: 'lambda',
    label: 'Lambda function',
    id: name,
    fields: fields([
      ['Function', name],
      ['Function ARN', text(fn, 'functionArn')],
      ['Version', text(fn, 'functionVersion')],
      ['Role', text(fn, 'role')],
      ['VPC', text(fn, 'vpcConfig', 'vpcId')],
      ['Tags', tagSummary(list(fn, 'tags'))],
    ]),
  };
}

/** Extended Threat Detection: the resource is the sequence itself; summarise its actors, resources and signals. */
function attackSequence(service: Json): Omit<Resource, 'type'> {
  const sequence = at(service, 'detection', 'sequence');
  const resources = list(sequence, 'resources');
  const signals = list(sequence, 'signals');
  const tactics = list(sequence, 'sequenceIndicators').find((i) => text(i, 'key') === 'ATTACK_TACTIC');
  return {
    kind: 'other',
    label: 'Attack sequence',
    id: text(sequence, 'uid'),
    fields: fields([
      ['Actors', joinSome(list(sequence, 'actors').map((a) => text(a, 'user', 'name') ?? text(a, 'id')))],
      [
        'Resources',
        joinSome(
          resources.map((r) => {
            const name = text(r, 'name') ?? text(r, 'uid');
            return name ? `${text(r, 'resourceType') ?? 'resource'} ${name}` : null;
          }),
        ),
      ],
      [
        'Signals',
        signals.length > 0
          ? `${signals.length}: ${
              joinSome(
                signals.map((g) => text(g, 'name') ?? text(g, 'type')),
                4,
              ) ?? ''
            }`
          : null,
      ],
      [
        'Tactics',
        joinSome(
          list(tactics, 'values').map((v) => text(v)),
          5,
        ),
      ],
      ['Endpoints', joinSome(list(sequence, 'endpoints').map((e) => text(e, 'ip')))],
    ]),
  };
}

function other(resource: Json, resourceType: string): Omit<Resource, 'type'> {
  return {
    kind: 'other',
    label: resourceType,
    id: text(resource, 'accessKeyDetails', 'userName'),
    fields: fields([['Access key user', text(resource, 'accessKeyDetails', 'userName')]]),
  };
}

/** Runtime-monitoring process facts, shown for whichever resource the agent ran on. */
function runtimeFields(service: Json): Array<[string, string | null]> {
  const process = at(service, 'runtimeDetails', 'process');
  return [
    ['Process', text(process, 'name')],
    ['Executable', text(process, 'executablePath')],
    ['PID', text(process, 'pid')],
    ['Process user', text(process, 'user')],
  ];
}

const BY_RESOURCE_TYPE: Record<string, (resource: Json, service: Json, type: string) => Omit<Resource, 'type'>> = {
  Instance: (r, s) => instance(r, s),
  AccessKey: (r) => accessKey(r),
  S3Bucket: (r, s) => s3(r, s, 's3Bucket'),
  S3Object: (r, s) => s3(r, s, 's3Object'),
  EKSCluster: (r) => eks(r),
  ECSCluster: (r) => ecs(r),
  Container: (r) => container(r),
  RDSDBInstance: (r) => rds(r),
  RDSLimitlessDB: (r) => rds(r),
  Lambda: (r) => lambda(r),
  AttackSequence: (_r, s) => attackSequence(s),
};

/** Longest resource type kept from an unknown one (known types are short constants). */
const RESOURCE_TYPE_MAX = 128;

/**
 * Summarises the affected resource of any GuardDuty resource type. An unknown
 * type is shown by name, so it is cleaned like any other finding text.
 */
export function summariseResource(finding: Finding): Resource {
  const raw = finding.resource.resourceType;
  // Own keys only: "constructor" or "__proto__" must not reach Object.prototype.
  const known = Object.hasOwn(BY_RESOURCE_TYPE, raw) ? BY_RESOURCE_TYPE[raw] : undefined;
  const type = known ? raw : cleanLine(raw, RESOURCE_TYPE_MAX).trim() || 'Unknown';
  const build = known ?? ((r: Json) => other(r, type));
  const summary = build(finding.resource, finding.service, type);
  const runtime = fields(runtimeFields(finding.service));
  return { type, ...summary, fields: [...summary.fields, ...runtime] };
}
