import { postOnce, type Post } from '../deliver/transport.js';
import type { Replier } from './actions.js';
import type { GroupMembers } from './authorise.js';

/*
 * The two Slack calls the endpoint makes: answering through an interaction's
 * response_url, and reading a user group's members (usergroups.users.list).
 */

const TIMEOUT_MS = 2_500;

/** Only Slack's own hooks host receives replies (a response_url is data from the request). */
export const SLACK_RESPONSE_URL_PREFIX = 'https://hooks.slack.com/';

/**
 * A replier posting ephemeral messages to the interaction's response_url,
 * when it starts with `allowedPrefix`; otherwise it only logs (via `onDropped`).
 */
export function responseUrlReplier(
  responseUrl: string | undefined,
  options: { allowedPrefix: string; post?: Post; onDropped?: (why: string) => void },
): Replier {
  const post = options.post ?? postOnce;
  return {
    async ephemeral(text) {
      if (!responseUrl?.startsWith(options.allowedPrefix)) {
        options.onDropped?.(responseUrl ? 'response_url outside the allowed prefix' : 'no response_url');
        return;
      }
      const response = await post(responseUrl, {
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        timeoutMs: TIMEOUT_MS,
      });
      if (response.status < 200 || response.status >= 300)
        options.onDropped?.(`response_url answered HTTP ${response.status}`);
    },
  };
}

/** Slack Web API `usergroups.users.list` (needs the bot token's usergroups:read scope). */
export function slackGroupMembers(
  botToken: string,
  apiBase = 'https://slack.com/api/',
  post: Post = postOnce,
): GroupMembers {
  return async (groupId) => {
    const response = await post(`${apiBase}usergroups.users.list`, {
      headers: {
        authorization: `Bearer ${botToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ usergroup: groupId }).toString(),
      timeoutMs: TIMEOUT_MS,
    });
    // Slack's Web API answers errors as HTTP 200 with {"ok": false, "error": …}.
    const json = JSON.parse(response.body) as { ok?: boolean; users?: unknown; error?: unknown };
    if (response.status !== 200 || json.ok !== true || !Array.isArray(json.users)) {
      throw new Error(`usergroups.users.list failed: ${typeof json.error === 'string' ? json.error : response.status}`);
    }
    return json.users.filter((u): u is string => typeof u === 'string');
  };
}
