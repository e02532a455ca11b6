import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Moto } from '../../harness/moto.mjs';
import type { DeliveredSns } from '../../handler/src/preview/types.js';

/*
 * The AWS side of the demo on the moto emulator: the config secret (Secrets
 * Manager), an SNS topic with an SQS subscription that captures what SNS
 * delivered, and the queues the function re-queues to and dead-letters into.
 */

const REGION = 'us-east-1';

export interface DemoAws {
  topicArn: string;
  retryQueueUrl: string;
  dlqUrl: string;
  /** Writes the config secret; returns its ARN. */
  putConfig(config: unknown): Promise<string>;
  /** What SNS delivered to the capture queue since the last call. */
  takeSnsDeliveries(): Promise<Array<{ sns: DeliveredSns; raw: unknown }>>;
  /** Messages waiting (visible, in flight or delayed) on the retry queue and the DLQ. */
  queueDepths(): Promise<{ retry: number; dlq: number }>;
}

/** Creates the topic, its capture subscription and the function's queues. */
export async function createDemoAws(moto: Moto): Promise<DemoAws> {
  const client = {
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const sqs = new SQSClient(client);
  const sns = new SNSClient(client);
  const secrets = new SecretsManagerClient(client);
  const queue = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const [retryQueueUrl, dlqUrl, captureUrl] = await Promise.all([
    queue('guardduty-notify'),
    queue('guardduty-notify-dlq'),
    queue('audit-topic-subscriber'),
  ]);
  const captureArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: captureUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'guardduty-findings' }))).TopicArn!;
  // Not raw delivery: the subscriber gets SNS's JSON envelope with Subject and MessageAttributes.
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: captureArn }));

  const depth = async (url: string) => {
    const attrs =
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        )
      ).Attributes ?? {};
    return Object.values(attrs).reduce((n, v) => n + Number(v), 0);
  };

  return {
    topicArn,
    retryQueueUrl,
    dlqUrl,
    async putConfig(config) {
      const created = await secrets.send(
        new CreateSecretCommand({ Name: 'guardduty-notify/config', SecretString: JSON.stringify(config) }),
      );
      return created.ARN!;
    },
    async takeSnsDeliveries() {
      const out: Array<{ sns: DeliveredSns; raw: unknown }> = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: captureUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return out;
        for (const m of Messages) {
          const envelope = JSON.parse(m.Body ?? '{}') as {
            Subject?: string;
            Message?: string;
            TopicArn?: string;
            MessageAttributes?: Record<string, { Value?: string }>;
          };
          out.push({
            raw: envelope,
            sns: {
              subject: envelope.Subject ?? '',
              message: envelope.Message ?? '',
              topicArn: envelope.TopicArn ?? topicArn,
              attributes: Object.fromEntries(
                Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value ?? '']),
              ),
            },
          });
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: captureUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
    },
    async queueDepths() {
      const [retry, dlq] = await Promise.all([depth(retryQueueUrl), depth(dlqUrl)]);
      return { retry, dlq };
    },
  };
}
