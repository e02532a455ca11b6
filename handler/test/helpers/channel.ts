import { expect } from 'vitest';
import type { SendContext } from '../../src/channels/types.js';
import { DeliveryError } from '../../src/deliver/errors.js';
import type { HttpPolicy } from '../../src/deliver/http.js';
import { postOnce } from '../../src/deliver/transport.js';

/** The delivery policy channel tests send with: 3 attempts, Retry-After waited up to 10 s. */
export const TEST_HTTP_POLICY: HttpPolicy = { timeoutMs: 2_000, attempts: 3, maxRetryAfterSeconds: 10 };

/**
 * A send context over the real HTTP transport whose sleeps return at once, each
 * recorded in `sleeps`; the SNS and mail seams reject (override them to use them).
 *
 * @example const sleeps: number[] = []; await teamsChannel.send(payload, channel, sendContext(sleeps)); expect(sleeps).toEqual([2_000]);
 */
export function sendContext(sleeps: number[] = []): SendContext {
  return {
    http: TEST_HTTP_POLICY,
    httpDeps: {
      post: postOnce,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    snsPublish: () => Promise.reject(new Error('not used')),
    snsPublishBatch: () => Promise.reject(new Error('not used')),
    sendMail: () => Promise.reject(new Error('not used')),
  };
}

/**
 * The DeliveryError a send rejects with; fails the test when it resolves or rejects with anything else.
 *
 * @example expect((await deliveryError(channel.send(payload, target, sendContext()))).kind).toBe('config');
 */
export async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}
