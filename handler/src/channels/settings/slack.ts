import * as z from 'zod/mini';
import { ChannelBase, endpointUrl } from '../../config/fields.js';
import { type ChannelSettings, defineSettings } from '../types.js';
import type { SlackOutgoing } from '../slackApp.js';

/*
 * A Slack channel is an incoming webhook, or a Slack app (`slackApp.ts`): a
 * bot token and a channel id, which can thread and edit messages.
 */

const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]{2,20}$/;

/** The Slack app fields of a Slack channel config (spread into its schema). */
export const SlackAppChannelFields = {
  botToken: z.optional(
    z
      .string()
      .check(z.regex(/^xoxb-[A-Za-z0-9-]{10,}$/, { error: 'expected a bot token (xoxb-…)' }))
      .check(
        z.describe('Slack app bot token (scopes chat:write, usergroups:read); with channelId, instead of webhookUrl.'),
      ),
  ),
  channelId: z.optional(
    z
      .string()
      .check(z.regex(SLACK_CHANNEL_ID, { error: 'expected a Slack channel id (C…/G…)' }))
      .check(z.describe('Channel the bot posts to (invite the bot to it).')),
  ),
  apiBaseUrl: z.optional(
    z
      .string()
      .check(
        z.regex(/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)[:/]).*\/$/, {
          error: 'expected a base URL ending in /',
        }),
      )
      .check(z.describe('Slack Web API base URL (default https://slack.com/api/; a loopback stand-in in tests).')),
  ),
};

interface SlackModeFields {
  webhookUrl?: string | undefined;
  botToken?: string | undefined;
  channelId?: string | undefined;
}

/** The field to fix when a Slack channel is neither a webhook nor an app, or both, and why; null when it is one. */
export function slackModeProblem(c: SlackModeFields): { path: string; message: string } | null {
  const app = c.botToken !== undefined || c.channelId !== undefined;
  if (c.webhookUrl !== undefined && app)
    return { path: 'botToken', message: 'set webhookUrl, or botToken and channelId (a Slack app), not both' };
  if (c.webhookUrl === undefined && !app)
    return { path: 'webhookUrl', message: 'required: a Slack incoming-webhook URL (or botToken and channelId)' };
  if (c.webhookUrl === undefined && c.channelId === undefined)
    return { path: 'channelId', message: 'required with botToken: the channel the bot posts to' };
  if (c.webhookUrl === undefined && c.botToken === undefined)
    return { path: 'botToken', message: 'required with channelId: the Slack app bot token (xoxb-…)' };
  return null;
}

/** A Slack channel is a webhook (webhookUrl) or an app (botToken + channelId), never both or neither. */
export const slackModeCheck = z.superRefine<SlackModeFields>((c, ctx) => {
  const problem = slackModeProblem(c);
  if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
});

const SlackChannelFields = z.strictObject({
  ...ChannelBase,
  type: z.literal('slack'),
  webhookUrl: z.optional(endpointUrl.check(z.describe('Slack incoming-webhook URL (or botToken + channelId).'))),
  ...SlackAppChannelFields,
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
/** A Slack channel: a webhook, or a Slack app (see slackApp.ts). */
export const SlackChannelSchema = SlackChannelFields.check(slackModeCheck);
export type SlackChannel = z.infer<typeof SlackChannelSchema>;

export const slackSettings: ChannelSettings<typeof SlackChannelSchema, SlackOutgoing> = defineSettings({
  label: 'Slack',
  schema: SlackChannelSchema,
  secrets: (channel) => [channel.webhookUrl, channel.botToken].filter((s): s is string => s !== undefined),
  // Incoming webhooks allow about one message per second.
  defaults: { minIntervalMs: 1_000, digestThreshold: 10 },
  sample: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/PREVIEW' },
  type: 'slack',
  load: async () => (await import('../slack.js')).slackChannel,
});
