import type { Field, NormalisedFinding, ViewKind } from '../finding/model.js';
import { parseFindingType } from '../finding/type.js';
import type { ActivitySignal, CoverageSignal, ScanSignal, Signal } from './model.js';
import { KIND_LABEL } from './text.js';

/*
 * Every signal as the one view model channels render: a finding is its own
 * view; a scan result, a coverage change and an API call become views of the
 * same shape (kind, title, severity, account, region, the "resource" they are
 * about, their facts, a console link), so every renderer, digest, route and
 * metric handles every kind without special cases. An archive or unarchive of
 * N findings is N views, one per finding id (PagerDuty resolves each incident).
 * A call that is never reported (Get*, List*) has no view.
 */

/** AWS documentation for each non-finding kind: a fixed next step (never built from event text). */
const NEXT_STEPS: Record<Exclude<ViewKind, 'finding'>, NormalisedFinding['nextSteps']> = {
  activity: [
    {
      label: 'GuardDuty API calls in CloudTrail',
      url: 'https://docs.aws.amazon.com/guardduty/latest/ug/logging-using-cloudtrail.html',
    },
    {
      label: 'Suppression rules',
      url: 'https://docs.aws.amazon.com/guardduty/latest/ug/findings_suppression-rule.html',
    },
  ],
  scan: [
    {
      label: 'Malware Protection for S3',
      url: 'https://docs.aws.amazon.com/guardduty/latest/ug/gdu-malware-protection-s3.html',
    },
  ],
  coverage: [
    {
      label: 'Runtime coverage and troubleshooting',
      url: 'https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring-assessing-coverage.html',
    },
  ],
};

const NO_ACTOR: NormalisedFinding['actor'] = {
  ip: null,
  country: null,
  city: null,
  org: null,
  asn: null,
  caller: null,
  userAgent: null,
  domain: null,
};

/** What a non-finding signal is about, as a resource label and id. */
function subjectOf(signal: ScanSignal | CoverageSignal | ActivitySignal): { label: string; id: string | null } {
  switch (signal.kind) {
    case 'scan':
      return {
        label: 'S3 object',
        id: signal.scan.bucket ? `s3://${signal.scan.bucket}/${signal.scan.key ?? ''}` : signal.scan.key,
      };
    case 'coverage':
      return { label: 'Coverage', id: signal.coverage.resource };
    case 'activity':
      return { label: 'GuardDuty detector', id: signal.activity.detectorId };
    default: {
      const unknown: never = signal;
      return unknown;
    }
  }
}

/** The type line of a non-finding view, in GuardDuty's Purpose:Resource/Family shape. */
function typeOf(signal: ScanSignal | CoverageSignal | ActivitySignal): string {
  switch (signal.kind) {
    case 'scan':
      return `MalwareProtection:S3Object/${signal.scan.result}`;
    case 'coverage':
      return `Coverage:${signal.coverage.subject}/${signal.coverage.state}`;
    case 'activity':
      return `GuardDutyAPI:${signal.activity.category}/${signal.activity.callName}`;
    default: {
      const unknown: never = signal;
      return unknown;
    }
  }
}

function baseView(
  signal: Signal,
  kind: Exclude<ViewKind, 'finding'>,
  subject: { label: string; id: string | null },
  type: string,
  fields: Field[],
): NormalisedFinding {
  return {
    id: signal.id,
    arn: null,
    eventId: signal.id,
    title: signal.title,
    description: '',
    type: parseFindingType(type),
    severity: { score: signal.severity.score, raw: signal.severity.score, band: signal.severity.band },
    account: signal.account,
    region: signal.region,
    partition: signal.partition,
    resource: { type: KIND_LABEL[kind], kind: 'other', label: subject.label, id: subject.id, fields, tags: [] },
    target: subject,
    facets: [],
    nextSteps: NEXT_STEPS[kind],
    action: { type: null, label: KIND_LABEL[kind], fields: [] },
    actor: NO_ACTOR,
    occurrences: { count: 1, firstSeen: signal.time || null, lastSeen: signal.time || null },
    createdAt: signal.time,
    updatedAt: signal.time,
    isUpdate: false,
    isSample: false,
    archived: false,
    consoleUrl: signal.consoleUrl,
    consoleUrlUnavailable: signal.consoleUrl ? null : 'no console page for this event',
    readNotes: [],
    kind,
    topic: signal.topic,
    delivery: signal.delivery === 'quiet' ? 'quiet' : 'notify',
    lifecycle: null,
    resolves: false,
  };
}

/**
 * The views a signal produces, in order; none for a signal that is never
 * reported (`delivery: "ignore"`).
 *
 * @example viewsOf(parsed.signal).map((view) => descriptor.render(view, channel))
 */
export function viewsOf(signal: Signal): NormalisedFinding[] {
  if (signal.delivery === 'ignore') return [];
  switch (signal.kind) {
    case 'finding':
      return [signal.finding];
    case 'scan':
    case 'coverage': {
      const view = baseView(signal, signal.kind, subjectOf(signal), typeOf(signal), signal.fields);
      if (signal.kind === 'coverage' && signal.coverage.incidentKey) {
        // Lost and restored share an id, so a restored note resolves the lost alert's incident.
        view.id = signal.coverage.incidentKey;
        view.resolves = signal.coverage.state === 'restored';
      }
      return [view];
    }
    case 'activity': {
      const base = baseView(signal, 'activity', subjectOf(signal), typeOf(signal), signal.fields);
      const { principal, sourceIp, userAgent } = signal.activity;
      base.actor = { ...NO_ACTOR, ip: sourceIp, caller: principal.display, userAgent };
      if (signal.activity.category !== 'lifecycle' || signal.activity.refused) return [base];
      const action = signal.activity.callName === 'UnarchiveFindings' ? 'unarchived' : 'archived';
      // One view per finding: its id is the finding's, so PagerDuty's dedup_key and the state's records line up.
      return signal.activity.findingIds.map((findingId) => ({
        ...base,
        id: findingId,
        target: { label: 'GuardDuty finding', id: findingId },
        resource: { ...base.resource, label: 'GuardDuty finding', id: findingId },
        lifecycle: { action, by: principal.display, at: signal.time },
        archived: action === 'archived',
        resolves: action === 'archived',
      }));
    }
    case 'other':
      return [
        {
          ...baseView(
            signal,
            'activity',
            { label: signal.other.detailType, id: null },
            'GuardDuty:Event/Other',
            signal.fields,
          ),
          kind: 'finding',
          readNotes: signal.other.note ? [signal.other.note] : [],
        },
      ];
    default: {
      const unknown: never = signal;
      return unknown;
    }
  }
}
