import { cleanLine } from '../text/clean.js';

/**
 * How a failed delivery should be handled:
 * - `retryable`: transient (429, 5xx, timeout, network) — retry, then re-queue.
 * - `config`: the destination refused us (401/403/404/410, unknown topic) — a
 *   config fix can cure it, so re-queue with a delay until the budget runs out.
 * - `permanent`: the payload itself was refused (400, 413, …) — retrying cannot
 *   help; dead-letter at once with the reason.
 */
export type FailureKind = 'retryable' | 'config' | 'permanent';

/** Names the channel a failure belongs to (never its endpoint, which is often the secret). */
export interface ChannelRef {
  name: string;
  type: string;
}

export interface DeliveryErrorOptions {
  /** The channel it happened on; seams leave it out and {@link asDeliveryError} adds it. */
  channel?: ChannelRef;
  /** The error underneath (transport, SDK, SMTP, renderer), kept for logs. */
  cause?: unknown;
  /** A short machine-readable code from the service or transport (`NotFound`, `EAUTH`, `ETIMEDOUT`). */
  code?: string;
  status?: number;
  retryAfterSeconds?: number;
  attempts?: number;
}

/** How a channel is named in messages: `slack "sec-alerts"`. The one place this text is made. */
export function channelLabel(channel: ChannelRef): string {
  return `${channel.type} "${channel.name}"`;
}

/**
 * A delivery failure. Its message never contains the destination URL, routing
 * key or credentials: it is logged and written to the DLQ as the reason. The
 * channel and the cause are fields; the message is `<channel label>: <detail>`,
 * formatted here from them.
 *
 * @example new DeliveryError('HTTP 503', 'retryable', { channel: { name: channel.name, type: channel.type }, status: 503 })
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly channel: ChannelRef | undefined;
  readonly code: string | undefined;
  readonly details: { status?: number; retryAfterSeconds?: number; attempts?: number };

  constructor(
    /** What went wrong, without the channel (that prefix is added from `channel`). */
    readonly detail: string,
    readonly kind: FailureKind,
    options: DeliveryErrorOptions = {},
  ) {
    const { channel, cause, code, ...details } = options;
    super(channel ? `${channelLabel(channel)}: ${detail}` : detail, cause === undefined ? undefined : { cause });
    this.channel = channel;
    this.code = code;
    this.details = details;
  }

  /** This failure, attributed to `channel` (unchanged when it already names one). */
  on(channel: ChannelRef): DeliveryError {
    if (this.channel) return this;
    return new DeliveryError(this.detail, this.kind, {
      channel: { name: channel.name, type: channel.type },
      cause: this.cause,
      ...(this.code !== undefined ? { code: this.code } : {}),
      ...this.details,
    });
  }
}

/** Classifies an HTTP status from a chat/webhook endpoint. */
export function failureKindForStatus(status: number): FailureKind {
  if (status === 429 || status === 408 || status >= 500) return 'retryable';
  // A redirect or a refusal means the URL or its credentials are wrong: fixable in the config.
  if ((status >= 300 && status < 400) || status === 401 || status === 403 || status === 404 || status === 410)
    return 'config';
  return 'permanent';
}

/**
 * Any failure of a channel's send as a DeliveryError naming the channel: a
 * seam's own DeliveryError gets the channel field; anything else becomes a
 * retryable failure with a one-line detail (no destination details) and the
 * original as its cause.
 */
export function asDeliveryError(error: unknown, channel: ChannelRef): DeliveryError {
  if (error instanceof DeliveryError) return error.on(channel);
  const detail = error instanceof Error ? `${error.name}: ${cleanLine(error.message, 200)}` : 'unknown error';
  return new DeliveryError(detail, 'retryable', {
    channel: { name: channel.name, type: channel.type },
    cause: error,
    attempts: 1,
  });
}
