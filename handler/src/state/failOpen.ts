import type { Logger } from '../observe/logger.js';
import { STATE_OPERATIONS } from './operations.js';
import type { StateBackend, StateStore } from './store.js';

/** Why the memory could not answer, for logs and the fault tally. */
export type UnavailableReason = 'throttled' | 'timeout' | 'network' | 'incomplete' | 'error';

export interface StateUnavailable {
  operation: keyof StateBackend;
  reason: UnavailableReason;
  /** Items the operation was about (sightings, delivery keys, receipts): what went unguarded. */
  items: number;
  /** True when no request was made (within the cooldown after a failure). */
  skipped: boolean;
  error: unknown;
}

export interface FailOpenHooks {
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Called for every failed call: count it (the `StateUnavailable` metric). */
  onUnavailable?: (failure: StateUnavailable) => void;
  /**
   * After a failure, calls within this many ms answer "unknown" without a
   * request: a throttled or unreachable table costs one timeout per outage
   * window, not one per call, and is not pressed harder while it throttles.
   */
  cooldownMs?: number;
  now?: () => number;
}

export const DEFAULT_COOLDOWN_MS = 2_000;

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

export function classify(error: unknown): UnavailableReason {
  if (!(error instanceof Error)) return 'error';
  if (THROTTLING.has(error.name)) return 'throttled';
  if (error.name === 'StateIncompleteError') return 'incomplete';
  // The SDK names a reset socket "TimeoutError" too (code ECONNRESET): the code tells them apart.
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'network';
  if (error.name === 'TimeoutError' || error.name === 'AbortError' || error.name === 'RequestTimeout') return 'timeout';
  return 'error';
}

function itemCount(args: readonly unknown[]): number {
  const [first] = args;
  return Array.isArray(first) ? first.length : args.length === 0 ? 0 : 1;
}

/**
 * Wraps a backend so that no failure of the memory reaches delivery: any error
 * (throttling, 5xx, resets, timeouts, unprocessed items after retries) makes
 * the call answer `undefined` ("unknown": behave statelessly), is counted
 * through `onUnavailable`, and is logged once per outage (one warning when it
 * starts, one info line when a call succeeds again), not once per call.
 */
export function failOpen(backend: StateBackend, hooks: FailOpenHooks): StateStore {
  const { cooldownMs = DEFAULT_COOLDOWN_MS, now = Date.now } = hooks;
  let outage: { since: string; failures: number; lastFailureAt: number; reason: UnavailableReason } | undefined;

  function guard<K extends keyof StateBackend>(operation: K) {
    const call = backend[operation] as (...args: unknown[]) => Promise<unknown>;
    return async (...args: unknown[]): Promise<unknown> => {
      if (outage && now() - outage.lastFailureAt < cooldownMs) {
        outage.failures++;
        const error = new Error('state table unavailable (cooling down after a failure)');
        hooks.onUnavailable?.({ operation, reason: outage.reason, items: itemCount(args), skipped: true, error });
        return undefined;
      }
      try {
        const answer = await call(...args);
        if (outage) {
          hooks.logger.info('state table available again: idempotent delivery and exact escalations resume', {
            unavailableSince: outage.since,
            failedCalls: outage.failures,
          });
          outage = undefined;
        }
        return answer === undefined ? true : answer;
      } catch (error) {
        const reason = classify(error);
        const items = itemCount(args);
        hooks.onUnavailable?.({ operation, reason, items, skipped: false, error });
        if (outage) {
          outage.failures++;
          outage.lastFailureAt = now();
          outage.reason = reason;
        } else {
          outage = { since: new Date(now()).toISOString(), failures: 1, lastFailureAt: now(), reason };
          hooks.logger.warn('state table unavailable: delivering statelessly (redeliveries may repeat a message)', {
            operation,
            reason,
            errorName: error instanceof Error ? error.name : typeof error,
            errorMessage: error instanceof Error ? error.message : String(error),
          });
        }
        return undefined;
      }
    };
  }

  return { enabled: true, ...Object.fromEntries(STATE_OPERATIONS.map((op) => [op, guard(op)])) } as StateStore;
}
