import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, startServer, type RawServer } from '../../../harness/http.mjs';

/*
 * A switchable front for one AWS service: the SDK's service-specific endpoint
 * (`AWS_ENDPOINT_URL_SECRETS_MANAGER`, `…_ORGANIZATIONS`, `…_SNS`) points here,
 * and the front forwards to moto or misbehaves on purpose. The handler's own
 * SDK clients are created once per container and keep their endpoint, so the
 * outage has to happen behind that endpoint rather than by changing it.
 */

/**
 * - `forward`: pass every request to moto;
 * - `refuse`: nothing listens on the port (ECONNREFUSED);
 * - `reset`: accept, then drop the connection;
 * - `throttle`: the service's throttling error (HTTP 400);
 * - `fail`: an internal error (HTTP 500);
 * - `hang`: accept and never answer.
 */
export type FrontMode = 'forward' | 'refuse' | 'reset' | 'throttle' | 'fail' | 'hang';

export interface AwsFront {
  readonly url: string;
  readonly mode: FrontMode;
  /** Requests that reached the front, by the mode that answered them. */
  readonly seen: Record<FrontMode, number>;
  /** Requests whose `X-Amz-Target` or `Action` names this operation. */
  count(operation: string): number;
  setMode(mode: FrontMode): Promise<void>;
  close(): Promise<void>;
}

export type Protocol = 'json' | 'query';

/** The error bodies each protocol uses (awsJson1_1 for Secrets Manager and Organizations, awsQuery for SNS). */
function errorReply(
  protocol: Protocol,
  code: string,
  message: string,
): { headers: Record<string, string>; body: string } {
  if (protocol === 'json') {
    return {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
      body: JSON.stringify({ __type: code, message }),
    };
  }
  return {
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>chaos</RequestId></ErrorResponse>`,
  };
}

export async function startAwsFront(options: {
  target: string;
  protocol: Protocol;
  throttleCode: string;
}): Promise<AwsFront> {
  const target = new URL(options.target);
  const operations: string[] = [];
  let mode: FrontMode = 'forward';
  let port = 0;
  const seen: Record<FrontMode, number> = { forward: 0, refuse: 0, reset: 0, throttle: 0, fail: 0, hang: 0 };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    upstream.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const operation = String(
      req.headers['x-amz-target'] ?? /(?:^|&)Action=([^&]+)/.exec(body.toString('utf8'))?.[1] ?? '',
    );
    operations.push(operation);
    seen[mode] += 1;
    switch (mode) {
      case 'forward':
      case 'refuse': // a request that raced the close
        forward(req, res, body);
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'hang':
        return;
      case 'throttle': {
        const reply = errorReply(options.protocol, options.throttleCode, 'Rate exceeded');
        res.writeHead(400, reply.headers);
        res.end(reply.body);
        return;
      }
      case 'fail': {
        const reply = errorReply(
          options.protocol,
          options.protocol === 'json' ? 'InternalServiceError' : 'InternalError',
          'chaos: internal error',
        );
        res.writeHead(500, reply.headers);
        res.end(reply.body);
        return;
      }
    }
  };

  let server: RawServer | undefined;
  const listen = async () => {
    // The same port again after a `refuse`: the handler's SDK clients keep their endpoint.
    server = await startServer(handle, { port, keepAliveTimeoutMs: 500 });
    port = server.port;
  };
  const stop = async () => {
    await server?.close();
    server = undefined;
  };

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    seen,
    count: (operation) => operations.filter((o) => o.endsWith(operation)).length,
    async setMode(next) {
      if (next === mode) return;
      // Existing keep-alive connections must not outlive a mode change.
      server?.dropConnections();
      if (next === 'refuse') await stop();
      else if (mode === 'refuse') await listen();
      mode = next;
    },
    close: stop,
  };
}
