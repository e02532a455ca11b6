import type { ReplyFn } from './http.d.mts';

export declare const SIGNATURE_HEADER: 'x-guardduty-notify-signature';

/** Whether `header` is `sha256=<hex HMAC-SHA256 of raw with secret>` (constant-time). */
export declare function verifySignature(raw: Buffer, header: string | undefined, secret: string): boolean;

export interface WebhookOptions {
  /** The shared secret to verify with (a function to change it between tests); null accepts unsigned requests. */
  secret?: string | null | (() => string | null);
}

/**
 * A receiver that verifies the signature, then requires the JSON envelope; 204 on success.
 *
 * @example const siem = await startReceiver(signedWebhook({ secret }));
 */
export declare function signedWebhook(options?: WebhookOptions): ReplyFn;
