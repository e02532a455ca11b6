import type { ChannelType } from '../config/schema.js';
import type { ChannelAdapter } from './types.js';
import { emailChannel } from './email.js';
import { googleChatChannel } from './googleChat.js';
import { pagerDutyChannel } from './pagerduty.js';
import { slackChannel } from './slack.js';
import { snsChannel } from './sns.js';
import { teamsChannel } from './teams.js';
import { webhookChannel } from './webhook.js';

/** Every channel adapter by config `type`. */
export const CHANNEL_ADAPTERS: { [T in ChannelType]: ChannelAdapter<T, never> } = {
  slack: slackChannel as ChannelAdapter<'slack', never>,
  googleChat: googleChatChannel as ChannelAdapter<'googleChat', never>,
  email: emailChannel as ChannelAdapter<'email', never>,
  sns: snsChannel as ChannelAdapter<'sns', never>,
  teams: teamsChannel as ChannelAdapter<'teams', never>,
  pagerduty: pagerDutyChannel as ChannelAdapter<'pagerduty', never>,
  webhook: webhookChannel as ChannelAdapter<'webhook', never>,
};
