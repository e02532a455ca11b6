import type { Reply, ReplyFn } from './http.d.mts';

export declare const SLACK_INTERVAL_MS: number;
export declare const SLACK_MAX_BLOCKS: number;
export declare const SLACK_MAX_ATTACHMENTS: number;

/** Why Slack refuses every message to one webhook URL. */
export type SlackHookState =
  | 'invalid_token'
  | 'action_prohibited'
  | 'no_service'
  | 'channel_not_found'
  | 'channel_is_archived';

export interface SlackOptions {
  /** Enforce one message per second per webhook path (429 rate_limited, Retry-After: 1). */
  rateLimit?: boolean;
  /** Timer slack allowed below the interval (default 20 ms). */
  toleranceMs?: number;
  /** Webhook paths (without query) Slack refuses, and why (revoked, archived channel, …). */
  hooks?: Record<string, SlackHookState>;
}

/**
 * What a Slack incoming webhook answers: validation, per-webhook states and
 * the optional rate limit. Pass it to `startReceiver`.
 *
 * @example const slack = await startReceiver(slackWebhook({ rateLimit: true }));
 */
export declare function slackWebhook(options?: SlackOptions): ReplyFn;

/** Slack's 429 rate_limited with Retry-After: 1. */
export declare function slackRateLimited(): Reply;

/** One webhook's rate window (one message per `intervalMs`, default Slack's 1 s; `toleranceMs` for timer resolution, default 20). */
export declare function rateWindow(intervalMs?: number, toleranceMs?: number): { allows(): boolean; accepted(): void };
