import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { processBatch, type ProcessorDeps } from '../../src/batch/process.js';
import { CHANNEL_REGISTRY } from '../../src/channels/registry.js';
import { createConfigSource } from '../../src/config/source.js';
import { defaultHttpDeps } from '../../src/deliver/http.js';
import { createPacer } from '../../src/deliver/pacer.js';
import { createSqsQueueWriter } from '../../src/deliver/sqs.js';
import { createAccountNamer } from '../../src/enrich/accounts.js';
import { ACTION_IDS } from '../../src/interact/buttons.js';
import { createLogger } from '../../src/observe/logger.js';
import { createMetrics } from '../../src/observe/metrics.js';
import { createSeverityMemory } from '../../src/route/history.js';
import { createStateStore, type StateStore } from '../../src/state/store.js';
import { slackWebApi, type SlackStoredMessage, type SlackWebApiOptions } from '../../../harness/slackWebApi.mjs';
import { FIXTURES_DIR, rawFixture } from '../helpers/fixtures.js';
import { useMoto } from '../helpers/moto.js';
import { closedAfterEach, startReceiver } from '../helpers/receiver.js';
import { createStateTable } from '../../../harness/awsState.mjs';

/*
 * The Slack app channel through the real processor, against the Slack Web API
 * stand-in (harness/slackWebApi.mjs) and the state table in moto's DynamoDB:
 * threads, parent edits, broadcast escalations, a deleted parent, Slack's
 * error codes and its rate limit, buttons, and hostile finding text.
 */

const TOKEN = 'xoxb-test-token-0000';
const CHANNEL = 'C0SECALERT';

let counter = 0;
const moto = useMoto({ attempts: 2 });
let sqs: SQSClient;
beforeAll(() => {
  sqs = new SQSClient({});
});
const receivers = closedAfterEach();

const SLACK_APP = {
  signingSecret: 's'.repeat(32),
  teamId: 'T0TEAM',
  allow: { acknowledge: { users: ['U0ALICE'] } },
  buttonsMinSeverity: 'HIGH',
};

interface WorldOptions {
  state?: boolean;
  slackApp?: boolean;
  api?: SlackWebApiOptions;
  channel?: Record<string, unknown>;
}

async function world(options: WorldOptions = {}) {
  const n = ++counter;
  const main = await sqs.send(new CreateQueueCommand({ QueueName: `slackapp-main-${n}` }));
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `slackapp-dlq-${n}` }));
  const api = slackWebApi(options.api);
  const server = await startReceiver(api.reply);
  receivers.push(server);
  const table = `gdn-slackapp-${n}`;
  const withState = options.state ?? true;
  if (withState) await createStateTable(table, moto.endpoint);
  const config = {
    defaults: { notifyOn: 'all' },
    channels: [
      {
        name: 'slack',
        type: 'slack',
        botToken: TOKEN,
        channelId: CHANNEL,
        apiBaseUrl: server.url('/api/'),
        minSeverity: 'LOW',
        minIntervalMs: 0,
        digestThreshold: null,
        ...options.channel,
      },
    ],
    delivery: { timeoutMs: 5_000, attempts: 3, maxRetryAfterSeconds: 10 },
    ...(options.slackApp ? { slackApp: SLACK_APP } : {}),
  };
  const state: StateStore | undefined = withState
    ? createStateStore(
        { GDN_STATE_TABLE: table },
        {
          logger: createLogger('ERROR', () => {}),
          dynamo: { endpoint: moto.endpoint, operationTimeoutMs: 10_000, requestTimeoutMs: 5_000 },
        },
      )
    : undefined;
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
    ...(state ? { state } : {}),
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
  const queued = async (url: string) =>
    (
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))
    ).Messages?.map((m) => JSON.parse(m.Body!) as Record<string, any>) ?? [];
  return {
    api,
    state,
    container,
    run,
    requeued: () => queued(main.QueueUrl!),
    deadLetters: () => queued(dlq.QueueUrl!),
    calls: (method: string) => server.requests.filter((r) => r.path === `/api/${method}`),
  };
}

/** A finding event with the given id, severity, occurrence count and update time. */
function finding(id: string, severity: number, count: number, updatedAt: string, fixture = 'ec2-ssh-bruteforce') {
  const event = structuredClone(rawFixture(fixture)) as { detail: Record<string, any> };
  event.detail.id = id;
  event.detail.severity = severity;
  event.detail.service.count = count;
  event.detail.createdAt = '2026-11-01T00:00:00.000Z';
  event.detail.updatedAt = updatedAt;
  return JSON.stringify(event);
}

/** The blocks of a message body (inside its one attachment) as JSON text, for content checks. */
const blocksText = (body: Record<string, unknown>) => JSON.stringify((body.attachments as any[])[0].blocks);
const actionIds = (body: Record<string, unknown>) =>
  ((body.attachments as any[])[0].blocks as any[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements.map((e: any) => e.action_id));
/** The parent's summary: the second line of its text. */
const summaryOf = (body: Record<string, unknown>) => String(body.text).split('\n')[1];
const lastBody = (m: SlackStoredMessage) => m.current;

describe('Slack app threads through the processor', () => {
  it('opens a thread with the first message and stores its ts as the reference', async () => {
    const w = await world();
    const id = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a1';
    const result = await w.run(w.container(), finding(id, 5, 1, '2026-11-01T00:01:00.000Z'));
    expect(result.summary).toMatchObject({ delivered: 1, requeued: 0, deadLettered: 0 });
    const [parent] = w.api.parents(CHANNEL);
    expect(parent?.threadTs).toBeUndefined();
    expect(await w.state!.messageRef(id, 'slack')).toEqual({ service: 'slack', channel: CHANNEL, ts: parent!.ts });
    expect(summaryOf(parent!.body)).toContain('MEDIUM 5.0 · 1 occurrence · open');
    expect(w.calls('chat.postMessage')[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('replies in the thread for a later occurrence and edits the parent with severity and count', async () => {
    const w = await world();
    const id = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a2';
    await w.run(w.container(), finding(id, 5, 1, '2026-11-01T00:01:00.000Z'));
    await w.run(w.container(), finding(id, 5, 4, '2026-11-01T02:00:00.000Z'));
    const parents = w.api.parents(CHANNEL);
    expect(parents).toHaveLength(1);
    const replies = w.api.replies(CHANNEL, parents[0]!.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.reply_broadcast).toBeUndefined();
    expect(parents[0]!.edits).toHaveLength(1);
    expect(summaryOf(lastBody(parents[0]!))).toContain('MEDIUM 5.0 · 4 occurrences · open');
  });

  it('replies with broadcast for an escalation, and the parent shows the new severity', async () => {
    const w = await world({ channel: { notifyOn: 'escalations' } });
    const id = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a3';
    await w.run(w.container(), finding(id, 5, 1, '2026-11-01T00:01:00.000Z'));
    await w.run(w.container(), finding(id, 5, 2, '2026-11-01T01:00:00.000Z')); // not an escalation: held back
    await w.run(w.container(), finding(id, 8, 3, '2026-11-01T02:00:00.000Z'));
    const [parent] = w.api.parents(CHANNEL);
    const replies = w.api.replies(CHANNEL, parent!.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toMatchObject({ thread_ts: parent!.ts, reply_broadcast: true });
    expect(summaryOf(lastBody(parent!))).toContain('HIGH 8.0 · 3 occurrences');
  });

  it('edits the parent when the finding is archived in the console (archive sync), naming who archived it', async () => {
    const w = await world();
    const archive = JSON.parse(
      readFileSync(join(FIXTURES_DIR, '..', 'signals', 'activity', 'archive-findings.json'), 'utf8'),
    ) as { detail: Record<string, any> };
    const [first] = archive.detail.requestParameters.findingIds as string[];
    await w.run(w.container(), finding(first!, 8, 1, '2026-11-29T10:00:00.000Z'));
    await w.run(w.container(), JSON.stringify(archive));
    const parents = w.api.parents(CHANNEL);
    expect(parents).toHaveLength(1);
    const summary = summaryOf(lastBody(parents[0]!));
    // The finding's severity and count stay; the status names the console user; the blocks stay as posted.
    expect(summary).toMatch(
      /^\*Now:\* HIGH 8\.0 · 1 occurrence · archived by `role arn:aws:iam::111122223333:role\/.*\(session alice@example\.com\)` at `2026-11-29T10:15:40Z`$/,
    );
    expect(lastBody(parents[0]!).attachments).toEqual(parents[0]!.body.attachments);
    expect(w.api.replies(CHANNEL, parents[0]!.ts)).toHaveLength(1);
  });

  it('posts a new parent when the old one was deleted, and stores the new reference', async () => {
    const w = await world();
    const id = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a4';
    await w.run(w.container(), finding(id, 5, 1, '2026-11-01T00:01:00.000Z'));
    const [old] = w.api.parents(CHANNEL);
    w.api.deleteMessage(CHANNEL, old!.ts);
    const result = await w.run(w.container(), finding(id, 5, 2, '2026-11-01T01:00:00.000Z'));
    expect(result.summary).toMatchObject({ delivered: 1, requeued: 0 });
    const parents = w.api.parents(CHANNEL);
    expect(parents).toHaveLength(1);
    expect(parents[0]!.ts).not.toBe(old!.ts);
    expect(await w.state!.messageRef(id, 'slack')).toMatchObject({ ts: parents[0]!.ts });
  });

  it('posts a digest as a standalone message, with no thread and no stored reference', async () => {
    const w = await world({ channel: { digestThreshold: 2 } });
    const ids = [
      'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0f1',
      'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0f2',
      'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0f3',
    ];
    const result = await w.run(w.container(), ...ids.map((id) => finding(id, 5, 1, '2026-11-01T00:01:00.000Z')));
    expect(result.summary).toMatchObject({ delivered: 3, requeued: 0 });
    const [digest, ...others] = w.api.parents(CHANNEL);
    expect(others).toHaveLength(0);
    expect(String(digest!.body.text)).toContain('GuardDuty digest');
    for (const id of ids) expect(await w.state!.messageRef(id, 'slack')).toBeNull();
  });

  it('without the state table every message is a new parent', async () => {
    const w = await world({ state: false });
    const id = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a5';
    await w.run(w.container(), finding(id, 5, 1, '2026-11-01T00:01:00.000Z'));
    await w.run(w.container(), finding(id, 5, 2, '2026-11-01T01:00:00.000Z'));
    expect(w.api.parents(CHANNEL)).toHaveLength(2);
    expect(w.calls('chat.update')).toHaveLength(0);
  });
});

describe("Slack's errors", () => {
  const cases: Array<[string, SlackWebApiOptions]> = [
    ['channel_not_found', { channels: { [CHANNEL]: 'channel_not_found' } }],
    ['not_in_channel', { channels: { [CHANNEL]: 'not_in_channel' } }],
    ['invalid_auth', { tokens: ['xoxb-another-token-1111'] }],
  ];
  for (const [why, api] of cases) {
    it(`${why} is a config failure: re-queued, then dead-lettered with the reason`, async () => {
      const w = await world({ api });
      const body = finding('a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0b1', 8, 1, '2026-11-01T00:01:00.000Z');
      const first = await w.run(w.container(), body);
      expect(first.summary).toMatchObject({ delivered: 0, requeued: 1, deadLettered: 0 });
      const [retry] = await w.requeued();
      expect(retry).toMatchObject({ guarddutyNotify: 'retry', channels: ['slack'] });
      expect(retry!.lastError).toContain(why);
      // Config failures are not retried in-process: one call per invocation.
      expect(w.calls('chat.postMessage')).toHaveLength(1);
      const last = await w.run(w.container(), JSON.stringify({ ...retry, attempt: 3 }));
      expect(last.summary).toMatchObject({ delivered: 0, deadLettered: 1 });
      const [dead] = await w.deadLetters();
      expect(dead).toMatchObject({ guarddutyNotify: 'dead-letter', channel: 'slack' });
      expect(dead!.reason).toContain(why);
      expect(JSON.stringify(dead)).not.toContain('xoxb-');
    });
  }

  it('a 429 ratelimited answer is retried after Retry-After, and both findings arrive', async () => {
    const w = await world({ api: { rateLimit: true } });
    const result = await w.run(
      w.container(),
      finding('a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0c1', 5, 1, '2026-11-01T00:01:00.000Z'),
      finding('a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0c2', 5, 1, '2026-11-01T00:01:00.000Z'),
    );
    expect(result.summary).toMatchObject({ delivered: 2, requeued: 0 });
    expect(w.calls('chat.postMessage').map((r) => r.status)).toEqual([200, 429, 200]);
    expect(w.api.parents(CHANNEL)).toHaveLength(2);
  }, 15_000);
});

describe('buttons and hostile text in app messages', () => {
  it('adds the action buttons at or above buttonsMinSeverity, only with a slackApp section', async () => {
    const withApp = await world({ slackApp: true });
    await withApp.run(
      withApp.container(),
      finding('a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0d1', 8, 1, '2026-11-01T00:01:00.000Z'),
      finding('a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0d2', 5, 1, '2026-11-01T00:01:00.000Z'),
    );
    const [high, medium] = withApp.api.parents(CHANNEL);
    expect(actionIds(high!.body)).toEqual(expect.arrayContaining(Object.values(ACTION_IDS)));
    const archive = JSON.parse(blocksText(high!.body))
      .find((b: any) => b.type === 'actions' && b.block_id === 'gdn_actions')
      .elements.find((e: any) => e.action_id === ACTION_IDS.archive);
    expect(archive.confirm).toMatchObject({ confirm: { text: 'Archive' }, deny: { text: 'Cancel' } });
    expect(JSON.parse(archive.value)).toEqual({
      f: 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0d1',
      r: 'us-east-1',
      a: '111122223333',
    });
    expect(actionIds(medium!.body)).not.toContain(ACTION_IDS.acknowledge);

    const without = await world({ slackApp: false });
    await without.run(
      without.container(),
      finding('a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0d3', 8, 1, '2026-11-01T00:01:00.000Z'),
    );
    expect(actionIds(without.api.parents(CHANNEL)[0]!.body)).not.toContain(ACTION_IDS.acknowledge);
  });

  it('hostile finding text cannot inject mentions or links into the parent, the edit or the reply', async () => {
    const w = await world({ slackApp: true });
    const id = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0e1';
    const hostile = (count: number, at: string) => {
      const event = JSON.parse(finding(id, 8, count, at, 'hostile')) as { detail: Record<string, any> };
      return JSON.stringify(event);
    };
    await w.run(w.container(), hostile(1, '2026-11-01T00:01:00.000Z'));
    await w.run(w.container(), hostile(2, '2026-11-01T01:00:00.000Z'));
    const [parent] = w.api.parents(CHANNEL);
    const [reply] = w.api.replies(CHANNEL, parent!.ts);
    for (const body of [parent!.body, ...parent!.edits, reply!.body]) {
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/<!(here|channel|everyone)|<@U|<!subteam/);
      expect(text).not.toMatch(/<https?:/);
    }
  });
});
