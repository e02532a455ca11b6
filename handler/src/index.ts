import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processBatch } from './batch/process.js';
import { createRuntime } from './runtime.js';

// Created once per container: config, caches and clients live across invocations.
const runtime = createRuntime();

/**
 * Lambda entry point for the SQS event source mapping (with
 * `ReportBatchItemFailures`): returns the records SQS should keep.
 */
export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  try {
    const { batchItemFailures } = await processBatch(event.Records ?? [], {
      ...runtime,
      ...(context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
    });
    return { batchItemFailures };
  } catch (error) {
    // Unexpected: keep every record so nothing is lost.
    runtime.logger.error('batch failed unexpectedly; all records stay queued', { error });
    return { batchItemFailures: (event.Records ?? []).map((r) => ({ itemIdentifier: r.messageId })) };
  } finally {
    runtime.metrics.flush();
  }
}
