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

/**
 * A delivery failure. Its message never contains the destination URL, routing
 * key or credentials: it is logged and written to the DLQ as the reason.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly details: { status?: number; retryAfterSeconds?: number; attempts?: number } = {},
  ) {
    super(message);
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
 * A failure from an SDK or SMTP seam as a DeliveryError naming the channel.
 * A seam's own DeliveryError starts with the channel type (`sns: NotFound: …`,
 * `email via host:587: …`); the label (`sns "audit"`) takes the type's place so
 * logs and dead letters say which channel it was. Anything else becomes a
 * retryable failure with the label (one line, no destination details).
 */
export function asDeliveryError(error: unknown, label: string): DeliveryError {
  if (error instanceof DeliveryError) {
    const type = label.split(' ')[0] ?? '';
    if (
      error.message.startsWith(label) ||
      !type ||
      !(error.message.startsWith(`${type}:`) || error.message.startsWith(`${type} `))
    )
      return error;
    return new DeliveryError(label + error.message.slice(type.length), error.kind, error.details);
  }
  const detail = error instanceof Error ? `${error.name}: ${cleanLine(error.message, 200)}` : 'unknown error';
  return new DeliveryError(`${label}: ${detail}`, 'retryable', { attempts: 1 });
}
