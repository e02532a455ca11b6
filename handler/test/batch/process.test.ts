import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { processBatch, requeueDelaySeconds, type ProcessorDeps } from '../../src/batch/process.js';
import { CHANNEL_REGISTRY } from '../../src/channels/registry.js';
import { secretValues } from '../../src/config/parse.js';
import { createConfigSource } from '../../src/config/source.js';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { DeliveryError } from '../../src/deliver/errors.js';
import { defaultHttpDeps } from '../../src/deliver/http.js';
import { snsPublish, snsPublishBatch } from '../../src/deliver/sns.js';
import { createPacer } from '../../src/deliver/pacer.js';
import { createSqsQueueWriter } from '../../src/deliver/sqs.js';
import { createAccountNamer } from '../../src/enrich/accounts.js';
import { createLogger } from '../../src/observe/logger.js';
import { createMetrics } from '../../src/observe/metrics.js';
import { createSeverityMemory } from '../../src/route/history.js';
import { rawFixture } from '../helpers/fixtures.js';
import { drain } from '../helpers/esm.js';
import { useMoto } from '../helpers/moto.js';
import { closedAfterEach, startReceiver } from '../helpers/receiver.js';

useMoto();
let sqs: SQSClient;
beforeAll(() => {
  sqs = new SQSClient({});
});
const receivers = closedAfterEach();

let queueCounter = 0;
async function queues() {
  const n = ++queueCounter;
  const main = await sqs.send(new CreateQueueCommand({ QueueName: `main-${n}` }));
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `dlq-${n}` }));
  return { main: main.QueueUrl!, dlq: dlq.QueueUrl! };
}

async function receive(url: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (;;) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    if (!r.Messages?.length) return out;
    out.push(...r.Messages.map((m) => JSON.parse(m.Body!)));
  }
}

async function receiveRaw(url: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const r = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    if (!r.Messages?.length) return out;
    out.push(...r.Messages.map((m) => m.Body!));
  }
}

async function depth(url: string): Promise<number> {
  const a = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(a.Attributes ?? {}).reduce((n, v) => n + Number(v), 0);
}

function deps(configJson: unknown, q: { main: string; dlq: string }, logs: string[] = []): ProcessorDeps {
  return {
    config: createConfigSource({ read: async () => JSON.stringify(configJson), refreshMs: 60_000 }),
    accounts: createAccountNamer({
      describeAccount: async () => {
        throw new Error('AccessDenied');
      },
    }),
    history: createSeverityMemory(),
    channels: CHANNEL_REGISTRY,
    send: {
      httpDeps: defaultHttpDeps,
      snsPublish: async () => 'x',
      snsPublishBatch: async ({ messages }) => messages.map(() => 'x'),
      sendMail: async () => 'x',
    },
    queue: createSqsQueueWriter(q.main, q.dlq),
    pacer: createPacer(),
    logger: createLogger('DEBUG', (l) => logs.push(l)),
    metrics: createMetrics('Test', () => {}),
    maxRequeues: 3,
    requeueDelay: () => 0,
  };
}

const channel = (name: string, url: string) => ({ name, type: 'webhook', url, minIntervalMs: 0 });
const delivery = { timeoutMs: 1000, attempts: 2, maxRetryAfterSeconds: 1 };

async function put(queueUrl: string, fixture: string): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(rawFixture(fixture)) }));
}

describe('processBatch over a real queue', () => {
  it('re-queues only the failing channel: A gets exactly one, B exactly one after it recovers', async () => {
    const q = await queues();
    const a = await startReceiver();
    const b = await startReceiver(() => ({ status: 500, body: 'down' }));
    receivers.push(a, b);
    const d = deps({ delivery, channels: [channel('A', a.url('/a')), channel('B', b.url('/b'))] }, q);
    await put(q.main, 'ec2-ssh-bruteforce');

    // First pass: A delivers, B fails twice (in-process retry) and is re-queued alone.
    await drain(sqs, q.main, (records) => processBatch(records, d), { maxRounds: 1 });
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(2);
    const peek = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: q.main, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(peek.Messages?.map((m) => JSON.parse(m.Body!))).toMatchObject([
      { guarddutyNotify: 'retry', channels: ['B'], attempt: 1 },
    ]);

    // B recovers; the retry reaches only B.
    b.fallback = () => ({ status: 200 });
    await drain(sqs, q.main, (records) => processBatch(records, d));
    expect(a.requests).toHaveLength(1);
    expect(b.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(JSON.parse(b.requests[2]!.body).finding.id).toBe(JSON.parse(a.requests[0]!.body).finding.id);
    expect(await depth(q.main)).toBe(0);
    expect(await depth(q.dlq)).toBe(0);
  });

  it('dead-letters the (finding, channel) pair with the reason after the retry budget', async () => {
    const q = await queues();
    const a = await startReceiver();
    const b = await startReceiver(() => ({ status: 503 }));
    receivers.push(a, b);
    const d = deps({ delivery, channels: [channel('A', a.url('/a')), channel('B', b.url('/b'))] }, q);
    await put(q.main, 'rds-brute-force');
    await drain(sqs, q.main, (records) => processBatch(records, d));
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(2 * (1 + d.maxRequeues));
    const dead = await receive(q.dlq);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ guarddutyNotify: 'dead-letter', channel: 'B', attempts: 4 });
    expect(String(dead[0]!.reason)).toMatch(/gave up after 3 re-queues: webhook "B": HTTP 503/);
    // The original event travels as its exact text.
    expect(dead[0]!.text).toBe(JSON.stringify(rawFixture('rds-brute-force')));
  });

  it('dead-letters a permanent refusal at once', async () => {
    const q = await queues();
    const b = await startReceiver(() => ({ status: 400, body: 'invalid_payload' }));
    receivers.push(b);
    const d = deps({ delivery, channels: [channel('B', b.url('/b'))] }, q);
    await put(q.main, 'iam-api-tor');
    await drain(sqs, q.main, (records) => processBatch(records, d));
    expect(b.requests).toHaveLength(1);
    expect(await receive(q.dlq)).toMatchObject([{ channel: 'B', reason: 'webhook "B": HTTP 400 invalid_payload' }]);
  });

  it('dead-letters a finding whose renderer throws, logging the stack and cause with secrets redacted', async () => {
    const q = await queues();
    const b = await startReceiver();
    receivers.push(b);
    const logs: string[] = [];
    const secretUrl = b.url('/hook/s3cr3t-path-token');
    const config = { delivery, channels: [channel('B', secretUrl)] };
    const d = deps(config, q, logs);
    // As the runtime does: the loaded config's secrets are registered for redaction.
    d.config = createConfigSource({
      read: async () => JSON.stringify(config),
      refreshMs: 60_000,
      onLoaded: (loaded) => d.logger.addSecrets(secretValues(loaded)),
    });
    // A renderer bug whose message and cause quote the channel's URL (a secret).
    const webhook = CHANNEL_REGISTRY.webhook;
    d.channels = {
      ...CHANNEL_REGISTRY,
      webhook: {
        ...webhook,
        render: (_finding, c) => {
          throw new TypeError(`cannot render for ${c.url}`, { cause: new RangeError(`field too long at ${c.url}`) });
        },
      },
    };
    await put(q.main, 'iam-api-tor');
    await drain(sqs, q.main, (records) => processBatch(records, d));

    expect(b.requests).toHaveLength(0);
    expect(await receive(q.dlq)).toMatchObject([
      { channel: 'B', reason: expect.stringMatching(/^webhook "B": render failed: TypeError: cannot render for /) },
    ]);
    const failed = logs.map((l) => JSON.parse(l)).find((l) => l.message === 'render failed');
    expect(failed).toMatchObject({
      level: 'ERROR',
      channel: 'B',
      error: {
        name: 'TypeError',
        message: 'cannot render for [REDACTED]',
        stack: expect.stringMatching(/^TypeError: cannot render for \[REDACTED\]\n\s+at /),
        cause: {
          name: 'RangeError',
          message: 'field too long at [REDACTED]',
          stack: expect.stringMatching(/^RangeError: field too long at \[REDACTED\]\n\s+at /),
        },
      },
    });
    expect(logs.join('\n')).not.toContain('s3cr3t-path-token');
  });

  it('dead-letters messages that are not GuardDuty findings, naming why', async () => {
    const q = await queues();
    const a = await startReceiver();
    receivers.push(a);
    const d = deps({ channels: [channel('A', a.url('/a'))] }, q);
    await sqs.send(new SendMessageCommand({ QueueUrl: q.main, MessageBody: 'garbage' }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: q.main,
        MessageBody: JSON.stringify({
          'detail-type': 'EC2 Instance State-change Notification',
          source: 'aws.ec2',
          detail: {},
        }),
      }),
    );
    await put(q.main, 'minimal');
    await drain(sqs, q.main, (records) => processBatch(records, d));
    expect(a.requests).toHaveLength(1);
    const dead = await receive(q.dlq);
    expect(dead.map((m) => m.reason)).toHaveLength(2);
    expect(dead.map((m) => m.reason)).toContain('message body is not JSON');
    expect(dead.map((m) => m.reason)).toContain(
      'not a GuardDuty event: detail-type "EC2 Instance State-change Notification", source "aws.ec2" (expected source "aws.guardduty")',
    );
    expect(dead.find((m) => m.text === 'garbage')).toBeTruthy();
  });

  it('keeps the whole batch queued while the config is broken, then delivers once it is fixed', async () => {
    const q = await queues();
    const a = await startReceiver();
    receivers.push(a);
    let secret = '{"channels": [{"name": "A", "type": "slack"}]}';
    const logs: string[] = [];
    const d = { ...deps({}, q, logs), config: createConfigSource({ read: async () => secret, refreshMs: 0 }) };
    await put(q.main, 'ec2-ssh-bruteforce');
    await put(q.main, 'iam-api-tor');
    const first = await drain(sqs, q.main, (records) => processBatch(records, d), { maxRounds: 1 });
    expect(first).toBe(2);
    expect(logs.some((l) => l.includes('channels[0].webhookUrl'))).toBe(true);
    expect(await depth(q.main)).toBe(2);
    secret = JSON.stringify({ channels: [channel('A', a.url('/a'))] });
    await new Promise((r) => setTimeout(r, 1100)); // visibility timeout of the failed receive
    await drain(sqs, q.main, (records) => processBatch(records, d));
    expect(a.requests).toHaveLength(2);
    expect(await depth(q.dlq)).toBe(0);
  });

  it('redriving a dead-letter record retries only its channel', async () => {
    const q = await queues();
    const a = await startReceiver();
    const b = await startReceiver();
    receivers.push(a, b);
    const d = deps({ channels: [channel('A', a.url('/a')), channel('B', b.url('/b'))] }, q);
    const letter = {
      guarddutyNotify: 'dead-letter',
      channel: 'B',
      reason: 'x',
      attempts: 4,
      text: JSON.stringify(rawFixture('iam-api-tor')),
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: q.main, MessageBody: JSON.stringify(letter) }));
    await drain(sqs, q.main, (records) => processBatch(records, d));
    expect([a.requests.length, b.requests.length]).toEqual([0, 1]);
  });

  it('says so when a retry names a channel that was removed from the config since', async () => {
    const q = await queues();
    const a = await startReceiver();
    receivers.push(a);
    const logs: string[] = [];
    const d = deps({ channels: [channel('A', a.url('/a'))] }, q, logs);
    const retry = {
      guarddutyNotify: 'retry',
      channels: ['A', 'old-siem'],
      attempt: 1,
      lastError: 'x',
      text: JSON.stringify(rawFixture('iam-api-tor')),
    };
    const { summary } = await processBatch([{ messageId: 'r1', body: JSON.stringify(retry) }], d);
    expect(summary).toMatchObject({ findings: 1, delivered: 1 });
    expect(a.requests).toHaveLength(1);
    const warning = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => String(l.message).startsWith('retry for channels no longer'));
    expect(warning).toMatchObject({ level: 'WARN', messageId: 'r1', channels: ['old-siem'], attempt: 1 });
  });

  it('delivers with the account id when the name lookup fails, and logs no secrets', async () => {
    const q = await queues();
    const a = await startReceiver();
    receivers.push(a);
    const logs: string[] = [];
    const d = deps(
      {
        lookupAccountNames: true,
        channels: [
          {
            ...channel('A', a.url('/a?token=very-secret-token')),
            headers: { Authorization: 'Bearer s3cr3t-header-value' },
          },
        ],
      },
      q,
      logs,
    );
    await put(q.main, 'lambda-network');
    await drain(sqs, q.main, (records) => processBatch(records, d));
    expect(JSON.parse(a.requests[0]!.body).finding.account).toEqual({ id: '111122223333', name: null });
    expect(a.requests[0]!.headers.authorization).toBe('Bearer s3cr3t-header-value');
    const text = logs.join('\n');
    expect(text).not.toContain('very-secret-token');
    expect(text).not.toContain('s3cr3t-header-value');
  });

  it('delivers a finding with an unreadable field and logs what could not be read, with the finding id', async () => {
    const q = await queues();
    const a = await startReceiver();
    receivers.push(a);
    const logs: string[] = [];
    const d = deps({ delivery, channels: [channel('A', a.url('/a'))] }, q, logs);
    const event = rawFixture('ec2-ssh-bruteforce') as { detail: { id: string; service: Record<string, unknown> } };
    event.detail.service.action = null;
    await sqs.send(new SendMessageCommand({ QueueUrl: q.main, MessageBody: JSON.stringify(event) }));
    await drain(sqs, q.main, (records) => processBatch(records, d));
    expect(a.requests).toHaveLength(1);
    const sent = JSON.parse(a.requests[0]!.body).finding;
    expect(sent.readNotes.join(' ')).toContain('service.action');
    const note = logs.map((l) => JSON.parse(l)).find((l) => l.message === 'finding read best-effort');
    expect(note).toMatchObject({ findingId: event.detail.id, notes: sent.readNotes });
  });
});

describe('SNS channel over moto', () => {
  it('publishes ten findings to a PublishBatch call; an entry SNS refuses is dead-lettered on its own', async () => {
    const q = await queues();
    const sns = new SNSClient({});
    const topic = await sns.send(new CreateTopicCommand({ Name: 'process-audit' }));
    const sub = await sqs.send(new CreateQueueCommand({ QueueName: 'process-audit-sub' }));
    const subArn = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: sub.QueueUrl!, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic.TopicArn!,
        Protocol: 'sqs',
        Endpoint: subArn.Attributes!.QueueArn!,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const d = deps({ channels: [{ name: 'audit', type: 'sns', topicArn: topic.TopicArn! }] }, q);
    // The real seams, recorded; the second entry of the first call is refused as SNS refuses an entry.
    const calls: number[] = [];
    d.send = {
      ...d.send,
      snsPublish,
      snsPublishBatch: async (input) => {
        calls.push(input.messages.length);
        if (calls.length > 1) return snsPublishBatch(input);
        const published = await snsPublishBatch({ ...input, messages: input.messages.filter((_, i) => i !== 1) });
        return [
          published[0]!,
          new DeliveryError('InvalidParameter: refused entry', 'permanent', { code: 'InvalidParameter' }),
          ...published.slice(1),
        ];
      },
    };
    const ids = Array.from({ length: 12 }, (_, i) => `batch${String(i).padStart(2, '0')}${'0'.repeat(24)}`);
    const event = rawFixture('ec2-ssh-bruteforce') as { detail: { id: string } };
    // One invocation with all 12 (the event source mapping batches up to 100 by default).
    const records = ids.map((id, i) => ({
      messageId: `m${i}`,
      body: JSON.stringify({ ...event, detail: { ...event.detail, id } }),
    }));
    const { batchItemFailures, summary } = await processBatch(records, d);
    expect(batchItemFailures).toEqual([]);
    expect(summary).toMatchObject({ findings: 12, delivered: 11, deadLettered: 1, requeued: 0 });
    expect(calls).toEqual([10, 2]);
    const published = (await receiveRaw(sub.QueueUrl!)).map((body) => ids.find((id) => body.includes(id)));
    expect(published.sort()).toEqual(ids.filter((_, i) => i !== 1));
    const dead = await receive(q.dlq);
    expect(dead).toMatchObject([
      { guarddutyNotify: 'dead-letter', channel: 'audit', reason: 'sns "audit": InvalidParameter: refused entry' },
    ]);
    expect(JSON.parse(String(dead[0]!.text)).detail.id).toBe(ids[1]);
    expect(await depth(q.main)).toBe(0);
  });
});

describe('requeueDelaySeconds', () => {
  it('backs off from 30 s, honours a longer Retry-After, and stays within SQS limits', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => requeueDelaySeconds(n))).toEqual([30, 60, 120, 240, 480, 900]);
    expect(requeueDelaySeconds(1, 200)).toBe(200);
    expect(requeueDelaySeconds(1, 5000)).toBe(900);
  });
});
