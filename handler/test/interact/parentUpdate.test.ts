import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSlack } from '../../src/deliver/slackWebApi.js';
import { createLogger } from '../../src/observe/logger.js';
import { createStateStore, type StateStore } from '../../src/state/store.js';
import { occurrenceOf } from '../../src/state/keys.js';
import { ALICE, APP_CHANNEL, BOT_TOKEN, MALLORY, TABLE, startWorld, type World } from './world.js';

/*
 * The endpoint edits the parent message after an acknowledge or an archive:
 * the notifier's parent (posted to the Slack Web API stand-in, its reference
 * in the state table as the notifier stores it) gets its status line, and
 * Slack keeps its attachment. A refused click edits nothing.
 */

let world: World;
let state: StateStore;
let n = 0;

beforeAll(async () => {
  world = await startWorld();
  state = createStateStore(
    { GDN_STATE_TABLE: TABLE },
    {
      logger: createLogger('ERROR', () => {}),
      dynamo: { endpoint: world.moto.endpoint, operationTimeoutMs: 10_000, requestTimeoutMs: 5_000 },
    },
  );
}, 60_000);
afterAll(() => world?.stop());

/** A finding seeded in GuardDuty, announced by the notifier: a parent in the channel and its reference stored. */
async function announced(): Promise<{ id: string; ts: string }> {
  n += 1;
  const id = `a${Date.now().toString(16)}${n}`.padEnd(32, '0');
  await world.seed([{ id }]);
  await state.observe([{ findingId: id, score: 8, count: 1, updatedAt: new Date().toISOString() }]);
  const posted = await callSlack(
    'chat.postMessage',
    {
      channel: APP_CHANNEL.id,
      text: `*HIGH 8.0* GuardDuty finding\n*Now:* HIGH 8.0 · 1 occurrence · open`,
      attachments: [{ color: '#E8590C', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'details' } }] }],
    },
    {
      token: BOT_TOKEN,
      apiBase: world.slackApiUrl,
      policy: { timeoutMs: 2_000, attempts: 1, maxRetryAfterSeconds: 1 },
      label: { name: APP_CHANNEL.name, type: 'slack' },
    },
  );
  const ts = posted.ts!;
  await state.recordAccepted([
    {
      findingId: id,
      occurrence: occurrenceOf({ updatedAt: '2026-11-01T00:00:00Z', count: 1 }),
      channel: APP_CHANNEL.name,
      ref: { service: 'slack', channel: APP_CHANNEL.id, ts },
    },
  ]);
  return { id, ts };
}

const parent = (ts: string) => world.slackApi.messages.get(`${APP_CHANNEL.id}/${ts}`)!;

describe('parent edits from the interaction endpoint', () => {
  it('an acknowledge edits the status line: by whom, minutes after the alert; the attachment stays', async () => {
    const { id, ts } = await announced();
    await world.send(world.click(ALICE, 'acknowledge', id));
    const message = parent(ts);
    expect(message.edits).toHaveLength(1);
    expect(String(message.current.text)).toMatch(
      new RegExp(`\\n\\*Now:\\* HIGH 8\\.0 · 1 occurrence · acknowledged by <@${ALICE}> 0 min after the alert$`),
    );
    expect(message.current.attachments).toEqual(message.body.attachments);
    expect((await state.findingRecord(id))?.acknowledgedBy).toBe(ALICE);
  });

  it('an archive edits the status line, and keeps an earlier acknowledgement', async () => {
    const { id, ts } = await announced();
    await world.send(world.click(ALICE, 'acknowledge', id));
    await world.send(world.click(ALICE, 'archive', id));
    const text = String(parent(ts).current.text);
    expect(text).toContain(`acknowledged by <@${ALICE}>`);
    expect(text).toContain(`archived by <@${ALICE}> 0 min after the alert`);
    expect(await world.finding(id)).toMatchObject({ archived: true });
  });

  it('a refused click edits nothing', async () => {
    const { id, ts } = await announced();
    await world.send(world.click(MALLORY, 'archive', id));
    expect(parent(ts).edits).toHaveLength(0);
  });

  it('a deleted parent is logged, not an error for the clicker', async () => {
    const { id, ts } = await announced();
    world.slackApi.deleteMessage(APP_CHANNEL.id, ts);
    world.slack.reset();
    await world.send(world.click(ALICE, 'acknowledge', id));
    expect(world.replies()).toEqual([`Acknowledged by <@${ALICE}>.`]);
  });
});
