import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/*
 * The DynamoDB fault injector: an HTTP proxy in front of moto that, when
 * switched on, answers DynamoDB requests the way DynamoDB fails. moto never
 * throttles and always processes a whole batch, so these behaviours of AWS
 * are played here:
 * - throttling: HTTP 400, Content-Type application/x-amz-json-1.0, body
 *   {"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":...}
 *   (the error shape of DynamoDB's JSON 1.0 protocol; ThrottlingException for
 *   an on-demand table over its maximum throughput has the same shape);
 * - an internal error: HTTP 500, `InternalServerError`;
 * - a connection reset, and a request never answered (timeouts);
 * - a partial batch: BatchGetItem / BatchWriteItem process only part of the
 *   request and return the rest as UnprocessedKeys / UnprocessedItems, as
 *   DynamoDB does under load (moto only does so past 16 MB).
 */

export type DynamoFault =
  | { kind: 'none' }
  | { kind: 'throttle'; type?: 'ProvisionedThroughputExceededException' | 'ThrottlingException' }
  | { kind: 'internalError' }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'partial'; keep: number };

export interface DynamoFaultProxy {
  endpoint: string;
  set(fault: DynamoFault): void;
  /** Requests seen, by DynamoDB operation (the X-Amz-Target suffix). */
  readonly requests: Map<string, number>;
  close(): Promise<void>;
}

const AWS_JSON = 'application/x-amz-json-1.0';

function operationOf(req: IncomingMessage): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  return target.slice(target.indexOf('.') + 1);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
  res.writeHead(status, {
    'Content-Type': AWS_JSON,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': `FAULT${Date.now()}`,
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function forward(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      async (res) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: await readBody(res) }),
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

/** Splits a batch request: the kept part goes to moto, the rest comes back as unprocessed. */
function splitBatch(operation: string, request: Record<string, unknown>, keep: number) {
  const items = request.RequestItems as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [table, value] of Object.entries(items)) {
    if (operation === 'BatchGetItem') {
      const spec = value as { Keys: unknown[] };
      const n = Math.max(1, Math.floor(spec.Keys.length * keep));
      kept[table] = { ...spec, Keys: spec.Keys.slice(0, n) };
      if (spec.Keys.length > n) rest[table] = { ...spec, Keys: spec.Keys.slice(n) };
    } else {
      const writes = value as unknown[];
      const n = Math.max(1, Math.floor(writes.length * keep));
      kept[table] = writes.slice(0, n);
      if (writes.length > n) rest[table] = writes.slice(n);
    }
  }
  return { kept: { ...request, RequestItems: kept }, rest };
}

export async function startDynamoFaultProxy(motoEndpoint: string): Promise<DynamoFaultProxy> {
  const target = new URL(motoEndpoint);
  let fault: DynamoFault = { kind: 'none' };
  const requests = new Map<string, number>();
  const sockets = new Set<Socket>();

  const server = createServer(async (req, res) => {
    const operation = operationOf(req);
    requests.set(operation, (requests.get(operation) ?? 0) + 1);
    const body = await readBody(req);
    switch (fault.kind) {
      case 'throttle':
        return sendError(
          res,
          400,
          fault.type ?? 'ProvisionedThroughputExceededException',
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        );
      case 'internalError':
        return sendError(res, 500, 'InternalServerError', 'Internal server error');
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return; // never answered; the socket closes with the proxy
      case 'partial':
        if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
          const { kept, rest } = splitBatch(operation, JSON.parse(body.toString('utf8')), fault.keep);
          const answer = await forward(target, req, Buffer.from(JSON.stringify(kept)));
          const parsed = JSON.parse(answer.body.toString('utf8'));
          parsed[operation === 'BatchGetItem' ? 'UnprocessedKeys' : 'UnprocessedItems'] = rest;
          const out = JSON.stringify(parsed);
          // The body changed: moto's x-amz-crc32 no longer matches it, and the SDK checks it.
          res.writeHead(answer.status, { 'Content-Type': AWS_JSON, 'Content-Length': Buffer.byteLength(out) });
          res.end(out);
          return;
        }
        break;
      case 'none':
        break;
    }
    try {
      const answer = await forward(target, req, body);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch {
      req.socket.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    set: (next) => {
      fault = next;
    },
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
