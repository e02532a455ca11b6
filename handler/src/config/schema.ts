import * as z from 'zod/mini';
import { CHANNEL_SCHEMAS } from '../channels/settings/index.js';
import { SlackAppSchema } from '../interact/config.js';
import { AccountId, RoutingFields } from './fields.js';

/*
 * The channel configuration stored in the Secrets Manager secret. This schema is
 * the source of truth: types are inferred from it and `guardduty-notify schema`
 * exports it as JSON Schema. Each channel type's own fields live in its
 * descriptor (`channels/<type>.ts`); the union is derived from the descriptor list.
 */

export const ChannelSchema = z.discriminatedUnion('type', CHANNEL_SCHEMAS);
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
    expectedPrincipals: z
      ._default(z.array(z.string().check(z.minLength(1), z.maxLength(2048))).check(z.maxLength(100)), [])
      .check(
        z.describe(
          'ARN patterns (`*` matches any run of characters) of principals whose changes to GuardDuty are expected (the IaC pipeline role, AWS Security Incident Response): their tamper calls become LOW notes instead of alerts. Matched against the role ARN and the caller ARN, whole string.',
        ),
      ),
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
    reports: z
      .optional(
        z.strictObject({
          channels: z
            .array(z.string().check(z.minLength(1)))
            .check(z.minLength(1, { error: 'name at least one channel to receive the report' }))
            .check(
              z.describe('Names of configured channels that receive the report (PagerDuty channels are skipped).'),
            ),
          periodDays: z
            ._default(z.int().check(z.gte(1), z.lte(90)), 7)
            .check(z.describe('Days the report covers (and the period before, for trends); GuardDuty keeps 90.')),
        }),
      )
      .check(
        z.describe(
          "The scheduled report (a heartbeat: sent even with no findings). The module's schedule invokes the function; these channels receive it.",
        ),
      ),
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
      config.reports?.channels.forEach((name, index) => {
        if (!seen.has(name))
          ctx.addIssue({
            code: 'custom',
            path: ['reports', 'channels', index],
            message: `"${name}" is not a configured channel name; use one of ${[...seen.keys()].join(', ')}`,
          });
      });
    }),
  );
export type Config = z.infer<typeof ConfigSchema>;
export type RoutingRules = z.infer<typeof ConfigSchema>['defaults'];
