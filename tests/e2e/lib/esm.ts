import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  drain as play,
  newEsmLog as newLog,
  queueDepth,
  type EsmLog as HarnessLog,
  type InvokeOutcome,
  type QueueDepth,
} from '../../../harness/eventSourceMapping.mjs';
import { REGION } from './aws.js';
import type { Container } from './lambda.js';

/*
 * The Lambda SQS event source mapping (harness/eventSourceMapping.mjs), played
 * against the deployed queue with the deployed mapping's settings (BatchSize,
 * MaximumBatchingWindowInSeconds, FunctionResponseTypes) and the queue's own
 * visibility timeout. One warm container, one batch at a time.
 */

export { queueDepth };

export interface EventSourceMapping {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds?: number | null;
  FunctionResponseTypes?: string[] | null;
  State?: string;
}

export interface EsmLog extends HarnessLog {
  /** Destinations the network sandbox refused. */
  refused: unknown[];
}

export function newEsmLog(): EsmLog {
  return { ...newLog(), refused: [] };
}

/**
 * Polls until the queue holds nothing (visible, in flight or delayed — re-queued
 * deliveries wait out their delay), or until only records the function handed
 * back remain in flight (they would come back after the visibility timeout;
 * the caller reports them), or until `deadlineMs`.
 */
export async function drain(
  sqs: SQSClient,
  queueUrl: string,
  esm: EventSourceMapping,
  container: Container,
  log: EsmLog,
  deadlineMs: number,
): Promise<{ drained: boolean; depth: QueueDepth }> {
  const invoke = async (event: unknown): Promise<InvokeOutcome> => {
    const outcome = await container.invoke(event);
    log.refused.push(...outcome.refused);
    if (outcome.kind === 'result') return { kind: 'result', result: outcome.result };
    return { kind: outcome.kind === 'timeout' ? 'timeout' : 'error', error: outcome.error };
  };
  const { drained, depth } = await play(
    sqs,
    {
      queueUrl,
      queueArn: esm.EventSourceArn,
      region: REGION,
      batchSize: esm.BatchSize,
      batchingWindowSeconds: esm.MaximumBatchingWindowInSeconds ?? 0,
      reportBatchItemFailures: (esm.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
      holdSeconds: null,
    },
    invoke,
    { log, deadlineMs: Math.max(0, deadlineMs - Date.now()), pauseMs: 1_000, stopWhenOnlyReturnedInFlight: true },
  );
  return { drained, depth };
}
