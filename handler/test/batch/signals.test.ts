import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { processBatch, type ProcessorDeps } from '../../src/batch/process.js';
import { CHANNEL_REGISTRY } from '../../src/channels/registry.js';
import { createConfigSource } from '../../src/config/source.js';
import { defaultHttpDeps } from '../../src/deliver/http.js';
import { createPacer } from '../../src/deliver/pacer.js';
import { createSqsQueueWriter } from '../../src/deliver/sqs.js';
import { createAccountNamer } from '../../src/enrich/accounts.js';
import { createLogger } from '../../src/observe/logger.js';
import { createMetrics } from '../../src/observe/metrics.js';
import { createSeverityMemory } from '../../src/route/history.js';
import { createStateStore } from '../../src/state/store.js';
import { FIXTURES_DIR, rawFixture } from '../helpers/fixtures.js';
import { useMoto } from '../helpers/moto.js';
import { closedAfterEach, startReceiver } from '../helpers/receiver.js';
import { createStateTable } from '../../../harness/awsState.mjs';

/*
 * GuardDuty's other signals and the state table through the real processor:
 * a tamper alert reaches every chat channel at CRITICAL, a read call reaches
 * none, an archive made outside Slack resolves the PagerDuty incident of each
 * archived finding and notes the archive only where the finding was announced;
 * a redelivered record is not sent again to channels that accepted it; an
 * update's escalation is notified once even when two "containers" see it.
 * Deliveries are counted at local receivers, the state in moto's DynamoDB.
 */

let tableCounter = 0;
const moto = useMoto({ attempts: 2 });
let sqs: SQSClient;
beforeAll(() => {
  sqs = new SQSClient({});
});
const receivers = closedAfterEach();

function signalFixture(kind: string, name: string): string {
  return readFileSync(join(FIXTURES_DIR, '..', 'signals', kind, `${name}.json`), 'utf8');
}

async function world(options: { state: boolean }) {
  const n = ++tableCounter;
  const main = await sqs.send(new CreateQueueCommand({ QueueName: `signals-main-${n}` }));
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `signals-dlq-${n}` }));
  const chat = await startReceiver();
  const pager = await startReceiver(() => ({ status: 202, body: '{"status":"success"}' }));
  receivers.push(chat, pager);
  const table = `gdn-signals-${n}`;
  if (options.state) await createStateTable(table, moto.endpoint);
  const config = {
    channels: [
      { name: 'chat', type: 'webhook', url: chat.url('/chat'), minIntervalMs: 0, digestThreshold: null },
      {
        name: 'pager',
        type: 'pagerduty',
        routingKey: 'a'.repeat(32),
        eventsUrl: pager.url('/v2/enqueue'),
        minSeverity: 'HIGH',
        minIntervalMs: 0,
      },
    ],
  };
  /** A fresh "container": its own memory, config cache and store client. */
  const container = (): ProcessorDeps => ({
    config: createConfigSource({ read: async () => JSON.stringify(config), refreshMs: 60_000 }),
    accounts: createAccountNamer({ describeAccount: async () => null }),
    history: createSeverityMemory(),
    channels: CHANNEL_REGISTRY,
    send: {
      httpDeps: defaultHttpDeps,
      snsPublish: async () => 'x',
      snsPublishBatch: async ({ messages }) => messages.map(() => 'x'),
      sendMail: async () => 'x',
    },
    state: options.state
      ? createStateStore(
          { GDN_STATE_TABLE: table },
          {
            logger: createLogger('ERROR', () => {}),
            dynamo: { endpoint: moto.endpoint, operationTimeoutMs: 10_000, requestTimeoutMs: 5_000 },
          },
        )
      : undefined,
    queue: createSqsQueueWriter(main.QueueUrl!, dlq.QueueUrl!),
    pacer: createPacer(),
    logger: createLogger('ERROR', () => {}),
    metrics: createMetrics('Test', () => {}),
    maxRequeues: 3,
    requeueDelay: () => 0,
  });
  let id = 0;
  const run = (deps: ProcessorDeps, ...bodies: string[]) =>
    processBatch(
      bodies.map((body) => ({ messageId: `m${++id}`, body })),
      deps,
    );
  const chatBodies = () => chat.requests.map((r) => JSON.parse(r.body) as { finding: Record<string, any> });
  const pagerEvents = () => pager.requests.map((r) => JSON.parse(r.body) as Record<string, any>);
  return { chat, pager, container, run, chatBodies, pagerEvents };
}

/** A finding event with the given id, severity, occurrence count and update time. */
function finding(id: string, severity: number, count: number, updatedAt: string): string {
  const event = structuredClone(rawFixture('ec2-ssh-bruteforce')) as { detail: Record<string, any> };
  event.detail.id = id;
  event.detail.severity = severity;
  event.detail.service.count = count;
  event.detail.createdAt = '2026-11-01T00:00:00.000Z';
  event.detail.updatedAt = updatedAt;
  return JSON.stringify(event);
}

describe('GuardDuty API calls through the processor', () => {
  it('sends a DeleteDetector call as one CRITICAL message per chat channel, and pages', async () => {
    const w = await world({ state: false });
    const result = await w.run(w.container(), signalFixture('activity', 'delete-detector'));
    expect(result.summary).toMatchObject({ poison: 0, delivered: 2 });
    const [message] = w.chatBodies();
    expect(message?.finding).toMatchObject({
      kind: 'activity',
      topic: 'activity.tamper',
      severity: { band: 'CRITICAL' },
    });
    expect(w.pagerEvents()).toHaveLength(1);
    expect(w.pagerEvents()[0]).toMatchObject({ event_action: 'trigger', payload: { severity: 'critical' } });
  });

  it('reports nothing for a read call (ListFindings)', async () => {
    const w = await world({ state: false });
    const result = await w.run(w.container(), signalFixture('activity', 'list-findings'));
    expect(result.summary).toMatchObject({ poison: 0, delivered: 0, deadLettered: 0 });
    expect(w.chat.requests).toHaveLength(0);
    expect(w.pager.requests).toHaveLength(0);
  });

  it('resolves the PagerDuty incident of each archived finding; notes the archive only on channels that announced it', async () => {
    const w = await world({ state: true });
    const archive = JSON.parse(signalFixture('activity', 'archive-findings')) as { detail: Record<string, any> };
    const [first, second] = archive.detail.requestParameters.findingIds as string[];
    const deps = w.container();
    // The first finding was announced earlier (to both channels); the second never was.
    await w.run(deps, finding(first!, 8, 1, '2026-11-01T00:01:00.000Z'));
    expect(w.chat.requests).toHaveLength(1);
    expect(w.pagerEvents()).toEqual([expect.objectContaining({ event_action: 'trigger', dedup_key: first })]);
    w.chat.reset();
    w.pager.reset();
    await w.run(deps, JSON.stringify(archive));
    expect(w.pagerEvents().map((e) => [e.event_action, e.dedup_key])).toEqual(
      expect.arrayContaining([
        ['resolve', first],
        ['resolve', second],
      ]),
    );
    expect(w.pagerEvents()).toHaveLength(2);
    expect(w.chatBodies().map((b) => [b.finding.id, b.finding.lifecycle?.action])).toEqual([[first, 'archived']]);
  });

  it('without the state table, the archive still resolves the incidents, and chat gets no note', async () => {
    const w = await world({ state: false });
    await w.run(w.container(), signalFixture('activity', 'archive-findings'));
    expect(w.pagerEvents().every((e) => e.event_action === 'resolve')).toBe(true);
    expect(w.pagerEvents().length).toBeGreaterThan(0);
    expect(w.chat.requests).toHaveLength(0);
  });
});

describe('the state table through the processor', () => {
  it('does not send a redelivered record again to the channels that accepted it', async () => {
    const w = await world({ state: true });
    const body = finding('a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4', 8, 1, '2026-11-01T00:01:00.000Z');
    const first = await w.run(w.container(), body);
    const again = await w.run(w.container(), body); // SQS redelivery, another container
    expect(first.summary.delivered).toBe(2);
    expect(again.summary).toMatchObject({ delivered: 0, alreadyAccepted: 2 });
    expect(w.chat.requests).toHaveLength(1);
    expect(w.pager.requests).toHaveLength(1);
  });

  it('notifies an escalation once when two containers handle the update that raises it', async () => {
    const w = await world({ state: true });
    const id = 'e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';
    await w.run(w.container(), finding(id, 5, 1, '2026-11-01T00:01:00.000Z'));
    w.chat.reset();
    // Two containers, neither of which saw the first sighting, each get an update that raises it to HIGH.
    await Promise.all([
      w.run(w.container(), finding(id, 8, 2, '2026-11-01T06:00:00.000Z')),
      w.run(w.container(), finding(id, 8, 3, '2026-11-01T06:15:00.000Z')),
    ]);
    expect(w.chatBodies().map((b) => b.finding.severity.band)).toEqual(['HIGH']);
    // A later update without a higher severity is not an escalation, in a third container.
    await w.run(w.container(), finding(id, 8, 4, '2026-11-01T12:00:00.000Z'));
    expect(w.chat.requests).toHaveLength(1);
  });
});
