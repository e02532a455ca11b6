// Microsoft Teams Workflows webhook ("Post to a channel when a webhook request
// is received"): 202 with an empty body once the flow is triggered; 400 for a
// request that is not JSON or not a message with Adaptive Card attachments;
// 413 above the 28 KB message size Teams accepts.
import { jsonObject, jsonReply } from './http.mjs';

/** Teams' message size limit for bots and webhooks. */
export const TEAMS_MAX_BYTES = 28 * 1024;
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** @param {unknown} attachment */
function isAdaptiveCard(attachment) {
  const a = /** @type {{ contentType?: unknown, content?: { type?: unknown, version?: unknown, body?: unknown } }} */ (
    attachment ?? {}
  );
  return (
    a.contentType === ADAPTIVE_CARD &&
    a.content?.type === 'AdaptiveCard' &&
    typeof a.content.version === 'string' &&
    Array.isArray(a.content.body)
  );
}

/** @returns {import('./http.d.mts').ReplyFn} */
export function teamsWorkflow() {
  return (request) => {
    if (request.method !== 'POST' || !String(request.headers['content-type']).startsWith('application/json'))
      return { status: 400, body: 'Bad request' };
    if (request.raw.length > TEAMS_MAX_BYTES) return { status: 413, body: 'Request Entity too large' };
    const message = jsonObject(request.body);
    if (!message) return { status: 400, body: 'Invalid JSON' };
    const { type, attachments } = message;
    if (
      type !== 'message' ||
      !Array.isArray(attachments) ||
      attachments.length === 0 ||
      !attachments.every(isAdaptiveCard)
    )
      return jsonReply(400, {
        error: { code: 'InvalidRequestContent', message: 'The request content is not an Adaptive Card message.' },
      });
    return { status: 202, body: '' };
  };
}

/** Workflows' throttling answer. */
export function teamsThrottled(retryAfterSeconds = 1) {
  return { status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: 'Rate limit is exceeded.' };
}
