import { DeliveryError, failureKindForStatus, type ChannelRef } from './errors.js';
import { postOnce, TransportError, type Post, type PostResponse } from './transport.js';

export interface HttpPolicy {
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Attempts in this invocation (1 = no retry). */
  attempts: number;
  /** Longest Retry-After honoured in-process; longer ones end the attempts so the pair is re-queued. */
  maxRetryAfterSeconds: number;
}

export interface HttpResult {
  status: number;
  body: string;
  attempts: number;
}

export interface HttpDeps {
  post: Post;
  sleep: (ms: number) => Promise<void>;
}

export const defaultHttpDeps: HttpDeps = {
  post: postOnce,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Parses Retry-After (seconds or HTTP date) into seconds, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function backoffMs(attempt: number): number {
  // 250 ms, 500 ms, 1 s … with jitter, capped at 4 s.
  const base = Math.min(4_000, 250 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * (base / 2);
}

/** The code of a request Node refused to build (bad URL, protocol or header value): no network was involved. */
function unsendableCode(error: unknown): string | undefined {
  if (!(error instanceof TransportError)) return undefined;
  const { code } = error;
  return code === 'EINVALIDURL' || code === 'EPROTOCOL' || code.startsWith('ERR_INVALID_') ? code : undefined;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof TransportError) return error.code === 'ETIMEDOUT' ? 'timed out' : `network error ${error.code}`;
  return 'network error';
}

/**
 * POSTs a body with a timeout, retrying 429/5xx/network failures with backoff
 * and honouring Retry-After up to the policy's cap. Resolves on 2xx; otherwise
 * throws a {@link DeliveryError} naming the `channel` (never the URL, which
 * often is the secret).
 *
 * @example await postWithRetry(url, JSON.stringify(payload), { 'content-type': 'application/json' }, policy, channel)
 */
export async function postWithRetry(
  url: string,
  body: string,
  headers: Record<string, string>,
  policy: HttpPolicy,
  channel: ChannelRef,
  deps: HttpDeps = defaultHttpDeps,
): Promise<HttpResult> {
  const on = { name: channel.name, type: channel.type };
  let last: DeliveryError | undefined;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let response: PostResponse;
    try {
      response = await deps.post(url, { headers, body, timeoutMs: policy.timeoutMs });
    } catch (error) {
      const unsendable = unsendableCode(error);
      if (unsendable) {
        // The URL or a header cannot be sent at all: only a config fix helps, so no retries here.
        last = new DeliveryError(`cannot send the request (${unsendable})`, 'config', {
          channel: on,
          cause: error,
          code: unsendable,
          attempts: attempt,
        });
        break;
      }
      last = new DeliveryError(describeNetworkError(error), 'retryable', {
        channel: on,
        cause: error,
        ...(error instanceof TransportError ? { code: error.code } : {}),
        attempts: attempt,
      });
      if (attempt < policy.attempts) await deps.sleep(backoffMs(attempt));
      continue;
    }
    const text = response.body;
    if (response.status >= 200 && response.status < 300)
      return { status: response.status, body: text, attempts: attempt };

    const kind = failureKindForStatus(response.status);
    const retryAfterSeconds = parseRetryAfter(response.retryAfter);
    // Services echo request fragments in errors; keep a short, single-line excerpt only.
    const excerpt = text.replace(/\s+/g, ' ').slice(0, 120);
    last = new DeliveryError(`HTTP ${response.status}${excerpt ? ` ${excerpt}` : ''}`, kind, {
      channel: on,
      status: response.status,
      attempts: attempt,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
    if (kind !== 'retryable' || attempt >= policy.attempts) break;
    if (retryAfterSeconds !== undefined) {
      if (retryAfterSeconds > policy.maxRetryAfterSeconds) break;
      await deps.sleep(retryAfterSeconds * 1000);
    } else {
      await deps.sleep(backoffMs(attempt));
    }
  }
  throw last ?? new DeliveryError('not attempted', 'retryable', { channel: on });
}
