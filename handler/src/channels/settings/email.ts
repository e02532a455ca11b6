import * as z from 'zod/mini';
import { ChannelBase } from '../../config/fields.js';
import { type ChannelSettings, defineSettings } from '../types.js';
import type { EmailPayload } from '../email.js';

export const EmailChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('email'),
  smtp: z.strictObject({
    host: z.string().check(z.minLength(1)),
    port: z._default(z.int().check(z.gte(1)).check(z.lte(65_535)), 587),
    secure: z
      ._default(z.boolean(), false)
      .check(z.describe('Implicit TLS from the first byte (port 465). Otherwise STARTTLS is used when offered.')),
    requireTls: z
      ._default(z.boolean(), true)
      .check(z.describe('Refuse to send unless the connection is encrypted (STARTTLS or implicit TLS).')),
    user: z.optional(z.string()),
    pass: z.optional(z.string()),
    timeoutMs: z._default(z.int().check(z.gte(100)).check(z.lte(60_000)), 10_000),
  }),
  from: z.string().check(z.minLength(3)),
  to: z.array(z.email()).check(z.minLength(1)),
  cc: z._default(z.array(z.email()), []),
  bcc: z._default(z.array(z.email()), []),
  subjectPrefix: z._default(z.string().check(z.maxLength(40)), 'GuardDuty'),
  attachFinding: z
    ._default(z.boolean(), false)
    .check(
      z.describe(
        'Attach the event as received as guardduty-<finding id>.json (a digest: one JSON array of its events, up to 5 MB).',
      ),
    ),
});
export type EmailChannel = z.infer<typeof EmailChannelSchema>;

export const emailSettings: ChannelSettings<typeof EmailChannelSchema, EmailPayload> = defineSettings({
  label: 'Email',
  schema: EmailChannelSchema,
  secrets: (channel) => (channel.smtp.pass ? [channel.smtp.pass] : []),
  defaults: { minIntervalMs: 0, digestThreshold: 10 },
  sample: {
    smtp: { host: 'smtp.example.invalid' },
    from: 'guardduty@example.invalid',
    to: ['security@example.invalid'],
  },
  type: 'email',
  load: async () => (await import('../email.js')).emailChannel,
});
