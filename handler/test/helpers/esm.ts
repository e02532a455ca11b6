import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface EsmRound {
  received: number;
  failed: number;
}

/**
 * Plays the Lambda SQS event source mapping against a real queue: receive up
 * to `batchSize` messages, invoke the handler with them as SQS records, delete
 * those not reported in `batchItemFailures`, leave the rest (they come back
 * after the visibility timeout, as with the real mapping).
 */
export async function pollOnce(
  sqs: SQSClient,
  queueUrl: string,
  handler: (
    records: Array<{ messageId: string; body: string; receiptHandle: string }>,
  ) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>,
  { batchSize = 10, visibilityTimeout = 1 }: { batchSize?: number; visibilityTimeout?: number } = {},
): Promise<EsmRound> {
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: batchSize,
      VisibilityTimeout: visibilityTimeout,
    }),
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return { received: 0, failed: 0 };
  const records = messages.map((m) => ({ messageId: m.MessageId!, body: m.Body!, receiptHandle: m.ReceiptHandle! }));
  const { batchItemFailures } = await handler(records);
  const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
  const done = records.filter((r) => !failed.has(r.messageId));
  for (let i = 0; i < done.length; i += 10) {
    const chunk = done.slice(i, i + 10);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
      }),
    );
  }
  return { received: records.length, failed: failed.size };
}

/** Polls until the queue stays empty for `quietRounds` polls or `maxRounds` is reached. */
export async function drain(
  sqs: SQSClient,
  queueUrl: string,
  handler: Parameters<typeof pollOnce>[2],
  options: { batchSize?: number; maxRounds?: number; quietRounds?: number; pauseMs?: number } = {},
): Promise<number> {
  const { maxRounds = 50, quietRounds = 2, pauseMs = 300 } = options;
  let quiet = 0;
  let total = 0;
  for (let round = 0; round < maxRounds && quiet < quietRounds; round++) {
    const { received } = await pollOnce(sqs, queueUrl, handler, options);
    total += received;
    quiet = received === 0 ? quiet + 1 : 0;
    if (received === 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
  return total;
}
