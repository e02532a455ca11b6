import * as z from 'zod/mini';
import { ChannelBase, endpointUrl } from '../../config/fields.js';
import { type ChannelSettings, defineSettings } from '../types.js';
import type { PagerDutyPayload } from '../pagerduty.js';

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
export type PagerDutyChannel = z.infer<typeof PagerDutyChannelSchema>;

export const pagerDutySettings: ChannelSettings<typeof PagerDutyChannelSchema, PagerDutyPayload> = defineSettings({
  label: 'PagerDuty',
  schema: PagerDutyChannelSchema,
  secrets: (channel) => [channel.routingKey],
  defaults: { minIntervalMs: 0, digestThreshold: null },
  // Archiving a finding resolves its incident, so archived updates must reach it.
  receivesArchived: (channel) => channel.resolveOnArchive,
  sample: { routingKey: 'PREVIEW0000000000000000000000000' },
  type: 'pagerduty',
  load: async () => (await import('../pagerduty.js')).pagerDutyChannel,
});
