/*
 * Just enough of the AWS wire protocols to drive and inspect the emulator for
 * services whose SDK clients are not among the project's dependencies
 * (EventBridge, Lambda, IAM, STS, CloudWatch, CloudWatch Logs, KMS). moto
 * routes a request by the service named in the credential scope of its
 * Authorization header and does not check signatures, so requests carry an
 * unsigned header of the right shape. SQS, SNS and Secrets Manager use the
 * real SDK clients (see `sdkConfig`).
 */

export const REGION = 'us-east-1';
export const FAKE_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export class AwsError extends Error {
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${service} ${operation}: HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

/** Config for the project's AWS SDK clients, pointed at the emulator. */
export function sdkConfig(endpoint: string) {
  return { endpoint, region: REGION, credentials: FAKE_CREDENTIALS, maxAttempts: 2 };
}

export class Aws {
  constructor(readonly endpoint: string) {}

  private headers(service: string, extra: Record<string, string>): Record<string, string> {
    const date = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    return {
      'x-amz-date': date,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/${date.slice(0, 8)}/${REGION}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000`,
      ...extra,
    };
  }

  /** AWS JSON protocol (EventBridge, CloudWatch Logs, KMS, Secrets Manager). */
  async json<T = Record<string, unknown>>(service: string, target: string, body: unknown, version = '1.1'): Promise<T> {
    const res = await fetch(`${this.endpoint}/`, {
      method: 'POST',
      headers: this.headers(service, { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': target }),
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new AwsError(service, target, res.status, text);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** AWS query protocol (IAM, STS, CloudWatch): returns the XML response. */
  async query(service: string, action: string, version: string, params: Record<string, string> = {}): Promise<string> {
    const res = await fetch(`${this.endpoint}/`, {
      method: 'POST',
      headers: this.headers(service, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }),
      body: new URLSearchParams({ Action: action, Version: version, ...params }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new AwsError(service, action, res.status, text);
    return text;
  }

  /** AWS REST-JSON protocol (Lambda). */
  async rest<T = Record<string, unknown>>(service: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.endpoint}${path}`, {
      method,
      headers: this.headers(service, body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new AwsError(service, `${method} ${path}`, res.status, text);
    return (text ? JSON.parse(text) : {}) as T;
  }
}

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

/** Text of every `<tag>…</tag>` leaf element in an XML response. */
export function xmlAll(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(decodeXml(m[1]!));
  return out;
}

export function xmlOne(xml: string, tag: string): string | undefined {
  return xmlAll(xml, tag)[0];
}

/** arn:aws:sqs:<region>:<account>:<name> for a queue URL (any host, path /<account>/<name>). */
export function queueArnFromUrl(url: string): string {
  const [, account, name] = new URL(url).pathname.split('/');
  return `arn:aws:sqs:${REGION}:${account}:${name}`;
}
