import type { Field } from '../finding/model.js';
import { cleanLine } from '../text/clean.js';
import { arr, bool, fieldList, MAX_SIGNAL_VALUE, someOf, str } from './common.js';

/*
 * The table of GuardDuty API calls that matter, and what each one means.
 *
 * "Disabling or deleting is CRITICAL, the rest HIGH" (issue 16), call by call:
 *
 * | call                                   | when it is reported                                   | band     |
 * |----------------------------------------|-------------------------------------------------------|----------|
 * | DeleteDetector                         | always                                                | CRITICAL |
 * | UpdateDetector                         | `enable: false`, a feature or additional configuration | CRITICAL |
 * |                                        | `DISABLED`, or a data source `enable: false`          |          |
 * | UpdateMemberDetectors                  | as UpdateDetector, for member accounts                | CRITICAL |
 * | DeleteThreatIntelSet                   | always (a deleted threat list stops its detections)   | CRITICAL |
 * | UpdateThreatIntelSet                   | `activate: false` (a disabled threat list)            | CRITICAL |
 * | DeleteMembers, DisassociateMembers,    | always (those accounts leave this administrator's     | CRITICAL |
 * | StopMonitoringMembers                  | view)                                                 |          |
 * | DisassociateFromAdministratorAccount   | always (this account leaves its administrator's view; | CRITICAL |
 * | (and the older …FromMasterAccount)     |                                                       |          |
 * | DeletePublishingDestination            | always (findings export stops)                        | CRITICAL |
 * | DisableOrganizationAdminAccount        | always (the organization loses its administrator)     | CRITICAL |
 * | DeleteMalwareProtectionPlan            | always (the bucket is no longer scanned)              | CRITICAL |
 * | CreateFilter                           | `action: ARCHIVE` (a suppression rule)                | HIGH     |
 * | UpdateFilter                           | `action: ARCHIVE`, or new criteria without an action  | HIGH     |
 * |                                        | (an existing suppression rule widened)                |          |
 * | CreateIPSet                            | `activate: true` (findings from those IPs stop)       | HIGH     |
 * | UpdateIPSet                            | `activate: true`, or a new `location` (list replaced) | HIGH     |
 * | UpdateOrganizationConfiguration        | auto-enable turned off: `autoEnable: false`,          | HIGH     |
 * |                                        | `autoEnableOrganizationMembers: NONE`, a feature or   |          |
 * |                                        | data source auto-enable `NONE`/`false`                |          |
 * | ArchiveFindings, UnarchiveFindings     | always, as lifecycle notes                            | LOW      |
 *
 * Everything else is ignored with its reason: reading calls (`Get*`, `List*`,
 * `Describe*`, or CloudTrail's `readOnly: true`), and the calls above when
 * they strengthen or do not change protection (an UpdateDetector that enables,
 * a CreateFilter with `action: NOOP`, an inactive IP set, …).
 */

export type CallVerdict =
  | { category: 'tamper'; band: 'CRITICAL' | 'HIGH'; done: string; attempt: string; fields: Field[] }
  | { category: 'lifecycle'; done: string; attempt: string; fields: Field[] }
  | { category: 'ignored'; reason: string };

type CallRule = (params: unknown, response: unknown) => CallVerdict;

const MAX_LIST = 10;
/** Longest summary of a suppression rule's criteria. */
export const MAX_CRITERIA_LENGTH = 1_000;

function critical(done: string, attempt: string, fields: Field[]): CallVerdict {
  return { category: 'tamper', band: 'CRITICAL', done, attempt, fields };
}

function high(done: string, attempt: string, fields: Field[]): CallVerdict {
  return { category: 'tamper', band: 'HIGH', done, attempt, fields };
}

function ignored(reason: string): CallVerdict {
  return { category: 'ignored', reason };
}

/** Strings of an array parameter, cleaned and bounded. */
function strings(params: unknown, path: string[], max = 256): string[] {
  return arr(params, path)
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map((v) => cleanLine(String(v), max));
}

/** A name for a title: short, one line. */
function nameOf(params: unknown, key: string): string {
  return str(params, [key], 80) ?? '(no name)';
}

/** What an UpdateDetector / UpdateMemberDetectors request turns off. */
export function disabledProtections(params: unknown): string[] {
  const off: string[] = [];
  for (const feature of arr(params, ['features'])) {
    const name = str(feature, ['name'], 64) ?? 'unnamed feature';
    if (str(feature, ['status'], 16) === 'DISABLED') off.push(name);
    for (const extra of arr(feature, ['additionalConfiguration'])) {
      if (str(extra, ['status'], 16) === 'DISABLED') off.push(`${name} / ${str(extra, ['name'], 64) ?? 'unnamed'}`);
    }
  }
  if (bool(params, ['dataSources', 's3Logs', 'enable']) === false) off.push('S3 logs (data source)');
  if (bool(params, ['dataSources', 'kubernetes', 'auditLogs', 'enable']) === false)
    off.push('EKS audit logs (data source)');
  if (bool(params, ['dataSources', 'malwareProtection', 'scanEc2InstanceWithFindings', 'ebsVolumes']) === false)
    off.push('EBS malware scans (data source)');
  return off;
}

/** What an UpdateOrganizationConfiguration request stops enabling automatically. */
export function autoEnableTurnedOff(params: unknown): string[] {
  const off: string[] = [];
  if (bool(params, ['autoEnable']) === false) off.push('new member accounts (autoEnable: false)');
  if (str(params, ['autoEnableOrganizationMembers'], 16) === 'NONE')
    off.push('member accounts (autoEnableOrganizationMembers: NONE)');
  for (const feature of arr(params, ['features'])) {
    const name = str(feature, ['name'], 64) ?? 'unnamed feature';
    if (str(feature, ['autoEnable'], 16) === 'NONE') off.push(name);
    for (const extra of arr(feature, ['additionalConfiguration'])) {
      if (str(extra, ['autoEnable'], 16) === 'NONE') off.push(`${name} / ${str(extra, ['name'], 64) ?? 'unnamed'}`);
    }
  }
  if (bool(params, ['dataSources', 's3Logs', 'autoEnable']) === false) off.push('S3 logs (data source)');
  if (bool(params, ['dataSources', 'kubernetes', 'auditLogs', 'autoEnable']) === false)
    off.push('EKS audit logs (data source)');
  if (
    bool(params, ['dataSources', 'malwareProtection', 'scanEc2InstanceWithFindings', 'ebsVolumes', 'autoEnable']) ===
    false
  )
    off.push('EBS malware scans (data source)');
  return off;
}

const CRITERION_OPERATORS: Array<[key: string, shown: string]> = [
  ['eq', '='],
  ['equals', '='],
  ['neq', '≠'],
  ['notEquals', '≠'],
  ['gt', '>'],
  ['greaterThan', '>'],
  ['gte', '≥'],
  ['greaterThanOrEqual', '≥'],
  ['lt', '<'],
  ['lessThan', '<'],
  ['lte', '≤'],
  ['lessThanOrEqual', '≤'],
];

/**
 * A suppression rule's `findingCriteria.criterion` as one bounded line:
 * "type = Recon:EC2/PortProbeUnprotectedPort; severity ≥ 4". At most ten
 * criteria and five values each are shown.
 */
export function criteriaSummary(params: unknown): string | null {
  const criterion = (params as { findingCriteria?: { criterion?: unknown } } | null)?.findingCriteria?.criterion;
  if (criterion === null || typeof criterion !== 'object') return null;
  const parts: string[] = [];
  const entries = Object.entries(criterion as Record<string, unknown>);
  for (const [field, condition] of entries.slice(0, MAX_LIST)) {
    const name = cleanLine(field, 128);
    for (const [key, shown] of CRITERION_OPERATORS) {
      const value = (condition as Record<string, unknown> | null)?.[key];
      if (value === undefined || value === null) continue;
      const values = Array.isArray(value)
        ? value.map((v) => cleanLine(String(v), 200))
        : [cleanLine(String(value), 200)];
      parts.push(`${name} ${shown} ${someOf(values, 5) ?? '(empty)'}`);
    }
  }
  if (entries.length > MAX_LIST) parts.push(`(+${entries.length - MAX_LIST} more criteria)`);
  return parts.length > 0 ? cleanLine(parts.join('; '), MAX_CRITERIA_LENGTH) : null;
}

function filterFields(params: unknown, nameKey: string): Field[] {
  return fieldList([
    ['Rule name', str(params, [nameKey], 256)],
    ['Rule description', str(params, ['description'], MAX_SIGNAL_VALUE)],
    ['Action', str(params, ['action'], 16)],
    ['Rank', str(params, ['rank'], 8)],
    ['Criteria', criteriaSummary(params)],
  ]);
}

function ipSetFields(params: unknown, response: unknown): Field[] {
  return fieldList([
    ['Trusted IP list', str(params, ['name'], 256)],
    ['IP set id', str(params, ['ipSetId'], 128) ?? str(response, ['ipSetId'], 128)],
    ['Format', str(params, ['format'], 32)],
    ['Location', str(params, ['location'], MAX_SIGNAL_VALUE)],
    ['Activate', str(params, ['activate'], 8)],
  ]);
}

function membersRule(done: string, attempt: string): CallRule {
  return (params) => {
    const accounts = strings(params, ['accountIds'], 32);
    const count = accounts.length === 1 ? '1 member account' : `${accounts.length} member accounts`;
    return critical(
      `${done}: ${count}`,
      `${attempt}: ${count}`,
      fieldList([['Member accounts', someOf(accounts, MAX_LIST)]]),
    );
  };
}

function findingIdsField(params: unknown): Field[] {
  const ids = strings(params, ['findingIds'], 128);
  return fieldList([['Findings', someOf(ids, MAX_LIST)]]);
}

function plural(n: number, one: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${one}s`;
}

const detectorDisabling =
  (scope: string): CallRule =>
  (params) => {
    const off = disabledProtections(params);
    const accounts = strings(params, ['accountIds'], 32);
    const members = fieldList([['Member accounts', someOf(accounts, MAX_LIST)]]);
    if (bool(params, ['enable']) === false)
      return critical(`${scope} disabled`, `attempt to disable ${scope}`, [
        ...members,
        ...fieldList([['Also disabled', someOf(off, MAX_LIST)]]),
      ]);
    if (off.length > 0)
      return critical(`${scope}: protection plans disabled`, `attempt to disable protection plans of ${scope}`, [
        ...members,
        ...fieldList([['Disabled', someOf(off, MAX_LIST)]]),
      ]);
    return ignored(`${scope} updated without disabling anything`);
  };

/** The calls worth reporting, by CloudTrail `eventName`. */
export const CALL_RULES: Readonly<Record<string, CallRule>> = {
  ArchiveFindings: (params) => {
    const n = strings(params, ['findingIds']).length;
    return {
      category: 'lifecycle',
      done: `${plural(n, 'finding')} archived`,
      attempt: `attempt to archive ${plural(n, 'finding')}`,
      fields: findingIdsField(params),
    };
  },
  UnarchiveFindings: (params) => {
    const n = strings(params, ['findingIds']).length;
    return {
      category: 'lifecycle',
      done: `${plural(n, 'finding')} unarchived`,
      attempt: `attempt to unarchive ${plural(n, 'finding')}`,
      fields: findingIdsField(params),
    };
  },
  DeleteDetector: () => critical('GuardDuty detector deleted', 'attempt to delete the GuardDuty detector', []),
  UpdateDetector: detectorDisabling('GuardDuty detector'),
  UpdateMemberDetectors: detectorDisabling('member detectors'),
  DeleteThreatIntelSet: (params) =>
    critical(
      'Threat list deleted',
      'attempt to delete a threat list',
      fieldList([['Threat list id', str(params, ['threatIntelSetId'], 128)]]),
    ),
  UpdateThreatIntelSet: (params) =>
    bool(params, ['activate']) === false
      ? critical(
          'Threat list deactivated',
          'attempt to deactivate a threat list',
          fieldList([
            ['Threat list id', str(params, ['threatIntelSetId'], 128)],
            ['Threat list', str(params, ['name'], 256)],
          ]),
        )
      : ignored('threat list updated without deactivating it'),
  DeleteMembers: membersRule('Members deleted', 'attempt to delete members'),
  DisassociateMembers: membersRule('Members disassociated', 'attempt to disassociate members'),
  StopMonitoringMembers: membersRule('Monitoring of members stopped', 'attempt to stop monitoring members'),
  DisassociateFromAdministratorAccount: () =>
    critical('Account left its GuardDuty administrator', 'attempt to leave the GuardDuty administrator', []),
  DisassociateFromMasterAccount: () =>
    critical('Account left its GuardDuty administrator', 'attempt to leave the GuardDuty administrator', []),
  DeletePublishingDestination: (params) =>
    critical(
      'Findings export destination deleted',
      'attempt to delete a findings export destination',
      fieldList([['Destination id', str(params, ['destinationId'], 128)]]),
    ),
  DisableOrganizationAdminAccount: (params) =>
    critical(
      'GuardDuty delegated administrator removed',
      'attempt to remove the GuardDuty delegated administrator',
      fieldList([['Administrator account', str(params, ['adminAccountId'], 32)]]),
    ),
  DeleteMalwareProtectionPlan: (params) =>
    critical(
      'Malware Protection plan deleted',
      'attempt to delete a Malware Protection plan',
      fieldList([['Plan id', str(params, ['malwareProtectionPlanId'], 128)]]),
    ),
  CreateFilter: (params) =>
    str(params, ['action'], 16) === 'ARCHIVE'
      ? high(
          `Suppression rule created: ${nameOf(params, 'name')}`,
          `attempt to create suppression rule ${nameOf(params, 'name')}`,
          filterFields(params, 'name'),
        )
      : ignored('a saved filter (action NOOP) hides no findings'),
  UpdateFilter: (params) => {
    const action = str(params, ['action'], 16);
    const name = nameOf(params, 'filterName');
    if (action === 'ARCHIVE')
      return high(
        `Suppression rule updated: ${name}`,
        `attempt to update suppression rule ${name}`,
        filterFields(params, 'filterName'),
      );
    if (action === null && criteriaSummary(params) !== null)
      return high(
        `Filter criteria changed (suppresses findings if it is a suppression rule): ${name}`,
        `attempt to change the criteria of filter ${name}`,
        filterFields(params, 'filterName'),
      );
    return ignored(
      action === null
        ? 'filter updated without new criteria'
        : `filter set to action ${action}, which hides no findings`,
    );
  },
  CreateIPSet: (params, response) =>
    bool(params, ['activate']) === true
      ? high(
          `Trusted IP list activated: ${nameOf(params, 'name')}`,
          `attempt to activate trusted IP list ${nameOf(params, 'name')}`,
          ipSetFields(params, response),
        )
      : ignored('an inactive trusted IP list has no effect'),
  UpdateIPSet: (params, response) => {
    const activate = bool(params, ['activate']);
    if (activate === true)
      return high('Trusted IP list activated', 'attempt to activate a trusted IP list', ipSetFields(params, response));
    if (activate === null && str(params, ['location']) !== null)
      return high('Trusted IP list replaced', 'attempt to replace a trusted IP list', ipSetFields(params, response));
    return ignored(activate === false ? 'trusted IP list deactivated (findings resume)' : 'trusted IP list renamed');
  },
  UpdateOrganizationConfiguration: (params) => {
    const off = autoEnableTurnedOff(params);
    return off.length > 0
      ? high(
          'Organization auto-enable turned off',
          'attempt to turn off organization auto-enable',
          fieldList([['No longer auto-enabled', someOf(off, MAX_LIST)]]),
        )
      : ignored('organization configuration updated without turning auto-enable off');
  },
};

const READ_ONLY_PREFIXES = ['Get', 'List', 'Describe'];

/**
 * What one GuardDuty API call means.
 *
 * @example classifyCall('DeleteDetector', false, { detectorId: '…' }, null).category // 'tamper'
 */
export function classifyCall(name: string, readOnly: boolean, params: unknown, response: unknown): CallVerdict {
  if (readOnly || READ_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix))) return ignored('read-only call');
  const rule = Object.hasOwn(CALL_RULES, name) ? CALL_RULES[name] : undefined;
  return rule ? rule(params, response) : ignored(`${cleanLine(name, 64)} is neither a lifecycle nor a tamper call`);
}
