import * as z from 'zod/mini';
import { ChannelBase, endpointUrl } from '../../config/fields.js';
import { type ChannelSettings, defineSettings } from '../types.js';
import type { TeamsPayload } from '../teams.js';

export const TeamsChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('teams'),
  webhookUrl: endpointUrl.check(z.describe('Teams Workflows "When a Teams webhook request is received" URL.')),
});
export type TeamsChannel = z.infer<typeof TeamsChannelSchema>;

export const teamsSettings: ChannelSettings<typeof TeamsChannelSchema, TeamsPayload> = defineSettings({
  label: 'Microsoft Teams',
  schema: TeamsChannelSchema,
  secrets: (channel) => [channel.webhookUrl],
  defaults: { minIntervalMs: 0, digestThreshold: 10 },
  sample: { webhookUrl: 'https://example.invalid/workflows/preview' },
  type: 'teams',
  load: async () => (await import('../teams.js')).teamsChannel,
});
