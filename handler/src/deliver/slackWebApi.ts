import { DeliveryError, type ChannelRef, type FailureKind } from './errors.js';
import { defaultHttpDeps, postWithRetry, type HttpDeps, type HttpPolicy } from './http.js';

/*
 * The Slack Web API calls the Slack app channel makes (chat.postMessage,
 * chat.update). Slack answers most errors as HTTP 200 with
 * {"ok": false, "error": "<code>"}, and rate limits as HTTP 429 with
 * Retry-After (retried by postWithRetry like any 429). The codes are Slack's
 * documented ones (docs.slack.dev, reference → methods → chat.postMessage /
 * chat.update, "Errors").
 */

/** The message this call was about is gone (deleted), or can no longer be edited: post a new parent instead. */
export const MESSAGE_GONE = new Set([
  'message_not_found',
  'thread_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

/** Codes a config change (token, scopes, inviting the bot, channel id) cures. */
const CONFIG_CODES = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'team_access_not_granted',
  'ekm_access_denied',
]);

/** Codes of a passing trouble on Slack's side: retried later. */
const RETRYABLE_CODES = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** How the delivery loop handles a Slack `error` code: config, retryable, or permanent (the payload itself). */
export function slackFailureKind(code: string): FailureKind {
  if (CONFIG_CODES.has(code)) return 'config';
  if (RETRYABLE_CODES.has(code)) return 'retryable';
  return 'permanent';
}

export type SlackMethod = 'chat.postMessage' | 'chat.update';

export interface SlackCallOptions {
  token: string;
  /** Base URL ending in `/` (Slack's `https://slack.com/api/`, or a loopback stand-in). */
  apiBase: string;
  policy: HttpPolicy;
  /** The channel the call is for (errors name it, never the token). */
  label: ChannelRef;
  deps?: HttpDeps;
}

/** What Slack answers on success (the fields the channel reads). */
export interface SlackOk {
  ok: true;
  channel?: string;
  ts?: string;
  [key: string]: unknown;
}

function parseAnswer(body: string): { ok?: unknown; error?: unknown } | null {
  try {
    const json: unknown = JSON.parse(body);
    return json !== null && typeof json === 'object' ? (json as { ok?: unknown; error?: unknown }) : null;
  } catch {
    return null;
  }
}

/**
 * Calls one Slack Web API method with a JSON body and the bot token. Resolves
 * to Slack's `ok` answer; throws a DeliveryError whose `code` is Slack's error
 * code and whose kind follows {@link slackFailureKind}.
 *
 * @example const { ts } = await callSlack('chat.postMessage', { channel: 'C123', text: 'hi' }, { token, apiBase, policy, label })
 */
export async function callSlack(
  method: SlackMethod,
  body: Record<string, unknown>,
  options: SlackCallOptions,
): Promise<SlackOk & { attempts: number }> {
  const result = await postWithRetry(
    `${options.apiBase}${method}`,
    JSON.stringify(body),
    { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${options.token}` },
    options.policy,
    options.label,
    options.deps ?? defaultHttpDeps,
  );
  const answer = parseAnswer(result.body);
  if (answer?.ok === true) return { ...(answer as SlackOk), attempts: result.attempts };
  const code =
    typeof answer?.error === 'string' ? answer.error.replace(/[^a-z0-9_]/g, '').slice(0, 60) : 'invalid_response';
  throw new DeliveryError(`${method} failed: ${code}`, slackFailureKind(code), {
    channel: options.label,
    code,
    status: result.status,
    attempts: result.attempts,
  });
}
