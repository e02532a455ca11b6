import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'handler', 'test', 'fixtures', 'events');
const SIGNALS_DIR = join(FIXTURES_DIR, '..', 'signals');

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
  /**
   * What deliveries are attributed by: the finding id for GuardDuty findings
   * and for archive calls (each archived finding's note or resolve names it),
   * the CloudTrail event id for other API calls.
   */
  findingId?: string;
  /** Other strings a delivery may name the event by (an API call's view id, `activity-<eventID>`). */
  aliases?: string[];
  severity?: number;
}

export interface Wave {
  name: string;
  put: BusEvent[];
  /** Malformed messages sent straight to the queue (they must end in the DLQ). */
  poison: Array<{ label: string; body: string }>;
  /**
   * Whole EventBridge events sent straight to the queue, bypassing the rules
   * (whose numeric severity filter drops a severity that is not a number):
   * findings of an odd shape, delivered best-effort (issue 15).
   */
  direct: BusEvent[];
}

function fixture(name: string, dir = FIXTURES_DIR): BusEvent['event'] {
  const raw = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Json;
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

/** A GuardDuty API call as CloudTrail delivers it to EventBridge, with a fresh event id (the run's own). */
function apiCall(label: string, name: string, change: (detail: Json) => void = () => {}): BusEvent {
  const eventId = randomUUID();
  const event = withDetail(fixture(name, join(SIGNALS_DIR, 'activity')), (d) => {
    d.eventID = eventId;
    change(d);
  });
  return { label, event, findingId: eventId, aliases: [`activity-${eventId}`] };
}

const hex32 = () => randomBytes(16).toString('hex');
const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

export function buildWaves(): Wave[] {
  const portProbe = fixture('ec2-port-probe');
  const rdsBruteForce = fixture('rds-brute-force');
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
  // Odd shapes (issue 15): a severity word reads as 0 (the lowest band, so LOW floors still hear it),
  // a numeric string as its number (8.0 is HIGH). Both are delivered, never dead-lettered.
  const severityWord = fixture('odd-shapes/severity-string');
  const severityStringId = hex32();
  const severityNumericString = withDetail(severityWord, (d) => {
    d.severity = '8.0';
    d.arn = String(d.arn).replace(String(d.id), severityStringId);
    d.id = severityStringId;
  });
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
        finding('rds-brute-force CRITICAL', rdsBruteForce),
        finding('attack-sequence CRITICAL', fixture('attack-sequence')),
        finding('sample HIGH', fixture('sample-finding')),
        finding('hostile HIGH', fixture('hostile')),
        finding('archived MEDIUM', fixture('archived-finding')),
        finding('below-floor 0.5', belowFloor),
        { label: 'ec2 state change (not GuardDuty)', event: fixture('invalid/wrong-detail-type') },
        { label: 'malware scan result (GuardDuty, not a finding)', event: scanResult },
      ],
      poison: [{ label: 'not JSON', body: readFileSync(join(FIXTURES_DIR, 'invalid', 'not-json.txt'), 'utf8') }],
      direct: [
        { label: 'severity word "high"', event: severityWord, findingId: severityWord.detail.id as string },
        {
          label: 'severity string "8.0"',
          event: severityNumericString,
          findingId: severityStringId,
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
      direct: [],
    },
    {
      name: 'escalation',
      put: [finding('port-probe escalated to HIGH', fixture('escalated-update'))],
      poison: [],
      direct: [],
    },
    {
      // GuardDuty API calls, as a trail delivers them (issue 16): a tamper alert, the archive of a
      // finding that paged earlier in this run (the archive sync), and a read that is never sent.
      name: 'GuardDuty API calls',
      put: [
        apiCall('DeleteDetector CRITICAL', 'delete-detector'),
        {
          ...apiCall('ArchiveFindings of rds-brute-force', 'archive-findings', (d) => {
            (d.requestParameters as Json).findingIds = [rdsBruteForce.detail.id];
          }),
          findingId: rdsBruteForce.detail.id as string,
        },
        apiCall('ListFindings (a read)', 'list-findings'),
      ],
      poison: [],
      direct: [],
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
  /** What particular deliveries must say, beyond arriving once (checked on every delivery of that label). */
  contentChecks: ContentCheck[];
}

/** One accepted delivery, attributed to the event it is about. */
export interface CheckedDelivery {
  body: string;
  meta: Record<string, unknown>;
  /** The id the delivery was attributed by (the event's `findingId`). */
  findingId: string;
}

export interface ContentCheck {
  channel: string;
  label: string;
  /** What the delivery must be, for the failure message. */
  what: string;
  ok(d: CheckedDelivery): boolean;
}

/**
 * Every channel of both examples hears the wave of API calls the same way: the
 * DeleteDetector call is CRITICAL (disabling GuardDuty) and no channel limits
 * `kinds`; the archive of rds-brute-force reaches every channel that announced
 * that finding in the first wave (all of them: a LOW note, or PagerDuty's
 * resolve, which needs no announcement); the ListFindings read never reaches
 * the queue.
 */
const API_CALLS_HEARD = ['DeleteDetector CRITICAL', 'ArchiveFindings of rds-brute-force'];

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
        'severity word "high"', // an unreadable score reads as 0: the lowest band, which this floor takes
        'severity string "8.0"',
      ],
      updates: [], // the LOW update did not raise the severity
      escalation: [], // a Recon finding
      'GuardDuty API calls': API_CALLS_HEARD,
    },
    // MEDIUM (default), escalations.
    'sec-teams': {
      'first sightings': [...ALL_MEDIUM_UP_NEW, 'severity string "8.0"'],
      updates: [],
      escalation: ['port-probe escalated to HIGH'],
      'GuardDuty API calls': API_CALLS_HEARD,
    },
    'sec-chat': {
      'first sightings': [...ALL_MEDIUM_UP_NEW, 'severity string "8.0"'],
      updates: [],
      escalation: ['port-probe escalated to HIGH'],
      'GuardDuty API calls': API_CALLS_HEARD,
    },
    // CRITICAL, new findings only: the tamper alert pages; the archive resolves the incident rds-brute-force opened.
    oncall: {
      'first sightings': ['rds-brute-force CRITICAL', 'attack-sequence CRITICAL'],
      updates: [],
      escalation: [],
      'GuardDuty API calls': API_CALLS_HEARD,
    },
    // HIGH, escalations.
    'sec-email': {
      'first sightings': [
        'credential-exfiltration HIGH',
        'rds-brute-force CRITICAL',
        'attack-sequence CRITICAL',
        'sample HIGH',
        'hostile HIGH',
        'severity string "8.0"',
      ],
      updates: [],
      escalation: ['port-probe escalated to HIGH'],
      'GuardDuty API calls': API_CALLS_HEARD,
    },
    // MEDIUM (default), every update.
    audit: {
      'first sightings': [...ALL_MEDIUM_UP_NEW, 'severity string "8.0"'],
      updates: ['port-probe repeat MEDIUM'],
      escalation: ['port-probe escalated to HIGH'],
      'GuardDuty API calls': API_CALLS_HEARD,
    },
    siem: {
      'first sightings': [...ALL_MEDIUM_UP_NEW, 'severity string "8.0"'],
      updates: ['port-probe repeat MEDIUM'],
      escalation: ['port-probe escalated to HIGH'],
      'GuardDuty API calls': API_CALLS_HEARD,
    },
  },
  contentChecks: [
    // The tamper alert is CRITICAL wherever it lands (PagerDuty: a trigger at critical severity).
    ...['sec-slack', 'sec-teams', 'sec-chat', 'sec-email', 'audit', 'siem'].map((channel) => ({
      channel,
      label: 'DeleteDetector CRITICAL',
      what: 'says CRITICAL',
      ok: (d: CheckedDelivery) => d.body.includes('CRITICAL'),
    })),
    {
      channel: 'oncall',
      label: 'DeleteDetector CRITICAL',
      what: 'is a PagerDuty trigger at severity critical',
      ok: (d) => {
        const e = JSON.parse(d.body) as { event_action?: string; payload?: { severity?: string } };
        return e.event_action === 'trigger' && e.payload?.severity === 'critical';
      },
    },
    {
      channel: 'oncall',
      label: 'ArchiveFindings of rds-brute-force',
      what: "is a PagerDuty resolve of the incident rds-brute-force opened (dedup_key = the finding's id)",
      ok: (d) => {
        const e = JSON.parse(d.body) as { event_action?: string; dedup_key?: string };
        return e.event_action === 'resolve' && e.dedup_key === d.findingId;
      },
    },
    {
      channel: 'oncall',
      label: 'rds-brute-force CRITICAL',
      what: "opens an incident keyed by the finding's id",
      ok: (d) => {
        const e = JSON.parse(d.body) as { event_action?: string; dedup_key?: string };
        return e.event_action === 'trigger' && e.dedup_key === d.findingId;
      },
    },
  ],
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
      // The odd shapes go straight to the queue (the rule's numeric filter would drop them): LOW floor takes both.
      'first sightings': [...ALL_MEDIUM_UP_NEW, 'severity word "high"', 'severity string "8.0"'],
      updates: [],
      escalation: ['port-probe escalated to HIGH'],
      'GuardDuty API calls': API_CALLS_HEARD,
    },
  },
  contentChecks: [
    {
      channel: 'security-slack',
      label: 'DeleteDetector CRITICAL',
      what: 'says CRITICAL',
      ok: (d) => d.body.includes('CRITICAL'),
    },
  ],
};

export const SCENARIOS: Record<string, ExampleScenario> = {
  'multi-channel': MULTI_CHANNEL,
  'slack-minimal': SLACK_MINIMAL,
};

/**
 * The GuardDuty API calls the `<name>-api-activity` rule sends to the queue, as
 * the README's table of rules lists them (written out here, not read from the HCL).
 */
const API_CALLS_SENT = new Set([
  'ArchiveFindings',
  'UnarchiveFindings',
  'DeleteDetector',
  'UpdateDetector',
  'UpdateMemberDetectors',
  'UpdateMalwareScanSettings',
  'CreateFilter',
  'UpdateFilter',
  'CreateIPSet',
  'UpdateIPSet',
  'DeleteThreatIntelSet',
  'UpdateThreatIntelSet',
  'DeleteMembers',
  'DisassociateMembers',
  'StopMonitoringMembers',
  'DisassociateFromAdministratorAccount',
  'DisassociateFromMasterAccount',
  'DeletePublishingDestination',
  'UpdateOrganizationConfiguration',
  'DisableOrganizationAdminAccount',
  'DeleteMalwareProtectionPlan',
  'UpdateMalwareProtectionPlan',
]);

/**
 * Whether the deployed rules must let an event through: a GuardDuty finding at
 * or above the floor, or a GuardDuty API call the api-activity rule names.
 */
export function ruleMatches(e: BusEvent, floor: number): boolean {
  if (e.event.source !== 'aws.guardduty') return false;
  if (e.event['detail-type'] === 'AWS API Call via CloudTrail')
    return (
      e.event.detail.eventSource === 'guardduty.amazonaws.com' && API_CALLS_SENT.has(String(e.event.detail.eventName))
    );
  return e.event['detail-type'] === 'GuardDuty Finding' && typeof e.severity === 'number' && e.severity >= floor;
}

/** How the run recognises an event on the queue: a finding by id and update time, an API call by its CloudTrail event id. */
export function queueKey(event: { 'detail-type'?: string; detail?: Record<string, unknown> }): string {
  const d = event.detail ?? {};
  return event['detail-type'] === 'AWS API Call via CloudTrail'
    ? `api-call ${String(d.eventID)}`
    : `${String(d.id)}@${String(d.updatedAt)}`;
}

/** Random strings shaped like each vendor's credentials. */
export function randomToken(
  length: number,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
