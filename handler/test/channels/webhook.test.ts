import { createHmac, timingSafeEqual } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelOf } from '../../src/config/schema.js';
import { WebhookChannelSchema } from '../../src/channels/webhook.js';
import { NormalisedFindingSchema } from '../../src/finding/model.js';
import { DigestSchema, buildDigest } from '../../src/route/digest.js';
import {
  SIGNATURE_HEADER,
  WebhookEnvelopeSchema,
  WebhookPayloadSchema,
  signWebhookBody,
  webhookChannel,
  webhookRequestHeaders,
  type WebhookPayload,
} from '../../src/channels/webhook.js';
import { isReservedHeader } from '../../src/channels/webhookHeaders.js';
import { deliveryError, sendContext } from '../helpers/channel.js';
import { fixtureNames, normalisedFixture } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';
import { signedWebhook } from '../../../harness/webhook.mjs';
import { useReceiver, type Received, type Reply } from '../helpers/receiver.js';

const SECRET = 'whsec-0123456789abcdef-test-only';
const signed = WebhookChannelSchema.parse({
  name: 'siem',
  type: 'webhook',
  url: 'https://siem.example.invalid/hook',
  hmacSecret: SECRET,
});
const unsigned = WebhookChannelSchema.parse({
  name: 'siem',
  type: 'webhook',
  url: 'https://siem.example.invalid/hook',
});

/** What a receiver verifies: HMAC-SHA256 over the raw body bytes, compared in constant time. */
function verify(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('hex'), 'utf8');
  const given = Buffer.from(header.slice('sha256='.length), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A channel with headers the config schema refuses, as if validation had been
 * bypassed: `send` must still drop them.
 */
function withUnvalidatedHeaders(channel: ChannelOf<'webhook'>, headers: Record<string, string>): ChannelOf<'webhook'> {
  expect(() => WebhookChannelSchema.parse({ ...channel, headers })).toThrow(/reserved header name/);
  return { ...channel, headers };
}

describe.each(fixtureNames())('webhook body for fixture %s', (name) => {
  const finding = normalisedFixture(name);
  const payload = webhookChannel.render(finding, signed);

  it('matches the golden file', () => {
    expectGolden(`webhook/${name}.json`, { headers: payload.headers, body: JSON.parse(payload.body) as unknown });
  });

  it('is the versioned envelope around the normalised finding, unchanged', () => {
    const body = JSON.parse(payload.body) as { version: number; kind: string; finding: unknown };
    expect(body).toEqual({ version: 1, kind: 'finding', finding });
    expect(NormalisedFindingSchema.parse(body.finding)).toEqual(finding);
  });

  it('is signed over the exact body bytes', () => {
    expect(payload.headers[SIGNATURE_HEADER]).toBe(signWebhookBody(payload.body, SECRET));
    expect(verify(Buffer.from(payload.body, 'utf8'), payload.headers[SIGNATURE_HEADER], SECRET)).toBe(true);
  });

  it('is pure: rendering twice gives the same bytes and signature', () => {
    expect(webhookChannel.render(finding, signed)).toEqual(payload);
  });
});

describe('webhook signing and headers', () => {
  const finding = normalisedFixture('hostile');

  it('signs with sha256=<64 hex> and carries updatedAt inside the signed body instead of a timestamp header', () => {
    const payload = webhookChannel.render(finding, signed);
    expect(payload.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Object.keys(payload.headers).map((h) => h.toLowerCase())).not.toContain('x-guardduty-notify-timestamp');
    expect(JSON.parse(payload.body)).toMatchObject({ finding: { updatedAt: finding.updatedAt } });
  });

  it('changes the signature when a single byte of the body changes', () => {
    const payload = webhookChannel.render(finding, signed);
    const tampered = Buffer.from(payload.body.replace('"HIGH"', '"LOW"'), 'utf8');
    expect(verify(tampered, payload.headers[SIGNATURE_HEADER], SECRET)).toBe(false);
    expect(verify(Buffer.from(payload.body, 'utf8'), payload.headers[SIGNATURE_HEADER], 'another-secret-value')).toBe(
      false,
    );
  });

  it('does not sign without a secret', () => {
    expect(webhookChannel.render(finding, unsigned).headers).toEqual({ 'content-type': 'application/json' });
  });

  it('keeps static headers but never lets them replace the content type or the signature', () => {
    const channel = withUnvalidatedHeaders(signed, {
      Authorization: 'Bearer token-from-secret',
      'X-Tenant': 'security',
      'Content-Type': 'text/plain',
      'X-GuardDuty-Notify-Signature': 'sha256=forged',
      'x-guardduty-notify-timestamp': '0',
      Host: 'evil.example',
      'Content-Length': '1',
    });
    const payload = webhookChannel.render(finding, channel);
    const headers = webhookRequestHeaders(payload, channel);
    expect(headers).toEqual({
      Authorization: 'Bearer token-from-secret',
      'X-Tenant': 'security',
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signWebhookBody(payload.body, SECRET),
    });
    expect(isReservedHeader('CONTENT-TYPE')).toBe(true);
    expect(isReservedHeader('Authorization')).toBe(false);
  });

  it('keeps secret static headers out of the rendered payload', () => {
    const channel = WebhookChannelSchema.parse({
      name: 'siem',
      type: 'webhook',
      url: 'https://siem.example.invalid/hook',
      headers: { Authorization: 'Bearer s3cr3t' },
    });
    expect(JSON.stringify(webhookChannel.render(finding, channel))).not.toContain('s3cr3t');
  });
});

describe('webhook digest', () => {
  const digest = buildDigest(fixtureNames().map(normalisedFixture));
  const payload = webhookChannel.renderDigest(digest, signed);

  it('matches the golden file', () => {
    expectGolden('webhook/digest-all-fixtures.json', {
      headers: payload.headers,
      body: JSON.parse(payload.body) as unknown,
    });
  });

  it('is the versioned envelope around the digest, signed', () => {
    const body = JSON.parse(payload.body) as { version: number; kind: string; digest: unknown };
    expect(body).toEqual({ version: 1, kind: 'digest', digest });
    expect(DigestSchema.parse(body.digest)).toEqual(digest);
    expect(verify(Buffer.from(payload.body, 'utf8'), payload.headers[SIGNATURE_HEADER], SECRET)).toBe(true);
  });
});

// The verifying receiver the docs describe (401 on a bad signature, 415/400, then 204) is
// harness/webhook.mjs; scripted statuses (404, 429 + Retry-After, 500) are answered first.
const HOOK_PATH = '/hooks/guardduty';
/** The secret the receiver verifies with; null for a receiver that does not verify. */
let receiverSecret: string | null = SECRET;

/** Whether the receiver accepts a request's signature. */
function verified(request: Received | undefined): boolean {
  const signature = request?.headers['x-guardduty-notify-signature'];
  return (
    request !== undefined &&
    receiverSecret !== null &&
    verify(request.raw, typeof signature === 'string' ? signature : undefined, receiverSecret)
  );
}

function failure(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: 'scripted' };
}

const receiver = useReceiver(signedWebhook({ secret: () => receiverSecret }));

beforeEach(() => {
  receiverSecret = SECRET;
});

describe('webhook delivery to a local verifying receiver', () => {
  const live = (extra: Record<string, unknown> = {}) =>
    WebhookChannelSchema.parse({
      name: 'siem',
      type: 'webhook',
      url: receiver.url(HOOK_PATH),
      hmacSecret: SECRET,
      headers: { Authorization: 'Bearer token-from-secret' },
      ...extra,
    });

  it('delivers a signed body the receiver verifies, byte for byte, with the static headers', async () => {
    const payload = webhookChannel.render(normalisedFixture('hostile'), live());
    await expect(webhookChannel.send(payload, live(), sendContext())).resolves.toEqual({ attempts: 1 });
    expect(receiver.requests).toHaveLength(1);
    expect(verified(receiver.requests[0])).toBe(true);
    expect(receiver.requests[0]?.raw.toString('utf8')).toBe(payload.body);
    expect(receiver.requests[0]?.headers.authorization).toBe('Bearer token-from-secret');
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('delivers every fixture and a digest', async () => {
    for (const name of fixtureNames())
      await webhookChannel.send(webhookChannel.render(normalisedFixture(name), live()), live(), sendContext());
    await webhookChannel.send(
      webhookChannel.renderDigest(buildDigest(fixtureNames().map(normalisedFixture)), live()),
      live(),
      sendContext(),
    );
    expect(receiver.requests.every(verified)).toBe(true);
    expect(receiver.requests).toHaveLength(fixtureNames().length + 1);
  });

  it('is refused when the secrets differ (401 → config problem, not retried)', async () => {
    const wrong = live({ hmacSecret: 'a-different-secret-value' });
    const error = await deliveryError(
      webhookChannel.send(webhookChannel.render(normalisedFixture('minimal'), wrong), wrong, sendContext()),
    );
    expect(error.kind).toBe('config');
    expect(error.details).toMatchObject({ status: 401, attempts: 1 });
    expect(error.message).toContain('webhook "siem"');
    expect(error.message).not.toContain('token-from-secret');
  });

  it('cannot be forged through configured headers', async () => {
    const forging = withUnvalidatedHeaders(live(), {
      'X-GuardDuty-Notify-Signature': 'sha256=forged',
      'Content-Type': 'text/plain',
    });
    await webhookChannel.send(webhookChannel.render(normalisedFixture('minimal'), forging), forging, sendContext());
    expect(verified(receiver.requests[0])).toBe(true);
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('treats 400 as permanent', async () => {
    receiver.script(HOOK_PATH, [failure(400)]);
    const error = await deliveryError(
      webhookChannel.send(webhookChannel.render(normalisedFixture('minimal'), live()), live(), sendContext()),
    );
    expect(error.kind).toBe('permanent');
    expect(receiver.requests).toHaveLength(1);
  });

  it('treats 404 as a config problem', async () => {
    receiver.script(HOOK_PATH, [failure(404)]);
    const error = await deliveryError(
      webhookChannel.send(webhookChannel.render(normalisedFixture('minimal'), live()), live(), sendContext()),
    );
    expect(error.kind).toBe('config');
  });

  it('waits the Retry-After of a 429, then delivers', async () => {
    receiver.script(HOOK_PATH, [failure(429, { 'retry-after': '1' })]);
    const sleeps: number[] = [];
    const result = await webhookChannel.send(
      webhookChannel.render(normalisedFixture('minimal'), live()),
      live(),
      sendContext(sleeps),
    );
    expect(result).toEqual({ attempts: 2 });
    expect(sleeps).toEqual([1_000]);
    expect(verified(receiver.requests[1])).toBe(true);
  });

  it('honours an HTTP-date Retry-After within the policy', async () => {
    receiver.script(HOOK_PATH, [failure(503, { 'retry-after': new Date(Date.now() + 2_000).toUTCString() })]);
    const sleeps: number[] = [];
    await webhookChannel.send(webhookChannel.render(normalisedFixture('minimal'), live()), live(), sendContext(sleeps));
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
    expect(sleeps[0]).toBeLessThanOrEqual(3_000);
  });

  it('retries 500 up to the policy, then reports retryable', async () => {
    receiver.script(HOOK_PATH, [failure(500), failure(500), failure(500)]);
    const error = await deliveryError(
      webhookChannel.send(webhookChannel.render(normalisedFixture('minimal'), live()), live(), sendContext()),
    );
    expect(error.kind).toBe('retryable');
    expect(error.details).toMatchObject({ status: 500, attempts: 3 });
  });

  it('delivers unsigned bodies to a receiver that does not verify', async () => {
    receiverSecret = null;
    const plain = WebhookChannelSchema.parse({ name: 'siem', type: 'webhook', url: receiver.url(HOOK_PATH) });
    const payload: WebhookPayload = webhookChannel.render(normalisedFixture('minimal'), plain);
    await webhookChannel.send(payload, plain, sendContext());
    expect(receiver.requests[0]?.headers['x-guardduty-notify-signature']).toBeUndefined();
  });
});

describe('WebhookPayloadSchema', () => {
  it("accepts every fixture's request and digest, whose body is a versioned envelope", () => {
    const findings = fixtureNames().map(normalisedFixture);
    const payloads = [
      ...findings.map((f) => webhookChannel.render(f, signed)),
      webhookChannel.renderDigest(buildDigest(findings), signed),
    ];
    for (const payload of payloads) {
      WebhookPayloadSchema.parse(payload);
      WebhookEnvelopeSchema.parse(JSON.parse(payload.body));
    }
    expect(WebhookEnvelopeSchema.safeParse({ version: 2, kind: 'finding', finding: findings[0] }).success).toBe(false);
    expect(WebhookPayloadSchema.safeParse({ body: {}, headers: {} }).success).toBe(false);
  });
});
