import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** One request a receiver got. */
export interface Received {
  method: string;
  /** The request target: path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body decoded as UTF-8. */
  body: string;
  /** The body bytes as received, for checks over exact bytes (signatures, sizes). */
  raw: Buffer;
  at: number;
}

/** What to do with one request: a status (with optional headers/body), a delay, or a reset connection. */
export type Reply =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | { reset: true }
  | { hang: true };

export interface Receiver {
  url(path?: string): string;
  /** Requests received so far (also those answered with errors). */
  requests: Received[];
  /** Queues replies for the next requests on a path (without query); when empty, `fallback` answers. */
  script(path: string, replies: Reply[]): void;
  /** Answers every request nothing is scripted for: a stand-in service validates here. */
  fallback: (request: Received) => Reply;
  /** Forgets the requests received and the replies still queued (between tests). */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 with an ephemeral port, answering from a
 * script, so delivery code is exercised over real sockets (timeouts, resets).
 * Scripted replies come first; `fallback` answers the rest, so a stand-in for
 * a real service puts its validation there.
 *
 * @example const receiver = await startReceiver((request) => (JSON.parse(request.body).ok ? { status: 202 } : { status: 400 }));
 */
export async function startReceiver(
  fallback: (request: Received) => Reply = () => ({ status: 200, body: 'ok' }),
): Promise<Receiver> {
  const scripts = new Map<string, Reply[]>();
  const sockets = new Set<Socket>();
  const requests: Received[] = [];
  const receiver: Receiver = {
    url: (path = '/') => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    requests,
    script: (path, replies) => scripts.set(path, [...(scripts.get(path) ?? []), ...replies]),
    fallback,
    reset: () => {
      requests.length = 0;
      scripts.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const answer = (res: ServerResponse, reply: Reply) => {
    if ('reset' in reply) {
      res.socket?.destroy();
      return;
    }
    if ('hang' in reply) return;
    res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
    res.end(reply.body ?? '');
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const raw = Buffer.concat(chunks);
      const received: Received = {
        method: req.method ?? '',
        path: req.url ?? '/',
        headers: req.headers,
        body: raw.toString('utf8'),
        raw,
        at: Date.now(),
      };
      requests.push(received);
      const queued = scripts.get(path);
      const reply = queued && queued.length > 0 ? queued.shift()! : receiver.fallback(received);
      if ('delayMs' in reply && reply.delayMs) setTimeout(() => answer(res, reply), reply.delayMs);
      else answer(res, reply);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return receiver;
}

/**
 * A receiver for the tests of the enclosing file or `describe`: started before
 * them, emptied before each, closed after. Use it inside tests and hooks only.
 *
 * @example const receiver = useReceiver(workflowsReply); // then, in a test: receiver.url('/hook'), receiver.requests
 */
export function useReceiver(fallback?: (request: Received) => Reply): Receiver {
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
    close: () => current().close(),
  };
}

// Beside the receivers, where the suites that need a refused connection import it from.
export { closedPort } from '../../../harness/ports.mjs';
