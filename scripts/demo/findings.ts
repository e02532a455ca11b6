import { createHash, randomUUID } from 'node:crypto';
import { rawFixture } from '../../harness/fixtures.mjs';
import type { SqsRecord } from './lambda.js';

/*
 * What the demo replays: fixtures covering every severity band and resource
 * family, a sample finding, an update and an escalation, other partitions, a
 * minimal and a hostile finding; then a burst from a sandbox account.
 */

export interface ReplayItem {
  name: string;
  why: string;
  event: Record<string, unknown>;
}

/** New findings, in the order they are shown; replayed in SQS batches of 10. */
const NEW_FINDINGS: ReadonlyArray<[name: string, why: string]> = [
  ['rds-brute-force', 'CRITICAL · RDS database: a successful brute-force login.'],
  ['attack-sequence', 'CRITICAL · Extended Threat Detection attack sequence (signals, actors, indicators).'],
  ['iam-exfiltration-credentials', 'HIGH · Access key: instance credentials used from outside AWS.'],
  ['ec2-dns-bitcoin', 'HIGH · EC2 instance: DNS request for a crypto-mining pool.'],
  ['s3-exfiltration', 'HIGH · S3 bucket: anomalous mass GetObject.'],
  ['s3-malware-object', 'HIGH · S3 object: Malware Protection for S3.'],
  ['eks-runtime-reverse-shell', 'HIGH · EKS cluster: Runtime Monitoring reverse shell in a pod.'],
  ['ecs-runtime-crypto', 'HIGH · ECS cluster: Fargate task running a miner.'],
  ['lambda-network', 'HIGH · Lambda function talking to a command-and-control server.'],
  ['ebs-malware', 'HIGH · EBS volume scan: malware on an instance.'],
  ['sample-finding', 'HIGH · A sample finding (CreateSampleFindings): marked SAMPLE everywhere.'],
  [
    'hostile',
    'HIGH · Hostile: injection payloads in every attacker-controlled string (mentions, links, HTML, Markdown, CRLF headers); the demo turns its alert(1) payloads into window.__pwned=… so the browser test can prove none ran.',
  ],
  ['container-runtime', 'MEDIUM · Container: a new binary ran in a privileged container.'],
  ['ec2-port-probe', 'MEDIUM · EC2 instance: Recon port probe (escalated below). Routing keeps it from slack-oncall.'],
  ['govcloud-instance', 'MEDIUM · AWS GovCloud partition: console links go to the us-gov console.'],
  ['minimal', 'MEDIUM · Only the fields GuardDuty always sends: nothing may crash or show "undefined".'],
  ['archived-finding', 'MEDIUM · An archived finding: only channels with includeArchived get it.'],
  ['ec2-ssh-bruteforce', 'LOW · EC2 instance: SSH brute force (updated below).'],
  ['s3-public-access', 'LOW · S3 bucket: Block Public Access turned off.'],
  ['root-credential-usage', 'LOW · Access key: root credentials used.'],
  ['china-instance', 'LOW · AWS China partition.'],
];

/** Later sightings of findings above; a later batch, as SQS would deliver them. */
const UPDATES: ReadonlyArray<[name: string, why: string]> = [
  [
    'update-finding',
    'UPDATE · ec2-ssh-bruteforce seen 17 times, same severity: only channels with notifyOn "all" are told.',
  ],
  [
    'escalated-update',
    'ESCALATION · ec2-port-probe raised from 5.0 to 8.0: notifyOn "escalations" channels are told again.',
  ],
];

/** Every string in a value, transformed (for the hostile fixture). */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

/**
 * The hostile fixture with payloads that would set `window.__pwned` if any
 * channel view let them run: its `alert(1)`s, plus a few more vectors in the
 * description (SVG onload, a javascript: Markdown link, an iframe srcdoc).
 */
export function weaponised(event: Record<string, unknown>): Record<string, unknown> {
  const detail = mapStrings(event.detail, (s) => s.replace(/alert\(1\)/g, 'window.__pwned=1')) as Record<
    string,
    unknown
  >;
  detail.description = `${String(detail.description)} <svg onload=window.__pwned=2> [pwn](javascript:window.__pwned=3) <iframe srcdoc="<script>parent.__pwned=4</script>"></iframe> </textarea></pre></code>\`\`\`<script>window.__pwned=5</script>`;
  return { ...event, detail };
}

function item(name: string, why: string): ReplayItem {
  const event = rawFixture(name);
  return { name, why, event: name === 'hostile' ? weaponised(event) : event };
}

/** The replay: new findings in even batches of at most `maxBatch` (SQS's default 10), then the updates. */
export function replayBatches(maxBatch = 10): ReplayItem[][] {
  const fresh = NEW_FINDINGS.map(([name, why]) => item(name, why));
  const size = Math.ceil(fresh.length / Math.ceil(fresh.length / maxBatch));
  const batches: ReplayItem[][] = [];
  for (let i = 0; i < fresh.length; i += size) batches.push(fresh.slice(i, i + size));
  batches.push(UPDATES.map(([name, why]) => item(name, why)));
  return batches;
}

/** The sandbox account whose findings only the digest channel takes. */
export const SANDBOX_ACCOUNT = '777788889999';

/**
 * A burst from the sandbox account: copies of fixtures re-homed there (new
 * ids, us-east-1), as `CreateSampleFindings` or a noisy account produces.
 */
export function sandboxBurst(size = 12): ReplayItem[] {
  const sources = [
    'ec2-ssh-bruteforce',
    'ec2-port-probe',
    'iam-api-tor',
    'ec2-c2-network',
    'eks-anonymous-access',
    's3-public-access',
    'root-credential-usage',
    'ec2-dns-bitcoin',
  ];
  return Array.from({ length: size }, (_, i) => {
    const name = sources[i % sources.length]!;
    const event = structuredClone(rawFixture(name)) as Record<string, unknown> & { detail: Record<string, unknown> };
    const id = createHash('sha256').update(`sandbox-${i}`).digest('hex').slice(0, 32);
    const detector = String(event.detail.arn).split('/')[1] ?? '0'.repeat(32);
    Object.assign(event, { id: randomUUID(), account: SANDBOX_ACCOUNT, region: 'us-east-1' });
    Object.assign(event.detail, {
      id,
      accountId: SANDBOX_ACCOUNT,
      region: 'us-east-1',
      partition: 'aws',
      arn: `arn:aws:guardduty:us-east-1:${SANDBOX_ACCOUNT}:detector/${detector}/finding/${id}`,
    });
    return { name: `sandbox-${i + 1}-${name}`, why: 'sandbox burst', event };
  });
}

/** SQS records as the event source mapping hands them to the function. */
export function sqsRecords(items: readonly ReplayItem[], queueArn: string): SqsRecord[] {
  return items.map((it) => {
    const body = JSON.stringify(it.event);
    return {
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    };
  });
}
