import { createHmac, timingSafeEqual } from 'node:crypto';
import { startReceiver, type Receiver, type Received, type Reply } from './http.js';

/*
 * Local stand-ins for each HTTP service, answering the way the real one does
 * (status, body) and refusing what it would refuse, so a malformed payload
 * shows up as a failed delivery in the summary rather than a pretty card:
 *   Slack incoming webhook   200 "ok"; 400 "invalid_payload" / "no_text"
 *   Teams Workflows webhook  202 (empty); 400 without an Adaptive Card attachment
 *   Google Chat webhook      200 with the created message resource (the first one again for a repeated
 *                            requestId); 400 without text or cards
 *   PagerDuty Events API v2  202 {"status":"success",…}; 400 "invalid event"
 *   Generic webhook          200 {"received":true}; 401 when the HMAC signature does not verify
 */

function json(body: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const jsonReply = (status: number, body: unknown): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

export function slackReply(request: Received): Reply {
  const body = json(request.body);
  if (!body) return { status: 400, body: 'invalid_payload' };
  if (typeof body.text !== 'string' && !Array.isArray(body.blocks) && !Array.isArray(body.attachments))
    return { status: 400, body: 'no_text' };
  return { status: 200, body: 'ok' };
}

export function teamsReply(request: Received): Reply {
  const attachments = json(request.body)?.attachments;
  const card =
    Array.isArray(attachments) &&
    attachments.some((a) => (a as Record<string, unknown>)?.contentType === 'application/vnd.microsoft.card.adaptive');
  return card
    ? { status: 202, body: '' }
    : jsonReply(400, {
        error: { code: 'InvalidRequestContent', message: 'The request content is not an Adaptive Card message.' },
      });
}

/** A Google Chat space as its webhook sees it: the messages it created, by name. */
export interface ChatSpace {
  reply: (request: Received) => Reply;
  /** Messages created, in order (a repeated request id creates none). */
  created: Array<{ name: string; body: Record<string, unknown> }>;
}

/**
 * A Google Chat space webhook. Honours `requestId` as spaces.messages.create
 * documents it: "Specifying an existing request ID returns the message created
 * with that ID instead of creating a new message."
 */
export function googleChatSpace(space = 'DEMO'): ChatSpace {
  const created: ChatSpace['created'] = [];
  const byRequestId = new Map<string, Record<string, unknown>>();
  const reply = (request: Received): Reply => {
    const body = json(request.body);
    if (!body || (typeof body.text !== 'string' && !Array.isArray(body.cardsV2))) {
      return jsonReply(400, { error: { code: 400, message: 'Message cannot be empty.', status: 'INVALID_ARGUMENT' } });
    }
    const requestId = new URL(request.path, 'http://chat.invalid').searchParams.get('requestId');
    const existing = requestId ? byRequestId.get(requestId) : undefined;
    if (existing) return jsonReply(200, existing);
    const id = `m${created.length + 1}`;
    const threadKey = (body.thread as Record<string, unknown> | undefined)?.threadKey;
    const message = {
      name: `spaces/${space}/messages/${id}`,
      sender: { name: 'users/guardduty-notify', type: 'BOT' },
      createTime: new Date().toISOString(),
      thread: { name: `spaces/${space}/threads/${typeof threadKey === 'string' ? threadKey.slice(0, 32) : id}` },
    };
    created.push({ name: message.name, body });
    if (requestId) byRequestId.set(requestId, message);
    return jsonReply(200, message);
  };
  return { reply, created };
}

/** The demo's one space. */
export const googleChatReply = googleChatSpace().reply;

export function pagerDutyReply(routingKey: string) {
  return (request: Received): Reply => {
    const body = json(request.body);
    const problems = [
      body?.routing_key === routingKey ? null : 'Invalid routing key',
      ['trigger', 'acknowledge', 'resolve'].includes(String(body?.event_action)) ? null : "'event_action' is invalid",
      body?.event_action !== 'trigger' || (body.payload as Record<string, unknown> | undefined)?.summary
        ? null
        : "'payload.summary' is missing",
    ].filter((p): p is string => p !== null);
    if (problems.length > 0)
      return jsonReply(400, { status: 'invalid event', message: 'Event object is invalid', errors: problems });
    return jsonReply(202, { status: 'success', message: 'Event processed', dedup_key: body?.dedup_key });
  };
}

export function webhookReply(secret: string) {
  return (request: Received): Reply => {
    const sent = String(request.headers['x-guardduty-notify-signature'] ?? '');
    const expected = `sha256=${createHmac('sha256', secret).update(request.body, 'utf8').digest('hex')}`;
    const ok = sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    if (!ok) return jsonReply(401, { error: 'signature does not verify' });
    return json(request.body) ? jsonReply(200, { received: true }) : jsonReply(400, { error: 'body is not JSON' });
  };
}

/** Starts one receiver per reply function. */
export async function startReceivers<K extends string>(
  replies: Record<K, (request: Received) => Reply>,
): Promise<Record<K, Receiver>> {
  const entries = await Promise.all(
    Object.entries(replies).map(
      async ([name, reply]) => [name, await startReceiver(reply as (r: Received) => Reply)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<K, Receiver>;
}
