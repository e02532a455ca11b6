import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { REGION } from './aws.js';
import type { Container, InvokeOutcome } from './lambda.js';

/*
 * The Lambda SQS event source mapping, played against the deployed queue with
 * the deployed mapping's settings: receive up to BatchSize messages (waiting
 * up to MaximumBatchingWindowInSeconds to fill the batch), invoke the function
 * once with them as an SQS event, then
 *  - on success without ReportBatchItemFailures: delete the whole batch;
 *  - on success with it: delete every record not named in batchItemFailures
 *    (an empty/null response means all succeeded; a failure entry with a
 *    missing or unknown itemIdentifier fails the whole batch, as Lambda does);
 *  - on a function error or timeout: delete nothing.
 * Records not deleted stay in flight until the queue's visibility timeout,
 * exactly as with the real mapping. One warm container, one batch at a time.
 */

export interface EventSourceMapping {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds?: number | null;
  FunctionResponseTypes?: string[] | null;
  State?: string;
}

export interface EsmLog {
  invocations: number;
  /** Every distinct message the mapping received, by message id. */
  received: Map<string, { body: string; receiveCount: number }>;
  deleted: number;
  /** Records left on the queue by a failed or partial response. */
  returned: string[];
  errors: string[];
  refused: unknown[];
  batchSizes: number[];
}

export function newEsmLog(): EsmLog {
  return { invocations: 0, received: new Map(), deleted: 0, returned: [], errors: [], refused: [], batchSizes: [] };
}

function toRecord(m: Message, queueArn: string) {
  const attrs = m.Attributes ?? {};
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attrs.ApproximateReceiveCount ?? '1',
      SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
      SenderId: attrs.SenderId ?? 'AIDAE2E',
      ApproximateFirstReceiveTimestamp: attrs.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        {
          stringValue: v.StringValue,
          binaryValue: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined,
          stringListValues: [],
          binaryListValues: [],
          dataType: v.DataType,
        },
      ]),
    ),
    md5OfBody:
      m.MD5OfBody ??
      createHash('md5')
        .update(m.Body ?? '')
        .digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: REGION,
  };
}

/** Which records of a batch to delete, from the invocation outcome and the mapping's response types. */
export function recordsToDelete(
  outcome: InvokeOutcome,
  ids: string[],
  reportsItemFailures: boolean,
): { deleted: string[]; reason?: string } {
  if (outcome.kind !== 'result')
    return { deleted: [], reason: `function ${outcome.kind}: ${JSON.stringify(outcome.error ?? null).slice(0, 300)}` };
  if (!reportsItemFailures) return { deleted: ids };
  const result = outcome.result as { batchItemFailures?: Array<{ itemIdentifier?: unknown }> | null } | null;
  const failures = result?.batchItemFailures;
  if (failures === undefined || failures === null || failures.length === 0) return { deleted: ids };
  const failed = new Set<string>();
  for (const f of failures) {
    if (typeof f?.itemIdentifier !== 'string' || f.itemIdentifier === '' || !ids.includes(f.itemIdentifier)) {
      return { deleted: [], reason: `invalid batchItemFailures entry ${JSON.stringify(f)}: the whole batch fails` };
    }
    failed.add(f.itemIdentifier);
  }
  return { deleted: ids.filter((id) => !failed.has(id)), reason: `function reported ${failed.size} failed record(s)` };
}

/** One poll: receive a batch, invoke, delete what succeeded. Returns how many messages were received. */
export async function pollOnce(
  sqs: SQSClient,
  queueUrl: string,
  esm: EventSourceMapping,
  container: Container,
  log: EsmLog,
): Promise<number> {
  const batchSize = esm.BatchSize;
  const windowMs = (esm.MaximumBatchingWindowInSeconds ?? 0) * 1000;
  const started = Date.now();
  const messages: Message[] = [];
  while (messages.length < batchSize) {
    const waitLeft = Math.max(0, windowMs - (Date.now() - started));
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
        WaitTimeSeconds: Math.min(20, Math.floor(waitLeft / 1000)),
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    messages.push(...(got.Messages ?? []));
    if ((got.Messages ?? []).length === 0 || windowMs === 0 || Date.now() - started >= windowMs) break;
  }
  if (messages.length === 0) return 0;
  for (const m of messages)
    log.received.set(m.MessageId!, {
      body: m.Body ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    });
  const records = messages.map((m) => toRecord(m, esm.EventSourceArn));
  log.invocations += 1;
  log.batchSizes.push(records.length);
  const outcome = await container.invoke({ Records: records });
  log.refused.push(...outcome.refused);
  const ids = records.map((r) => r.messageId);
  const { deleted, reason } = recordsToDelete(
    outcome,
    ids,
    (esm.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
  );
  if (reason && deleted.length < ids.length) log.errors.push(reason);
  const keep = new Set(ids.filter((id) => !deleted.includes(id)));
  log.returned.push(...keep);
  const toDelete = records.filter((r) => !keep.has(r.messageId));
  for (let i = 0; i < toDelete.length; i += 10) {
    const chunk = toDelete.slice(i, i + 10);
    const res = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
      }),
    );
    if ((res.Failed ?? []).length > 0) log.errors.push(`DeleteMessageBatch failed: ${JSON.stringify(res.Failed)}`);
    log.deleted += (res.Successful ?? []).length;
  }
  return records.length;
}

export async function queueDepth(
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const res = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const a = res.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
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
): Promise<{ drained: boolean; depth: Awaited<ReturnType<typeof queueDepth>> }> {
  for (;;) {
    const received = await pollOnce(sqs, queueUrl, esm, container, log);
    if (received > 0) continue;
    const depth = await queueDepth(sqs, queueUrl);
    if (depth.visible + depth.inFlight + depth.delayed === 0) return { drained: true, depth };
    // Only records the function handed back (now or in an earlier wave) are left in flight.
    if (depth.visible === 0 && depth.delayed === 0 && depth.inFlight <= log.returned.length)
      return { drained: false, depth };
    if (Date.now() > deadlineMs) return { drained: false, depth };
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
