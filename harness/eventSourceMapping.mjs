// The Lambda SQS event source mapping, played against a real (moto) queue:
// receive up to BatchSize messages (waiting up to the batching window to fill
// the batch), invoke the function once with them as an SQS event, then
//  - on success without ReportBatchItemFailures: delete the whole batch;
//  - on success with it: delete every record not named in batchItemFailures
//    (an empty/null response means all succeeded; a failure entry with a
//    missing or unknown itemIdentifier fails the whole batch, as Lambda does);
//  - on a function error or timeout: delete nothing.
// Records not deleted come back after the visibility timeout. While a batch is
// being handled its messages stay invisible (`holdSeconds`, like the module's
// 6 x function timeout), so a slow invocation never sees its own records twice;
// `returnAfterSeconds` then shortens the wait of the records handed back, so
// suites replay a retry in seconds rather than minutes.
import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';

/**
 * @param {import('@aws-sdk/client-sqs').Message} m
 * @param {{ queueArn: string, region: string }} source
 */
export function toSqsRecord(m, source) {
  const attrs = m.Attributes ?? {};
  return {
    messageId: /** @type {string} */ (m.MessageId),
    receiptHandle: /** @type {string} */ (m.ReceiptHandle),
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attrs.ApproximateReceiveCount ?? '1',
      SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
      SenderId: attrs.SenderId ?? 'AIDAHARNESS',
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
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
}

/**
 * @param {import('./eventSourceMapping.d.mts').InvokeOutcome} outcome
 * @param {string[]} ids
 * @param {boolean} reportsItemFailures
 * @returns {{ deleted: string[], reason?: string }}
 */
export function recordsToDelete(outcome, ids, reportsItemFailures) {
  if (outcome.kind !== 'result')
    return { deleted: [], reason: `function ${outcome.kind}: ${JSON.stringify(outcome.error ?? null).slice(0, 300)}` };
  if (!reportsItemFailures) return { deleted: ids };
  const result = /** @type {{ batchItemFailures?: Array<{ itemIdentifier?: unknown }> | null } | null} */ (
    outcome.result
  );
  const failures = result?.batchItemFailures;
  if (failures === undefined || failures === null || failures.length === 0) return { deleted: ids };
  const failed = new Set();
  for (const f of failures) {
    if (typeof f?.itemIdentifier !== 'string' || f.itemIdentifier === '' || !ids.includes(f.itemIdentifier))
      return { deleted: [], reason: `invalid batchItemFailures entry ${JSON.stringify(f)}: the whole batch fails` };
    failed.add(f.itemIdentifier);
  }
  return { deleted: ids.filter((id) => !failed.has(id)), reason: `function reported ${failed.size} failed record(s)` };
}

/**
 * @param {import('@aws-sdk/client-sqs').SQSClient} sqs
 * @param {string} queueUrl
 */
export async function queueDepth(sqs, queueUrl) {
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
  const visible = Number(a.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
  return { visible, inFlight, delayed, total: visible + inFlight + delayed };
}

/**
 * @param {import('@aws-sdk/client-sqs').SQSClient} sqs
 * @param {import('./eventSourceMapping.d.mts').Mapping} mapping
 */
export async function receiveBatch(sqs, mapping) {
  const { queueUrl, batchSize = 10, batchingWindowSeconds = 0, holdSeconds = 30 } = mapping;
  const windowMs = batchingWindowSeconds * 1000;
  const started = Date.now();
  /** @type {Map<string, import('@aws-sdk/client-sqs').Message>} */
  const messages = new Map();
  while (messages.size < batchSize) {
    const waitLeft = Math.max(0, windowMs - (Date.now() - started));
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, batchSize - messages.size),
        WaitTimeSeconds: Math.min(20, Math.floor(waitLeft / 1000)),
        ...(holdSeconds === null ? {} : { VisibilityTimeout: holdSeconds }),
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    for (const m of got.Messages ?? []) messages.set(/** @type {string} */ (m.MessageId), m);
    if ((got.Messages ?? []).length === 0 || Date.now() - started >= windowMs) {
      // Without a window the mapping takes what is visible now (receives of up to 10 until empty).
      if (windowMs > 0 || (got.Messages ?? []).length === 0) break;
    }
  }
  return [...messages.values()];
}

/**
 * @param {import('@aws-sdk/client-sqs').SQSClient} sqs
 * @param {string} queueUrl
 * @param {Array<{ receiptHandle: string }>} records
 * @param {string[]} errors
 */
async function deleteRecords(sqs, queueUrl, records, errors) {
  let deleted = 0;
  for (let i = 0; i < records.length; i += 10) {
    const res = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: records.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
      }),
    );
    if ((res.Failed ?? []).length > 0) errors.push(`DeleteMessageBatch failed: ${JSON.stringify(res.Failed)}`);
    deleted += (res.Successful ?? []).length;
  }
  return deleted;
}

/**
 * @param {import('@aws-sdk/client-sqs').SQSClient} sqs
 * @param {string} queueUrl
 * @param {Array<{ receiptHandle: string }>} records
 * @param {number} seconds
 */
async function returnAfter(sqs, queueUrl, records, seconds) {
  for (let i = 0; i < records.length; i += 10)
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: records
          .slice(i, i + 10)
          .map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle, VisibilityTimeout: seconds })),
      }),
    );
}

/** @returns {import('./eventSourceMapping.d.mts').EsmLog} */
export function newEsmLog() {
  return { invocations: 0, received: new Map(), deleted: 0, returned: [], errors: [], batchSizes: [] };
}

/**
 * @param {import('@aws-sdk/client-sqs').SQSClient} sqs
 * @param {import('./eventSourceMapping.d.mts').Mapping} mapping
 * @param {import('./eventSourceMapping.d.mts').Invoke} invoke
 * @param {import('./eventSourceMapping.d.mts').EsmLog} [log]
 */
export async function pollOnce(sqs, mapping, invoke, log = newEsmLog()) {
  const messages = await receiveBatch(sqs, mapping);
  if (messages.length === 0) return 0;
  for (const m of messages)
    log.received.set(/** @type {string} */ (m.MessageId), {
      body: m.Body ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    });
  const records = messages.map((m) => toSqsRecord(m, { queueArn: mapping.queueArn, region: mapping.region }));
  log.invocations += 1;
  log.batchSizes.push(records.length);
  const outcome = await invoke({ Records: records });
  const ids = records.map((r) => r.messageId);
  const { deleted, reason } = recordsToDelete(outcome, ids, mapping.reportBatchItemFailures ?? true);
  if (reason && deleted.length < ids.length) log.errors.push(reason);
  const kept = records.filter((r) => !deleted.includes(r.messageId));
  log.returned.push(...kept.map((r) => r.messageId));
  log.deleted += await deleteRecords(
    sqs,
    mapping.queueUrl,
    records.filter((r) => deleted.includes(r.messageId)),
    log.errors,
  );
  if (mapping.returnAfterSeconds !== undefined && kept.length > 0)
    await returnAfter(sqs, mapping.queueUrl, kept, mapping.returnAfterSeconds);
  return records.length;
}

/**
 * @param {import('@aws-sdk/client-sqs').SQSClient} sqs
 * @param {import('./eventSourceMapping.d.mts').Mapping} mapping
 * @param {import('./eventSourceMapping.d.mts').Invoke} invoke
 * @param {import('./eventSourceMapping.d.mts').DrainOptions} [options]
 */
export async function drain(sqs, mapping, invoke, options = {}) {
  const {
    log = newEsmLog(),
    deadlineMs = 60_000,
    maxInvocations = Infinity,
    pauseMs = 100,
    stopWhenOnlyReturnedInFlight = false,
  } = options;
  const deadline = Date.now() + deadlineMs;
  const started = log.invocations;
  for (;;) {
    if (log.invocations - started >= maxInvocations)
      return { drained: false, depth: await queueDepth(sqs, mapping.queueUrl), log };
    const received = await pollOnce(sqs, mapping, invoke, log);
    if (received > 0) continue;
    const depth = await queueDepth(sqs, mapping.queueUrl);
    if (depth.total === 0) return { drained: true, depth, log };
    // Only records the function handed back are left in flight: they come back after the visibility timeout.
    if (
      stopWhenOnlyReturnedInFlight &&
      depth.visible === 0 &&
      depth.delayed === 0 &&
      depth.inFlight <= log.returned.length
    )
      return { drained: false, depth, log };
    if (Date.now() > deadline) return { drained: false, depth, log };
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
