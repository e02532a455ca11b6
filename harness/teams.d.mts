import type { Reply, ReplyFn } from './http.d.mts';

export declare const TEAMS_MAX_BYTES: number;
export declare const ADAPTIVE_CARD: 'application/vnd.microsoft.card.adaptive';

/**
 * What a Teams Workflows webhook answers: 202, 400 (not JSON / not an Adaptive Card message), 413 (over 28 KB).
 *
 * @example const teams = await startReceiver(teamsWorkflow());
 */
export declare function teamsWorkflow(): ReplyFn;

/** The 429 Workflows send when a flow is throttled. */
export declare function teamsThrottled(retryAfterSeconds?: number): Reply;
