import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'handler', 'test', 'fixtures', 'events');

/*
 * What the end-to-end run puts on the bus, and what each example's routing
 * must make of it: written out by hand from the examples' channel configs and
 * design.md §3 (not computed with the handler's own routing code), so the run
 * checks the deployed pipeline against the documented behaviour.
 */

type Json = Record<string, unknown>;

export interface BusEvent {
  /** Short name used in reports. */
  label: string;
  /** The EventBridge event as GuardDuty (or another service) would put it. */
  event: { source: string; 'detail-type': string; resources: string[]; detail: Json };
  /** Finding id for GuardDuty findings; deliveries are attributed by it. */
  findingId?: string;
  severity?: number;
}

export interface Wave {
  name: string;
  put: BusEvent[];
  /** Malformed messages sent straight to the queue (they must end in the DLQ). */
  poison: Array<{ label: string; body: string }>;
}

function fixture(name: string): BusEvent['event'] {
  const raw = JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as Json;
  return {
    source: raw.source as string,
    'detail-type': raw['detail-type'] as string,
    resources: (raw.resources as string[]) ?? [],
    detail: raw.detail as Json,
  };
}

function finding(label: string, event: BusEvent['event']): BusEvent {
  return { label, event, findingId: event.detail.id as string, severity: event.detail.severity as number };
}

function withDetail(event: BusEvent['event'], change: (detail: Json) => void): BusEvent['event'] {
  const copy = structuredClone(event);
  change(copy.detail);
  return copy;
}

const hex32 = () => randomBytes(16).toString('hex');
const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

export function buildWaves(): Wave[] {
  const portProbe = fixture('ec2-port-probe');
  // Severity 0.5 sits under the lowest floor (LOW = 1): a copy of a LOW finding with its own id.
  const belowFloorId = hex32();
  const belowFloor = withDetail(fixture('s3-public-access'), (d) => {
    d.severity = 0.5;
    d.arn = String(d.arn).replace(String(d.id), belowFloorId);
    d.id = belowFloorId;
  });
  // GuardDuty puts other detail-types on the bus too (Malware Protection for S3 scan results).
  const scanResult: BusEvent['event'] = {
    source: 'aws.guardduty',
    'detail-type': 'GuardDuty Malware Protection Object Scan Result',
    resources: ['arn:aws:guardduty:us-east-1:111122223333:malware-protection-plan/e2e0000000000000'],
    detail: {
      schemaVersion: '1.0',
      scanStatus: 'COMPLETED',
      resourceType: 'S3_OBJECT',
      s3ObjectDetails: { bucketName: 'e2e-uploads', objectKey: 'invoice.pdf', eTag: 'e2e', versionId: '1' },
      scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND', threats: null },
    },
  };
  // The port probe seen again later, same severity: an update that is not an escalation.
  const portProbeRepeat = withDetail(portProbe, (d) => {
    d.updatedAt = addMinutes(String(d.createdAt), 90);
    (d.service as Json).count = 3;
    (d.service as Json).eventLastSeen = addMinutes(String(d.createdAt), 89);
  });

  return [
    {
      name: 'first sightings',
      put: [
        finding('ssh-bruteforce LOW', fixture('ec2-ssh-bruteforce')),
        finding('port-probe MEDIUM Recon', portProbe),
        finding('iam-api-tor MEDIUM', fixture('iam-api-tor')),
        finding('credential-exfiltration HIGH', fixture('iam-exfiltration-credentials')),
        finding('rds-brute-force CRITICAL', fixture('rds-brute-force')),
        finding('attack-sequence CRITICAL', fixture('attack-sequence')),
        finding('sample HIGH', fixture('sample-finding')),
        finding('hostile HIGH', fixture('hostile')),
        finding('archived MEDIUM', fixture('archived-finding')),
        finding('below-floor 0.5', belowFloor),
        { label: 'ec2 state change (not GuardDuty)', event: fixture('invalid/wrong-detail-type') },
        { label: 'malware scan result (GuardDuty, not a finding)', event: scanResult },
      ],
      poison: [
        { label: 'not JSON', body: readFileSync(join(FIXTURES_DIR, 'invalid', 'not-json.txt'), 'utf8') },
        {
          label: 'severity is a string',
          body: readFileSync(join(FIXTURES_DIR, 'invalid', 'severity-string.json'), 'utf8'),
        },
      ],
    },
    {
      name: 'updates',
      put: [
        finding('ssh-bruteforce update LOW', fixture('update-finding')),
        finding('port-probe repeat MEDIUM', portProbeRepeat),
      ],
      poison: [],
    },
    {
      name: 'escalation',
      put: [finding('port-probe escalated to HIGH', fixture('escalated-update'))],
      poison: [],
    },
  ];
}

/** A channel's expected deliveries: wave name → labels of the events it must get (exactly once). */
export type Expectation = Record<string, Record<string, string[]>>;

export interface ExampleScenario {
  example: 'multi-channel' | 'slack-minimal';
  /** Severity floor of the deployed EventBridge rule (the example's min_severity). */
  ruleFloor: number;
  /** Channel name → wave → event labels. Every other (wave, finding, channel) must get nothing. */
  expect: Expectation;
}

const ALL_MEDIUM_UP_NEW = [
  'port-probe MEDIUM Recon',
  'iam-api-tor MEDIUM',
  'credential-exfiltration HIGH',
  'rds-brute-force CRITICAL',
  'attack-sequence CRITICAL',
  'sample HIGH',
  'hostile HIGH',
];

/*
 * examples/multi-channel: defaults minSeverity MEDIUM, notifyOn escalations,
 * includeSamples true; the rule lets everything from LOW (1) through.
 * - archived: no channel includes archived findings (PagerDuty may see them to
 *   resolve, but only CRITICAL ones), so nobody is told.
 * - updates: "escalations" channels hear an update only when the severity rose
 *   above what this container saw before; "all" channels hear every update.
 */
export const MULTI_CHANNEL: ExampleScenario = {
  example: 'multi-channel',
  ruleFloor: 1,
  expect: {
    // LOW floor, Recon:* excluded, escalations.
    'sec-slack': {
      'first sightings': [
        'ssh-bruteforce LOW',
        'iam-api-tor MEDIUM',
        'credential-exfiltration HIGH',
        'rds-brute-force CRITICAL',
        'attack-sequence CRITICAL',
        'sample HIGH',
        'hostile HIGH',
      ],
      updates: [], // the LOW update did not raise the severity
      escalation: [], // a Recon finding
    },
    // MEDIUM (default), escalations.
    'sec-teams': { 'first sightings': ALL_MEDIUM_UP_NEW, updates: [], escalation: ['port-probe escalated to HIGH'] },
    'sec-chat': { 'first sightings': ALL_MEDIUM_UP_NEW, updates: [], escalation: ['port-probe escalated to HIGH'] },
    // CRITICAL, new findings only.
    oncall: {
      'first sightings': ['rds-brute-force CRITICAL', 'attack-sequence CRITICAL'],
      updates: [],
      escalation: [],
    },
    // HIGH, escalations.
    'sec-email': {
      'first sightings': [
        'credential-exfiltration HIGH',
        'rds-brute-force CRITICAL',
        'attack-sequence CRITICAL',
        'sample HIGH',
        'hostile HIGH',
      ],
      updates: [],
      escalation: ['port-probe escalated to HIGH'],
    },
    // MEDIUM (default), every update.
    audit: {
      'first sightings': ALL_MEDIUM_UP_NEW,
      updates: ['port-probe repeat MEDIUM'],
      escalation: ['port-probe escalated to HIGH'],
    },
    siem: {
      'first sightings': ALL_MEDIUM_UP_NEW,
      updates: ['port-probe repeat MEDIUM'],
      escalation: ['port-probe escalated to HIGH'],
    },
  },
};

/*
 * examples/slack-minimal: min_severity MEDIUM on the rule (floor 4), one Slack
 * channel with the built-in rules (LOW, escalations, samples included). The LOW
 * findings and the LOW update never reach the queue.
 */
export const SLACK_MINIMAL: ExampleScenario = {
  example: 'slack-minimal',
  ruleFloor: 4,
  expect: {
    'security-slack': {
      'first sightings': ALL_MEDIUM_UP_NEW,
      updates: [],
      escalation: ['port-probe escalated to HIGH'],
    },
  },
};

export const SCENARIOS: Record<string, ExampleScenario> = {
  'multi-channel': MULTI_CHANNEL,
  'slack-minimal': SLACK_MINIMAL,
};

/** Whether the deployed rule must let an event through (GuardDuty finding at or above the floor). */
export function ruleMatches(e: BusEvent, floor: number): boolean {
  return (
    e.event.source === 'aws.guardduty' &&
    e.event['detail-type'] === 'GuardDuty Finding' &&
    typeof e.severity === 'number' &&
    e.severity >= floor
  );
}

/** Random strings shaped like each vendor's credentials. */
export function randomToken(
  length: number,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
