import type { SQSClient } from '@aws-sdk/client-sqs';
import { drain as play, type SqsRecord } from '../../../harness/eventSourceMapping.mjs';

/**
 * Plays the Lambda SQS event source mapping (harness/eventSourceMapping.mjs)
 * against a real queue with `handler` as the function, until the queue is
 * empty or `maxRounds` invocations. Records handed back return after 1 s.
 * Returns how many records the function was given.
 */
export async function drain(
  sqs: SQSClient,
  queueUrl: string,
  handler: (records: SqsRecord[]) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>,
  options: { batchSize?: number; maxRounds?: number } = {},
): Promise<number> {
  const { log } = await play(
    sqs,
    {
      queueUrl,
      queueArn: `arn:aws:sqs:us-east-1:123456789012:${queueUrl.split('/').pop()}`,
      region: 'us-east-1',
      batchSize: options.batchSize ?? 10,
      returnAfterSeconds: 1,
    },
    async ({ Records }) => ({ kind: 'result', result: await handler(Records) }),
    { maxInvocations: options.maxRounds, deadlineMs: 20_000 },
  );
  return log.batchSizes.reduce((sum, n) => sum + n, 0);
}
