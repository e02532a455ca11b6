import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleChatWebhook } from '../../../harness/googleChat.mjs';
import { pagerDutyEventsApi } from '../../../harness/pagerduty.mjs';
import { slackWebhook } from '../../../harness/slack.mjs';
import { type SmtpServer, startSmtpServer } from '../../../harness/smtp.mjs';
import { teamsWorkflow } from '../../../harness/teams.mjs';
import { signedWebhook } from '../../../harness/webhook.mjs';
import type { Report } from '../../src/report/model.js';
import { createStateStore } from '../../src/state/store.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { createStateTable } from '../../../harness/awsState.mjs';
import { findingDetail, findingEvent, type Spec } from './fixtures.js';

/*
 * The Lambda entry with the report event, end to end: GuardDuty's findings
 * APIs, the state table, the secret, SNS and both queues in moto; every chat
 * channel's stand-in, a signed webhook and a real SMTP server on 127.0.0.1.
 * The pipeline first processes a tamper call and a finding through the same
 * entry (SQS records), so the report's signals, lifecycle and heartbeat come
 * from what the function itself recorded.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const HMAC = 'report-hmac-secret-0123456789';
const CURRENT = 120;
const PREVIOUS = 30;

let moto: Moto;
let smtp: SmtpServer;
let sqs: SQSClient;
let snsQueueUrl: string;
let dlqUrl: string;
let handler: typeof import('../../src/index.js').handler;
const http: Record<'slack' | 'teams' | 'googleChat' | 'pagerduty' | 'webhook', Receiver> = {} as never;
const now = Date.now();
const seeded: Spec[] = [];
const saved = { ...process.env };

function detectorRoute(detectorId: string, path: string, body: unknown): Promise<Response> {
  // The launcher's test-only route (harness/moto_guardduty.py); moto routes by the credential scope's service.
  return fetch(`${moto.endpoint}/detector/${detectorId}/gdn-test/${path}`, {
    method: 'POST',
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/guardduty/aws4_request, SignedHeaders=host, Signature=0',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

/** The events an SQS event source mapping hands the function. */
function sqsEvent(...bodies: unknown[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({ messageId: `m-${i}-${Math.random()}`, body: JSON.stringify(body) })),
  } as SQSEvent;
}

const config = () => ({
  accountNames: { '111122223333': 'prod-payments' },
  channels: [
    { name: 'sec-slack', type: 'slack', webhookUrl: http.slack.url('/services/T0/B0/report'), minIntervalMs: 0 },
    { name: 'sec-teams', type: 'teams', webhookUrl: http.teams.url('/workflows/r/triggers/manual/paths/invoke') },
    { name: 'sec-chat', type: 'googleChat', webhookUrl: http.googleChat.url('/v1/spaces/R/messages?key=k&token=t') },
    {
      name: 'sec-mail',
      type: 'email',
      smtp: { host: '127.0.0.1', port: smtp.port, requireTls: false, timeoutMs: 5_000 },
      from: 'GuardDuty <guardduty@example.com>',
      to: ['sec@example.com'],
      subjectPrefix: 'SECURITY',
    },
    { name: 'audit', type: 'sns', topicArn: process.env.TEST_TOPIC_ARN },
    { name: 'oncall', type: 'pagerduty', routingKey: 'a'.repeat(32), eventsUrl: http.pagerduty.url('/v2/enqueue') },
    { name: 'siem', type: 'webhook', url: http.webhook.url('/hooks/siem'), hmacSecret: HMAC },
  ],
  reports: { channels: ['sec-slack', 'sec-teams', 'sec-chat', 'sec-mail', 'audit', 'oncall', 'siem'] },
});

async function writeConfig(value: unknown): Promise<void> {
  await new SecretsManagerClient({}).send(
    new PutSecretValueCommand({ SecretId: 'gdn-report-config', SecretString: JSON.stringify(value) }),
  );
}

beforeAll(async () => {
  moto = await startMoto({ attempts: 2 });
  Object.assign(process.env, moto.env);
  smtp = await startSmtpServer({ tls: false });
  http.slack = await startReceiver(slackWebhook());
  http.teams = await startReceiver(teamsWorkflow());
  http.googleChat = await startReceiver(googleChatWebhook());
  http.pagerduty = await startReceiver(pagerDutyEventsApi());
  http.webhook = await startReceiver(signedWebhook({ secret: HMAC }));

  sqs = new SQSClient({});
  const main = await sqs.send(new CreateQueueCommand({ QueueName: 'gdn-report-main' }));
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'gdn-report-dlq' }));
  dlqUrl = dlq.QueueUrl as string;
  const snsQueue = await sqs.send(new CreateQueueCommand({ QueueName: 'gdn-report-sns' }));
  snsQueueUrl = snsQueue.QueueUrl as string;
  const sns = new SNSClient({});
  const topic = await sns.send(new CreateTopicCommand({ Name: 'gdn-report-audit' }));
  const snsQueueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: snsQueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: snsQueueArn }));
  process.env.TEST_TOPIC_ARN = topic.TopicArn;
  await createStateTable('gdn-report-state', moto.endpoint);
  const secret = await new SecretsManagerClient({}).send(
    new CreateSecretCommand({ Name: 'gdn-report-config', SecretString: '{}' }),
  );
  await writeConfig(config());

  const { DetectorId } = await new GuardDutyClient({}).send(new CreateDetectorCommand({ Enable: true }));
  for (let i = 0; i < CURRENT + PREVIOUS; i++) {
    const inCurrent = i < CURRENT;
    const updated = now - (inCurrent ? 6 : 13) * DAY + ((i * HOUR) % (5 * DAY));
    seeded.push({
      id: `r${String(i).padStart(4, '0')}`,
      severity: [2, 5, 7.5, 9.2][i % 4],
      account: i % 3 === 0 ? '444455556666' : '111122223333',
      createdAt: new Date(updated - (i % 2) * DAY).toISOString(),
      updatedAt: new Date(updated).toISOString(),
      archived: i % 10 === 0,
    });
  }
  const seededResponse = await detectorRoute(DetectorId as string, 'findings', { findings: seeded.map(findingDetail) });
  expect(seededResponse.ok).toBe(true);

  // Two messages waiting in the DLQ: the heartbeat must say so.
  for (const n of [1, 2]) await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: `dead ${n}` }));

  Object.assign(process.env, {
    GDN_CONFIG_SECRET_ARN: secret.ARN,
    GDN_CONFIG_REFRESH_SECONDS: '0',
    GDN_STATE_TABLE: 'gdn-report-state',
    GDN_RETRY_QUEUE_URL: main.QueueUrl,
    GDN_DLQ_URL: dlqUrl,
    GDN_LOG_LEVEL: 'error',
  });
  // The entry builds its runtime from the environment when it is imported.
  ({ handler } = await import('../../src/index.js'));

  // The pipeline at work during the week: a tamper call (DeleteDetector) and one of the seeded findings.
  const tamper = JSON.parse(
    readFileSync(join(FIXTURES_DIR, '..', 'signals', 'activity', 'delete-detector.json'), 'utf8'),
  ) as { time: string; detail: { eventTime: string } };
  tamper.time = new Date(now - 2 * HOUR).toISOString();
  tamper.detail.eventTime = tamper.time;
  const batch = await handler(sqsEvent(tamper, findingEvent(seeded[3] as Spec)));
  expect(batch.batchItemFailures).toEqual([]);
  // Someone acknowledges that finding in Slack (the interaction endpoint's write).
  const state = createStateStore(process.env, { logger: { warn() {}, info() {} } });
  expect(
    await state.setLifecycle((seeded[3] as Spec).id, {
      action: 'acknowledged',
      by: 'U0ANALYST',
      at: new Date(Date.now() + 30 * 60_000).toISOString(),
    }),
  ).toBe(true);
}, 180_000);

afterAll(async () => {
  process.env = saved;
  await Promise.all(Object.values(http).map((r) => r?.close()));
  await smtp?.close();
  await moto?.stop();
});

beforeEach(async () => {
  for (const r of Object.values(http)) r.reset();
  smtp.reset();
  await sqs.send(new ReceiveMessageCommand({ QueueUrl: snsQueueUrl, MaxNumberOfMessages: 10 })); // drain
});

async function snsMessages(): Promise<
  Array<{ Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> }>
> {
  const received = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: snsQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  return (received.Messages ?? []).map((m) => JSON.parse(m.Body as string));
}

function webhookReport(): Report {
  const bodies = http.webhook.requests.filter((r) => r.accepted).map((r) => JSON.parse(r.body));
  expect(bodies).toHaveLength(1);
  expect(bodies[0].kind).toBe('report');
  return bodies[0].report as Report;
}

describe('the Lambda entry with a report event', () => {
  it('sends one report per configured channel (PagerDuty skipped) with the numbers of GuardDuty, the state table and the queues', async () => {
    const expectedCurrent = CURRENT;
    const result = await handler({ guarddutyNotify: 'report', end: new Date(now + 2 * HOUR).toISOString() });
    expect(result.sent.sort()).toEqual(['audit', 'sec-chat', 'sec-mail', 'sec-slack', 'sec-teams', 'siem']);

    for (const type of ['slack', 'teams', 'googleChat'] as const) {
      expect(
        http[type].requests.filter((r) => r.accepted),
        type,
      ).toHaveLength(1);
    }
    expect(http.pagerduty.requests).toHaveLength(0);

    const report = webhookReport();
    expect(report.totals.findings).toBe(expectedCurrent);
    expect(report.previousBySeverity).toEqual({ LOW: 8, MEDIUM: 8, HIGH: 7, CRITICAL: 7 });
    expect(report.completeness.complete).toBe(true);
    expect(report.tamper.count).toBe(1);
    expect(report.response.acknowledged).toEqual({ count: 1, medianMinutes: expect.any(Number) });
    expect(report.response.acknowledged.medianMinutes).toBeGreaterThanOrEqual(29);
    expect(report.heartbeat.dlqDepth).toBe(2);
    expect(report.heartbeat.queueDepth).toBe(0);
    expect(report.heartbeat.lastEventProcessedAt).not.toBeNull();
    expect(report.notes).toEqual([]);
    expect(report.topAccounts.map((a) => a.name)).toContain('prod-payments');

    const mails = smtp.mails.filter((m) => m.accepted);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.parsed?.subject).toMatch(/^\[SECURITY\] GuardDuty report · .*: 120 findings \(30 critical/);
    expect(String(mails[0]?.parsed?.html)).toContain('bgcolor=');
    expect(mails[0]?.parsed?.text).toContain(String(expectedCurrent));

    const published = await snsMessages();
    expect(published).toHaveLength(1);
    expect(published[0]?.Subject).toContain(`${expectedCurrent} findings`);
    expect(published[0]?.MessageAttributes.findings?.Value).toBe(String(expectedCurrent));
    expect(published[0]?.MessageAttributes.dlqDepth?.Value).toBe('2');
  }, 120_000);

  it('is a heartbeat: a period without findings still reaches every channel', async () => {
    const result = await handler({ guarddutyNotify: 'report', end: '2025-06-02T08:00:00Z' });
    expect(result.sent).toHaveLength(6);
    const report = webhookReport();
    expect(report.totals.findings).toBe(0);
    expect(report.heartbeat.dlqDepth).toBe(2);
    expect(http.slack.requests.filter((r) => r.accepted)).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.accepted)).toHaveLength(1);
  }, 120_000);

  it('fails the invocation (the function-errors alarm) when a channel refuses, after sending to the others', async () => {
    http.webhook.fallback = () => ({ status: 400, body: 'bad request' });
    try {
      await expect(handler({ guarddutyNotify: 'report', end: '2025-06-02T08:00:00Z' })).rejects.toThrow(
        /could not be sent to "siem"/,
      );
    } finally {
      http.webhook.fallback = signedWebhook({ secret: HMAC });
    }
    expect(http.slack.requests.filter((r) => r.accepted)).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.accepted)).toHaveLength(1);
  }, 120_000);

  it('sends nothing, and succeeds, when the config has no reports section; SQS batches still work', async () => {
    const { reports: _, ...withoutReports } = config();
    await writeConfig(withoutReports);
    try {
      const before = http.slack.requests.length;
      await expect(handler({ guarddutyNotify: 'report' })).resolves.toBeDefined();
      expect(http.slack.requests.length).toBe(before);
      const batch = await handler(sqsEvent(findingEvent(seeded[7] as Spec)));
      expect(batch.batchItemFailures).toEqual([]);
    } finally {
      await writeConfig(config());
    }
  }, 120_000);
});
