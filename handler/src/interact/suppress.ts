import { at, text } from '../finding/read.js';

/*
 * "Suppress similar…" never creates a rule: creating archive rules is an
 * attacker technique (the tamper alerts report it). It proposes one for review:
 * an `aws_guardduty_filter` block and the equivalent CLI command, for the
 * finding's type and resource, shown only to the user who asked.
 */

/** GuardDuty filter criteria fields naming the resource of each resource type. */
const RESOURCE_CRITERIA: ReadonlyArray<{ field: string; path: readonly string[] }> = [
  { field: 'resource.instanceDetails.instanceId', path: ['instanceDetails', 'instanceId'] },
  { field: 'resource.accessKeyDetails.accessKeyId', path: ['accessKeyDetails', 'accessKeyId'] },
  { field: 'resource.eksClusterDetails.name', path: ['eksClusterDetails', 'name'] },
  { field: 'resource.ecsClusterDetails.name', path: ['ecsClusterDetails', 'name'] },
  {
    field: 'resource.rdsDbInstanceDetails.dbInstanceIdentifier',
    path: ['rdsDbInstanceDetails', 'dbInstanceIdentifier'],
  },
  { field: 'resource.lambdaDetails.functionName', path: ['lambdaDetails', 'functionName'] },
];

export interface Criterion {
  field: string;
  equals: string[];
}

export interface SuppressionProposal {
  name: string;
  criteria: Criterion[];
  terraform: string;
  cli: string;
}

/** Values placed in the proposal: printable ASCII only, bounded; anything else is refused so no text can break out. */
const SAFE_VALUE = /^[A-Za-z0-9 _.:/@+=,!-]{1,256}$/;

function resourceCriterion(resource: unknown): Criterion | null {
  for (const { field, path } of RESOURCE_CRITERIA) {
    const value = text(at(resource, path[0] as string), path[1] as string);
    if (value && SAFE_VALUE.test(value)) return { field, equals: [value] };
  }
  const bucket = at(resource, 's3BucketDetails');
  const first = Array.isArray(bucket) ? bucket[0] : undefined;
  const name = text(first, 'name');
  return name && SAFE_VALUE.test(name) ? { field: 'resource.s3BucketDetails.name', equals: [name] } : null;
}

/** A filter name GuardDuty accepts (3–64 of letters, digits, "-", "_", "."), derived from the type. */
function filterName(type: string): string {
  const slug = type
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `suppress-${slug}`.slice(0, 64);
}

/** HCL string literal: JSON escaping plus template sequences neutralised. */
function hcl(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/**
 * Proposes an archive rule for findings like this one (same type, same
 * resource, same account), or null when the finding's type cannot be placed
 * in a rule safely.
 */
export function proposeSuppression(finding: unknown, detectorId: string): SuppressionProposal | null {
  const type = text(finding, 'type');
  const accountId = text(finding, 'accountId');
  if (!type || !SAFE_VALUE.test(type) || !/^[a-f0-9]{32}$/.test(detectorId)) return null;
  const criteria: Criterion[] = [{ field: 'type', equals: [type] }];
  if (accountId && /^\d{12}$/.test(accountId)) criteria.push({ field: 'accountId', equals: [accountId] });
  const resource = resourceCriterion(at(finding, 'resource'));
  if (resource) criteria.push(resource);
  const name = filterName(type);
  const terraform = [
    `resource "aws_guardduty_filter" ${hcl(name.replace(/[^a-z0-9_]/g, '_'))} {`,
    `  detector_id = ${hcl(detectorId)}`,
    `  name        = ${hcl(name)}`,
    '  action      = "ARCHIVE"',
    '  rank        = 1',
    '',
    '  finding_criteria {',
    ...criteria.flatMap((c) => [
      '    criterion {',
      `      field  = ${hcl(c.field)}`,
      `      equals = [${c.equals.map(hcl).join(', ')}]`,
      '    }',
    ]),
    '  }',
    '}',
  ].join('\n');
  const criterionJson = JSON.stringify({
    Criterion: Object.fromEntries(criteria.map((c) => [c.field, { Eq: c.equals }])),
  });
  const cli = [
    'aws guardduty create-filter',
    `--detector-id ${detectorId}`,
    `--name ${name}`,
    '--action ARCHIVE --rank 1',
    // Values are SAFE_VALUE-checked: no single quote can occur inside.
    `--finding-criteria '${criterionJson}'`,
  ].join(' \\\n  ');
  return { name, criteria, terraform, cli };
}
