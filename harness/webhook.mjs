// The generic webhook receiver an integrator writes from the README: read the
// raw body, verify X-GuardDuty-Notify-Signature (`sha256=` + hex HMAC-SHA256
// of the raw body) with a constant-time compare before parsing (401), require
// JSON (415) in the versioned envelope (400), then answer 204.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { jsonObject } from './http.mjs';

export const SIGNATURE_HEADER = 'x-guardduty-notify-signature';

/**
 * @param {Buffer} raw
 * @param {string | undefined} header
 * @param {string} secret
 */
export function verifySignature(raw, header, secret) {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'), 'utf8');
  const given = Buffer.from(header.slice('sha256='.length), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** @param {import('./webhook.d.mts').WebhookOptions} [options] */
export function signedWebhook(options = {}) {
  const { secret = null } = options;
  /** @type {import('./http.d.mts').ReplyFn} */
  return (request) => {
    const key = typeof secret === 'function' ? secret() : secret;
    const header = request.headers[SIGNATURE_HEADER];
    if (key !== null && !verifySignature(request.raw, typeof header === 'string' ? header : undefined, key))
      return { status: 401, body: 'invalid signature' };
    if (request.headers['content-type'] !== 'application/json')
      return { status: 415, body: 'expected application/json' };
    const body = jsonObject(request.body);
    // The envelope kinds the webhook channel sends (channels/webhook.ts, report/render/webhook.ts).
    if (body?.version !== 1 || !['finding', 'digest', 'report'].includes(String(body.kind)))
      return { status: 400, body: 'bad body' };
    return { status: 204 };
  };
}
