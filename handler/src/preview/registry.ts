import { CHANNELS } from '../channels/registry.js';
import type { ChannelType } from '../config/schema.js';
import { emailPreview } from './email.js';
import { googleChatPreview } from './googleChat.js';
import { pagerDutyPreview } from './pagerduty.js';
import { slackPreview } from './slack.js';
import { snsPreview } from './sns.js';
import { teamsPreview } from './teams.js';
import type { ChannelPreview } from './types.js';
import { webhookPreview } from './webhook.js';

/** Every channel type's preview; a type without one is a type error. */
export const CHANNEL_PREVIEWS = {
  slack: slackPreview,
  teams: teamsPreview,
  googleChat: googleChatPreview,
  email: emailPreview,
  sns: snsPreview,
  pagerduty: pagerDutyPreview,
  webhook: webhookPreview,
} satisfies { [T in ChannelType]: PreviewOfType<T> };

/** A preview of type T, whatever its delivered shape. */
type PreviewOfType<T extends ChannelType> = Omit<ChannelPreview<T, { type: T }>, 'html'> & {
  html(delivered: never): string;
};

/** One notification for one channel, as delivered (or as it would be). */
export type Delivered = ReturnType<(typeof CHANNEL_PREVIEWS)[ChannelType]['fromPayload']>;
export type DeliveredType = Delivered['type'];

/** The preview of a delivered notification's type, typed to take it. */
export function previewOf(delivered: Delivered): ChannelPreview<ChannelType, Delivered> {
  return CHANNEL_PREVIEWS[delivered.type] as unknown as ChannelPreview<ChannelType, Delivered>;
}

/** Channel types in gallery order: the order of the channel descriptor list. */
export const CHANNEL_ORDER: readonly DeliveredType[] = CHANNELS.map((c) => c.type);

/** Display names of the channel types, from their descriptors. */
export const CHANNEL_LABELS: Readonly<Record<DeliveredType, string>> = Object.fromEntries(
  CHANNELS.map((c) => [c.type, c.label]),
) as Record<DeliveredType, string>;
