import type { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';

/** What a POST came back with: enough to classify it, nothing more. */
export interface PostResponse {
  status: number;
  retryAfter: string | null;
  /** The first {@link MAX_RESPONSE_BYTES} (or the request's `maxResponseBytes`) of the body, UTF-8 decoded. */
  body: string;
}

export interface PostRequest {
  headers: Record<string, string>;
  body: string;
  /** One deadline for the whole exchange: connect, send, status and body. */
  timeoutMs: number;
  /** Keep this much of the body (default {@link MAX_RESPONSE_BYTES}: receivers' answers are only excerpted). */
  maxResponseBytes?: number;
}

export type Post = (url: string, request: PostRequest) => Promise<PostResponse>;

/** A failure before any status arrived; `code` is Node's (ECONNREFUSED, ECONNRESET…) or ETIMEDOUT for our deadline. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Error bodies are only excerpted; a receiver cannot make us buffer more than this. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

// node:http rather than fetch: for 3,000 sequential POSTs undici's fetch grew a
// 128 MB-sized process by ~49 MB (streams, Headers, Request/Response per call)
// against ~12 MB here (see `make bench`, memory). Keep-alive agents are shared by
// a warm container; a socket that went stale while the function was frozen fails
// with ECONNRESET, which is retryable and was never delivered.
interface Client {
  request: typeof httpRequest;
  agent: HttpAgent;
}
// Loaded on first use: node:https costs ~6 ms of module init, and configs with
// only SNS or email channels never need it.
let clients: Promise<Record<'http:' | 'https:', Client>> | undefined;
function loadClients(): Promise<Record<'http:' | 'https:', Client>> {
  clients ??= Promise.all([import('node:http'), import('node:https')]).then(([http, https]) => ({
    'http:': { request: http.request, agent: new http.Agent({ keepAlive: true, timeout: 30_000 }) },
    'https:': {
      request: https.request as typeof httpRequest,
      agent: new https.Agent({ keepAlive: true, timeout: 30_000 }),
    },
  }));
  return clients;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

/**
 * POSTs `body` once and resolves with the status whatever it is (no redirects
 * are followed: a 3xx is returned as such). Rejects with a {@link TransportError}
 * only when no status arrived. When the deadline passes while the body is still
 * streaming, the status already received stands and the partial body is returned,
 * so a slow 200 is never mistaken for a failure and sent again.
 *
 * A kept-alive socket the receiver closed while idle (or while the function was
 * frozen) fails the moment it is written to. Such a request is sent again at once
 * on a new connection, within the same deadline, without using one of the
 * caller's attempts: it all but never reached the receiver, and a reset is
 * retried by the caller's policy anyway, only later.
 */
export const postOnce: Post = async (url, { headers, body, timeoutMs, maxResponseBytes = MAX_RESPONSE_BYTES }) => {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TransportError('invalid URL', 'EINVALIDURL');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    throw new TransportError(`unsupported protocol ${target.protocol}`, 'EPROTOCOL');
  const client = (await loadClients())[target.protocol];
  const payload = Buffer.from(body, 'utf8');
  const deadline = Date.now() + timeoutMs;
  // Node throws synchronously for a request it cannot build (ERR_INVALID_CHAR in a header): a TransportError too.
  const send = (ms: number) =>
    exchange(client, target, headers, payload, ms, maxResponseBytes).catch((error: unknown) =>
      Promise.reject(asTransportError(error)),
    );
  try {
    return await send(timeoutMs);
  } catch (error) {
    const left = deadline - Date.now();
    if (!(error instanceof StaleSocketError) || left <= 0) throw error;
    return send(left);
  }
};

function asTransportError(error: unknown): TransportError {
  return error instanceof TransportError
    ? error
    : new TransportError(error instanceof Error ? error.message : String(error), codeOf(error));
}

/** The request went out on a reused keep-alive socket that turned out to be closed. */
class StaleSocketError extends TransportError {}

const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

function exchange(
  client: Client,
  target: URL,
  headers: Record<string, string>,
  payload: Buffer,
  timeoutMs: number,
  maxBytes: number,
): Promise<PostResponse> {
  return new Promise<PostResponse>((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let kept = 0;
    let settled = false;

    const finish = () => {
      if (settled || !response) return;
      settled = true;
      clearTimeout(timer);
      const retryAfter = response.headers['retry-after'];
      resolve({
        status: response.statusCode ?? 0,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    };
    const fail = (error: unknown) => {
      if (settled) return;
      if (response) return finish();
      settled = true;
      clearTimeout(timer);
      const failure = asTransportError(error);
      reject(
        request.reusedSocket && STALE_SOCKET_CODES.has(failure.code)
          ? new StaleSocketError(failure.message, failure.code)
          : failure,
      );
    };

    const request = client.request(
      target,
      {
        method: 'POST',
        agent: client.agent,
        headers: { 'user-agent': 'guardduty-notify', ...headers, 'content-length': String(payload.byteLength) },
      },
      (res) => {
        response = res;
        res.on('data', (chunk: Buffer) => {
          if (kept >= maxBytes) return;
          const room = maxBytes - kept;
          chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
          kept += Math.min(room, chunk.byteLength);
        });
        res.on('end', finish);
        res.on('error', fail);
        res.on('close', finish);
      },
    );
    const timer = setTimeout(() => {
      if (response) {
        finish();
        response.destroy();
      } else request.destroy(new TransportError('timed out', 'ETIMEDOUT'));
    }, timeoutMs);
    request.on('error', fail);
    request.end(payload);
  });
}
