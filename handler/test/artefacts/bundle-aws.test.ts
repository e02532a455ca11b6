import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { FIXTURES_DIR, rawFixture } from '../helpers/fixtures.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

/*
 * The committed zip, unzipped and run in a fresh Node process as Lambda would,
 * against moto: every lazily loaded AWS client (Secrets Manager, SNS, SQS,
 * Organizations) must work from the bundle, not only from the sources.
 */
const ROOT = join(FIXTURES_DIR, '..', '..', '..', '..');
let moto: Moto;
let ok: Receiver;
let down: Receiver;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, moto.env);
  ok = await startReceiver();
  down = await startReceiver(() => ({ status: 503 }));
  dir = mkdtempSync(join(tmpdir(), 'gdn-bundle-aws-'));
  const unzip = spawnSync('python3', ['-m', 'zipfile', '-e', join(ROOT, 'handler', 'dist', 'lambda.zip'), dir], {
    encoding: 'utf8',
  });
  if (unzip.status !== 0) throw new Error(unzip.stderr);
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([moto?.stop(), ok?.close(), down?.close()]);
});

describe('the committed bundle against emulated AWS', () => {
  it('reads its config secret, names the account, publishes to SNS, delivers, and re-queues the failing channel', async () => {
    const sqs = new SQSClient({});
    const main = (await sqs.send(new CreateQueueCommand({ QueueName: 'bundle-main' }))).QueueUrl!;
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'bundle-dlq' }))).QueueUrl!;
    const capture = (await sqs.send(new CreateQueueCommand({ QueueName: 'bundle-sns-capture' }))).QueueUrl!;
    const captureArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: capture, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    const sns = new SNSClient({});
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'bundle-audit' }))).TopicArn!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: captureArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const org = new OrganizationsClient({});
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    await org.send(new CreateAccountCommand({ AccountName: 'looked-up-name', Email: 'a@example.com' }));
    const accountId = (await org.send(new ListAccountsCommand({}))).Accounts!.find((a) => a.Name === 'looked-up-name')!
      .Id!;

    const config = {
      channels: [
        { name: 'hook', type: 'webhook', url: ok.url('/hook') },
        { name: 'audit', type: 'sns', topicArn },
        { name: 'broken', type: 'webhook', url: down.url('/down') },
      ],
      delivery: { timeoutMs: 1000, attempts: 1, maxRetryAfterSeconds: 0 },
    };
    const secretArn = (
      await new SecretsManagerClient({}).send(
        new CreateSecretCommand({ Name: 'bundle-config', SecretString: JSON.stringify(config) }),
      )
    ).ARN!;

    const event = rawFixture('iam-api-tor') as { detail: { accountId: string } };
    event.detail.accountId = accountId;
    const records = [{ messageId: 'm1', body: JSON.stringify(event) }];
    const script = `const { handler } = await import(${JSON.stringify(join(dir, 'index.mjs'))});
      const result = await handler({ Records: ${JSON.stringify(records)} });
      process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');`;
    // Asynchronously: the receivers answering it live in this process's event loop.
    const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        ...moto.env,
        GDN_CONFIG_SECRET_ARN: secretArn,
        GDN_RETRY_QUEUE_URL: main,
        GDN_DLQ_URL: dlq,
      },
    });
    const result = JSON.parse(
      run.stdout
        .split('\n')
        .find((l) => l.startsWith('RESULT '))!
        .slice(7),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(run.stdout).not.toMatch(/config unavailable|not a constructor/);

    expect(ok.requests).toHaveLength(1);
    expect(JSON.parse(ok.requests[0]!.body).finding.account).toEqual({ id: accountId, name: 'looked-up-name' });
    const published = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: capture, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(published.Messages).toHaveLength(1);
    const requeued = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: main,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        AttributeNames: ['All'],
      }),
    );
    expect(requeued.Messages ?? []).toHaveLength(0); // delayed 30 s: not visible yet
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: main, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }),
    );
    expect(attrs.Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
  });
});
