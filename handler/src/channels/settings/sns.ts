import * as z from 'zod/mini';
import { ChannelBase } from '../../config/fields.js';
import { type ChannelSettings, defineSettings } from '../types.js';
import type { SnsPayload } from '../sns.js';

export const SnsChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('sns'),
  topicArn: z.string().check(
    z.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, {
      error: 'expected an SNS topic ARN',
    }),
  ),
});
export type SnsChannel = z.infer<typeof SnsChannelSchema>;

export const snsSettings: ChannelSettings<typeof SnsChannelSchema, SnsPayload> = defineSettings({
  label: 'Amazon SNS',
  schema: SnsChannelSchema,
  // A topic ARN is an address, not a credential: IAM decides who may publish.
  secrets: () => [],
  defaults: { minIntervalMs: 0, digestThreshold: null },
  sample: { topicArn: 'arn:aws:sns:us-east-1:111122223333:preview' },
  type: 'sns',
  load: async () => (await import('../sns.js')).snsChannel,
});
