import type { ReplyFn } from './http.d.mts';

/** Why Slack refuses every call for one channel id. */
export type SlackChannelState = 'channel_not_found' | 'not_in_channel' | 'is_archived';

export interface SlackWebApiOptions {
  /** Bot tokens Slack accepts (others: invalid_auth). Default: `xoxb-test-token-0000`. */
  tokens?: string[];
  /** Channel ids Slack refuses, and why (bot not invited, channel gone, archived). */
  channels?: Record<string, SlackChannelState>;
  /** Enforce chat.postMessage's one message per second per channel (429 ratelimited, Retry-After: 1). */
  rateLimit?: boolean;
  /** User group id → member user ids, for usergroups.users.list. */
  groups?: Record<string, string[]>;
}

/** One message as the stand-in keeps it: the request body, and every chat.update body since. */
export interface SlackStoredMessage {
  channel: string;
  ts: string;
  /** The parent's ts when the message is a thread reply. */
  threadTs: string | undefined;
  body: Record<string, unknown>;
  edits: Record<string, unknown>[];
  /** The message as Slack shows it now: the post with every edit applied (an edit keeps what it leaves out). */
  current: Record<string, unknown>;
}

export interface SlackWebApi {
  /** Pass to `startReceiver`; methods are served under `/api/<method>`. */
  reply: ReplyFn;
  /** Every message kept, by `<channel>/<ts>`. */
  messages: Map<string, SlackStoredMessage>;
  parents(channel: string): SlackStoredMessage[];
  replies(channel: string, ts: string): SlackStoredMessage[];
  deleteMessage(channel: string, ts: string): boolean;
}

/**
 * A Slack Web API stand-in: chat.postMessage (threads, reply_broadcast),
 * chat.update, usergroups.users.list; errors as Slack returns them.
 *
 * @example const api = slackWebApi(); const server = await startReceiver(api.reply); // apiBase: server.url('/api/')
 */
export declare function slackWebApi(options?: SlackWebApiOptions): SlackWebApi;
