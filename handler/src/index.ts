import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processBatch } from './batch/process.js';
import { isReportEvent, type ReportEvent } from './report/event.js';
import type { GuardDutyFindingsApi } from './report/guardduty.js';
import { createRuntime } from './runtime.js';

// Created once per container: config, caches and clients live across invocations.
const runtime = createRuntime();
/** The report's GuardDuty client: created by the first report, kept for the container's next ones. */
let reportGuardDuty: GuardDutyFindingsApi | undefined;

/** Without a Lambda context (tests, local runs): the function's default timeout. */
const DEFAULT_REMAINING_MS = 120_000;

/**
 * Lambda entry point for the SQS event source mapping (with
 * `ReportBatchItemFailures`): returns the records SQS should keep. The
 * report schedule's event (`{"guarddutyNotify":"report"}`) runs the report
 * instead; a report that fails throws, so the function-errors alarm fires.
 */
export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse>;
export async function handler(event: ReportEvent, context?: Context): Promise<{ sent: string[] }>;
export async function handler(
  event: SQSEvent | ReportEvent,
  context?: Context,
): Promise<SQSBatchResponse | { sent: string[] }> {
  if (isReportEvent(event)) return runReport(event, context);
  return runBatch(event as SQSEvent, context);
}

async function runReport(event: ReportEvent, context?: Context): Promise<{ sent: string[] }> {
  try {
    // Loaded on the weekly report only: an SQS invocation never pays for the report's code at cold start.
    const [{ deliverReport }, { createGuardDutyFindingsApi }] = await Promise.all([
      import('./report/deliver.js'),
      import('./report/guardduty.js'),
    ]);
    reportGuardDuty ??= createGuardDutyFindingsApi();
    const { sent } = await deliverReport(
      event,
      { ...runtime, guardduty: reportGuardDuty },
      context?.getRemainingTimeInMillis() ?? DEFAULT_REMAINING_MS,
    );
    return { sent };
  } catch (error) {
    runtime.logger.error('report failed', { error: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    runtime.metrics.flush();
  }
}

async function runBatch(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
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
