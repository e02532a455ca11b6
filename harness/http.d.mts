import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ServerOptions {
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer } | undefined;
  /** Listen on this port (0, the default, takes a free one). */
  port?: number;
  keepAliveTimeoutMs?: number;
}

/** A server's open connections. */
export interface Connections {
  /** The connections open now. */
  sockets: ReadonlySet<Socket>;
  /**
   * Resolves once no connection is open (at once if none is), after what the
   * last closed one's bytes set off has run: e.g. every request a killed client
   * had fully sent is recorded.
   */
  idle(): Promise<void>;
}

/** Tracks a server's connections (every server of the harness does). */
export declare function trackConnections(server: NetServer): Connections;

export interface RawServer extends Connections {
  port: number;
  url(path?: string): string;
  /** Destroys every open connection (keep-alive ones included); the server keeps listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * Starts an HTTP(S) server on 127.0.0.1 that tracks its connections, so
 * `close()` ends keep-alive sockets too. For proxies and protocol tests;
 * stand-ins of services use {@link startReceiver}.
 */
export declare function startServer(handle: RequestHandler, options?: ServerOptions): Promise<RawServer>;

/** The whole body of a request. */
export declare function readBody(req: IncomingMessage): Promise<Buffer>;

/** One request a receiver got, and how it was answered. */
export interface Received {
  method: string;
  /** The request target: path and query. */
  path: string;
  /** The Host header without its port, lower-cased (an HTTPS receiver can stand for several hosts). */
  host: string;
  headers: IncomingHttpHeaders;
  /** The body decoded as UTF-8. */
  body: string;
  /** The body bytes as received, for checks over exact bytes (signatures, sizes). */
  raw: Buffer;
  at: number;
  /** "200", "429", "reset", "hang", …; empty until answered. */
  answer: string;
  /** The status written, when the reply was a status. */
  status: number | undefined;
  /** The client received a 2xx for this request. */
  accepted: boolean;
  /** A 2xx was due but the client had gone (timed out) before it was written. */
  late: boolean;
}

/** What to do with one request: a status (with optional headers/body, after a delay), a reset connection, or no answer. */
export type Reply =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | { reset: true }
  | { hang: true };

/** Answers a request; `n` is its 0-based index among the requests this receiver got. */
export type ReplyFn = (request: Received, n: number) => Reply;

export interface ReceiverOptions {
  tls?: ServerOptions['tls'];
}

export interface Receiver {
  port: number;
  url(path?: string): string;
  /** Requests received so far (also those answered with errors). */
  requests: Received[];
  /** Queues replies for the next requests on a path (without query); when empty, `fallback` answers. */
  script(path: string, replies: Reply[]): void;
  /** Answers every request nothing is scripted for: a stand-in for a service validates here. */
  fallback: ReplyFn;
  /** Forgets the requests received and the replies still queued. */
  reset(): void;
  /** See {@link Connections.idle}. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP(S) server on 127.0.0.1 with an ephemeral port, so delivery code
 * is exercised over real sockets (timeouts, resets). Scripted replies come
 * first; `fallback` answers the rest.
 *
 * @example const slack = await startReceiver(slackWebhook()); // then slack.url('/services/T/B/x'), slack.requests
 */
export declare function startReceiver(fallback?: ReplyFn, options?: ReceiverOptions): Promise<Receiver>;

/** Fault injection: the first `count` requests get `failure`, the rest `then` (200 "ok" by default). */
export declare function failFirst(count: number, failure: Reply, then?: ReplyFn): ReplyFn;

/** Fault injection: these replies in order, then `then` (200 "ok" by default). */
export declare function inSequence(replies: Reply[], then?: ReplyFn): ReplyFn;

/**
 * A port on 127.0.0.1 with nothing listening: bound, then released. For a
 * server that must be told its port (moto_server cannot take 0), or a
 * destination that refuses connections. Another process may take it before
 * it is used, so a caller that binds it should be ready to try again.
 */
export declare function closedPort(): Promise<number>;

/** The body parsed as a JSON object, or null (not JSON, or not an object). */
export declare function jsonObject(body: string): Record<string, unknown> | null;

/** A reply with a JSON body. */
export declare function jsonReply(status: number, body: unknown, headers?: Record<string, string>): Reply;
