import * as z from 'zod/mini';
import type { Field } from './model.js';
import type { Finding } from './schema.js';
import { at, fields, joinSome, list, text, type Json } from './read.js';

/*
 * Facets: every group of facts a finding carries, whatever its resourceType,
 * as one ordered list each channel renders with a single loop. A facet repeats
 * nothing of the headline resource summary's own family (an instance finding
 * has no "host instance" facet), but may add detail to it (malware hashes).
 */

export const FacetKeySchema = z.enum([
  'hostInstance',
  'process',
  'parentProcess',
  'runtimeContext',
  'malwareScan',
  's3Buckets',
  'threatIntelligence',
  'iamAnomalies',
]);
export type FacetKey = z.infer<typeof FacetKeySchema>;

export const FacetSchema = z.object({
  key: FacetKeySchema,
  title: z.string(),
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
});
export type Facet = z.infer<typeof FacetSchema>;

/** Most scalar fields shown from a free-form object (runtime context, anomalies). */
const MAX_GENERIC_FIELDS = 12;

/** "ldPreloadValue" → "Ld preload value": a readable label from a GuardDuty key. */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The scalar leaves of an object as fields (nested objects by dotted path), at most `max`. */
export function scalarFields(value: Json, max = MAX_GENERIC_FIELDS, prefix = ''): Field[] {
  const out: Field[] = [];
  const walk = (node: Json, path: string, depth: number) => {
    if (out.length >= max || depth > 4) return;
    if (Array.isArray(node)) {
      const scalars = node.map((v) => text(v)).filter((v): v is string => v !== null);
      if (scalars.length > 0) out.push({ label: labelOf(path), value: joinSome(scalars, 5) ?? '' });
      else for (const v of node.slice(0, 3)) walk(v, path, depth + 1);
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k, depth + 1);
      return;
    }
    const t = text(node);
    if (t !== null && path) out.push({ label: labelOf(path), value: t });
  };
  walk(value, prefix, 0);
  return out.filter((f) => f.value !== '');
}

const tagValue = (tags: Json[], key: string) => {
  const found = tags.find((t) => text(t, 'key') === key);
  return found ? text(found, 'value') : null;
};

function hostInstance(resource: Json): Field[] {
  const details = at(resource, 'instanceDetails');
  if (details === undefined) return [];
  const nics = list(details, 'networkInterfaces');
  return fields([
    ['Instance', text(details, 'instanceId')],
    ['Name', tagValue(list(details, 'tags'), 'Name')],
    ['Instance type', text(details, 'instanceType')],
    ['Private IP', joinSome(nics.map((n) => text(n, 'privateIpAddress')))],
    ['Public IP', joinSome(nics.map((n) => text(n, 'publicIp')))],
    [
      'Security groups',
      joinSome(
        nics.flatMap((n) => list(n, 'securityGroups').map((g) => text(g, 'groupName') ?? text(g, 'groupId'))),
        4,
      ),
    ],
    ['Image', text(details, 'imageId')],
    ['Instance profile', text(details, 'iamInstanceProfile', 'arn')],
    ['Availability zone', text(details, 'availabilityZone')],
  ]);
}

function processFields(process: Json): Field[] {
  return fields([
    ['Name', text(process, 'name')],
    ['PID', text(process, 'pid')],
    ['Executable', text(process, 'executablePath')],
    ['SHA-256', text(process, 'executableSha256')],
    ['User', text(process, 'user') ?? text(process, 'userId')],
    ['Effective UID', text(process, 'euid')],
    ['Working directory', text(process, 'pwd')],
    ['Namespace PID', text(process, 'namespacePid')],
    ['Started', text(process, 'startTime')],
  ]);
}

/** The parent: the lineage entry whose uuid is the process's parentUuid, else the first of the lineage. */
function parentOf(process: Json): Json {
  const lineage = list(process, 'lineage');
  const parentUuid = text(process, 'parentUuid');
  return (parentUuid && lineage.find((p) => text(p, 'uuid') === parentUuid)) || lineage[0];
}

function malwareScan(resource: Json, service: Json): Field[] {
  const scan = at(service, 'ebsVolumeScanDetails');
  const threats = list(scan, 'scanDetections', 'threatDetectedByName', 'threatNames');
  const files = threats.flatMap((t) => list(t, 'filePaths'));
  const s3Threats = list(service, 'malwareScanDetails', 'threats');
  if (scan === undefined && s3Threats.length === 0) return [];
  return fields([
    [
      'Threats',
      joinSome(
        [...threats, ...s3Threats].map((t) => text(t, 'name')),
        5,
      ),
    ],
    [
      'Infected files',
      joinSome(
        files.map((p) => text(p, 'filePath') ?? text(p, 'fileName')),
        5,
      ),
    ],
    [
      'File hashes',
      joinSome(
        files.map((p) => text(p, 'hash')),
        3,
      ),
    ],
    [
      'Scanned volumes',
      joinSome(
        [
          ...list(resource, 'ebsVolumeDetails', 'scannedVolumeDetails').map((v) => text(v, 'volumeArn')),
          ...files.map((p) => text(p, 'volumeArn')),
        ],
        3,
      ),
    ],
    ['Infected file count', text(scan, 'scanDetections', 'threatsDetectedItemCount', 'files')],
    ['Scanned files', text(scan, 'scanDetections', 'scannedItemCount', 'files')],
    ['Scan type', text(scan, 'scanType')],
    ['Scan id', text(scan, 'scanId')],
    ['Triggered by finding', text(scan, 'triggerFindingId')],
  ]);
}

function s3Buckets(resource: Json): Field[] {
  const buckets = list(resource, 's3BucketDetails');
  if (buckets.length === 0) return [];
  const one = (key: string, ...path: string[]) =>
    joinSome(
      buckets.map((b) => text(b, key, ...path)),
      3,
    );
  return fields([
    [
      'Bucket',
      joinSome(
        buckets.map((b) => text(b, 'name')),
        5,
      ),
    ],
    ['Bucket ARN', one('arn')],
    ['Effective permission', one('publicAccess', 'effectivePermission')],
    ['Bucket type', one('type')],
    ['Owner', one('owner', 'id')],
    ['Encryption', one('defaultServerSideEncryption', 'encryptionType')],
    [
      'Block public access (account)',
      one(
        'publicAccess',
        'permissionConfiguration',
        'accountLevelPermissions',
        'blockPublicAccess',
        'blockPublicPolicy',
      ),
    ],
    [
      'Public by bucket policy',
      one(
        'publicAccess',
        'permissionConfiguration',
        'bucketLevelPermissions',
        'bucketPolicy',
        'allowsPublicReadAccess',
      ),
    ],
  ]);
}

function threatIntelligence(service: Json): Field[] {
  const details = list(service, 'evidence', 'threatIntelligenceDetails');
  return fields([
    [
      'Threat list',
      joinSome(
        details.map((d) => text(d, 'threatListName')),
        3,
      ),
    ],
    [
      'Threat names',
      joinSome(
        details.flatMap((d) => list(d, 'threatNames').map((n) => text(n))),
        5,
      ),
    ],
    [
      'File SHA-256',
      joinSome(
        details.flatMap((d) => list(d, 'threatFileSha256').map((n) => text(n))),
        3,
      ),
    ],
  ]);
}

/** Older IAM anomaly findings describe the unusual behaviour in additionalInfo, free-form. */
function iamAnomalies(service: Json): Field[] {
  const info = at(service, 'additionalInfo');
  return [
    ...scalarFields(at(info, 'anomalies'), 6, 'anomalies'),
    ...scalarFields(at(info, 'unusualBehavior'), 6, 'unusualBehavior'),
    ...scalarFields(at(info, 'unusual'), 6, 'unusual'),
  ].slice(0, MAX_GENERIC_FIELDS);
}

/**
 * Runtime context keys that name what was touched or run (AWS's RuntimeContext
 * reference), shown first: channels show only the first fields of a facet, and
 * a context carries up to ~30 keys.
 */
const RUNTIME_CONTEXT_FIRST = [
  'commandLineExample',
  'socketPath',
  'threatFilePath',
  'scriptPath',
  'ldPreloadValue',
  'libraryPath',
  'moduleName',
  'moduleFilePath',
  'moduleSha256',
  'releaseAgentPath',
  'runcBinaryPath',
  'shellHistoryFilePath',
  'toolName',
  'toolCategory',
  'mountSource',
  'mountTarget',
];
/** Runtime contexts are wide: more of their fields than other free-form objects. */
const RUNTIME_CONTEXT_MAX = 30;

/**
 * The same object with `first` keys leading (in that order), then the other
 * scalars, then nested objects (a modifying process alone has a dozen leaves).
 */
function triageOrder(value: Json, first: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const nested = (v: Json) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const rank = ([key, v]: [string, Json]) =>
    first.includes(key) ? first.indexOf(key) : first.length + (nested(v) ? 1 : 0);
  return Object.fromEntries(Object.entries(value).sort((a, b) => rank(a) - rank(b)));
}

/**
 * Every facet the finding carries, in a fixed order, empty ones left out.
 *
 * @param resourceKind the headline resource's kind, whose own facts the facets do not repeat.
 */
export function facetsOf(finding: Finding, resourceKind: string): Facet[] {
  const resource = finding.resource as Json;
  const service = finding.service as Json;
  const process = at(service, 'runtimeDetails', 'process');
  const context = at(service, 'runtimeDetails', 'context');
  const candidates: Array<[FacetKey, string, Field[]]> = [
    ['hostInstance', 'Host EC2 instance', resourceKind === 'instance' ? [] : hostInstance(resource)],
    ['process', 'Process', processFields(process)],
    ['parentProcess', 'Parent process', processFields(parentOf(process))],
    [
      'runtimeContext',
      'Runtime context',
      scalarFields(triageOrder(context, RUNTIME_CONTEXT_FIRST), RUNTIME_CONTEXT_MAX),
    ],
    ['malwareScan', 'Malware scan', malwareScan(resource, service)],
    ['s3Buckets', 'S3 bucket', resourceKind === 's3Bucket' || resourceKind === 's3Object' ? [] : s3Buckets(resource)],
    ['threatIntelligence', 'Threat intelligence', threatIntelligence(service)],
    ['iamAnomalies', 'Unusual behaviour', iamAnomalies(service)],
  ];
  return candidates.filter(([, , f]) => f.length > 0).map(([key, title, f]) => ({ key, title, fields: f }));
}
