import * as z from 'zod/mini';
import { ChannelBase, endpointUrl } from '../../config/fields.js';
import { RESERVED_HEADERS, RESERVED_HEADER_PREFIX, isReservedHeader } from '../webhookHeaders.js';
import { type ChannelSettings, defineSettings } from '../types.js';
import type { WebhookPayload } from '../webhook.js';

/** Static request headers; names the channel sets itself are refused, each named in the error. */
const WebhookHeaders = z
  .record(
    z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/)),
    z
      .string()
      .check(z.maxLength(4096))
      .check(
        z.regex(/^[\t\x20-\x7E]*$/, {
          error: 'header values are printable ASCII on one line (no CR/LF or control characters)',
        }),
      ),
  )
  .check(
    z.superRefine((headers, ctx) => {
      for (const name of Object.keys(headers).filter(isReservedHeader)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `"${name}" is a reserved header name (guardduty-notify sets it itself); remove it from headers`,
        });
      }
    }),
  )
  .check(
    z.describe(
      `Static request headers (e.g. Authorization). Reserved, any case: ${[...RESERVED_HEADERS].join(', ')}, ${RESERVED_HEADER_PREFIX}*.`,
    ),
  );

export const WebhookChannelSchema = z.strictObject({
  ...ChannelBase,
  type: z.literal('webhook'),
  url: endpointUrl,
  headers: z._default(WebhookHeaders, {}),
  hmacSecret: z
    .optional(z.string().check(z.minLength(16)))
    .check(z.describe('Signs the body: header `X-GuardDuty-Notify-Signature: sha256=<hex HMAC-SHA256>`.')),
});
export type WebhookChannel = z.infer<typeof WebhookChannelSchema>;

export const webhookSettings: ChannelSettings<typeof WebhookChannelSchema, WebhookPayload> = defineSettings({
  label: 'Webhook',
  schema: WebhookChannelSchema,
  secrets: (channel) => [
    channel.url,
    ...Object.values(channel.headers),
    ...(channel.hmacSecret ? [channel.hmacSecret] : []),
  ],
  defaults: { minIntervalMs: 0, digestThreshold: null },
  sample: { url: 'https://example.invalid/hook' },
  type: 'webhook',
  load: async () => (await import('../webhook.js')).webhookChannel,
});
