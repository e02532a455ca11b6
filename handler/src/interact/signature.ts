import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Slack request signing, version 0: Slack sends `X-Slack-Request-Timestamp`
 * and `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>")>`.
 * The signature is the only authentication a function URL without IAM auth has,
 * so nothing else of a request is read before it passes.
 */

/** Slack's replay window: requests whose timestamp is further than this from now are refused. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** Why a request was refused; logged and counted, never echoed to the caller in detail. */
export type SignatureRefusal =
  | 'missing-timestamp'
  | 'malformed-timestamp'
  | 'stale-timestamp'
  | 'future-timestamp'
  | 'missing-signature'
  | 'malformed-signature'
  | 'bad-signature';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureRefusal };

/** The `v0=<hex>` signature Slack would send for this body at this timestamp. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

const SIGNATURE_SHAPE = /^v0=[0-9a-f]{64}$/;

/**
 * Verifies a Slack request signature in constant time. The timestamp must be an
 * integer within {@link SIGNATURE_WINDOW_SECONDS} of `nowSeconds` either way (a
 * replayed request is refused, and so is one claiming to come from the future).
 *
 * @example verifySlackSignature({ timestamp, signature, rawBody, signingSecret, nowSeconds: Date.now() / 1000 })
 */
export function verifySlackSignature(input: {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
  signingSecret: string;
  nowSeconds: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (timestamp === undefined || timestamp === '') return { ok: false, reason: 'missing-timestamp' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed-timestamp' };
  const age = input.nowSeconds - Number(timestamp);
  if (age > SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale-timestamp' };
  if (age < -SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'future-timestamp' };
  if (signature === undefined || signature === '') return { ok: false, reason: 'missing-signature' };
  if (!SIGNATURE_SHAPE.test(signature)) return { ok: false, reason: 'malformed-signature' };
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // Both are exactly 67 ASCII bytes here (checked shape), so timingSafeEqual cannot throw.
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
