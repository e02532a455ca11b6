import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { postOnce, TransportError } from '../deliver/transport.js';

/*
 * DynamoDB's JSON 1.0 protocol over the keep-alive transport the HTTP channels
 * use, signed with the SDK's own SigV4 signer (the chunk the SDK clients
 * share, loaded for Secrets Manager at every cold start). Why not
 * `@aws-sdk/client-dynamodb`: it allocated ~145 KB per BatchWriteItem
 * (middleware stack, schema serde, endpoint rules) against under 60 KB here,
 * and with the state table on, 1,000 findings × 7 channels peaked at 134 MB
 * (`make bench`, memory), past a 128 MB function. The store sends five
 * operations whose items hold strings and numbers only: this is all it needs.
 */

/** The operations the store sends. */
export type DynamoOperation = 'UpdateItem' | 'GetItem' | 'BatchGetItem' | 'BatchWriteItem' | 'Query';

export interface DynamoHttpOptions {
  /** Overrides the endpoint (else AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, then the region's). */
  endpoint?: string;
  /** Else AWS_REGION, AWS_DEFAULT_REGION. */
  region?: string;
  /** Else the function's (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), else the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Total attempts per request. */
  maxAttempts: number;
  /** Deadline of one attempt: connect, send, answer. */
  requestTimeoutMs: number;
}

/** DynamoDB answered with an error (its `__type` is the name; other fields of the body, such as `Item`, are kept). */
export class DynamoError extends Error {
  [field: string]: unknown;
  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode: number,
    fields: Record<string, unknown> = {},
  ) {
    super(message);
    Object.assign(this, fields);
  }
}

/** The SDK names an attempt that ran out of time this way; fail-open classifies by it. */
class AttemptTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** node:crypto behind the signer's hash interface. */
class Sha256 {
  private hash: { update(data: string | Uint8Array): unknown; digest(): Buffer };
  private readonly secret: string | Uint8Array | undefined;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.hash = this.create();
  }
  private create() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
  reset(): void {
    this.hash = this.create();
  }
}

/** The regional endpoint; the partition decides the domain. */
export function dynamoEndpoint(region: string): string {
  const domain = region.startsWith('cn-')
    ? 'amazonaws.com.cn'
    : region.startsWith('us-isob-')
      ? 'sc2s.sgov.gov'
      : region.startsWith('us-iso-')
        ? 'c2s.ic.gov'
        : 'amazonaws.com';
  return `https://dynamodb.${region}.${domain}`;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function credentialsFrom(options: DynamoHttpOptions, env: NodeJS.ProcessEnv): () => Promise<Credentials> {
  if (options.credentials) {
    const fixed = options.credentials;
    return async () => fixed;
  }
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (accessKeyId && secretAccessKey) {
    // Lambda sets these for the function's role; they are valid for the container's life.
    const fromEnv = {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
    return async () => fromEnv;
  }
  // Elsewhere (a profile, SSO, a container role): the SDK's chain, loaded only then; it caches and refreshes.
  let chain: Promise<() => Promise<Credentials>> | undefined;
  return async () => {
    chain ??= import('@aws-sdk/credential-provider-node').then(({ defaultProvider }) => defaultProvider());
    return (await chain)();
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects when the signal aborts, so a caller never waits past its deadline for an attempt in flight. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function errorOf(status: number, body: string): DynamoError {
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const type = typeof fields.__type === 'string' ? fields.__type : '';
  const name = type.slice(type.lastIndexOf('#') + 1) || (status >= 500 ? 'InternalServerError' : `HTTP${status}`);
  const message = String(fields.message ?? fields.Message ?? `DynamoDB answered HTTP ${status}`);
  const rest = Object.fromEntries(
    Object.entries(fields).filter(([key]) => !['__type', 'message', 'Message'].includes(key)),
  );
  return new DynamoError(name, message, status, rest);
}

/**
 * A DynamoDB client for the state store: `call(operation, input, signal)`
 * sends one request (the SDK's input shape), retries throttling, 5xx, resets
 * and timed-out attempts up to `maxAttempts` with a short jittered backoff,
 * and resolves with the parsed answer; it rejects with a `DynamoError` named
 * after DynamoDB's error type, a `TimeoutError`, an error with Node's network
 * `code`, or the signal's reason.
 *
 * @example
 * const ddb = createDynamoHttpClient({ maxAttempts: 2, requestTimeoutMs: 1_000 });
 * await ddb.call('GetItem', { TableName, Key }, AbortSignal.timeout(2_500));
 */
export function createDynamoHttpClient(options: DynamoHttpOptions, env: NodeJS.ProcessEnv = process.env) {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('the state table needs a region (AWS_REGION)');
  const url = new URL(
    options.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL ?? dynamoEndpoint(region),
  );
  const path = url.pathname || '/';
  const signer = new SignatureV4({
    service: 'dynamodb',
    region,
    credentials: credentialsFrom(options, env),
    sha256: Sha256,
  });

  async function attempt(operation: DynamoOperation, body: string): Promise<unknown> {
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
      },
      body,
    });
    let answer: Awaited<ReturnType<typeof postOnce>>;
    try {
      answer = await postOnce(url.href, {
        headers: signed.headers,
        body,
        timeoutMs: options.requestTimeoutMs,
        maxResponseBytes: 16 * 2 ** 20,
      });
    } catch (error) {
      if (error instanceof TransportError && error.code === 'ETIMEDOUT')
        throw new AttemptTimeoutError(`${operation}: no answer within ${options.requestTimeoutMs} ms`);
      throw error;
    }
    if (answer.status === 200) return JSON.parse(answer.body);
    throw errorOf(answer.status, answer.body);
  }

  const retryable = (error: unknown) =>
    !(error instanceof DynamoError) || error.statusCode >= 500 || THROTTLING.has(error.name);

  return {
    async call<Output>(operation: DynamoOperation, input: object, signal: AbortSignal): Promise<Output> {
      const body = JSON.stringify(input);
      for (let attemptNo = 1; ; attemptNo++) {
        try {
          return (await untilAborted(attempt(operation, body), signal)) as Output;
        } catch (error) {
          if (signal.aborted || attemptNo >= options.maxAttempts || !retryable(error)) throw error;
        }
        // Full jitter, like the SDK's first retry: up to 100 ms (throttling: up to 500 ms would outlast the deadline).
        await untilAborted(sleep(Math.random() * 100), signal);
      }
    },
  };
}

export type DynamoHttpClient = ReturnType<typeof createDynamoHttpClient>;
