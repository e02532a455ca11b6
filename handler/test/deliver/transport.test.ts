import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody, startServer, type RawServer } from '../../../harness/http.mjs';
import { postWithRetry } from '../../src/deliver/http.js';
import { MAX_RESPONSE_BYTES, postOnce, TransportError } from '../../src/deliver/transport.js';
import { closedPort } from '../helpers/receiver.js';

interface Seen {
  headers: IncomingMessage['headers'];
  body: Buffer;
  remotePort: number | undefined;
}

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A raw server whose handler writes the response itself (trickles, floods, redirects). */
async function serve(
  respond: (res: ServerResponse, seen: Seen) => void,
): Promise<{ url: string; seen: Seen[]; sockets: ReadonlySet<Socket> }> {
  const seen: Seen[] = [];
  server = await startServer(async (req, res) => {
    const s = { headers: req.headers, body: await readBody(req), remotePort: req.socket.remotePort };
    seen.push(s);
    respond(res, s);
  });
  return { url: server.url('/hook'), seen, sockets: server.sockets };
}

async function rejection(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe('postOnce', () => {
  it('sends the exact UTF-8 bytes with their length and returns status, Retry-After and body', async () => {
    const { url, seen } = await serve((res) => {
      res.writeHead(429, { 'retry-after': '7' });
      res.end('slow down ✋');
    });
    const body = JSON.stringify({ text: 'Ünïcødé 🛡️ ‮' });
    const response = await postOnce(url, { headers: { 'content-type': 'application/json' }, body, timeoutMs: 2_000 });
    expect(response).toEqual({ status: 429, retryAfter: '7', body: 'slow down ✋' });
    expect(seen[0]!.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[0]!.headers['user-agent']).toBe('guardduty-notify');
  });

  it('reuses one kept-alive connection for consecutive posts to a receiver', async () => {
    const { url, seen } = await serve((res) => res.end('ok'));
    for (let i = 0; i < 5; i++) await postOnce(url, { headers: {}, body: '{}', timeoutMs: 2_000 });
    expect(new Set(seen.map((s) => s.remotePort)).size).toBe(1);
  });

  it('sends again at once on a new connection when the kept-alive socket was closed by the receiver (nothing was delivered twice)', async () => {
    const { url, seen, sockets } = await serve((res) => res.end('ok'));
    await postOnce(url, { headers: {}, body: '{"n":1}', timeoutMs: 2_000 });
    // The receiver drops the idle connection with a reset, as a load balancer does
    // after its idle timeout; the client has not noticed when it sends again.
    expect(sockets.size).toBe(1);
    for (const socket of sockets) socket.resetAndDestroy();
    const response = await postOnce(url, { headers: {}, body: '{"n":2}', timeoutMs: 2_000 });
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.body.toString())).toEqual(['{"n":1}', '{"n":2}']);
    expect(new Set(seen.map((s) => s.remotePort)).size).toBe(2);
  });

  it('keeps only the first 64 KiB of a flood of a response body', async () => {
    const { url } = await serve((res) => {
      res.writeHead(500);
      for (let i = 0; i < 64; i++) res.write('x'.repeat(16 * 1024));
      res.end();
    });
    const response = await postOnce(url, { headers: {}, body: '{}', timeoutMs: 5_000 });
    expect(response.status).toBe(500);
    expect(response.body.length).toBe(MAX_RESPONSE_BYTES);
  });

  it('keeps a received status when the body is still trickling at the deadline (a slow 200 is not sent again)', async () => {
    const { url } = await serve((res) => {
      res.writeHead(200);
      res.write('accepted');
      // …and never ends.
    });
    const response = await postOnce(url, { headers: {}, body: '{}', timeoutMs: 200 });
    expect(response).toMatchObject({ status: 200, body: 'accepted' });
  });

  it('rejects with ETIMEDOUT when no status arrives before the deadline', async () => {
    const { url } = await serve(() => undefined);
    const error = await rejection(postOnce(url, { headers: {}, body: '{}', timeoutMs: 150 }));
    expect(error.code).toBe('ETIMEDOUT');
  });

  it('rejects with the socket error code for a closed port and a reset connection', async () => {
    const port = await closedPort();
    expect(
      (await rejection(postOnce(`http://127.0.0.1:${port}/x`, { headers: {}, body: '{}', timeoutMs: 1_000 }))).code,
    ).toBe('ECONNREFUSED');
    const { url } = await serve((res) => res.socket?.destroy());
    expect((await rejection(postOnce(url, { headers: {}, body: '{}', timeoutMs: 1_000 }))).code).toBe('ECONNRESET');
  });

  it('refuses URLs it cannot send to without touching the network', async () => {
    expect((await rejection(postOnce('ftp://127.0.0.1/x', { headers: {}, body: '', timeoutMs: 100 }))).code).toBe(
      'EPROTOCOL',
    );
    expect((await rejection(postOnce('not a url', { headers: {}, body: '', timeoutMs: 100 }))).code).toBe(
      'EINVALIDURL',
    );
  });
});

describe('redirects', () => {
  it('are not followed: the 3xx is a config problem and the Location is never requested', async () => {
    const { url, seen } = await serve((res) => {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    });
    const error = await postWithRetry(
      url,
      '{}',
      {},
      { timeoutMs: 1_000, attempts: 3, maxRetryAfterSeconds: 0 },
      { name: 'siem', type: 'webhook' },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      kind: 'config',
      message: 'webhook "siem": HTTP 302',
      details: { status: 302, attempts: 1 },
    });
    expect(seen).toHaveLength(1);
  });
});
