// Slack incoming webhook (https://api.slack.com/messaging/webhooks, "Handling
// errors"): 200 "ok"; 400 invalid_payload / no_text / invalid_blocks /
// too_many_attachments; 403 invalid_token / action_prohibited; 404 no_service /
// channel_not_found; 410 channel_is_archived; and the documented limit of one
// message per second per webhook, refused with 429 rate_limited + Retry-After.
import { jsonObject } from './http.mjs';

/** Slack's per-webhook rate: one message per second. */
export const SLACK_INTERVAL_MS = 1_000;
/** Block Kit: at most 50 blocks in a message. */
export const SLACK_MAX_BLOCKS = 50;
/** Legacy attachments: at most 100 in a message. */
export const SLACK_MAX_ATTACHMENTS = 100;

/** @type {Record<import('./slack.d.mts').SlackHookState, number>} */
const STATE_STATUS = {
  invalid_token: 403,
  action_prohibited: 403,
  no_service: 404,
  channel_not_found: 404,
  channel_is_archived: 410,
};

/** Slack's answer above the rate limit. */
export function slackRateLimited() {
  return { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' };
}

/**
 * One webhook's rate window: `allows()` says whether a message now is within
 * one per `intervalMs`; `accepted()` starts the next window. `toleranceMs`
 * absorbs timer resolution only.
 */
export function rateWindow(intervalMs = SLACK_INTERVAL_MS, toleranceMs = 20) {
  let last = -Infinity;
  return {
    allows: () => Date.now() - last >= intervalMs - toleranceMs,
    accepted: () => {
      last = Date.now();
    },
  };
}

/** @param {import('./slack.d.mts').SlackOptions} [options] */
export function slackWebhook(options = {}) {
  const { rateLimit = false, toleranceMs = 20, hooks = {} } = options;
  /** @type {Map<string, ReturnType<typeof rateWindow>>} */
  const windows = new Map();
  /** @type {import('./http.d.mts').ReplyFn} */
  return (request) => {
    const path = request.path.split('?')[0] ?? '/';
    const state = hooks[path];
    if (state) return { status: STATE_STATUS[state], body: state };
    const window = windows.get(path) ?? rateWindow(SLACK_INTERVAL_MS, toleranceMs);
    windows.set(path, window);
    if (rateLimit && !window.allows()) return slackRateLimited();
    const reply = validate(request.body);
    if (reply.status === 200) window.accepted();
    return reply;
  };
}

/** @param {string} text */
function validate(text) {
  const body = jsonObject(text);
  if (!body) return { status: 400, body: 'invalid_payload' };
  const { text: fallback, blocks, attachments } = body;
  if (typeof fallback !== 'string' && !Array.isArray(blocks) && !Array.isArray(attachments))
    return { status: 400, body: 'no_text' };
  if (Array.isArray(blocks) && blocks.length > SLACK_MAX_BLOCKS) return { status: 400, body: 'invalid_blocks' };
  if (Array.isArray(attachments) && attachments.length > SLACK_MAX_ATTACHMENTS)
    return { status: 400, body: 'too_many_attachments' };
  return { status: 200, body: 'ok' };
}
