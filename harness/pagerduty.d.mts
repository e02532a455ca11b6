import type { Reply, ReplyFn } from './http.d.mts';

export declare const PAGERDUTY_ENQUEUE_PATH: '/v2/enqueue';
export declare const PAGERDUTY_MAX_BYTES: number;

export interface PagerDutyOptions {
  /** Accept only this integration's routing key (400 "Invalid routing key" otherwise). */
  routingKey?: string;
}

/**
 * What the PagerDuty Events API v2 answers at `/v2/enqueue`.
 *
 * @example const pagerduty = await startReceiver(pagerDutyEventsApi({ routingKey }));
 */
export declare function pagerDutyEventsApi(options?: PagerDutyOptions): ReplyFn;

/** The Events API's 429 body ("throttle event"). */
export declare function pagerDutyThrottled(retryAfterSeconds?: number): Reply;
