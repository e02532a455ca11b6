import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoHttpClient, dynamoEndpoint } from '../../src/state/dynamoHttp.js';

/*
 * The state store's DynamoDB client on the wire. moto accepts any signature,
 * so here a local endpoint checks each request's SigV4 signature the way AWS
 * does (recomputed from the request as received, from the signing process
 * AWS documents), and answers with DynamoDB's JSON 1.0 error shapes.
 */

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-of-the-function-role',
};
const REGION = 'eu-west-3';

let server: Server;
let endpoint: string;
let received: Received[];
let answer: { status: number; body: unknown };

beforeAll(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(parts).toString('utf8'),
      });
      const body = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  answer = { status: 200, body: {} };
});

const client = () =>
  createDynamoHttpClient(
    { endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 2, requestTimeoutMs: 2_000 },
    {},
  );
const signal = () => AbortSignal.timeout(5_000);

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** AWS's SigV4 verification, from the request as the server received it. */
function verifySignature(request: Received): { signedHeaders: string[]; scope: string } {
  const authorization = String(request.headers.authorization);
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) throw new Error(`not a SigV4 Authorization header: ${authorization}`);
  const [, accessKeyId, day, region, service, signedList, signature] = match as unknown as string[];
  const amzDate = String(request.headers['x-amz-date']);
  expect(amzDate.slice(0, 8)).toBe(day);
  const signedHeaders = String(signedList).split(';');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${String(request.headers[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const [path = '/', query = ''] = request.url.split('?');
  const canonicalRequest = [request.method, path, query, canonicalHeaders, signedList, sha256(request.body)].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const dateKey = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, String(day));
  const signingKey = hmac(hmac(hmac(dateKey, String(region)), String(service)), 'aws4_request');
  expect(accessKeyId).toBe(CREDENTIALS.accessKeyId);
  expect(signature).toBe(createHmac('sha256', signingKey).update(stringToSign).digest('hex'));
  return { signedHeaders, scope };
}

describe('createDynamoHttpClient', () => {
  it('sends the operation as DynamoDB JSON 1.0 with a SigV4 signature AWS would accept', async () => {
    answer = { status: 200, body: { Item: { pk: { S: 'FINDING#f1' }, sk: { S: 'META' } } } };
    const input = { TableName: 'gdn-state', Key: { pk: { S: 'FINDING#f1' }, sk: { S: 'META' } }, ConsistentRead: true };
    const output = await client().call('GetItem', input, signal());

    expect(output).toEqual(answer.body);
    const [request] = received;
    expect(request).toBeDefined();
    expect(request?.method).toBe('POST');
    expect(request?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request?.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(JSON.parse(request?.body ?? '')).toEqual(input);
    const { signedHeaders, scope } = verifySignature(request as Received);
    expect(scope).toMatch(/^\d{8}\/eu-west-3\/dynamodb\/aws4_request$/);
    expect(signedHeaders).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'x-amz-security-token']),
    );
  });

  it('detects a tampered request: the check above can fail', async () => {
    await client().call('GetItem', { TableName: 't', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }, signal());
    const tampered = { ...(received[0] as Received), body: '{"TableName":"other"}' };
    expect(() => verifySignature(tampered)).toThrow();
  });

  it("names a DynamoDB error after its __type and keeps the body's fields, without retrying a failed condition", async () => {
    answer = {
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
        message: 'The conditional request failed',
        Item: { decidedOccurrence: { S: '2026-11-29T10:00:00.000Z#1' } },
      },
    };
    await expect(client().call('UpdateItem', { TableName: 't' }, signal())).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      statusCode: 400,
      Item: { decidedOccurrence: { S: '2026-11-29T10:00:00.000Z#1' } },
    });
    expect(received).toHaveLength(1);
  });

  it('retries throttling and 5xx once (maxAttempts 2), then rejects with the error', async () => {
    answer = {
      status: 400,
      body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'slow down' },
    };
    await expect(client().call('BatchWriteItem', { RequestItems: {} }, signal())).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(received).toHaveLength(2);
    received = [];
    answer = { status: 503, body: 'Service Unavailable' };
    await expect(client().call('BatchWriteItem', { RequestItems: {} }, signal())).rejects.toMatchObject({
      name: 'InternalServerError',
      statusCode: 503,
    });
    expect(received).toHaveLength(2);
  });
});

describe('dynamoEndpoint', () => {
  it("builds the region's endpoint in its partition's domain", () => {
    expect(dynamoEndpoint('us-east-1')).toBe('https://dynamodb.us-east-1.amazonaws.com');
    expect(dynamoEndpoint('us-gov-west-1')).toBe('https://dynamodb.us-gov-west-1.amazonaws.com');
    expect(dynamoEndpoint('cn-northwest-1')).toBe('https://dynamodb.cn-northwest-1.amazonaws.com.cn');
  });
});
