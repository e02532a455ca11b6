// Slack Web API (https://docs.slack.dev/reference/methods): chat.postMessage,
// chat.update and usergroups.users.list as Slack answers them. Errors are
// HTTP 200 with {"ok": false, "error": "<code>"} (invalid_auth, not_authed,
// channel_not_found, not_in_channel, is_archived, message_not_found,
// cant_update_message, no_text, invalid_blocks, …); rate limits are HTTP 429
// with Retry-After, and chat.postMessage allows about one message per second
// per channel (the documented "special" rate limit). Each message gets a ts
// unique in its channel; a reply names its parent's ts in thread_ts.
import { jsonObject, jsonReply } from './http.mjs';
import { rateWindow } from './slack.mjs';

/** Block Kit: at most 50 blocks in a message. */
const MAX_BLOCKS = 50;

/**
 * @param {import('./http.d.mts').Received} request
 * @returns {Record<string, unknown> | null}
 */
function bodyOf(request) {
  const type = String(request.headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(request.body));
  return jsonObject(request.body);
}

/** @param {import('./slackWebApi.d.mts').SlackWebApiOptions} [options] */
export function slackWebApi(options = {}) {
  const { tokens = ['xoxb-test-token-0000'], channels = {}, rateLimit = false, groups = {} } = options;
  /** @type {Map<string, import('./slackWebApi.d.mts').SlackStoredMessage>} */
  const messages = new Map();
  /** @type {Map<string, ReturnType<typeof rateWindow>>} */
  const windows = new Map();
  let clock = 1_700_000_000;
  let seq = 0;
  const nextTs = () => `${clock++}.${String(++seq).padStart(6, '0')}`;
  const key = (/** @type {string} */ channel, /** @type {string} */ ts) => `${channel}/${ts}`;
  const fail = (/** @type {string} */ error) => jsonReply(200, { ok: false, error });

  /** @type {Record<string, (body: Record<string, unknown>) => import('./http.d.mts').Reply>} */
  const methods = {
    'chat.postMessage'(body) {
      const channel = String(body.channel ?? '');
      const refused = channel ? channels[channel] : 'channel_not_found';
      if (refused) return fail(refused);
      if (typeof body.text !== 'string' && !Array.isArray(body.blocks) && !Array.isArray(body.attachments))
        return fail('no_text');
      if (Array.isArray(body.blocks) && body.blocks.length > MAX_BLOCKS) return fail('invalid_blocks');
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      if (threadTs && !messages.has(key(channel, threadTs))) return fail('thread_not_found');
      const window = windows.get(channel) ?? rateWindow();
      windows.set(channel, window);
      if (rateLimit && !window.allows())
        return jsonReply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
      window.accepted();
      const ts = nextTs();
      messages.set(key(channel, ts), { channel, ts, threadTs, body, edits: [], current: body });
      return jsonReply(200, { ok: true, channel, ts, message: { ...body, ts } });
    },
    'chat.update'(body) {
      const channel = String(body.channel ?? '');
      const refused = channel ? channels[channel] : 'channel_not_found';
      if (refused) return fail(refused);
      const stored = messages.get(key(channel, String(body.ts ?? '')));
      if (!stored) return fail('message_not_found');
      if (typeof body.text !== 'string' && !Array.isArray(body.blocks) && !Array.isArray(body.attachments))
        return fail('no_text');
      stored.edits.push(body);
      // chat.update keeps the attachments and blocks a call leaves out.
      stored.current = { ...stored.current, ...body };
      return jsonReply(200, { ok: true, channel, ts: stored.ts, text: body.text });
    },
    'usergroups.users.list'(body) {
      const users = groups[String(body.usergroup ?? '')];
      return users ? jsonReply(200, { ok: true, users }) : fail('no_such_subteam');
    },
  };

  /** @type {import('./http.d.mts').ReplyFn} */
  const reply = (request) => {
    const method = (request.path.split('?')[0] ?? '').replace(/^\/api\//, '');
    const handle = methods[method];
    if (!handle) return fail('unknown_method');
    const auth = String(request.headers.authorization ?? '');
    if (!auth.startsWith('Bearer ')) return fail('not_authed');
    if (!tokens.includes(auth.slice('Bearer '.length))) return fail('invalid_auth');
    const body = bodyOf(request);
    if (!body) return fail('invalid_json');
    return handle(body);
  };

  return {
    reply,
    messages,
    /** Messages posted to a channel that open a thread or stand alone, in order. */
    parents: (/** @type {string} */ channel) =>
      [...messages.values()].filter((m) => m.channel === channel && m.threadTs === undefined),
    /** Replies in one thread, in order. */
    replies: (/** @type {string} */ channel, /** @type {string} */ ts) =>
      [...messages.values()].filter((m) => m.channel === channel && m.threadTs === ts),
    /** Deletes a message, as a user or an admin may. */
    deleteMessage: (/** @type {string} */ channel, /** @type {string} */ ts) => messages.delete(key(channel, ts)),
  };
}
