import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startReceiver, type Receiver, type ReplyFn } from '../../../harness/http.mjs';

// The receiver and the services' stand-ins live in harness/ (shared with chaos, demo, bench and e2e);
// this file only ties a receiver's life to vitest's hooks.
export {
  closedPort,
  startReceiver,
  type Received,
  type Receiver,
  type Reply,
  type ReplyFn,
} from '../../../harness/http.mjs';

/**
 * A receiver for the tests of the enclosing file or `describe`: started before
 * them, emptied before each, closed after. Use it inside tests and hooks only.
 *
 * @example const receiver = useReceiver(teamsWorkflow()); // then, in a test: receiver.url('/hook'), receiver.requests
 */
export function useReceiver(fallback?: ReplyFn): Receiver {
  let started: Receiver | undefined;
  beforeAll(async () => {
    started = await startReceiver(fallback);
  });
  afterAll(() => started?.close());
  beforeEach(() => started?.reset());
  const current = (): Receiver => {
    if (!started) throw new Error('the receiver starts in beforeAll: use it inside tests and hooks');
    return started;
  };
  return {
    get port() {
      return current().port;
    },
    url: (path) => current().url(path),
    get requests() {
      return current().requests;
    },
    script: (path, replies) => current().script(path, replies),
    get fallback() {
      return current().fallback;
    },
    set fallback(value) {
      current().fallback = value;
    },
    reset: () => current().reset(),
    idle: () => current().idle(),
    close: () => current().close(),
  };
}

/**
 * The receivers a test starts, each closed after the test: push what you start.
 *
 * @example const receivers = closedAfterEach(); // in a test: receivers.push(await startReceiver())
 */
export function closedAfterEach(): Receiver[] {
  const open: Receiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  return open;
}
