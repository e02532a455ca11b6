import * as z from 'zod/mini';
import { createHmac } from 'node:crypto';
import { NormalisedFindingSchema } from '../finding/model.js';
import { postWithRetry } from '../deliver/http.js';
import { DigestSchema } from '../route/digest.js';
import { webhookSettings, WebhookChannelSchema, type WebhookChannel } from './settings/webhook.js';
import { defineChannel } from './types.js';
import { isReservedHeader } from './webhookHeaders.js';

/** The settings (config schema and defaults) live in `settings/webhook.ts`, loaded at cold start. */
export { WebhookChannelSchema, type WebhookChannel };

/*
 * Generic webhook: the normalised finding (or digest) as JSON, for SIEMs,
 * SOAR tools and in-house receivers.
 *
 * Signing. With `hmacSecret` set, every request carries
 *   X-GuardDuty-Notify-Signature: sha256=<hex HMAC-SHA256(hmacSecret, body bytes)>
 * over the exact bytes of the body (UTF-8 JSON). To verify, a receiver:
 *   1. reads the raw body bytes before any JSON parsing or re-serialising;
 *   2. computes HMAC-SHA256 with the shared secret over those bytes, hex-encoded;
 *   3. compares it with the header value after `sha256=` in constant time
 *      (Node: `crypto.timingSafeEqual` on equal-length buffers; Python:
 *      `hmac.compare_digest`), and rejects the request on mismatch;
 *   4. only then parses the JSON.
 * There is no timestamp header: a send-time clock would make rendering impure
 * (and re-deliveries differ byte for byte). The signed body carries
 * `finding.updatedAt` instead; receivers that need replay protection treat
 * (`finding.id`, `finding.updatedAt`) as an idempotency key and may refuse
 * bodies whose `updatedAt` is older than their window.
 */

/** Version of the body envelope; bumped only for incompatible changes. */
export const WEBHOOK_BODY_VERSION = 1 as const;
export const SIGNATURE_HEADER = 'X-GuardDuty-Notify-Signature';

/** The JSON body: the normalised finding, or a digest, in a versioned envelope. */
export const WebhookEnvelopeSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      version: z.literal(WEBHOOK_BODY_VERSION),
      kind: z.literal('finding'),
      finding: NormalisedFindingSchema,
    }),
    z.strictObject({ version: z.literal(WEBHOOK_BODY_VERSION), kind: z.literal('digest'), digest: DigestSchema }),
  ]),
);
export type WebhookEnvelope = z.infer<typeof WebhookEnvelopeSchema>;

/** A rendered webhook request: the exact body string that is sent (and signed) and the headers that belong to it. */
export const WebhookPayloadSchema = z.lazy(() =>
  z.strictObject({
    /** The serialised envelope, byte for byte what is signed and sent. */
    body: z.string(),
    /** content-type, plus the signature when the channel signs. Static headers from config are added by `send`. */
    headers: z.record(z.string(), z.string()),
  }),
);
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

/**
 * The signature header value for a body: `sha256=` + hex HMAC-SHA256 of its
 * UTF-8 bytes.
 *
 * @example signWebhookBody('{"version":1}', secret) // 'sha256=9c1f…'
 */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Serialises an envelope and, when the channel has an `hmacSecret`, signs it.
 *
 * @example renderWebhookEnvelope({ version: 1, kind: 'finding', finding }, channel)
 */
export function renderWebhookEnvelope(
  envelope: WebhookEnvelope,
  channel: Pick<WebhookChannel, 'hmacSecret'>,
): WebhookPayload {
  const body = JSON.stringify(envelope);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (channel.hmacSecret) headers[SIGNATURE_HEADER] = signWebhookBody(body, channel.hmacSecret);
  return { body, headers };
}

/**
 * The headers actually sent: the channel's static headers (minus reserved
 * names, so config can never replace the content type or forge the
 * signature; the config schema already rejects them, this is the second line
 * of defence), then the payload's own.
 *
 * @example webhookRequestHeaders(payload, channel) // { Authorization: 'Bearer …', 'content-type': 'application/json', … }
 */
export function webhookRequestHeaders(
  payload: WebhookPayload,
  channel: Pick<WebhookChannel, 'headers'>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(channel.headers ?? {})) {
    if (!isReservedHeader(name)) headers[name] = value;
  }
  return { ...headers, ...payload.headers };
}

/**
 * Generic webhook. Any 2xx is success; 400/413/422 are permanent, 401/403/404/410
 * config, 408/429/5xx retried (honouring Retry-After).
 */
export const webhookChannel = defineChannel(webhookSettings, {
  render: (finding, channel) =>
    renderWebhookEnvelope({ version: WEBHOOK_BODY_VERSION, kind: 'finding', finding }, channel),
  renderDigest: (digest, channel) =>
    renderWebhookEnvelope({ version: WEBHOOK_BODY_VERSION, kind: 'digest', digest }, channel),
  // Loaded for the weekly report only, so no SQS invocation pays for it at cold start.
  loadReportRenderer: async () => {
    const { renderReportWebhook: render } = await import('../report/render/webhook.js');
    return (report, channel) => render(report, channel);
  },
  async send(payload, channel, context) {
    const result = await postWithRetry(
      channel.url,
      payload.body,
      webhookRequestHeaders(payload, channel),
      context.http,
      channel,
      context.httpDeps,
    );
    return { attempts: result.attempts };
  },
});
