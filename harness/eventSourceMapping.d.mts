import type { Message, SQSClient } from '@aws-sdk/client-sqs';

/** The mapping's settings (the module's aws_lambda_event_source_mapping), and how fast a suite replays retries. */
export interface Mapping {
  queueUrl: string;
  queueArn: string;
  region: string;
  /** BatchSize (default 10). */
  batchSize?: number;
  /** MaximumBatchingWindowInSeconds (default 0). */
  batchingWindowSeconds?: number;
  /** FunctionResponseTypes includes ReportBatchItemFailures (default true, as the module sets). */
  reportBatchItemFailures?: boolean;
  /** Visibility timeout while a batch is handled (default 30 s; null: the queue's own, as the real mapping). */
  holdSeconds?: number | null;
  /** Make records handed back visible again after this many seconds (default: leave the hold). */
  returnAfterSeconds?: number;
}

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export type InvokeOutcome = { kind: 'result'; result: unknown } | { kind: 'error' | 'timeout'; error?: unknown };
export type Invoke = (event: { Records: SqsRecord[] }) => Promise<InvokeOutcome>;

export interface EsmLog {
  invocations: number;
  /** Every distinct message the mapping received, by message id. */
  received: Map<string, { body: string; receiveCount: number }>;
  deleted: number;
  /** Records left on the queue by a failed or partial response. */
  returned: string[];
  errors: string[];
  batchSizes: number[];
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
  total: number;
}

export interface DrainOptions {
  log?: EsmLog;
  /** Give up after this long (default 60 s). */
  deadlineMs?: number;
  /** Stop after this many invocations. */
  maxInvocations?: number;
  /** Pause between empty polls (default 100 ms). */
  pauseMs?: number;
  /** Stop when only records the function handed back remain in flight. */
  stopWhenOnlyReturnedInFlight?: boolean;
}

/** The Lambda SQS event record for a received message. */
export declare function toSqsRecord(m: Message, source: { queueArn: string; region: string }): SqsRecord;

/** Which records of a batch to delete, from the invocation outcome and the mapping's response types. */
export declare function recordsToDelete(
  outcome: InvokeOutcome,
  ids: string[],
  reportsItemFailures: boolean,
): { deleted: string[]; reason?: string };

export declare function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth>;

/** One batch as the mapping collects it (distinct messages, held invisible for `holdSeconds`). */
export declare function receiveBatch(sqs: SQSClient, mapping: Mapping): Promise<Message[]>;

export declare function newEsmLog(): EsmLog;

/** One poll: receive a batch, invoke, delete what succeeded. Returns how many messages were received. */
export declare function pollOnce(sqs: SQSClient, mapping: Mapping, invoke: Invoke, log?: EsmLog): Promise<number>;

/**
 * Polls until the queue holds nothing (visible, in flight or delayed), or the deadline.
 *
 * @example await drain(sqs, { queueUrl, queueArn, region: 'us-east-1', returnAfterSeconds: 0 }, async (e) => ({ kind: 'result', result: await handler(e) }));
 */
export declare function drain(
  sqs: SQSClient,
  mapping: Mapping,
  invoke: Invoke,
  options?: DrainOptions,
): Promise<{ drained: boolean; depth: QueueDepth; log: EsmLog }>;
