import * as z from 'zod/mini';
import { ChannelBase, endpointUrl } from '../../config/fields.js';
import { type ChannelSettings, defineSettings } from '../types.js';
import type { GoogleChatPayload } from '../googleChat.js';

export const GoogleChatChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('googleChat'),
  webhookUrl: endpointUrl.check(z.describe('Google Chat space webhook URL (with key and token).')),
  threadByFinding: z
    ._default(z.boolean(), true)
    .check(z.describe('Reply to one thread per finding, so updates stay together.')),
});
export type GoogleChatChannel = z.infer<typeof GoogleChatChannelSchema>;

export const googleChatSettings: ChannelSettings<typeof GoogleChatChannelSchema, GoogleChatPayload> = defineSettings({
  label: 'Google Chat',
  schema: GoogleChatChannelSchema,
  secrets: (channel) => [channel.webhookUrl],
  // Space webhooks allow about one message per second.
  defaults: { minIntervalMs: 1_000, digestThreshold: 10 },
  sample: { webhookUrl: 'https://chat.googleapis.com/v1/spaces/PREVIEW/messages?key=PREVIEW&token=PREVIEW' },
  type: 'googleChat',
  load: async () => (await import('../googleChat.js')).googleChatChannel,
});
