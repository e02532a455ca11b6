import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/deliver/errors.js';
import { parseRetryAfter, postWithRetry, type HttpDeps } from '../../src/deliver/http.js';
import { postOnce } from '../../src/deliver/transport.js';
import { closedPort, startReceiver, type Receiver } from '../helpers/receiver.js';

const policy = { timeoutMs: 500, attempts: 3, maxRetryAfterSeconds: 2 };
let receiver: Receiver | undefined;
afterEach(async () => receiver?.close());

/** Real transport, recorded sleeps (so Retry-After is checked without waiting it out). */
function recordingDeps(): HttpDeps & { slept: number[] } {
  const slept: number[] = [];
  return { post: postOnce, sleep: async (ms) => void slept.push(ms), slept };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error('expected a DeliveryError');
}

describe('postWithRetry', () => {
  it('retries 500s and succeeds, counting attempts', async () => {
    receiver = await startReceiver();
    receiver.script('/hook', [{ status: 500 }, { status: 502 }]);
    const deps = recordingDeps();
    const result = await postWithRetry(receiver.url('/hook'), '{}', {}, policy, { name: 'x', type: 'slack' }, deps);
    expect(result.attempts).toBe(3);
    expect(receiver.requests).toHaveLength(3);
  });

  it('honours Retry-After on 429 within the cap', async () => {
    receiver = await startReceiver();
    receiver.script('/hook', [{ status: 429, headers: { 'retry-after': '2' } }]);
    const deps = recordingDeps();
    await postWithRetry(receiver.url('/hook'), '{}', {}, policy, { name: 'l', type: 'webhook' }, deps);
    expect(deps.slept).toEqual([2000]);
  });

  it('stops early when Retry-After exceeds the cap, reporting it for the re-queue delay', async () => {
    receiver = await startReceiver();
    receiver.script('/hook', [{ status: 429, headers: { 'retry-after': '120' } }]);
    const error = await failure(
      postWithRetry(receiver.url('/hook'), '{}', {}, policy, { name: 'l', type: 'webhook' }, recordingDeps()),
    );
    expect(error).toMatchObject({ kind: 'retryable', details: { status: 429, retryAfterSeconds: 120, attempts: 1 } });
    expect(receiver.requests).toHaveLength(1);
  });

  it('does not retry a 400 and classifies 404 as a config problem', async () => {
    receiver = await startReceiver(() => ({ status: 400, body: 'invalid_payload' }));
    expect(
      await failure(
        postWithRetry(receiver.url('/a'), '{}', {}, policy, { name: 'l', type: 'webhook' }, recordingDeps()),
      ),
    ).toMatchObject({
      kind: 'permanent',
      message: 'webhook "l": HTTP 400 invalid_payload',
    });
    expect(receiver.requests).toHaveLength(1);
    receiver.fallback = () => ({ status: 404, body: 'no_service' });
    expect(
      (
        await failure(
          postWithRetry(receiver.url('/a'), '{}', {}, policy, { name: 'l', type: 'webhook' }, recordingDeps()),
        )
      ).kind,
    ).toBe('config');
  });

  it('times out a slow receiver and retries', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 2000 }));
    const error = await failure(
      postWithRetry(
        receiver.url('/slow'),
        '{}',
        {},
        { ...policy, timeoutMs: 100, attempts: 2 },
        { name: 'l', type: 'webhook' },
        recordingDeps(),
      ),
    );
    expect(error).toMatchObject({ kind: 'retryable', message: 'webhook "l": timed out', details: { attempts: 2 } });
  });

  it('treats a reset connection and a closed port as retryable network errors', async () => {
    receiver = await startReceiver(() => ({ reset: true }));
    expect(
      (
        await failure(
          postWithRetry(receiver.url('/r'), '{}', {}, policy, { name: 'l', type: 'webhook' }, recordingDeps()),
        )
      ).kind,
    ).toBe('retryable');
    const port = await closedPort();
    const error = await failure(
      postWithRetry(`http://127.0.0.1:${port}/x`, '{}', {}, policy, { name: 'l', type: 'webhook' }, recordingDeps()),
    );
    expect(error.message).toBe('webhook "l": network error ECONNREFUSED');
  });

  it('does not retry a request that cannot be built (a header value with a line break): a config failure', async () => {
    receiver = await startReceiver();
    const deps = recordingDeps();
    const error = await failure(
      postWithRetry(
        receiver.url('/h'),
        '{}',
        { authorization: 'Bearer x\r\nX-Injected: 1' },
        policy,
        { name: 'siem', type: 'webhook' },
        deps,
      ),
    );
    expect(error).toMatchObject({
      kind: 'config',
      message: 'webhook "siem": cannot send the request (ERR_INVALID_CHAR)',
      details: { attempts: 1 },
    });
    expect(receiver.requests).toHaveLength(0);
    expect(deps.slept).toEqual([]);
    expect(
      (
        await failure(
          postWithRetry('ftp://127.0.0.1/x', '{}', {}, policy, { name: 'l', type: 'webhook' }, recordingDeps()),
        )
      ).kind,
    ).toBe('config');
  });

  it('never puts the URL in the error', async () => {
    receiver = await startReceiver(() => ({ status: 500 }));
    const error = await failure(
      postWithRetry(
        receiver.url('/services/T/B/secret-token'),
        '{}',
        {},
        policy,
        { name: 'x', type: 'slack' },
        recordingDeps(),
      ),
    );
    expect(error.message).not.toContain('secret-token');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
