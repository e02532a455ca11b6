import * as z from 'zod/mini';
import { SeverityBandSchema } from '../finding/severity.js';

/*
 * Building blocks of the config schema shared by `config/schema.ts` and every
 * channel's own schema (in `channels/<type>.ts`). No channel imports here, so
 * channels can use them without an import cycle.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An https URL; plain http only to loopback (local receivers, tests, sidecar proxies). */
export const endpointUrl = z.url({ error: 'expected an absolute URL' }).check(
  z.refine(
    (value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    },
    { error: 'expected an https:// URL (http:// is accepted only for 127.0.0.1/localhost)' },
  ),
);

export const AccountId = z.string().check(z.regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id' }));
const Region = z
  .string()
  .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, { error: 'expected an AWS region such as us-east-1' }));
/** Finding-type pattern: exact, prefix with `*` anywhere as a wildcard ("Recon:*", "*:EC2/*"). */
const TypePattern = z.string().check(z.minLength(1)).check(z.maxLength(256));

export const NotifyOnSchema = z
  .enum(['new', 'escalations', 'all'])
  .check(
    z.describe(
      'Which occurrences notify: `new` only first sightings, `escalations` first sightings and updates whose severity rose, `all` every update.',
    ),
  );

const Filter = z
  .strictObject({
    types: z
      .optional(z.array(TypePattern))
      .check(z.describe('Finding types; `*` matches any run of characters (e.g. "Recon:*").')),
    accounts: z.optional(z.array(AccountId)),
    regions: z.optional(z.array(Region)),
    kinds: z
      .optional(z.array(z.enum(['finding', 'scan', 'coverage', 'activity'])).check(z.minLength(1)))
      .check(
        z.describe(
          'GuardDuty signal kinds: finding, scan (Malware Protection for S3 results), coverage (runtime agent and malware plan health), activity (GuardDuty API calls: tamper alerts, archive sync).',
        ),
      ),
    tags: z
      .optional(
        z.record(
          z.string().check(z.minLength(1), z.maxLength(128)),
          z.union([
            z.string().check(z.maxLength(256)),
            z.array(z.string().check(z.maxLength(256))).check(z.minLength(1)),
          ]),
        ),
      )
      .check(
        z.describe(
          'Resource tags (instance, S3 bucket, EKS/ECS cluster, RDS, Lambda): every listed key must be on the finding with one of its values, matched exactly; a list means any of them; "*" means any value. Findings without tags (e.g. access keys) do not match.',
        ),
      ),
  })
  .check(z.describe('Findings to match: a finding matches when every listed dimension matches.'));

/** Routing rules shared by `defaults` and every channel (a channel's own value wins). */
export const RoutingFields = {
  minSeverity: z.optional(SeverityBandSchema).check(z.describe('Lowest severity band that notifies.')),
  notifyOn: z.optional(NotifyOnSchema),
  includeSamples: z.optional(z.boolean()).check(z.describe('Whether GuardDuty sample findings notify.')),
  includeArchived: z.optional(z.boolean()).check(z.describe('Whether updates of archived findings notify.')),
  includeQuiet: z
    .optional(z.boolean())
    .check(z.describe('Also notify quiet signals: clean S3 scan results (NO_THREATS_FOUND).')),
  include: z.optional(Filter),
  exclude: z.optional(Filter),
  digestThreshold: z
    .optional(z.nullable(z.int().check(z.gte(2)).check(z.lte(10_000))))
    .check(
      z.describe(
        'When more findings than this reach the channel in one batch, send one digest instead; null turns digests off.',
      ),
    ),
};

export const ChannelBase = {
  name: z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: 'expected 1-64 letters, digits, ".", "_" or "-"' }))
    .check(z.describe('Unique channel name, used in logs, metrics and retries.')),
  enabled: z._default(z.boolean(), true),
  minIntervalMs: z
    .optional(z.int().check(z.gte(0)).check(z.lte(60_000)))
    .check(
      z.describe(
        'Least time between two messages to this channel (default: 1000 for Slack and Google Chat, whose webhooks allow about one per second; 0 otherwise).',
      ),
    ),
  ...RoutingFields,
};
