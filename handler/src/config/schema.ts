import * as z from 'zod/mini';
import { RESERVED_HEADERS, RESERVED_HEADER_PREFIX, isReservedHeader } from '../channels/webhookHeaders.js';
import { SeverityBandSchema } from '../finding/severity.js';
import { SlackAppSchema } from '../interact/config.js';

/*
 * The channel configuration stored in the Secrets Manager secret. This schema is
 * the source of truth: types are inferred from it and `guardduty-notify schema`
 * exports it as JSON Schema.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An https URL; plain http only to loopback (local receivers, tests, sidecar proxies). */
const endpointUrl = z.url({ error: 'expected an absolute URL' }).check(
  z.refine(
    (value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    },
    { error: 'expected an https:// URL (http:// is accepted only for 127.0.0.1/localhost)' },
  ),
);

const AccountId = z.string().check(z.regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id' }));
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
const RoutingFields = {
  minSeverity: z.optional(SeverityBandSchema).check(z.describe('Lowest severity band that notifies.')),
  notifyOn: z.optional(NotifyOnSchema),
  includeSamples: z.optional(z.boolean()).check(z.describe('Whether GuardDuty sample findings notify.')),
  includeArchived: z.optional(z.boolean()).check(z.describe('Whether updates of archived findings notify.')),
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

const ChannelBase = {
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

export const SlackChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('slack'),
  webhookUrl: endpointUrl.check(z.describe('Slack incoming-webhook URL.')),
  mention: z
    .optional(
      z.string().check(
        z.regex(/^<(!here|!channel|!subteam\^[A-Z0-9]+|@[A-Z0-9]+)>$/, {
          error: 'expected <!here>, <!channel>, <!subteam^ID> or <@USERID>',
        }),
      ),
    )
    .check(z.describe('Mention added to HIGH and CRITICAL messages (from config only, never from finding text).')),
});

export const GoogleChatChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('googleChat'),
  webhookUrl: endpointUrl.check(z.describe('Google Chat space webhook URL (with key and token).')),
  threadByFinding: z
    ._default(z.boolean(), true)
    .check(z.describe('Reply to one thread per finding, so updates stay together.')),
});

export const EmailChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('email'),
  smtp: z.strictObject({
    host: z.string().check(z.minLength(1)),
    port: z._default(z.int().check(z.gte(1)).check(z.lte(65_535)), 587),
    secure: z
      ._default(z.boolean(), false)
      .check(z.describe('Implicit TLS from the first byte (port 465). Otherwise STARTTLS is used when offered.')),
    requireTls: z
      ._default(z.boolean(), true)
      .check(z.describe('Refuse to send unless the connection is encrypted (STARTTLS or implicit TLS).')),
    user: z.optional(z.string()),
    pass: z.optional(z.string()),
    timeoutMs: z._default(z.int().check(z.gte(100)).check(z.lte(60_000)), 10_000),
  }),
  from: z.string().check(z.minLength(3)),
  to: z.array(z.email()).check(z.minLength(1)),
  cc: z._default(z.array(z.email()), []),
  bcc: z._default(z.array(z.email()), []),
  subjectPrefix: z._default(z.string().check(z.maxLength(40)), 'GuardDuty'),
});

export const SnsChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('sns'),
  topicArn: z.string().check(
    z.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, {
      error: 'expected an SNS topic ARN',
    }),
  ),
});

export const TeamsChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('teams'),
  webhookUrl: endpointUrl.check(z.describe('Teams Workflows "When a Teams webhook request is received" URL.')),
});

export const PagerDutyChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('pagerduty'),
  routingKey: z
    .string()
    .check(z.regex(/^[A-Za-z0-9]{32}$/, { error: 'expected a 32-character Events API v2 integration (routing) key' })),
  eventsUrl: z
    ._default(endpointUrl, 'https://events.pagerduty.com/v2/enqueue')
    .check(z.describe('Events API v2 endpoint (EU: https://events.eu.pagerduty.com/v2/enqueue).')),
  resolveOnArchive: z
    ._default(z.boolean(), true)
    .check(z.describe('Resolve the incident when GuardDuty reports the finding archived.')),
});

/** Static request headers; names the channel sets itself are refused, each named in the error. */
const WebhookHeaders = z
  .record(
    z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/)),
    z
      .string()
      .check(z.maxLength(4096))
      .check(
        z.regex(/^[\t\x20-\x7E]*$/, {
          error: 'header values are printable ASCII on one line (no CR/LF or control characters)',
        }),
      ),
  )
  .check(
    z.superRefine((headers, ctx) => {
      for (const name of Object.keys(headers).filter(isReservedHeader)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `"${name}" is a reserved header name (guardduty-notify sets it itself); remove it from headers`,
        });
      }
    }),
  )
  .check(
    z.describe(
      `Static request headers (e.g. Authorization). Reserved, any case: ${[...RESERVED_HEADERS].join(', ')}, ${RESERVED_HEADER_PREFIX}*.`,
    ),
  );

export const WebhookChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('webhook'),
  url: endpointUrl,
  headers: z._default(WebhookHeaders, {}),
  hmacSecret: z
    .optional(z.string().check(z.minLength(16)))
    .check(z.describe('Signs the body: header `X-GuardDuty-Notify-Signature: sha256=<hex HMAC-SHA256>`.')),
});

export const ChannelSchema = z.discriminatedUnion('type', [
  SlackChannelSchema,
  GoogleChatChannelSchema,
  EmailChannelSchema,
  SnsChannelSchema,
  TeamsChannelSchema,
  PagerDutyChannelSchema,
  WebhookChannelSchema,
]);
export type Channel = z.infer<typeof ChannelSchema>;
export type ChannelType = Channel['type'];
export type ChannelOf<T extends ChannelType> = Extract<Channel, { type: T }>;

export const ConfigSchema = z
  .strictObject({
    $schema: z.optional(z.string()),
    defaults: z._default(z.strictObject(RoutingFields), {}),
    accountNames: z
      ._default(z.record(AccountId, z.string().check(z.minLength(1)).check(z.maxLength(128))), {})
      .check(z.describe('Account id → display name; others are looked up in AWS Organizations.')),
    lookupAccountNames: z
      ._default(z.boolean(), true)
      .check(z.describe('Ask AWS Organizations for names missing from accountNames.')),
    delivery: z._default(
      z.strictObject({
        timeoutMs: z._default(z.int().check(z.gte(100)).check(z.lte(30_000)), 5_000),
        attempts: z
          ._default(z.int().check(z.gte(1)).check(z.lte(10)), 3)
          .check(z.describe('Tries per delivery within one invocation before re-queueing.')),
        maxRetryAfterSeconds: z
          ._default(z.int().check(z.gte(0)).check(z.lte(900)), 10)
          .check(z.describe('Longest Retry-After waited in-process; longer ones are re-queued with that delay.')),
      }),
      { timeoutMs: 5_000, attempts: 3, maxRetryAfterSeconds: 10 },
    ),
    channels: z.array(ChannelSchema).check(z.minLength(1, { error: 'configure at least one channel' })),
    slackApp: z
      .optional(SlackAppSchema)
      .check(
        z.describe(
          'The Slack app behind the interaction endpoint (buttons): signing secret, workspace, who may do what.',
        ),
      ),
  })
  .check(
    z.superRefine((config, ctx) => {
      const seen = new Map<string, number>();
      config.channels.forEach((channel, index) => {
        const first = seen.get(channel.name);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['channels', index, 'name'],
            message: `duplicate channel name "${channel.name}" (also channels[${first}]); names must be unique`,
          });
        } else seen.set(channel.name, index);
      });
    }),
  );
export type Config = z.infer<typeof ConfigSchema>;
export type RoutingRules = z.infer<typeof ConfigSchema>['defaults'];
