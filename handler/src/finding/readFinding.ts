import { cleanLine } from '../text/clean.js';
import type { Finding } from './schema.js';

/*
 * Reads the top-level fields of a GuardDuty finding best-effort. Pure. Every
 * deviation from GuardDuty's documented shape becomes a short note
 * ("could not read: service.action (null)") instead of a refusal: the
 * finding is still delivered, with what could be read.
 */

type Json = unknown;
type Obj = Record<string, Json>;

/** Longest shown excerpt of an unreadable value (attacker text: short and cleaned). */
const NOTE_VALUE_MAX = 40;
/** At most this many notes per finding; the last says how many more there were. */
const MAX_NOTES = 10;

function isObject(value: Json): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, cleaned description of a value for a note: `null`, `"high"`, `an array`, `NaN`. */
export function describeValue(value: Json): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${cleanLine(value, NOTE_VALUE_MAX)}"`;
  return cleanLine(String(value), NOTE_VALUE_MAX);
}

/** A number, or a string that is one ("8.0", " 4 "); null otherwise. */
function numeric(value: Json): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Scalars shown as text; anything else is unreadable. */
function scalarText(value: Json): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Reads a finding (`detail` of a GuardDuty event, with `id` and `type` already
 * checked) into the typed shape the normaliser uses, with notes on what could not be read.
 *
 * @param eventTime the envelope's `time`, used when the finding has no timestamps.
 * @example readFinding({ id: 'f1', type: 'Recon:EC2/PortProbeUnprotectedPort', severity: '5' }, null)
 * // { finding: { severity: 5, … }, notes: ['could not read: accountId (missing)', …] }
 */
export function readFinding(
  detail: Obj & { id: string; type: string },
  eventTime: string | null,
): {
  finding: Finding;
  notes: string[];
} {
  const notes: string[] = [];
  const note = (path: string, value: Json, why?: string) =>
    notes.push(`could not read: ${path} (${describeValue(value)}${why ? `, ${why}` : ''})`);

  /** A text field: strings kept, numbers/booleans shown as text, anything else left out with a note. */
  const textAt = (path: string, value: Json, fallback: string): string => {
    if (value === undefined) return fallback;
    const t = scalarText(value);
    if (t === null) {
      note(path, value);
      return fallback;
    }
    return t;
  };

  const accountRaw = detail.accountId;
  const accountId = textAt('accountId', accountRaw, 'unknown');
  if (accountRaw === undefined) note('accountId', accountRaw);
  else if (scalarText(accountRaw) !== null && !ACCOUNT_ID.test(accountId))
    note('accountId', accountRaw, 'not a 12-digit account id');

  const regionRaw = detail.region;
  const region = textAt('region', regionRaw, 'unknown');
  if (regionRaw === undefined) note('region', regionRaw);
  else if (scalarText(regionRaw) !== null && !REGION.test(region)) note('region', regionRaw, 'not an AWS region');

  const severity = readSeverity(detail.severity, note);

  const resource = objectAt('resource', detail.resource, note);
  const resourceType = textAt('resource.resourceType', resource.resourceType, 'Unknown');
  const service = objectAt('service', detail.service, note);

  const out: Finding = {
    ...detail,
    accountId,
    region,
    partition: textAt('partition', detail.partition, 'aws'),
    id: detail.id,
    type: detail.type,
    severity,
    title: textAt('title', detail.title, ''),
    description: textAt('description', detail.description, ''),
    createdAt: textAt('createdAt', detail.createdAt, eventTime ?? ''),
    updatedAt: textAt('updatedAt', detail.updatedAt, eventTime ?? ''),
    resource: { ...resource, resourceType },
    service: readService(service, note),
  };
  if (detail.schemaVersion !== undefined) out.schemaVersion = textAt('schemaVersion', detail.schemaVersion, '');
  if (detail.arn !== undefined) {
    const arn = textAt('arn', detail.arn, '');
    if (arn) out.arn = arn;
    else delete out.arn;
  }
  if (notes.length > MAX_NOTES) {
    const more = notes.length - (MAX_NOTES - 1);
    notes.splice(MAX_NOTES - 1, notes.length, `… and ${more} more fields could not be read`);
  }
  return { finding: out, notes };
}

type Note = (path: string, value: Json, why?: string) => void;

/** An object where one is expected; anything else (null, an array, a string) noted and read as empty. */
function objectAt(path: string, value: Json, note: Note): Obj {
  if (isObject(value)) return value;
  if (value !== undefined) note(path, value);
  return {};
}

/**
 * GuardDuty's score, 0–10. A numeric string counts as its number; a score
 * outside 0–10 is clamped; an unreadable one reads as 0 (the lowest band), so
 * the finding is still delivered to channels whose floor is LOW.
 */
function readSeverity(value: Json, note: Note): number {
  const n = numeric(value);
  if (n === null) {
    note('severity', value);
    return 0;
  }
  if (n < 0 || n > 10) {
    note('severity', value, 'outside 0-10');
    return Math.min(10, Math.max(0, n));
  }
  return n;
}

function readService(service: Obj, note: Note): Finding['service'] {
  const out: Finding['service'] = { ...service };
  delete out.count;
  delete out.archived;
  delete out.eventFirstSeen;
  delete out.eventLastSeen;
  delete out.action;
  delete out.additionalInfo;

  if (service.count !== undefined) {
    const n = numeric(service.count);
    if (n === null || n < 0 || !Number.isInteger(n)) note('service.count', service.count);
    else out.count = n;
  }
  if (service.archived !== undefined) {
    const a = service.archived;
    if (typeof a === 'boolean') out.archived = a;
    else if (a === 'true' || a === 'false') out.archived = a === 'true';
    else note('service.archived', a);
  }
  for (const key of ['eventFirstSeen', 'eventLastSeen'] as const) {
    if (service[key] === undefined) continue;
    const t = scalarText(service[key]);
    if (t === null) note(`service.${key}`, service[key]);
    else out[key] = t;
  }
  if (service.action !== undefined) {
    if (!isObject(service.action)) note('service.action', service.action);
    else {
      const action: Obj = { ...service.action };
      if (action.actionType !== undefined && typeof action.actionType !== 'string') {
        note('service.action.actionType', action.actionType);
        delete action.actionType;
      }
      out.action = action as NonNullable<Finding['service']['action']>;
    }
  }
  if (service.additionalInfo !== undefined) {
    if (!isObject(service.additionalInfo)) note('service.additionalInfo', service.additionalInfo);
    else out.additionalInfo = service.additionalInfo;
  }
  return out;
}
