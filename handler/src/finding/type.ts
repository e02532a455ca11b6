import type { NormalisedFinding } from './model.js';

/**
 * Splits a GuardDuty finding type, `ThreatPurpose:ResourceTypeAffected/ThreatFamilyName.DetectionMechanism!Artifact`,
 * into its parts. Types that do not follow the format keep the whole string as the family.
 *
 * @example parseFindingType('CryptoCurrency:EC2/BitcoinTool.B!DNS')
 * // { full, threatPurpose: 'CryptoCurrency', resourceType: 'EC2', family: 'BitcoinTool', variant: 'B', artifact: 'DNS' }
 */
export function parseFindingType(full: string): NormalisedFinding['type'] {
  const match = /^([^:/]+):([^/]+)\/(.+)$/.exec(full);
  if (!match) {
    return { full, threatPurpose: 'Unknown', resourceType: 'Unknown', family: full, variant: null, artifact: null };
  }
  const [, threatPurpose = '', resourceType = '', rest = ''] = match;
  const bang = rest.indexOf('!');
  const withoutArtifact = bang >= 0 ? rest.slice(0, bang) : rest;
  const artifact = bang >= 0 ? rest.slice(bang + 1) || null : null;
  const dot = withoutArtifact.indexOf('.');
  const family = dot >= 0 ? withoutArtifact.slice(0, dot) : withoutArtifact;
  const variant = dot >= 0 ? withoutArtifact.slice(dot + 1) || null : null;
  return { full, threatPurpose, resourceType, family, variant, artifact };
}
