import type { QueueWriter } from '../batch/process.js';

/*
 * SQS writes for re-queueing and dead-lettering. The SDK client is imported on
 * first use: most invocations never need it.
 */

type SqsModule = typeof import('@aws-sdk/client-sqs');
let sqsModule: Promise<SqsModule> | undefined;
let client: import('@aws-sdk/client-sqs').SQSClient | undefined;

async function sqs(): Promise<{ mod: SqsModule; client: import('@aws-sdk/client-sqs').SQSClient }> {
  sqsModule ??= import('@aws-sdk/client-sqs');
  const mod = await sqsModule;
  client ??= new mod.SQSClient({});
  return { mod, client };
}

async function sendAll(queueUrl: string, messages: Array<{ body: string; delaySeconds?: number }>): Promise<void> {
  const { mod, client } = await sqs();
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    const result = await client.send(
      new mod.SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((m, j) => ({
          Id: String(j),
          MessageBody: m.body,
          ...(m.delaySeconds ? { DelaySeconds: m.delaySeconds } : {}),
        })),
      }),
    );
    if (result.Failed && result.Failed.length > 0) {
      throw new Error(`SQS refused ${result.Failed.length} message(s): ${result.Failed.map((f) => f.Code).join(', ')}`);
    }
  }
}

/** Queue writer for the deployed function; a missing URL fails loudly so records are handed back to SQS. */
export function createSqsQueueWriter(retryQueueUrl: string | undefined, dlqUrl: string | undefined): QueueWriter {
  return {
    async requeue(messages) {
      if (!retryQueueUrl) throw new Error('GDN_RETRY_QUEUE_URL is not set');
      await sendAll(retryQueueUrl, messages);
    },
    async deadLetter(messages) {
      if (!dlqUrl) throw new Error('GDN_DLQ_URL is not set');
      await sendAll(dlqUrl, messages);
    },
  };
}

/**
 * Messages in a queue: waiting, in flight and delayed (SQS's approximate
 * counts, which is what its console and CloudWatch show). For the report's
 * heartbeat; needs `sqs:GetQueueAttributes` on the queue.
 */
export async function queueDepth(queueUrl: string): Promise<number> {
  const { mod, client } = await sqs();
  const names = [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
    'ApproximateNumberOfMessagesDelayed',
  ] as const;
  const result = await client.send(
    new mod.GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }),
  );
  return names.reduce((sum, name) => sum + (Number(result.Attributes?.[name]) || 0), 0);
}
