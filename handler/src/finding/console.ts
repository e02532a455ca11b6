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
/** Longest finding id linked (GuardDuty's are 32 hex characters). */
const FINDING_ID_MAX = 256;

/** A console deep link, or why there is none (shown to the reader instead of the link). */
export type ConsoleLink = { url: string; unavailable: null } | { url: null; unavailable: string };

/**
 * Deep link to one finding in the GuardDuty console of its partition. The
 * finding id is percent-encoded, so an id with unusual characters still gets a
 * link that cannot leave the console's fragment; there is no link only when the
 * partition has no public console or the region is not an AWS region, and then
 * `unavailable` says which.
 *
 * @example consoleLink('aws', 'eu-west-1', '6eb2b1f0…').url
 */
export function consoleLink(partition: string, region: string, findingId: string): ConsoleLink {
  const host = Object.hasOwn(CONSOLE_HOST, partition) ? CONSOLE_HOST[partition] : undefined;
  if (!host) return { url: null, unavailable: 'no public GuardDuty console for this partition' };
  if (!REGION.test(region)) return { url: null, unavailable: 'the finding names no valid AWS region' };
  if (findingId.length === 0 || findingId.length > FINDING_ID_MAX)
    return { url: null, unavailable: 'the finding id is empty or too long to link' };
  return {
    url: `https://${host(region)}/guardduty/home?region=${region}#/findings?macros=current&fId=${encodeURIComponent(findingId)}`,
    unavailable: null,
  };
}

/** The link alone, or null (see {@link consoleLink} for the reason). */
export function guardDutyConsoleUrl(partition: string, region: string, findingId: string): string | null {
  return consoleLink(partition, region, findingId).url;
}

/** Link to the findings list of a region (digests), or null as above. */
export function guardDutyFindingsUrl(partition: string, region: string): string | null {
  const host = Object.hasOwn(CONSOLE_HOST, partition) ? CONSOLE_HOST[partition] : undefined;
  if (!host || !REGION.test(region)) return null;
  return `https://${host(region)}/guardduty/home?region=${region}#/findings?macros=current`;
}
