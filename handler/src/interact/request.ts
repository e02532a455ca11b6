import * as z from 'zod/mini';
import { type SignatureRefusal, verifySlackSignature } from './signature.js';

/*
 * A Lambda function URL request (payload format 2.0) carrying a Slack
 * interaction: authenticated first (size, method, signature), parsed after.
 */

/** Slack's interaction payloads are a few KB; anything far larger is refused before the HMAC runs. */
export const MAX_BODY_BYTES = 64 * 1024;

export const FunctionUrlEventSchema = z.looseObject({
  headers: z._default(z.record(z.string(), z.string()), {}),
  body: z.optional(z.string()),
  isBase64Encoded: z._default(z.boolean(), false),
  requestContext: z.optional(
    z.looseObject({
      http: z.optional(z.looseObject({ method: z.optional(z.string()), sourceIp: z.optional(z.string()) })),
    }),
  ),
});
export type FunctionUrlEvent = z.infer<typeof FunctionUrlEventSchema>;

export type Refusal =
  | { status: 400; reason: 'malformed-event' | 'malformed-body' | 'malformed-payload' | 'unsupported-payload' }
  | { status: 401; reason: SignatureRefusal }
  | { status: 405; reason: 'method' }
  | { status: 413; reason: 'too-large' };

export type Authenticated = { ok: true; rawBody: string } | { ok: false; refusal: Refusal };

function header(headers: Record<string, string>, name: string): string | undefined {
  // Function URLs lower-case header names; a hand-made event may not.
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * Authenticates a function URL request as coming from Slack: POST, at most
 * {@link MAX_BODY_BYTES}, and a valid v0 signature over the exact bytes
 * received. Nothing of the body is interpreted before this passes.
 */
export function authenticate(event: unknown, signingSecret: string, nowSeconds: number): Authenticated {
  const parsed = FunctionUrlEventSchema.safeParse(event);
  if (!parsed.success) return { ok: false, refusal: { status: 400, reason: 'malformed-event' } };
  const request = parsed.data;
  const method = request.requestContext?.http?.method ?? 'POST';
  if (method.toUpperCase() !== 'POST') return { ok: false, refusal: { status: 405, reason: 'method' } };
  const body = request.body ?? '';
  // Base64 of N bytes is about 4N/3 characters: check the cheap bound before decoding.
  if (body.length > (request.isBase64Encoded ? Math.ceil((MAX_BODY_BYTES * 4) / 3) + 4 : MAX_BODY_BYTES * 4)) {
    return { ok: false, refusal: { status: 413, reason: 'too-large' } };
  }
  const bytes = request.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) return { ok: false, refusal: { status: 413, reason: 'too-large' } };
  const check = verifySlackSignature({
    timestamp: header(request.headers, 'x-slack-request-timestamp'),
    signature: header(request.headers, 'x-slack-signature'),
    rawBody: bytes,
    signingSecret,
    nowSeconds,
  });
  if (!check.ok) return { ok: false, refusal: { status: 401, reason: check.reason } };
  return { ok: true, rawBody: bytes.toString('utf8') };
}

const SlackId = z.string().check(z.regex(/^[A-Z0-9]{2,24}$/));

const ActionSchema = z.looseObject({
  action_id: z.string().check(z.maxLength(255)),
  value: z.optional(z.string().check(z.maxLength(2000))),
  block_id: z.optional(z.string().check(z.maxLength(255))),
  action_ts: z.optional(z.string().check(z.maxLength(32))),
});

/** The parts of a `block_actions` payload the endpoint uses; the rest passes through unread. */
export const BlockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  team: z.looseObject({ id: SlackId, domain: z.optional(z.string().check(z.maxLength(255))) }),
  user: z.looseObject({
    id: SlackId,
    username: z.optional(z.string().check(z.maxLength(255))),
    name: z.optional(z.string().check(z.maxLength(255))),
    team_id: z.optional(SlackId),
  }),
  channel: z.optional(z.looseObject({ id: SlackId })),
  container: z.optional(
    z.looseObject({ message_ts: z.optional(z.string().check(z.maxLength(32))), channel_id: z.optional(SlackId) }),
  ),
  message: z.optional(z.looseObject({ ts: z.optional(z.string().check(z.maxLength(32))) })),
  response_url: z.optional(z.string().check(z.maxLength(2048))),
  actions: z.array(ActionSchema).check(z.minLength(1)).check(z.maxLength(5)),
});
export type BlockActions = z.infer<typeof BlockActionsSchema>;

export type ParsedPayload = { ok: true; payload: BlockActions } | { ok: false; refusal: Refusal };

/**
 * Reads an authenticated body: `application/x-www-form-urlencoded` with one
 * `payload` field holding JSON. Only `block_actions` is handled.
 */
export function parseInteraction(rawBody: string): ParsedPayload {
  const form = new URLSearchParams(rawBody);
  const text = form.get('payload');
  if (text === null) return { ok: false, refusal: { status: 400, reason: 'malformed-body' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, refusal: { status: 400, reason: 'malformed-payload' } };
  }
  if (typeof json !== 'object' || json === null || (json as { type?: unknown }).type !== 'block_actions') {
    return { ok: false, refusal: { status: 400, reason: 'unsupported-payload' } };
  }
  const parsed = BlockActionsSchema.safeParse(json);
  return parsed.success
    ? { ok: true, payload: parsed.data }
    : { ok: false, refusal: { status: 400, reason: 'malformed-payload' } };
}
