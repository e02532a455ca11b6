import { rawFixture } from '../../harness/fixtures.mjs';
import { startReceiver } from '../../harness/http.mjs';
import { slackWebApi } from '../../harness/slackWebApi.mjs';
import { SlackChannelSchema, slackChannel } from '../../handler/src/channels/slack.js';
import type { SendContext } from '../../handler/src/channels/types.js';
import { ConfigSchema } from '../../handler/src/config/schema.js';
import { defaultHttpDeps } from '../../handler/src/deliver/http.js';
import { normaliseFinding } from '../../handler/src/finding/normalise.js';
import { FindingEventSchema } from '../../handler/src/finding/schema.js';
import { updateParents } from '../../handler/src/interact/parentUpdate.js';
import type { GalleryEntry } from '../../handler/src/preview/index.js';
import { createNullStateStore, type StateStore } from '../../handler/src/state/store.js';
import type { FindingRecord, MessageRef } from '../../handler/src/state/types.js';

/*
 * The gallery's Slack app thread. The demo's function runs without a state
 * table (and the committed bundle is replayed as built), so this part runs
 * the Slack app channel's own code in-process against the Slack Web API
 * stand-in, with the state kept in memory: a finding opens a thread, its
 * escalation replies (also to the channel) and edits the parent, then a
 * replayed Acknowledge click edits the parent's status line through the
 * interaction endpoint's code.
 */

const TOKEN = 'xoxb-demo-token-0000';
const CHANNEL_ID = 'C0DEMOSEC';

/** The state table's part the Slack app reads, in memory: message references and the finding record. */
function memoryState(): StateStore {
  const refs = new Map<string, MessageRef>();
  const records = new Map<string, FindingRecord>();
  return {
    ...createNullStateStore(),
    enabled: true,
    observe: async (sightings) =>
      sightings.map((s) => {
        const before = records.get(s.findingId);
        const highest = Math.max(s.score, before?.highestSeverity ?? s.score);
        records.set(s.findingId, {
          ...before,
          firstSeenAt: before?.firstSeenAt ?? new Date().toISOString(),
          highestSeverity: highest,
          lastCount: s.count,
          expiresAt: 0,
        });
        const escalation = before?.highestSeverity !== undefined && s.score > before.highestSeverity;
        return { isNew: !before, isEscalation: escalation, previousHighest: before?.highestSeverity ?? null };
      }),
    messageRef: async (findingId, channel) => refs.get(`${findingId}/${channel}`) ?? null,
    recordAccepted: async (entries) => {
      for (const e of entries) {
        if (e.ref) refs.set(`${e.findingId}/${e.channel}`, e.ref);
        if (!records.has(e.findingId))
          records.set(e.findingId, { firstSeenAt: new Date().toISOString(), expiresAt: 0 });
      }
    },
    findingRecord: async (findingId) => records.get(findingId) ?? null,
    setLifecycle: async (findingId, change) => {
      const record = records.get(findingId) ?? { expiresAt: 0 };
      records.set(findingId, { ...record, [`${change.action}By`]: change.by, [`${change.action}At`]: change.at });
      return true;
    },
  };
}

/** Runs the thread and returns it as a gallery entry (one delivery: the parent as it reads now, with its replies). */
export async function slackAppThreadEntry(): Promise<GalleryEntry> {
  const api = slackWebApi({ tokens: [TOKEN] });
  const server = await startReceiver(api.reply);
  try {
    const channel = SlackChannelSchema.parse({
      name: 'sec-slack-app',
      type: 'slack',
      botToken: TOKEN,
      channelId: CHANNEL_ID,
      apiBaseUrl: server.url('/api/'),
    });
    const state = memoryState();
    const scores = new Map<string, number>();
    const context: SendContext = {
      http: { timeoutMs: 5_000, attempts: 2, maxRetryAfterSeconds: 1 },
      httpDeps: defaultHttpDeps,
      snsPublish: async () => '',
      snsPublishBatch: async () => [],
      sendMail: async () => '',
      state,
      history: { previousScore: (id) => scores.get(id) },
      slackApp: { buttonsMinSeverity: 'MEDIUM' },
    };
    const deliver = async (fixture: string, isUpdate: boolean) => {
      const event = FindingEventSchema.parse(rawFixture(fixture));
      const finding = { ...normaliseFinding(event, 'prod-payments'), isUpdate };
      // As the batch does before delivering: the sighting goes into the finding record first.
      await state.observe([
        {
          findingId: finding.id,
          score: finding.severity.score,
          count: finding.occurrences.count,
          updatedAt: finding.updatedAt,
        },
      ]);
      const result = await slackChannel.send(slackChannel.render(finding, channel), channel, context);
      await state.recordAccepted([
        {
          findingId: finding.id,
          occurrence: finding.updatedAt,
          channel: channel.name,
          ...(result.ref ? { ref: result.ref } : {}),
        },
      ]);
      scores.set(finding.id, finding.severity.score);
      return { finding, event };
    };
    await deliver('ec2-port-probe', false);
    const { finding, event } = await deliver('escalated-update', true);
    // The replayed click: acknowledged 4 minutes after the first message, through the endpoint's own edit.
    const first = (await state.findingRecord(finding.id))?.firstSeenAt ?? new Date().toISOString();
    const config = ConfigSchema.parse({ channels: [channel] });
    await updateParents({ config: async () => config, state, logger: { warn: () => {}, info: () => {} } })({
      findingId: finding.id,
      status: 'acknowledged',
      by: 'U0ALICE',
      at: new Date(Date.parse(first) + 4 * 60_000).toISOString(),
    });
    const [parent] = api.parents(CHANNEL_ID);
    if (!parent) throw new Error('the Slack app stand-in received no parent message');
    const replies = api.replies(CHANNEL_ID, parent.ts).map((r) => r.body);
    return {
      id: 'slack-app-thread',
      heading: 'Slack app thread (ec2-port-probe, then its escalation, then an Acknowledge click)',
      why: 'A Slack channel with a bot token posts with chat.postMessage: the first message opens a thread, the escalation replies in it (also sent to the channel) and edits the parent, whose second line shows the current severity, count and status; the Acknowledge click (replayed 4 minutes after the alert) edits that line. Run in-process from the source with the state in memory (the demo function has no state table).',
      severity: finding.severity.band,
      score: finding.severity.score.toFixed(1),
      type: String(event.detail.type),
      title: finding.title,
      markers: ['THREAD'],
      deliveries: [
        {
          channelName: channel.name,
          delivered: { type: 'slack', body: parent.current, thread: replies },
          raw: { parent: parent.body, edits: parent.edits, replies },
        },
      ],
      skipped: [],
    };
  } finally {
    await server.close();
  }
}
