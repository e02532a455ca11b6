import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import {
  OrganizationsClient,
  CreateOrganizationCommand,
  CreateAccountCommand,
  ListAccountsCommand,
} from '@aws-sdk/client-organizations';
import { startMoto, type Moto } from '../helpers/moto.js';

/*
 * The handler's AWS edges against the moto emulator: the real SDK clients, the
 * real request/response shapes, no mocks of our code.
 */
let moto: Moto;
const saved = { ...process.env };

beforeAll(async () => {
  // The shared launcher: moto with its fidelity gaps closed (SNS's check of JSON message structures among them).
  moto = await startMoto({ attempts: 2 });
  Object.assign(process.env, moto.env);
});
afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

/** An SNS topic with an SQS queue subscribed to it; `.fifo` names make both FIFO. */
async function topicWithQueue(
  name: string,
  subscription: Record<string, string> = {},
): Promise<{ topicArn: string; queueUrl: string }> {
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  const fifo = name.endsWith('.fifo');
  const topic = await sns.send(
    new CreateTopicCommand({ Name: name, ...(fifo ? { Attributes: { FifoTopic: 'true' } } : {}) }),
  );
  const queueName = fifo ? `${name.slice(0, -'.fifo'.length)}-sub.fifo` : `${name}-sub`;
  const queue = await sqs.send(
    new CreateQueueCommand({ QueueName: queueName, ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}) }),
  );
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl!, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn!,
      Protocol: 'sqs',
      Endpoint: attrs.Attributes!.QueueArn!,
      Attributes: subscription,
    }),
  );
  return { topicArn: topic.TopicArn!, queueUrl: queue.QueueUrl! };
}

/** A Publish request as the SNS channel renders one: per-protocol JSON bodies, String attributes. */
function request(subject: string, text: string, attributes: Record<string, string>) {
  return {
    Subject: subject,
    MessageStructure: 'json' as const,
    Message: JSON.stringify({ default: text, email: text, sms: subject }),
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String' as const, StringValue: v }]),
    ),
  };
}

describe('AWS edges against moto', () => {
  it('reads the config secret and reports a missing one clearly', async () => {
    const { readSecretString } = await import('../../src/config/secretsManager.js');
    const sm = new SecretsManagerClient({});
    const created = await sm.send(new CreateSecretCommand({ Name: 'gdn-config', SecretString: '{"channels":[]}' }));
    expect(await readSecretString(created.ARN!)).toBe('{"channels":[]}');
    await expect(
      readSecretString('arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf'),
    ).rejects.toThrow(/ResourceNotFound|can't find/);
  });

  it('publishes to SNS with message attributes a filter policy can use', async () => {
    const { snsPublish } = await import('../../src/deliver/sns.js');
    const sqs = new SQSClient({});
    const { topicArn, queueUrl } = await topicWithQueue('gdn-audit', {
      FilterPolicy: JSON.stringify({ severity: ['HIGH', 'CRITICAL'] }),
    });
    await snsPublish({ TopicArn: topicArn, ...request('low', 'filtered out', { severity: 'LOW' }) });
    const id = await snsPublish({ TopicArn: topicArn, ...request('GuardDuty HIGH', 'body', { severity: 'HIGH' }) });
    expect(id).toBeTruthy();
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    // An SQS subscription has no body of its own in the JSON message: it gets `default`.
    expect(received.Messages?.map((m) => [JSON.parse(m.Body!).Subject, JSON.parse(m.Body!).Message])).toEqual([
      ['GuardDuty HIGH', 'body'],
    ]);
    await expect(
      snsPublish({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:nope', ...request('s', 'm', {}) }),
    ).rejects.toMatchObject({ kind: 'config' });
  });

  it('lets numeric filter policies on severityScore pick rendered findings by score, single and batched', async () => {
    const { snsPublish, snsPublishBatch } = await import('../../src/deliver/sns.js');
    const { snsChannel, SnsChannelSchema } = await import('../../src/channels/sns.js');
    const { normalisedFixture } = await import('../helpers/fixtures.js');
    const { buildDigest } = await import('../../src/route/digest.js');
    const sqs = new SQSClient({});
    const sns = new SNSClient({});
    const critical = await topicWithQueue('gdn-scores', {
      FilterPolicy: JSON.stringify({ severityScore: [{ numeric: ['>=', 7] }] }),
    });
    const topicArn = critical.topicArn;
    const lowOnly = await sqs.send(new CreateQueueCommand({ QueueName: 'gdn-scores-low' }));
    const lowArn = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: lowOnly.QueueUrl!, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: lowArn.Attributes!.QueueArn!,
        Attributes: { FilterPolicy: JSON.stringify({ severityScore: [{ numeric: ['<', 4] }] }) },
      }),
    );
    const channel = SnsChannelSchema.parse({ name: 'audit', type: 'sns', topicArn });
    // LOW 2.0, MEDIUM 5.0, HIGH 8.0.
    const [low, medium, high] = ['ec2-ssh-bruteforce', 'ec2-port-probe', 'hostile'].map(normalisedFixture);
    expect([low, medium, high].map((f) => f!.severity.score)).toEqual([2, 5, 8]);
    for (const f of [low, medium, high]) await snsPublish({ TopicArn: topicArn, ...snsChannel.render(f!, channel) });
    const batch = await snsPublishBatch({
      topicArn,
      messages: [high, low, medium].map((f) => snsChannel.render(f!, channel)),
    });
    expect(batch.every((o) => typeof o === 'string')).toBe(true);
    const digest = snsChannel.renderDigest(buildDigest([low!, high!]), channel);
    await snsPublish({ TopicArn: topicArn, ...digest });

    const scores = async (queueUrl: string) => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        for (const m of r.Messages ?? []) {
          const note = JSON.parse(m.Body!) as {
            Message: string;
            MessageAttributes: Record<string, { Type: string; Value: string }>;
          };
          expect(note.MessageAttributes.severityScore?.Type).toBe('Number');
          // The SQS subscriber gets the `default` body: the full text, not the JSON of every body.
          expect(note.Message).not.toMatch(/^\{"default"/);
          out.push(
            `${note.MessageAttributes.severityScore?.Value}${note.MessageAttributes.findingCount ? ' digest' : ''}`,
          );
        }
      }
      return out.sort();
    };
    expect(await scores(critical.queueUrl)).toEqual(['8.0', '8.0', '8.0 digest']);
    expect(await scores(lowOnly.QueueUrl!)).toEqual(['2.0', '2.0']);
  });

  it('is refused, as SNS refuses it, when the JSON message has no default body', async () => {
    const { snsPublish, snsPublishBatch } = await import('../../src/deliver/sns.js');
    const { topicArn } = await topicWithQueue('gdn-no-default');
    const noDefault = { ...request('s', 'body', {}), Message: JSON.stringify({ sqs: 'body' }) };
    await expect(snsPublish({ TopicArn: topicArn, ...noDefault })).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(/No default entry/),
    });
    const [refused, ok] = await snsPublishBatch({ topicArn, messages: [noDefault, request('s', 'body', {})] });
    expect(refused).toMatchObject({ kind: 'permanent' });
    expect(typeof ok).toBe('string');
  });

  it('never matches a numeric filter policy against a String attribute (why the score is a Number)', async () => {
    const { snsPublish } = await import('../../src/deliver/sns.js');
    const sqs = new SQSClient({});
    const { topicArn, queueUrl } = await topicWithQueue('gdn-string-score', {
      FilterPolicy: JSON.stringify({ severityScore: [{ numeric: ['>=', 7] }] }),
    });
    const asString = request('GuardDuty HIGH', 'body', { severityScore: '8.0' });
    await snsPublish({ TopicArn: topicArn, ...asString });
    const asNumber = {
      ...asString,
      MessageAttributes: { severityScore: { DataType: 'Number' as const, StringValue: '8.0' } },
    };
    await snsPublish({ TopicArn: topicArn, ...asNumber });
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(received.Messages?.map((m) => JSON.parse(m.Body!).MessageAttributes.severityScore.Type)).toEqual(['Number']);
  });

  it('publishes to a FIFO topic with the group and deduplication ids, which SNS requires there', async () => {
    const { snsPublish } = await import('../../src/deliver/sns.js');
    const sqs = new SQSClient({});
    const { topicArn, queueUrl } = await topicWithQueue('gdn-audit.fifo', { RawMessageDelivery: 'true' });
    const message = { TopicArn: topicArn, ...request('GuardDuty HIGH', 'body', { severity: 'HIGH' }) };
    await expect(snsPublish(message)).rejects.toThrow(/MessageGroupId/);
    expect(
      await snsPublish({ ...message, MessageGroupId: '111122223333', MessageDeduplicationId: 'a'.repeat(64) }),
    ).toBeTruthy();
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      }),
    );
    expect(
      received.Messages?.map((m) => [m.Body, m.Attributes?.MessageGroupId, m.Attributes?.MessageDeduplicationId]),
    ).toEqual([['body', '111122223333', 'a'.repeat(64)]]);
  });

  it('publishes a batch in one PublishBatch call, reporting an entry SNS refuses on its own', async () => {
    const { snsPublishBatch } = await import('../../src/deliver/sns.js');
    const { DeliveryError } = await import('../../src/deliver/errors.js');
    const sqs = new SQSClient({});
    const { topicArn, queueUrl } = await topicWithQueue('gdn-batch');
    const messages = Array.from({ length: 10 }, (_, i) =>
      request(`GuardDuty ${i}`, `body ${i}`, { severity: i % 2 ? 'HIGH' : 'LOW' }),
    );
    // SNS refuses a message over 256 KB; the other entries of the call are published.
    messages[3] = request('GuardDuty 3', 'x'.repeat(262_145), { severity: 'HIGH' });
    const outcomes = await snsPublishBatch({ topicArn: topicArn, messages });
    expect(outcomes.filter((o) => typeof o === 'string')).toHaveLength(9);
    expect(outcomes[3]).toBeInstanceOf(DeliveryError);
    expect(outcomes[3]).toMatchObject({
      kind: 'permanent',
      code: 'InvalidParameter',
      message: expect.stringMatching(/^InvalidParameter: /),
    });
    const bodies: Array<{ Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> }> =
      [];
    for (let i = 0; i < 5 && bodies.length < 9; i++) {
      const r = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const m of r.Messages ?? []) bodies.push(JSON.parse(m.Body!));
    }
    expect(bodies.map((b) => b.Subject).sort()).toEqual(
      messages
        .filter((_, i) => i !== 3)
        .map((m) => m.Subject)
        .sort(),
    );
    expect(bodies.find((b) => b.Subject === 'GuardDuty 1')).toMatchObject({
      Message: 'body 1',
      MessageAttributes: { severity: { Value: 'HIGH' } },
    });
    await expect(
      snsPublishBatch({ topicArn: 'arn:aws:sns:us-east-1:123456789012:nope', messages: messages.slice(0, 2) }),
    ).rejects.toMatchObject({ kind: 'config' });
  });

  it("publishes a FIFO batch with each entry's group and deduplication ids", async () => {
    const { snsPublishBatch } = await import('../../src/deliver/sns.js');
    const sqs = new SQSClient({});
    const { topicArn, queueUrl } = await topicWithQueue('gdn-batch.fifo', { RawMessageDelivery: 'true' });
    const messages = [1, 2, 3].map((i) => ({
      ...request(`s${i}`, `m${i}`, {}),
      MessageGroupId: '111122223333',
      MessageDeduplicationId: `d${i}`,
    }));
    expect((await snsPublishBatch({ topicArn: topicArn, messages })).every((o) => typeof o === 'string')).toBe(true);
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['MessageDeduplicationId'],
      }),
    );
    expect(received.Messages?.map((m) => [m.Body, m.Attributes?.MessageDeduplicationId])).toEqual([
      ['m1', 'd1'],
      ['m2', 'd2'],
      ['m3', 'd3'],
    ]);
  });

  it('re-queues with a delay and dead-letters through SQS', async () => {
    const { createSqsQueueWriter } = await import('../../src/deliver/sqs.js');
    const sqs = new SQSClient({});
    const main = await sqs.send(new CreateQueueCommand({ QueueName: 'gdn-main' }));
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'gdn-dlq' }));
    const writer = createSqsQueueWriter(main.QueueUrl, dlq.QueueUrl);
    await writer.requeue([
      { body: '{"now":1}', delaySeconds: 0 },
      { body: '{"later":1}', delaySeconds: 60 },
    ]);
    await writer.deadLetter(Array.from({ length: 12 }, (_, i) => ({ body: JSON.stringify({ i }) })));
    const now = await sqs.send(new ReceiveMessageCommand({ QueueUrl: main.QueueUrl!, MaxNumberOfMessages: 10 }));
    expect(now.Messages?.map((m) => m.Body)).toEqual(['{"now":1}']);
    const dead = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(dead.Attributes?.ApproximateNumberOfMessages).toBe('12');
    await expect(createSqsQueueWriter(undefined, undefined).requeue([{ body: 'x', delaySeconds: 0 }])).rejects.toThrow(
      /GDN_RETRY_QUEUE_URL/,
    );
  });

  it('names accounts through Organizations DescribeAccount', async () => {
    const { describeAccountName } = await import('../../src/enrich/organizations.js');
    const org = new OrganizationsClient({});
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    await org.send(new CreateAccountCommand({ AccountName: 'prod-payments', Email: 'prod@example.com' }));
    const accounts = await org.send(new ListAccountsCommand({}));
    const prod = accounts.Accounts!.find((a) => a.Name === 'prod-payments')!;
    expect(await describeAccountName(prod.Id!)).toBe('prod-payments');
    await expect(describeAccountName('999999999999')).rejects.toThrow();
  });
});
