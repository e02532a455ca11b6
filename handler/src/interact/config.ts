import * as z from 'zod/mini';
import { SeverityBandSchema } from '../finding/severity.js';

/*
 * The `slackApp` section of the config secret: what the interaction endpoint
 * needs to authenticate Slack's requests and to decide who may do what.
 * Secrets (signing secret, bot token) live only in the config secret.
 */

export const INTERACTION_ACTIONS = ['acknowledge', 'archive', 'feedback', 'suppress'] as const;
export const InteractionActionSchema = z.enum(INTERACTION_ACTIONS);
export type InteractionAction = z.infer<typeof InteractionActionSchema>;

const SlackUserId = z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/, { error: 'expected a Slack user id (U…/W…)' }));
const SlackUserGroupId = z
  .string()
  .check(z.regex(/^S[A-Z0-9]{2,20}$/, { error: 'expected a Slack user group id (S…)' }));

const AllowList = z.strictObject({
  users: z._default(z.array(SlackUserId), []),
  userGroups: z._default(z.array(SlackUserGroupId), []),
});
export type AllowList = z.infer<typeof AllowList>;

export const SlackAppSchema = z.strictObject({
  signingSecret: z
    .string()
    .check(z.minLength(16))
    .check(z.describe("The Slack app's signing secret (Basic Information → App Credentials).")),
  botToken: z.optional(
    z
      .string()
      .check(z.regex(/^xoxb-[A-Za-z0-9-]{10,}$/, { error: 'expected a bot token (xoxb-…)' }))
      .check(z.describe('Bot token, needed to read user group members (scope usergroups:read).')),
  ),
  teamId: z
    .string()
    .check(z.regex(/^T[A-Z0-9]{2,20}$/, { error: 'expected a Slack team (workspace) id (T…)' }))
    .check(z.describe('Only requests from this workspace are acted on.')),
  allow: z
    .strictObject({
      acknowledge: z._default(AllowList, { users: [], userGroups: [] }),
      archive: z._default(AllowList, { users: [], userGroups: [] }),
      feedback: z._default(AllowList, { users: [], userGroups: [] }),
      suppress: z._default(AllowList, { users: [], userGroups: [] }),
    })
    .check(z.describe('Who may press each button: Slack user ids and user group ids. Empty = nobody.')),
  responseUrlPrefix: z
    ._default(
      z.string().check(z.regex(/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)[:/])/)),
      'https://hooks.slack.com/',
    )
    .check(
      z.describe("Replies go only to response_urls starting with this (Slack's hooks host; loopback for local tests)."),
    ),
  apiBaseUrl: z
    ._default(
      z.string().check(z.regex(/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)[:/]).*\/$/)),
      'https://slack.com/api/',
    )
    .check(z.describe('Slack Web API base URL (a loopback stand-in in local tests).')),
  buttonsMinSeverity: z._default(SeverityBandSchema, 'MEDIUM'),
  archiveOnNotUseful: z
    ._default(z.boolean(), false)
    .check(z.describe('"Not useful" feedback also archives the finding.')),
});
export type SlackAppConfig = z.infer<typeof SlackAppSchema>;
