import { createHmac } from 'node:crypto';
import type { ChannelOf } from '../config/schema.js';
import type { NormalisedFinding } from '../finding/model.js';
import { postWithRetry } from '../deliver/http.js';
import type { Digest } from '../route/digest.js';
import type { ChannelAdapter } from './types.js';
import { isReservedHeader } from './webhookHeaders.js';

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
export const WEBHOOK_BODY_VERSION = 1;
export const SIGNATURE_HEADER = 'X-GuardDuty-Notify-Signature';

export type WebhookEnvelope =
  | { version: 1; kind: 'finding'; finding: NormalisedFinding }
  | { version: 1; kind: 'digest'; digest: Digest };

/** A rendered webhook request: the exact body string that is sent (and signed) and the headers that belong to it. */
export interface WebhookPayload {
  body: string;
  /** content-type, plus the signature when the channel signs. Static headers from config are added by `send`. */
  headers: Record<string, string>;
}

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
  channel: Pick<ChannelOf<'webhook'>, 'hmacSecret'>,
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
  channel: Pick<ChannelOf<'webhook'>, 'headers'>,
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
export const webhookChannel: ChannelAdapter<'webhook', WebhookPayload> = {
  type: 'webhook',
  render: (finding, channel) =>
    renderWebhookEnvelope({ version: WEBHOOK_BODY_VERSION, kind: 'finding', finding }, channel),
  renderDigest: (digest, channel) =>
    renderWebhookEnvelope({ version: WEBHOOK_BODY_VERSION, kind: 'digest', digest }, channel),
  async send(payload, channel, context) {
    const result = await postWithRetry(
      channel.url,
      payload.body,
      webhookRequestHeaders(payload, channel),
      context.http,
      `webhook "${channel.name}"`,
      context.httpDeps,
    );
    return { attempts: result.attempts };
  },
};
