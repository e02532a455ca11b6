import type { ReplyFn } from './http.d.mts';

export declare const GOOGLE_CHAT_MAX_BYTES: number;
export declare const GOOGLE_CHAT_INTERVAL_MS: number;

export interface GoogleChatOptions {
  /** Enforce one write per second per space (429 RESOURCE_EXHAUSTED). */
  rateLimit?: boolean;
  toleranceMs?: number;
}

/**
 * What a Google Chat webhook (`/v1/spaces/<space>/messages?key=…&token=…`) answers.
 *
 * @example const chat = await startReceiver(googleChatWebhook());
 */
export declare function googleChatWebhook(options?: GoogleChatOptions): ReplyFn & {
  /** Messages created so far (a repeated requestId creates none). */
  created(): number;
};
