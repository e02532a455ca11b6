// The one HTTP server every harness starts (tests, chaos, demo, bench, e2e):
// a raw server for proxies and protocol tests, and a receiver that records
// each request and answers it from a script, a fault, or the stand-in of a
// real service (harness/slack.mjs, teams.mjs, googleChat.mjs, pagerduty.mjs,
// webhook.mjs). Plain ESM, so bare `node` (the bench, the Lambda host) can
// import it as well as vitest and tsx.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * @param {import('node:net').Server} server
 * @param {number} port
 */
function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
    });
  });
}

/**
 * @param {import('node:net').Server} server
 * @returns {import('./http.d.mts').Connections}
 */
export function trackConnections(server) {
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  /** @type {Array<() => void>} */
  let waiting = [];
  // setImmediate: what the last bytes of a closed connection set off (parsers, promise continuations) runs first.
  const wake = () => {
    const now = waiting;
    waiting = [];
    for (const resolve of now) setImmediate(resolve);
  };
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      if (sockets.size === 0) wake();
    });
  });
  return {
    sockets,
    idle: () =>
      new Promise((resolve) => {
        if (sockets.size === 0) setImmediate(resolve);
        else waiting.push(() => resolve(undefined));
      }),
  };
}

/**
 * @param {import('./http.d.mts').RequestHandler} handle
 * @param {import('./http.d.mts').ServerOptions} [options]
 * @returns {Promise<import('./http.d.mts').RawServer>}
 */
export async function startServer(handle, options = {}) {
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handle)
    : http.createServer(handle);
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  const { sockets, idle } = trackConnections(server);
  const port = await listen(server, options.port ?? 0);
  const scheme = options.tls ? 'https' : 'http';
  const dropConnections = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    port,
    url: (path = '/') => `${scheme}://127.0.0.1:${port}${path}`,
    sockets,
    idle,
    dropConnections,
    close: () =>
      new Promise((resolve) => {
        dropConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** @type {import('./http.d.mts').ReplyFn} */
const okReply = () => ({ status: 200, body: 'ok' });

/**
 * @param {import('./http.d.mts').ReplyFn} [fallback]
 * @param {import('./http.d.mts').ReceiverOptions} [options]
 * @returns {Promise<import('./http.d.mts').Receiver>}
 */
export async function startReceiver(fallback = okReply, options = {}) {
  /** @type {Map<string, import('./http.d.mts').Reply[]>} */
  const scripts = new Map();
  /** @type {import('./http.d.mts').Received[]} */
  const requests = [];

  /**
   * @param {import('node:http').ServerResponse} res
   * @param {import('./http.d.mts').Reply} reply
   * @param {import('./http.d.mts').Received} received
   */
  const answer = (res, reply, received) => {
    if ('reset' in reply) {
      received.answer = 'reset';
      res.socket?.destroy();
      return;
    }
    if ('hang' in reply) {
      received.answer = 'hang';
      return;
    }
    received.answer = String(reply.status);
    received.status = reply.status;
    const success = reply.status >= 200 && reply.status < 300;
    const write = () => {
      // A reply written after the client gave up (timed out) never reached it.
      if (!res.socket || res.socket.destroyed || res.destroyed) {
        received.late = success;
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8', ...reply.headers });
      res.end(reply.body ?? '');
      received.accepted = success;
    };
    if (reply.delayMs) setTimeout(write, reply.delayMs);
    else write();
  };

  const server = await startServer(
    async (req, res) => {
      const raw = await readBody(req);
      /** @type {import('./http.d.mts').Received} */
      const received = {
        method: req.method ?? '',
        path: req.url ?? '/',
        host: String(req.headers.host ?? '')
          .replace(/:\d+$/, '')
          .toLowerCase(),
        headers: req.headers,
        body: raw.toString('utf8'),
        raw,
        at: Date.now(),
        answer: '',
        status: undefined,
        accepted: false,
        late: false,
      };
      requests.push(received);
      const queued = scripts.get(received.path.split('?')[0] ?? '/');
      const reply = queued?.shift() ?? receiver.fallback(received, requests.length - 1);
      answer(res, reply, received);
    },
    { tls: options.tls },
  );

  /** @type {import('./http.d.mts').Receiver} */
  const receiver = {
    port: server.port,
    url: server.url,
    requests,
    script: (path, replies) => {
      scripts.set(path, [...(scripts.get(path) ?? []), ...replies]);
    },
    fallback,
    reset: () => {
      requests.length = 0;
      scripts.clear();
    },
    idle: server.idle,
    close: server.close,
  };
  return receiver;
}

/**
 * @param {number} count
 * @param {import('./http.d.mts').Reply} failure
 * @param {import('./http.d.mts').ReplyFn} [then]
 * @returns {import('./http.d.mts').ReplyFn}
 */
export function failFirst(count, failure, then = okReply) {
  let seen = 0;
  return (request, n) => (seen++ < count ? failure : then(request, n));
}

/**
 * @param {import('./http.d.mts').Reply[]} replies
 * @param {import('./http.d.mts').ReplyFn} [then]
 * @returns {import('./http.d.mts').ReplyFn}
 */
export function inSequence(replies, then = okReply) {
  const queue = [...replies];
  return (request, n) => queue.shift() ?? then(request, n);
}

/** @returns {Promise<number>} */
export async function closedPort() {
  const server = net.createServer();
  const port = await listen(server, 0);
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return port;
}

/**
 * @param {string} body
 * @returns {Record<string, unknown> | null}
 */
export function jsonObject(body) {
  try {
    const value = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @returns {import('./http.d.mts').Reply}
 */
export function jsonReply(status, body, headers = {}) {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
}
