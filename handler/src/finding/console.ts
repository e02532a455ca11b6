/*
 * Console deep links are built only from validated identifiers, so an
 * attacker-influenced field can never steer where a button points.
 */

const CONSOLE_HOST: Record<string, (region: string) => string> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
  'aws-cn': () => 'console.amazonaws.cn',
};

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const FINDING_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Deep link to one finding in the GuardDuty console of its partition, or null
 * when the partition has no public console or an identifier is not well formed.
 *
 * @example guardDutyConsoleUrl('aws', 'eu-west-1', '6eb2b1f0…')
 */
export function guardDutyConsoleUrl(partition: string, region: string, findingId: string): string | null {
  const host = CONSOLE_HOST[partition];
  if (!host || !REGION.test(region) || !FINDING_ID.test(findingId)) return null;
  return `https://${host(region)}/guardduty/home?region=${region}#/findings?macros=current&fId=${findingId}`;
}

/** Link to the findings list of a region (digests), or null as above. */
export function guardDutyFindingsUrl(partition: string, region: string): string | null {
  const host = CONSOLE_HOST[partition];
  if (!host || !REGION.test(region)) return null;
  return `https://${host(region)}/guardduty/home?region=${region}#/findings?macros=current`;
}
