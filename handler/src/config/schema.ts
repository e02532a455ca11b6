import { z } from 'zod';
import { SeverityBandSchema } from '../finding/severity.js';

/*
 * The channel configuration stored in the Secrets Manager secret. This schema is
 * the source of truth: types are inferred from it and `guardduty-notify schema`
 * exports it as JSON Schema.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An https URL; plain http only to loopback (local receivers, tests, sidecar proxies). */
const endpointUrl = z.url({ error: 'expected an absolute URL' }).refine(
  (value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  },
  { error: 'expected an https:// URL (http:// is accepted only for 127.0.0.1/localhost)' },
);

const AccountId = z.string().regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id' });
const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, { error: 'expected an AWS region such as us-east-1' });
/** Finding-type pattern: exact, prefix with `*` anywhere as a wildcard ("Recon:*", "*:EC2/*"). */
const TypePattern = z.string().min(1).max(256);

export const NotifyOnSchema = z
  .enum(['new', 'escalations', 'all'])
  .describe('Which occurrences notify: `new` only first sightings, `escalations` first sightings and updates whose severity rose, `all` every update.');

const Filter = z
  .strictObject({
    types: z.array(TypePattern).optional().describe('Finding types; `*` matches any run of characters (e.g. "Recon:*").'),
    accounts: z.array(AccountId).optional(),
    regions: z.array(Region).optional(),
  })
  .describe('Findings to match: a finding matches when every listed dimension matches.');

/** Routing rules shared by `defaults` and every channel (a channel's own value wins). */
const RoutingFields = {
  minSeverity: SeverityBandSchema.optional().describe('Lowest severity band that notifies.'),
  notifyOn: NotifyOnSchema.optional(),
  includeSamples: z.boolean().optional().describe('Whether GuardDuty sample findings notify.'),
  includeArchived: z.boolean().optional().describe('Whether updates of archived findings notify.'),
  include: Filter.optional(),
  exclude: Filter.optional(),
  digestThreshold: z
    .number()
    .int()
    .min(2)
    .max(10_000)
    .nullable()
    .optional()
    .describe('When more findings than this reach the channel in one batch, send one digest instead; null turns digests off.'),
};

const ChannelBase = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: 'expected 1-64 letters, digits, ".", "_" or "-"' })
    .describe('Unique channel name, used in logs, metrics and retries.'),
  enabled: z.boolean().default(true),
  minIntervalMs: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .optional()
    .describe('Least time between two messages to this channel (default: 1000 for Slack and Google Chat, whose webhooks allow about one per second; 0 otherwise).'),
  ...RoutingFields,
};

export const SlackChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('slack'),
  webhookUrl: endpointUrl.describe('Slack incoming-webhook URL.'),
  mention: z
    .string()
    .regex(/^<(!here|!channel|!subteam\^[A-Z0-9]+|@[A-Z0-9]+)>$/, { error: 'expected <!here>, <!channel>, <!subteam^ID> or <@USERID>' })
    .optional()
    .describe('Mention added to HIGH and CRITICAL messages (from config only, never from finding text).'),
});

export const GoogleChatChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('googleChat'),
  webhookUrl: endpointUrl.describe('Google Chat space webhook URL (with key and token).'),
  threadByFinding: z.boolean().default(true).describe('Reply to one thread per finding, so updates stay together.'),
});

export const EmailChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('email'),
  smtp: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(587),
    secure: z.boolean().default(false).describe('Implicit TLS from the first byte (port 465). Otherwise STARTTLS is used when offered.'),
    requireTls: z.boolean().default(true).describe('Refuse to send unless the connection is encrypted (STARTTLS or implicit TLS).'),
    user: z.string().optional(),
    pass: z.string().optional(),
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  }),
  from: z.string().min(3),
  to: z.array(z.email()).min(1),
  cc: z.array(z.email()).default([]),
  bcc: z.array(z.email()).default([]),
  subjectPrefix: z.string().max(40).default('GuardDuty'),
});

export const SnsChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('sns'),
  topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, {
    error: 'expected an SNS topic ARN',
  }),
});

export const TeamsChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('teams'),
  webhookUrl: endpointUrl.describe('Teams Workflows "When a Teams webhook request is received" URL.'),
});

export const PagerDutyChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('pagerduty'),
  routingKey: z.string().regex(/^[A-Za-z0-9]{32}$/, { error: 'expected a 32-character Events API v2 integration (routing) key' }),
  eventsUrl: endpointUrl.default('https://events.pagerduty.com/v2/enqueue').describe('Events API v2 endpoint (EU: https://events.eu.pagerduty.com/v2/enqueue).'),
  resolveOnArchive: z.boolean().default(true).describe('Resolve the incident when GuardDuty reports the finding archived.'),
});

export const WebhookChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('webhook'),
  url: endpointUrl,
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(4096)).default({}),
  hmacSecret: z.string().min(16).optional().describe('Signs the body: header `X-GuardDuty-Notify-Signature: sha256=<hex HMAC-SHA256>`.'),
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
    $schema: z.string().optional(),
    defaults: z.strictObject(RoutingFields).default({}),
    accountNames: z.record(AccountId, z.string().min(1).max(128)).default({}).describe('Account id → display name; others are looked up in AWS Organizations.'),
    lookupAccountNames: z.boolean().default(true).describe('Ask AWS Organizations for names missing from accountNames.'),
    delivery: z
      .strictObject({
        timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
        attempts: z.number().int().min(1).max(10).default(3).describe('Tries per delivery within one invocation before re-queueing.'),
        maxRetryAfterSeconds: z.number().int().min(0).max(900).default(10).describe('Longest Retry-After waited in-process; longer ones are re-queued with that delay.'),
      })
      .default({ timeoutMs: 5_000, attempts: 3, maxRetryAfterSeconds: 10 }),
    channels: z.array(ChannelSchema).min(1, { error: 'configure at least one channel' }),
  })
  .superRefine((config, ctx) => {
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
  });
export type Config = z.infer<typeof ConfigSchema>;
export type RoutingRules = z.infer<typeof ConfigSchema>['defaults'];
