import type { SeverityBand } from '../finding/severity.js';
import { cleanLine } from '../text/clean.js';
import {
  arr,
  bool,
  type Envelope,
  envelopeFacts,
  fieldList,
  MAX_SIGNAL_TITLE,
  s3BucketUrl,
  severityOf,
  someOf,
  stableId,
  str,
} from './common.js';
import { type ScanResultStatus, ScanResultStatusSchema, type ScanSignal } from './model.js';

/*
 * Malware Protection for S3 object scan results, as GuardDuty publishes them
 * to the default bus of the bucket owner ("Monitoring S3 object scans with
 * Amazon EventBridge", GuardDuty User Guide): `detail.scanStatus`,
 * `detail.s3ObjectDetails` {bucketName, objectKey, eTag, versionId, s3Throttled},
 * `detail.scanResultDetails` {scanResultStatus, threats: [{name}] | null}, the
 * plan's ARN in `resources`.
 */

export const SCAN_DETAIL_TYPE = 'GuardDuty Malware Protection Object Scan Result';

/**
 * Band per result. THREATS_FOUND is HIGH: GuardDuty rates its own finding for
 * the same event (Object:S3/MaliciousFile) High. A scan that could not run
 * (ACCESS_DENIED, FAILED) is MEDIUM: the object is unscanned and the plan
 * needs attention. UNSUPPORTED (an object type or size GuardDuty does not
 * scan) is a LOW note; NO_THREATS_FOUND is LOW and quiet (only channels that
 * ask for quiet signals get it). A status AWS does not document is MEDIUM so
 * it is seen.
 */
export const SCAN_RESULT_BAND: Record<ScanResultStatus, SeverityBand> = {
  THREATS_FOUND: 'HIGH',
  NO_THREATS_FOUND: 'LOW',
  UNSUPPORTED: 'LOW',
  ACCESS_DENIED: 'MEDIUM',
  FAILED: 'MEDIUM',
  UNKNOWN: 'MEDIUM',
};

const TITLE: Record<ScanResultStatus, string> = {
  THREATS_FOUND: 'Malware found in',
  NO_THREATS_FOUND: 'No threats found in',
  UNSUPPORTED: 'Object not scanned (unsupported):',
  ACCESS_DENIED: 'Object not scanned (access denied):',
  FAILED: 'Object scan failed:',
  UNKNOWN: 'Object scan result unknown:',
};

const PLAN_ARN = /^arn:[a-z-]+:guardduty:[a-z0-9-]*:\d{12}:malware-protection-plan\/([A-Za-z0-9_-]{1,128})$/;

/** The Malware Protection plan id from the plan ARN in the envelope's `resources`. */
export function planIdOf(resources: readonly unknown[] | undefined): string | null {
  for (const resource of resources ?? []) {
    const match = typeof resource === 'string' ? PLAN_ARN.exec(resource) : null;
    if (match?.[1]) return match[1];
  }
  return null;
}

/** "s3://bucket/key", bounded for headlines. */
export function objectLabel(bucket: string | null, key: string | null, max = 120): string {
  return cleanLine(`s3://${bucket ?? '?'}/${key ?? '?'}`, max);
}

/**
 * Reads one object scan result.
 *
 * @example readScan(EnvelopeSchema.parse(event)).scan.result // 'THREATS_FOUND'
 */
export function readScan(envelope: Envelope): ScanSignal {
  const facts = envelopeFacts(envelope);
  const detail = envelope.detail;
  const object = ['s3ObjectDetails'];
  const bucket = str(detail, [...object, 'bucketName'], 255);
  const key = str(detail, [...object, 'objectKey'], 1_024);
  const versionId = str(detail, [...object, 'versionId'], 1_024);
  const eTag = str(detail, [...object, 'eTag'], 256);
  const status = ScanResultStatusSchema.safeParse(str(detail, ['scanResultDetails', 'scanResultStatus'], 64));
  const result: ScanResultStatus = status.success ? status.data : 'UNKNOWN';
  const threats = arr(detail, ['scanResultDetails', 'threats'])
    .map((threat) => (typeof threat === 'string' ? cleanLine(threat, 300) : str(threat, ['name'], 300)))
    .filter((name): name is string => name !== null);
  const planId = planIdOf(envelope.resources);
  const scanStatus = str(detail, ['scanStatus'], 64);
  const s3Throttled = bool(detail, [...object, 's3Throttled']);
  const band = SCAN_RESULT_BAND[result];
  return {
    kind: 'scan',
    id: stableId('scan', [facts.account.id, bucket, key, versionId, eTag, result]),
    topic: `scan.${result.toLowerCase()}`,
    title: cleanLine(`${TITLE[result]} ${objectLabel(bucket, key)}`, MAX_SIGNAL_TITLE),
    severity: severityOf(band),
    account: facts.account,
    region: facts.region,
    partition: facts.partition,
    time: facts.time,
    fields: fieldList([
      [
        'Scan result',
        result === 'UNKNOWN' ? (str(detail, ['scanResultDetails', 'scanResultStatus'], 64) ?? 'UNKNOWN') : result,
      ],
      ['Scan status', scanStatus],
      ['Threats', someOf(threats, 10)],
      ['Bucket', bucket],
      ['Object key', key],
      ['Version', versionId],
      ['ETag', eTag],
      ['Malware Protection plan', planId],
      ['S3 throttled', s3Throttled === null ? null : String(s3Throttled)],
    ]),
    consoleUrl: s3BucketUrl(facts.partition, facts.region, bucket),
    delivery: result === 'NO_THREATS_FOUND' ? 'quiet' : 'notify',
    ignoreReason: null,
    scan: { result, scanStatus, bucket, key, versionId, eTag, threats, planId, s3Throttled },
  };
}
