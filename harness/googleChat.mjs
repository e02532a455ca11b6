// Google Chat incoming webhook (spaces.messages.create through a webhook URL,
// https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create):
// 200 with the created Message resource (`name: spaces/<space>/messages/<id>`);
// the same resource again for a repeated `requestId` (the API's idempotency
// key); 400 INVALID_ARGUMENT for an empty or oversized message; 429
// RESOURCE_EXHAUSTED above the per-space write quota when `rateLimit` is on.
import { jsonObject, jsonReply } from './http.mjs';

/** A message's size limit (32,000 bytes). */
export const GOOGLE_CHAT_MAX_BYTES = 32_000;
/** Per-space write quota used by `rateLimit`: one message per second. */
export const GOOGLE_CHAT_INTERVAL_MS = 1_000;

/** @param {number} code @param {string} status @param {string} message */
const error = (code, status, message) => jsonReply(code, { error: { code, message, status } });

/** @param {import('./googleChat.d.mts').GoogleChatOptions} [options] */
export function googleChatWebhook(options = {}) {
  const { rateLimit = false, toleranceMs = 20 } = options;
  /** @type {Map<string, Record<string, unknown>>} */
  const byRequestId = new Map();
  /** @type {Map<string, number>} */
  const lastWrite = new Map();
  let created = 0;
  /** @type {import('./http.d.mts').ReplyFn} */
  const reply = (request) => {
    const url = new URL(request.path, 'http://chat.local');
    const space = /^\/v1\/spaces\/([^/]+)\/messages$/.exec(url.pathname)?.[1];
    if (request.method !== 'POST' || !space) return error(404, 'NOT_FOUND', 'Requested entity was not found.');
    const requestId = url.searchParams.get('requestId');
    const earlier = requestId ? byRequestId.get(`${space}/${requestId}`) : undefined;
    if (earlier) return jsonReply(200, earlier);
    if (request.raw.length > GOOGLE_CHAT_MAX_BYTES)
      return error(400, 'INVALID_ARGUMENT', 'Message exceeds the maximum size.');
    const body = jsonObject(request.body);
    if (!body) return error(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    if (typeof body.text !== 'string' && !Array.isArray(body.cardsV2))
      return error(400, 'INVALID_ARGUMENT', 'Message cannot be empty.');
    if (rateLimit) {
      const now = Date.now();
      if (now - (lastWrite.get(space) ?? -Infinity) < GOOGLE_CHAT_INTERVAL_MS - toleranceMs)
        return error(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).');
      lastWrite.set(space, now);
    }
    const id = `m${++created}`;
    const threadKey = /** @type {{ threadKey?: unknown } | undefined} */ (body.thread)?.threadKey;
    const message = {
      name: `spaces/${space}/messages/${id}`,
      sender: { name: 'users/guardduty-notify', type: 'BOT' },
      createTime: new Date().toISOString(),
      ...(typeof body.text === 'string' ? { text: body.text } : {}),
      thread: { name: `spaces/${space}/threads/${typeof threadKey === 'string' ? threadKey.slice(0, 32) : id}` },
      space: { name: `spaces/${space}` },
    };
    if (requestId) byRequestId.set(`${space}/${requestId}`, message);
    return jsonReply(200, message);
  };
  // How many messages the space holds (a repeated requestId creates none).
  return Object.assign(reply, { created: () => created });
}
