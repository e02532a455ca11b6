import { cleanLine } from '../text/clean.js';
import type { Finding } from './schema.js';
import { at, list, text, type Json } from './read.js';

/*
 * The owner tags a finding carries, wherever GuardDuty puts them, for display
 * and routing by owner ("team": "payments"). GuardDuty gives tags as
 * `[{key, value}]` lists on the resources it describes; it does not give the
 * tags of an access key's IAM user, so access-key findings have none.
 */

export interface Tag {
  key: string;
  value: string;
}

/** Longest tag key and value kept (AWS's limits: 128 and 256 characters). */
const KEY_MAX = 128;
const VALUE_MAX = 256;
/** At most this many tags per finding (a hostile finding may carry thousands). */
const MAX_TAGS = 100;

function tagLists(resource: Json): Json[][] {
  return [
    list(resource, 'instanceDetails', 'tags'),
    ...list(resource, 's3BucketDetails').map((b) => list(b, 'tags')),
    list(resource, 'eksClusterDetails', 'tags'),
    list(resource, 'ecsClusterDetails', 'tags'),
    list(resource, 'ecsClusterDetails', 'taskDetails', 'tags'),
    list(resource, 'rdsDbInstanceDetails', 'tags'),
    list(resource, 'rdsLimitlessDbDetails', 'tags'),
    list(resource, 'lambdaDetails', 'tags'),
    ...list(at(resource, 'ebsVolumeDetails'), 'scannedVolumeDetails').map((v) => list(v, 'tags')),
  ];
}

/** Every resource tag of the finding, cleaned, distinct (key and value), in the order found. */
export function resourceTags(finding: Finding): Tag[] {
  const seen = new Set<string>();
  const out: Tag[] = [];
  for (const tags of tagLists(finding.resource)) {
    for (const t of tags) {
      const key = text(t, 'key') ?? text(t, 'Key');
      if (!key) continue;
      const tag = {
        key: cleanLine(key, KEY_MAX),
        value: cleanLine(text(t, 'value') ?? text(t, 'Value') ?? '', VALUE_MAX),
      };
      const id = JSON.stringify([tag.key, tag.value]);
      if (seen.has(id) || out.length >= MAX_TAGS) continue;
      seen.add(id);
      out.push(tag);
    }
  }
  return out;
}
