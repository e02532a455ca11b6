import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { processBatch, type ProcessorDeps } from '../../src/batch/process.js';
import { CHANNEL_REGISTRY } from '../../src/channels/registry.js';
import { createConfigSource } from '../../src/config/source.js';
import { defaultHttpDeps } from '../../src/deliver/http.js';
import { createPacer } from '../../src/deliver/pacer.js';
import { createAccountNamer } from '../../src/enrich/accounts.js';
import { createLogger } from '../../src/observe/logger.js';
import { createMetrics } from '../../src/observe/metrics.js';
import { createSeverityMemory } from '../../src/route/history.js';
import { fixtureNames, rawFixture } from '../helpers/fixtures.js';
import { pagerDutyEventsApi } from '../../../harness/pagerduty.mjs';
import { slackWebhook } from '../../../harness/slack.mjs';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

/* Noise control under a burst: what CreateSampleFindings or an incident produces. */
const BURST = 300;
let slack: Receiver;
let pagerduty: Receiver;
beforeAll(async () => {
  slack = await startReceiver(slackWebhook());
  pagerduty = await startReceiver(pagerDutyEventsApi());
});
afterAll(async () => Promise.all([slack.close(), pagerduty.close()]));

/** 300 distinct first sightings built from the fixture corpus (updates and archived ones left out). */
function burst(): Array<{ messageId: string; body: string }> {
  const sources = fixtureNames().filter((n) => !['update-finding', 'escalated-update', 'archived-finding'].includes(n));
  return Array.from({ length: BURST }, (_, i) => {
    const event = rawFixture(sources[i % sources.length]!) as { detail: { id: string } };
    event.detail.id = createHash('md5').update(`burst-${i}`).digest('hex');
    return { messageId: `m${i}`, body: JSON.stringify(event) };
  });
}

describe('a burst of 300 findings in one batch', () => {
  it('reaches Slack as one digest accounting for every finding, and PagerDuty as one incident each', async () => {
    const metrics = createMetrics('Test', () => {});
    const config = {
      channels: [
        { name: 'chat', type: 'slack', webhookUrl: slack.url('/services/T/B/x') },
        {
          name: 'pd',
          type: 'pagerduty',
          routingKey: 'R0UT1NGKEY0000000000000000000000',
          eventsUrl: pagerduty.url('/v2/enqueue'),
        },
      ],
    };
    const deps: ProcessorDeps = {
      config: createConfigSource({ read: async () => JSON.stringify(config), refreshMs: 60_000 }),
      accounts: createAccountNamer({ describeAccount: async () => null }),
      history: createSeverityMemory(),
      channels: CHANNEL_REGISTRY,
      send: {
        httpDeps: defaultHttpDeps,
        snsPublish: async () => '',
        snsPublishBatch: async ({ messages }) => messages.map(() => ''),
        sendMail: async () => '',
      },
      queue: {
        requeue: async () => {
          throw new Error('nothing should be re-queued');
        },
        deadLetter: async () => {
          throw new Error('nothing should be dead-lettered');
        },
      },
      pacer: createPacer(),
      logger: createLogger('WARN', () => {}),
      metrics,
      maxRequeues: 3,
    };
    const result = await processBatch(burst(), deps);
    expect(result.batchItemFailures).toEqual([]);

    expect(slack.requests).toHaveLength(1);
    const digest = JSON.parse(slack.requests[0]!.body) as { text: string };
    expect(digest.text).toContain('300');
    expect(metrics.snapshot().chat).toMatchObject({ Delivered: BURST, Failed: 0 });

    expect(pagerduty.requests).toHaveLength(BURST);
    const keys = new Set(pagerduty.requests.map((r) => (JSON.parse(r.body) as { dedup_key: string }).dedup_key));
    expect(keys.size).toBe(BURST);
    expect(metrics.snapshot().pd).toMatchObject({ Delivered: BURST, Failed: 0 });
  });
});
